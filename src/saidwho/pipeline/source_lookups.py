"""What a description or a pronoun stands for, and the entries of the source
registry (:class:`~saidwho.pipeline.speakers.SourceRegistry`): a bare title
("the Governor"), a generic organisation word ("the company"), a description
cut before its head ("A former"), a definite description of someone in the
story, he/she/they/it. Split out of :mod:`saidwho.pipeline.speakers`, which
resolves names and keeps the registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from saidwho.lexicon import CUT_SPAN_ENDINGS, FEMALE_PRONOUNS, MALE_PRONOUNS
from saidwho.names import is_pronoun, normalise_name, strip_possessive, titled_as, titled_name_pattern
from saidwho.pipeline.descriptions import REASON_CLAUSE, clean_description, described_gender
from saidwho.records import Attribution, Entity, Source, Span

# How many sentences back a speaker still counts as "the one who just spoke".
RECENT_SPEAKER_SENTENCES = 2


@dataclass
class Entry:
    """One source of the registry as it is being resolved: its comparable name
    key, surname and gender, and where it last spoke."""

    source: Source
    key: str
    surname: str | None
    gender: str | None = None
    last_seen: int = -1
    last_sentence: int = -1
    forms: list[str] = field(default_factory=list)


class DescriptionLookups:
    """The sources a description or a pronoun stands for, the base of
    :class:`~saidwho.pipeline.speakers.SourceRegistry` (it works on the registry's state:
    ``entries``, ``entities``, ``text``, ``datelines``, ``people``, and its
    ``_find_or_add_name`` / ``_get_or_add``)."""

    entries: list[Entry]
    entities: list[Entity]
    text: str
    datelines: list[Span]
    sentence_number: int

    def _named_organisation(self, head_word: str, position: int) -> Entry | None:
        """The latest organisation, a source already or an entity before ``position``, whose name holds ``head_word``."""
        holds = re.compile(rf"\b{re.escape(head_word)}\b", re.I)
        known = [e for e in self.entries if e.source.type == "organization" and holds.search(e.source.name)]
        if known:
            return max(known, key=lambda e: e.last_seen)
        named = organisation_named_before(self.entities, self.text, holds, head_word, position)
        return self._find_or_add_name(named[0], "organization", named[1]) if named else None

    def _latest_organisation(self, head_word: str, position: int) -> Entry | None:
        """The organisation spoken of last before ``position`` (a source, or an ORG
        entity nearer), if near (``GENERIC_REACH`` characters) and if its name does
        not say it is another kind of body ("the union" is not "the Maas Institute")."""
        known = [e for e in self.entries if e.source.type == "organization" and 0 <= e.last_seen < position]
        candidates = [(e.last_seen, e.source.name, e) for e in known]
        candidates += [(x.start, strip_possessive(self.text[x.start : x.end]), None) for x in self.entities
                       if x.label == "ORG" and x.end <= position and not inside(x.start, self.datelines)]
        if not candidates:
            return None
        start, name, entry = max(candidates, key=lambda c: c[0])
        if position - start > GENERIC_REACH or another_kind_of_body(name, head_word):
            return None
        return entry if entry is not None else self._find_or_add_name(name, "organization", start)

    def _titled_person(self, description: str, title: list[str], position: int) -> Entry | None:
        """The person a bare title stands for ("the Governor"): the latest before
        ``position`` of a source already given that title and a name written with
        it ("Gov. Ana Pereira"), else a person the description fits."""
        titled = [e for e in self.entries if e.source.type == "person" and 0 <= e.last_seen < position
                  and any(titled_as(form, title) for form in (e.source.name, *e.source.aliases))]
        entry = max(titled, key=lambda e: e.last_seen) if titled else None
        written = [m for m in titled_name_pattern(title).finditer(self.text, 0, position) if not inside(m.start(), self.datelines)]
        if written and (entry is None or written[-1].start() > entry.last_seen):
            entry = self._find_or_add_name(written[-1].group(0), "person", written[-1].start())
        if entry is None and description[:1].lower() == "t":  # "the governor": someone in the story
            entry = self._described_person(description, position)
        if entry is None:
            return self._get_or_add(description, "person")
        add_alias(entry, description)
        return entry

    def _completed_description(self, attribution: Attribution, start: int) -> str | None:
        """A cut description run on to its cue ("A former" + " high-ranking member of
        the government" before "said"), when the cue follows within the sentence."""
        if attribution.cue is None or attribution.cue[0] <= start:
            return None
        run = self.text[start : attribution.cue[0]]
        if re.search(r"[.!?;:\n“”\"]", run) or len(run.split()) > 12:
            return None
        description = clean_description(REASON_CLAUSE.sub("", run))
        if not description or description.split()[-1].lower() in CUT_SPAN_ENDINGS:
            return None
        return description

    def _described_person(self, description: str, position: int) -> Entry | None:
        """The person a definite description refers to: a recent speaker, else the
        most salient person named before it, of the gender its words show if any."""
        gender = described_gender(description)
        described = entry_named(self.entries, normalise_name(description))
        if described is not None:
            return described  # described this way before
        if gender is not None:
            return self._resolve_gendered(gender, position)
        recent = recent_persons(self.entries, {"m", "f", None}, self.sentence_number)
        if recent:
            return max(recent, key=lambda e: e.last_seen)
        for name, start in self._salient_before(position, {"m", "f", None}):
            return self._find_or_add_name(name, "person", start)
        return None

    def _resolve_pronoun(self, pronoun: str, position: int) -> Entry | None:
        if pronoun in MALE_PRONOUNS | FEMALE_PRONOUNS:
            return self._resolve_gendered("m" if pronoun in MALE_PRONOUNS else "f", position)
        # they / it / we: a group or organisation. A place speaks as "it"
        # (a government), hardly as "they".
        labels = ("ORG", "NORP") if pronoun == "they" else ("ORG", "NORP", "GPE")
        if pronoun == "it" and self.last_singular is not None:
            # "It says gusts could reach 150 km/h" after "Some residents" spoke: the
            # weather service or the report, not the residents (a plural group).
            return self.last_singular
        if pronoun != "it" and self.last_group is not None:
            return self.last_group
        for e in reversed(self.entities):
            if e.start < position and e.label in labels:
                return self._find_or_add_name(strip_possessive(self.text[e.start : e.end]), "organization", e.start)
        return None

    def _resolve_gendered(self, gender: str, position: int) -> Entry | None:
        """He/she: known gender first (from titles and the article's own pronouns),
        then unknown: a recent speaker ("he said" right after someone spoke),
        else the most salient earlier person mentioned."""
        recent = recent_persons(self.entries, {gender, None}, self.sentence_number)
        if recent:
            # The one who just spoke; of two, the one whose gender is known to fit.
            best = max(recent, key=lambda e: (e.gender == gender, e.last_seen))
            # Persons named in the recent speaker's own sentence ("Mathur
            # said Ivanka Trump's statement ...") are what was spoken about.
            since = max(best.last_seen, self.sentence_ends[best.last_sentence])
            if best.gender == gender or not self.people.person_between(since, position, gender, best.key):
                return best
        for accept in ({gender}, {None}):
            for name, start in self._salient_before(position, accept):
                entry = self._find_or_add_name(name, "person", start)
                self._note_gender(entry, start)
                if entry.gender in accept:
                    return entry
        persons = [e for e in self.entries if e.source.type == "person" and e.gender in (None, gender)]
        if persons:
            return max(persons, key=lambda e: e.last_seen)
        found = self.people.surname_tagged_as_organisation(position)
        if found is None:
            return None
        word, start = found
        return self._find_or_add_name(word, "person", start)


# How far back "the company" looks for the organisation it stands for.
GENERIC_REACH = 400
# Kinds of body, by the words of their names: "the union" never stands for an
# institute, nor "the company" for a ministry.
_BODY_KINDS = (
    frozenset("company firm corporation business carrier airline utility bank chain retailer manufacturer operator insurer "
              "publisher broadcaster group network inc corp ltd llc co motors lines energy".split()),
    frozenset("union association federation guild league alliance coalition".split()),
    frozenset("institute university department ministry agency council court committee party school hospital police "
              "government commission board office bureau authority administration senate congress parliament service".split()),
)


def another_kind_of_body(name: str, head_word: str) -> bool:
    """True when an organisation's name says it is another kind of body than ``head_word``."""
    words = {w.lower().strip(".,’'()") for w in name.split()}
    head_kinds = [kind for kind in _BODY_KINDS if head_word in kind]
    name_kinds = [kind for kind in _BODY_KINDS if words & kind]
    return bool(head_kinds and name_kinds) and not any(kind in name_kinds for kind in head_kinds)


def inside(offset: int, spans: list[Span]) -> bool:
    return any(start <= offset < end for start, end in spans)


def entry_named(entries: list[Entry], key: str) -> Entry | None:
    """The entry whose name or one of whose aliases normalises to ``key``."""
    for entry in entries:
        if entry.key == key or key in {normalise_name(a) for a in entry.source.aliases}:
            return entry
    return None


def recent_persons(entries: list[Entry], genders: set[str | None], sentence_number: int) -> list[Entry]:
    """Persons of those genders who spoke in the last few sentences."""
    return [
        e for e in entries
        if e.source.type == "person" and e.gender in genders and e.last_sentence >= 0
        and sentence_number - e.last_sentence <= RECENT_SPEAKER_SENTENCES
    ]


def organisation_named_before(entities: list[Entity], text: str, holds: re.Pattern, head_word: str, position: int) -> tuple[str, int] | None:
    """(name, offset) of the latest ORG entity before ``position`` whose name holds the head word."""
    for entity in reversed(entities):
        name = strip_possessive(text[entity.start : entity.end])
        if entity.start < position and entity.label == "ORG" and holds.search(name) and name.lower() != head_word.lower():
            return name, entity.start
    return None


def add_alias(entry: Entry, alias: str) -> None:
    alias = alias.strip()
    if not alias or is_pronoun(alias) or alias == entry.source.name or alias in entry.source.aliases:
        return
    entry.source.aliases.append(alias)
