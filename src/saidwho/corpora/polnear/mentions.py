"""One PolNeAR Source mention: its type (person, organisation, ...) and the name inside it."""

from __future__ import annotations

import re

from saidwho.lexicon import (
    CONVERTER_ANONYMOUS_WHOLE,
    CONVERTER_ANONYMOUS_WORDS,
    CONVERTER_DOCUMENT_WORDS,
    CONVERTER_NAME_PARTICLES,
    CONVERTER_NAME_SUFFIXES,
    CONVERTER_ORG_WORDS,
    CONVERTER_PERSON_NOUNS,
    CONVERTER_TITLE_WORDS,
    OTHER_PRONOUN_WORDS,
)
from saidwho.lexicon import strip_possessive_of_word as strip_possessive
from saidwho.names import is_pronoun, normalise_name


def _tokens(text: str) -> list[str]:
    return re.findall(r"[\w’'.-]+", text)


def _folded_words(text: str) -> list[str]:
    return [w.lower().strip(".’'") for w in re.findall(r"[\w’'.-]+", text)]


def is_pronoun_mention(text: str) -> bool:
    stripped = text.strip().strip(".,;:!?\"'“”‘’")
    return is_pronoun(stripped) or stripped.lower() in OTHER_PRONOUN_WORDS


_NOT_NAMES = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december today yesterday tonight""".split()
)

_PREPOSITIONS = frozenset({"on", "for", "at", "in", "from", "with", "to", "by", "about", "against"})


def _is_acronym(token: str) -> bool:
    bare = token.replace(".", "")
    return len(bare) >= 2 and bare.isalpha() and bare.isupper()


def person_name(part: str) -> str | None:
    """The trailing capitalised name in ``part``: "Republican candidate Donald Trump" -> "Donald Trump"."""
    tokens = _tokens(part)
    if not tokens or " and " in f" {part} " or "&" in part:
        return None
    run: list[str] = []
    i = len(tokens)
    while i > 0 and tokens[i - 1].lower().strip(".") in CONVERTER_NAME_SUFFIXES and len(tokens) > 1:
        i -= 1
    suffix = tokens[i:]
    while i > 0:
        token = tokens[i - 1]
        low = token.lower().strip(".’'")
        if low in CONVERTER_NAME_PARTICLES and run:
            run.insert(0, token)
            i -= 1
            continue
        if not token[:1].isupper() or low in CONVERTER_ORG_WORDS or low in CONVERTER_TITLE_WORDS or low in CONVERTER_ANONYMOUS_WORDS:
            break
        if low in CONVERTER_PERSON_NOUNS:
            break
        if run and token.endswith(".") and len(token.strip(".")) > 1:
            break  # "Trump. Scheiderman": a sentence ended between them
        if low in CONVERTER_DOCUMENT_WORDS or low in _NOT_NAMES or _is_acronym(token) or low in {"the", "a", "an"}:
            break
        run.insert(0, token)
        i -= 1
    while run and run[0].lower() in CONVERTER_NAME_PARTICLES:
        run.pop(0)
    if i > 0 and run and tokens[i - 1].lower() in _PREPOSITIONS:
        return None  # "Commission on Presidential Debates": the run names a thing
    if not run or (len(run) == 1 and len(run[0].strip(".")) <= 1):
        return None
    if len(run) > 4:
        return None
    # The run must end the part (apart from a suffix): "the Clinton campaign" has no name.
    return " ".join(run + suffix)


def analyse_mention(text: str) -> tuple[str, str]:
    """``(core, type)`` of a Source mention.

    ``type`` is person / organization / document / anonymous / unknown;
    ``core`` is the name inside a described person ("Sanders campaign
    manager Jeff Weaver" -> "Jeff Weaver", "Hicks, his spokeswoman," ->
    "Hicks"), else the mention without a possessive ending.
    """
    form = strip_possessive(text.strip().strip(",;:—–-").strip())
    words = _folded_words(form)
    if not words:
        return form, "unknown"
    parts = [p.strip() for p in re.split(r",|\(|\)| -- | — | – ", form) if p.strip()]
    # A named person described with a hearsay word is still that person:
    # "Erin Murphy, a former Clinton aide who ..." is Erin Murphy.
    first_name = person_name(strip_possessive(parts[0])) if parts else None
    if first_name and len(first_name.split()) >= 2:
        return first_name, "person"
    if " ".join(words) in CONVERTER_ANONYMOUS_WHOLE or any(w in CONVERTER_ANONYMOUS_WORDS for w in words):
        return form, "anonymous"
    for part in parts:
        # Only the head of a part can hold the speaker's name: "A spokeswoman
        # for Hillary Clinton" is not Clinton, "The Commission on Presidential
        # Debates" is no person; after "of" a full name may follow a title
        # ("Secretary of State John Kerry").
        part = re.split(r"\s+(?:for|at|in|from|with|to|by|on|about|against|who|that)\s+", part)[0]
        for number, piece in enumerate(re.split(r"\s+of\s+", part)):
            name = person_name(strip_possessive(piece))
            # After "of" a lone word is more often an organisation ("CEO of Hewlett-Packard").
            if name and (number == 0 or len(name.split()) >= 2):
                return name, "person"
    # The head of the first part decides between document, organisation and a
    # description: "a spokesman for the campaign" is not the campaign.
    head_text = re.split(r"\s+(?:for|of|at|with|from|in|on|to|who|that)\s+", parts[0] if parts else form)[0]
    head = _folded_words(head_text)
    if head and head[-1] in CONVERTER_DOCUMENT_WORDS:
        return form, "document"
    if head and (head[-1] in CONVERTER_PERSON_NOUNS or head[-1] in CONVERTER_TITLE_WORDS):
        return form, "unknown"
    if any(w in CONVERTER_ORG_WORDS for w in head) or any(_is_acronym(t) for t in _tokens(head_text)):
        return form, "organization"
    return form, "unknown"


def source_type(text: str) -> str:
    """person / organization / document / anonymous / unknown for a Source mention."""
    return analyse_mention(text)[1]


def grouping_key(core: str, kind: str) -> str:
    """Grouping key: the normalised name; a "Jr."/"Sr." suffix keeps a son apart from his father."""
    key = normalise_name(core) or core.lower()
    if kind == "person":
        last = core.split()[-1].lower().strip(".") if core.split() else ""
        if last in CONVERTER_NAME_SUFFIXES and not key.endswith(last):
            key = f"{key} {last}"
    return key
