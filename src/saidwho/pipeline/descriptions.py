"""What a speaker mention without a name is: a person, an organisation, a
document or an anonymous source ("the ministry", "the report", "a former
minister", "critics"), and the readable name of a hearsay phrase
("reportedly" -> "unnamed reports"). Read by :mod:`saidwho.pipeline.speakers`.
"""

from __future__ import annotations

import re

from saidwho.lexicon import (
    ANONYMOUS_WORDS,
    DOCUMENT_HEADS,
    FEMALE_NOUNS,
    FUNCTION_WORDS,
    MALE_NOUNS,
    ORG_HEADS,
    QUANTITY_HEADS,
    TRAILING_SPEECH_FORMS,
)
from saidwho.pipeline.people import common_words


# Hearsay whose phrase is an adverb or a verb ("reportedly", "reports emerged",
# "is said to") names no one: it reads as "unnamed reports" (ANNOTATION.md 3).
_REPORTS_HEARSAY = re.compile(
    r"^(reportedly|allegedly|purportedly|supposedly|apparently|rumou?redly|ostensibly)$"
    r"|^(reports?|rumou?rs?|word)\b"
    r"|^(it )?(is|are|was|were|has been) (said|reported|believed|thought|understood|alleged|rumou?red|claimed)\b",
    re.I,
)
# "I'm told", "we have learned": the writer's unnamed informants (issue 21, class 2).
_FIRST_PERSON_HEARSAY = re.compile(r"^(i|we)\b", re.I)
_TRAILING_SPEECH_VERB = re.compile(r"\s+(" + "|".join(TRAILING_SPEECH_FORMS) + r")$", re.I)
_BARE_QUANTIFIERS = {"some": "some people", "many": "many people", "others": "others"}
# The reason an anonymous source gives for its anonymity is not part of its name.
REASON_CLAUSE = re.compile(r",?\s+(because|since|as they|as he|as she|in order to|for fear)\b.*$", re.I | re.S)


def hearsay_name(phrase: str) -> str:
    """A readable source name for a hearsay phrase: "unnamed reports" for an adverb
    or a verb phrase, "unnamed sources" for what the writer was told ("I'm told"),
    else the group without its verb ("critics argue" -> "critics")."""
    if _REPORTS_HEARSAY.search(phrase):
        return "unnamed reports"
    if _FIRST_PERSON_HEARSAY.search(phrase):
        return "unnamed sources"
    group = _TRAILING_SPEECH_VERB.sub("", phrase).strip() or phrase
    return _BARE_QUANTIFIERS.get(group.lower(), group)


def clean_description(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:—–-")
    return text


def has_content_word(text: str) -> bool:
    return any(w.strip(".,;:'’\"“”()").lower() not in FUNCTION_WORDS for w in text.split() if any(c.isalpha() for c in w))


def description_type(description: str, head_word: str | None = None) -> str:
    """person, organization, document or anonymous, by the description's head
    noun (the parse's head where known: "a former member of the government" is
    a person; else the last word)."""
    words = [w.lower().strip(".,") for w in description.split()]
    if not words:
        return "unknown"
    head = head_word.lower().strip(".,") if head_word else words[-1]
    if head in QUANTITY_HEADS or head.rstrip("%").replace(",", "").replace(".", "").isdigit():
        return "anonymous"  # "a dozen said", "another 19 percent said": an unnamed group
    if head_word and head not in ORG_HEADS and head not in DOCUMENT_HEADS and head not in ANONYMOUS_WORDS:
        # The organisation word is a modifier ("a member of the government"):
        # only the head and what is plural about it decide.
        words = words[: words.index(head) + 1] if head in words else words
    if head in DOCUMENT_HEADS:
        return "document"
    if head in ANONYMOUS_WORDS:
        return "anonymous"
    if head in ORG_HEADS or any(w in ORG_HEADS for w in words[-2:]):
        return "organization"
    if any(w in ANONYMOUS_WORDS for w in words):
        return "anonymous"
    if _plural_noun(head) and not any(w in ("the", "these", "those") for w in words[:1]):
        # "economists have warned", "human rights groups said": an unnamed
        # group, which ANNOTATION.md counts as anonymous ("critics argue").
        return "anonymous"
    return "person"


def _plural_noun(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s", "’s"))


def described_gender(description: str) -> str | None:
    """"f" or "m" where a description's words show a gender ("the congresswoman")."""
    words = set(re.findall(r"[a-z]+", description.lower()))
    return "f" if words & FEMALE_NOUNS else "m" if words & MALE_NOUNS else None


def sentence_initial_word(text: str, start: int, mention: str) -> bool:
    """A one-word mention capitalised only because it starts the sentence ("Economists warned")."""
    if len(mention.split()) != 1 or not mention[:1].isupper():
        return False
    before = text[max(0, start - 3) : start].rstrip(" “\"'‘")
    return (not before or before[-1] in ".!?\n") and mention.lower().rstrip("s") in common_words()
