"""The persons of an article, as speaker resolution sees them.

Entity clean-up (places and organisations the small tagger took for people
or the reverse, bare-surname mentions it missed), which person each mention
is (surname forms join the nearest earlier full name), each person's gender
as the article shows it (titles, first names, pronouns nearby), and salience:
whom a "he" or "she" most likely means. :class:`PersonIndex` holds all of it
for one article.
"""

from __future__ import annotations

import importlib.resources
import math
import re
from dataclasses import replace
from functools import lru_cache

from saidwho.lexicon import (
    ANONYMOUS_WORDS,
    DOCUMENT_HEADS,
    FEMALE_FORMS,
    FEMALE_TITLE_WORDS,
    MALE_FORMS,
    MALE_TITLE_WORDS,
    ORG_HEADS,
    PERSON_NOUNS,
    PERSON_TITLES,
    PRONOUN_AFTER_SPEECH_FORMS,
    PRONOUN_SPEECH_FORMS,
)
from saidwho.names import normalise_name, strip_possessive, surname
from saidwho.records import Entity

MALE_TITLES = re.compile(r"\b(" + "|".join(MALE_TITLE_WORDS) + r")\.?\s*$")
FEMALE_TITLES = re.compile(r"\b(" + "|".join(FEMALE_TITLE_WORDS) + r")\.?\s*$")
# How far back a pronoun looks for a person mentioned (not necessarily a speaker).
PRONOUN_REACH_CHARS = 2500
SALIENCE_DECAY_CHARS = 600
SPEAKER_BONUS = 0.5
# A main-clause subject is what the next sentence is most likely about
# ("Brill spoke after Vance left. 'We won,' he said." means Brill).
SUBJECT_BONUS = 0.5


class PersonIndex:
    """The persons of one article: its entities as the speaker stages read them
    (:func:`people_entities`), who each PERSON mention is (``keys``: offset ->
    person key, the normalised full name) and each person's gender as the
    article shows it (``gender``: key -> "m"/"f")."""

    def __init__(self, text: str, entities: list[Entity]):
        """``entities``: the tagger's, outside quotations, in text order."""
        self.text = text
        self.entities = people_entities(text, entities)
        self.keys = _person_keys(text, self.entities)
        self.gender = _gender_evidence(text, self.entities, self.keys)

    def salient(self, position: int, accept: set[str | None], spoken: set[str]) -> list[tuple[str, int]]:
        """Persons mentioned before ``position`` whose known gender is in ``accept``,
        most salient first, as (fullest name, its offset). Salience: every earlier
        mention counts, the nearer the more, a main-clause subject more; one who
        already spoke gets a bonus."""
        salience: dict[str, float] = {}
        fullest: dict[str, tuple[str, int]] = {}
        for e in self.entities:
            if e.start >= position or e.label != "PERSON" or position - e.start > PRONOUN_REACH_CHARS:
                continue
            name = strip_possessive(self.text[e.start : e.end])
            key = self.keys.get(e.start)
            if not key or self.gender.get(key) not in accept:
                continue
            weight = 1.0 + SUBJECT_BONUS if e.subject else 1.0
            salience[key] = salience.get(key, 0.0) + weight * math.exp(-(position - e.start) / SALIENCE_DECAY_CHARS)
            if key not in fullest or len(name) > len(fullest[key][0]):
                fullest[key] = (name, e.start)
        for key in salience:
            if key in spoken:
                salience[key] += SPEAKER_BONUS
        return [fullest[key] for key in sorted(salience, key=salience.get, reverse=True)]

    def person_between(self, start: int, end: int, gender: str, other_than: str) -> bool:
        """Whether another person who may be of that gender (known to be, or
        unknown) is mentioned between two offsets: then the pronoun may mean
        them rather than the recent speaker of unknown gender."""
        for e in self.entities:
            if start < e.start < end and e.label == "PERSON":
                key = self.keys.get(e.start, "")
                if key and key != other_than and self.gender.get(key) in (gender, None):
                    return True
        return False

    def earlier_full_name(self, last: str, position: int) -> str | None:
        """The nearest full name before ``position`` with this surname."""
        for e in reversed(self.entities):
            if e.start >= position or e.label != "PERSON":
                continue
            candidate = strip_possessive(self.text[e.start : e.end])
            if len(normalise_name(candidate).split()) > 1 and surname(candidate) == last:
                return candidate
        return None

    def surname_tagged_as_organisation(self, position: int) -> tuple[str, int] | None:
        """"Burton explained from a podium. 'I love cats,' he said.": with no person
        at all before the pronoun, the nearest one-word name the tagger took for an
        organisation ("Burton") is the person meant."""
        for e in reversed(self.entities):
            if e.start >= position or position - e.start > PRONOUN_REACH_CHARS or e.label != "ORG":
                continue
            word = strip_possessive(self.text[e.start : e.end])
            if " " not in word and not word.isupper() and looks_like_person_name(word) and word.lower().rstrip("s") not in common_words():
                return word, e.start
        return None


def people_entities(text: str, entities: list[Entity]) -> list[Entity]:
    """An article's entities as the speaker stages read them: places the tagger
    took for people and people it took for organisations relabelled, and bare
    surname mentions of named people added."""
    return _with_surname_mentions(text, _people_not_organisations(text, _places_not_people(text, entities)))


def _places_not_people(text: str, entities: list[Entity]) -> list[Entity]:
    """Relabel one-word "persons" the article uses as places ("lived on Skerra",
    "in Dunmore"): the small tagger often takes unfamiliar place names for people."""
    places = set()
    for e in entities:
        word = text[e.start : e.end]
        if e.label == "PERSON" and " " not in word.strip():
            if word.isupper() and len(word) > 3:
                places.add(word)  # "ROTTERDAM, Oct. 23 —": a dateline, not a person
            elif re.search(rf"\b(?:in|on|at|from|near|outside|across|to)\s+{re.escape(word)}\b", text):
                places.add(word)
    return [replace(e, label="GPE") if e.label == "PERSON" and text[e.start : e.end] in places else e for e in entities]


def _people_not_organisations(text: str, entities: list[Entity]) -> list[Entity]:
    """Relabel "organisations" that are a person's name ("Astrid Lunde", "Councillor
    Petra Lindqvist"): the small tagger takes some unfamiliar names for
    organisations. A common first name followed by one to three capitalised
    words, none an organisation word, is a person."""
    out = []
    for e in entities:
        if e.label in ("ORG", "GPE", "NORP") and _person_name_form(strip_possessive(text[e.start : e.end])):
            e = replace(e, label="PERSON")
        out.append(e)
    return out


def _person_name_form(name: str) -> bool:
    words = name.split()
    if words and words[0].rstrip(".").lower() in PERSON_TITLES:
        words = words[1:]
    return len(words) >= 2 and looks_like_person_name(" ".join(words)) and words[0].lower() in first_name_genders()


def _with_surname_mentions(text: str, entities: list[Entity]) -> list[Entity]:
    """Add bare-surname mentions the tagger missed ("Trump responded ..."): news
    names a person in full once and by surname after; each later surname
    occurrence counts as a PERSON mention, also where the tagger called it an
    organisation or a place."""
    covered = [(e.start, e.end) for e in entities]
    surnames = set()
    for e in entities:
        if e.label == "PERSON":
            words = strip_possessive(text[e.start : e.end]).split()
            if len(words) >= 2 and words[-1][:1].isupper() and len(words[-1]) > 2:
                surnames.add(words[-1])
    # "Brill said ..." tagged as an organisation after "Mayor Tom Brill": the person.
    entities = [
        replace(e, label="PERSON") if e.label in ("ORG", "GPE", "NORP") and strip_possessive(text[e.start : e.end]) in surnames else e
        for e in entities
    ]
    added = []
    for name in surnames:
        for m in re.finditer(rf"\b{re.escape(name)}\b", text):
            if any(s <= m.start() < e for s, e in covered):
                continue
            if re.search(r"\b[Tt]he\s+$", text[max(0, m.start() - 5) : m.start()]):
                continue  # "the Trump campaign": a modifier, not the person
            # "Carmen Reyes" untagged beside a tagged "Luis Reyes": the first
            # name belongs to the mention, or she would join him by surname.
            first = re.search(r"\b([A-Z][a-z]+)\s+$", text[max(0, m.start() - 20) : m.start()])
            start = m.start() - len(first.group(0)) if first and first.group(1).lower() in first_name_genders() else m.start()
            added.append(Entity(start, m.end(), "PERSON"))
    return sorted(entities + added, key=lambda e: e.start)


# A subject pronoun next to a speech verb ("..., she said") is usually the
# very pronoun being resolved and must not vote for itself; other uses count.
_GENDERED = re.compile(
    r"\b" + "".join(f"(?<!{verb} )" for verb in PRONOUN_AFTER_SPEECH_FORMS)
    + r"(" + "|".join(sorted(MALE_FORMS | FEMALE_FORMS)) + r")\b"
    + r"(?! (?:" + "|".join(PRONOUN_SPEECH_FORMS) + r")\b)",
    re.I,
)


@lru_cache(maxsize=1)
def first_name_genders() -> dict[str, str]:
    """Common first names and the gender they are used for ("hanna" -> "f"),
    from ``data/first_names.tsv`` (see tools/build_first_names.py)."""
    table = importlib.resources.files("saidwho") / "data" / "first_names.tsv"
    rows = (line.split("\t") for line in table.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#"))
    return {name: gender.strip() for name, gender in rows}


def _first_name_gender(name: str) -> str | None:
    """"m"/"f" for a full name whose first word is a common, clearly gendered first name."""
    words = [w for w in re.split(r"[\s.]+", name) if w]
    if len(words) < 2:
        return None  # a bare surname says nothing
    return first_name_genders().get(words[0].lower())


def title_gender(text: str, mention_start: int) -> str | None:
    """"m" or "f" when a gendered title (Mr., Ms., ...) stands right before a mention."""
    before = text[max(0, mention_start - 6) : mention_start]
    if MALE_TITLES.search(before):
        return "m"
    if FEMALE_TITLES.search(before):
        return "f"
    return None


def _person_keys(text: str, entities: list[Entity]) -> dict[int, str]:
    """For each PERSON mention (by start offset), the normalised full name of the
    person meant: a surname-only mention ("Ortiz", "Mr. Ortiz") belongs to the
    nearest earlier full name with that surname, so that Dana and Luis Ortiz
    stay two people."""
    keys: dict[int, str] = {}
    last_full: dict[str, str] = {}
    for e in entities:
        if e.label != "PERSON":
            continue
        start = e.start
        name = strip_possessive(text[e.start : e.end])
        key = normalise_name(name)
        last = surname(name)
        if not key or not last:
            continue
        if len(key.split()) > 1:
            last_full[last] = key
            keys[start] = key
        else:
            keys[start] = last_full.get(last, key)
    return keys


def _gender_evidence(text: str, entities: list[Entity], keys: dict[int, str]) -> dict[str, str]:
    """Gender of each person (by the key of :func:`_person_keys`) as the article itself shows it.

    Titles before a mention (Mr., Ms.) and a clearly gendered first name
    (``data/first_names.tsv``) count two votes each; the pronouns between
    a person's mention and the next person mentioned (at most 250
    characters), except a subject pronoun of a speech verb ("she said"):
    "Melanie Smith runs the shelter, and her volunteers ..." makes Smith
    "f". A name needs a clear majority.
    """
    persons = [(e.start, e.end) for e in entities if e.label == "PERSON"]
    votes: dict[str, list[int]] = {}
    first_mention: dict[str, int] = {}
    for n, (start, end) in enumerate(persons):
        key = keys.get(start)
        if not key:
            continue
        tally = votes.setdefault(key, [0, 0])
        title = title_gender(text, start)
        if title:
            tally[0 if title == "m" else 1] += 2
        given = _first_name_gender(key)
        if given and start == first_mention.setdefault(key, start):
            # Counted once per person, as much as a title: a nearby pronoun
            # that means someone else ("Fallon said she ...") must not flip
            # it, but a title or several pronouns of the other gender do.
            tally[0 if given == "m" else 1] += 2
        stop = min(persons[n + 1][0] if n + 1 < len(persons) else len(text), end + 250)
        for m in _GENDERED.finditer(text, end, stop):
            tally[0 if m.group(1).lower() in MALE_FORMS else 1] += 1
    return {
        name: ("m" if male > female else "f")
        for name, (male, female) in votes.items()
        if (max(male, female) >= 2 and max(male, female) >= 2 * min(male, female)) or min(male, female) == 0 < max(male, female)
    }


def past_lone_title(text: str, start: int, end: int) -> int:
    """The end of a name whose entity is a title alone ("Mr." in "Mr. Bos said"):
    past the capitalised words that follow it."""
    if text[start:end].rstrip(".").lower() not in PERSON_TITLES:
        return end
    m = re.match(r"\.?(\s+[A-Z][\w'’-]*)+", text[end:])
    return end + m.end() if m else end


def looks_like_person_name(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not any(
        w.lower().strip(".") in ORG_HEADS or w.lower().strip(".") in DOCUMENT_HEADS for w in words
    )


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    # Heads that are ordinary nouns, not names, when capitalised at a sentence start.
    return frozenset(w.rstrip("s") for w in ANONYMOUS_WORDS | ORG_HEADS | DOCUMENT_HEADS) | PERSON_NOUNS
