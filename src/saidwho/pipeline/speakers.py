"""Speaker resolution: turn each attribution's mention into one entry of ``article.sources``.

Reads ``Sentence.attribution`` (from the attribution stage) and
``Sentence.entities`` (named entities of every parsed segment) and
writes ``article.sources`` and ``Sentence.speaker``.

- Names: a PERSON or ORG entity inside the mention names the source; an
  appositive or description around it becomes an alias. Surname and title
  forms ("Mr. Ortiz") join the source with that surname, else the nearest
  earlier full-name mention in the article.
- Pronouns: he/she go to the nearest earlier person whose known gender fits
  (from titles and from earlier pronouns), they/it/we to the last
  organisation or group that spoke, else the nearest earlier organisation.
- Descriptions: organisations ("the ministry"), documents ("the report"),
  or person descriptions ("a former minister"), one source each.
- Hearsay ("reportedly", "sources familiar with the talks"): one anonymous
  source per distinct phrase.

Who the persons of the article are (mentions, genders, salience) is
:mod:`saidwho.pipeline.people`; what a description is,
:mod:`saidwho.pipeline.descriptions`; the word lists, :mod:`saidwho.lexicon`.

Scored by: speaker accuracy in :mod:`saidwho.evaluation.scoring`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from saidwho.lexicon import (
    CUT_SPAN_ENDINGS,
    DEMONSTRATIVES,
    FEMALE_PRONOUNS,
    GENERIC_ORG_HEADS,
    INDEFINITE_DETERMINERS,
    ORG_HEADS,
    MALE_PRONOUNS,
    ON_RECORD_HEADS,
)
from saidwho.names import is_pronoun, normalise_name, split_title, strip_possessive, surname, title_words, titled_as, titled_name_pattern
from saidwho.pipeline.component import Component
from saidwho.pipeline.datelines import dateline_spans
from saidwho.pipeline.descriptions import (
    REASON_CLAUSE,
    clean_description,
    described_gender,
    description_type,
    has_content_word,
    hearsay_name,
    sentence_initial_word,
)
from saidwho.pipeline.parse import mention_kind_of_text
from saidwho.pipeline.people import PersonIndex, looks_like_person_name, past_lone_title, title_gender
from saidwho.records import Article, Attribution, Entity, Mention, Source, Span

# How many sentences back a speaker still counts as "the one who just spoke".
RECENT_SPEAKER_SENTENCES = 2


@dataclass
class _Entry:
    source: Source
    key: str
    surname: str | None
    gender: str | None = None
    last_seen: int = -1
    last_sentence: int = -1
    forms: list[str] = field(default_factory=list)


class SpeakerResolver(Component):
    """Pipeline component: resolves mentions to sources and sets ``Sentence.speaker``."""

    name = "speakers"
    reads = frozenset({"sentences", "attribution", "entities"})
    writes = frozenset({"sources"})
    scored_by = ("speaker_accuracy",)

    def predict(self, article: Article) -> tuple[list[Source], list[str | None]]:
        text = article.text
        # Entities inside quotations are not candidates for a speaker, nor
        # is a paragraph-opening dateline ("WASHINGTON —", "(Reuters)").
        datelines = dateline_spans(text, article.sentences)
        entities = sorted(
            (e for s in article.sentences for e in s.entities if not e.in_quotation and not _inside(e.start, datelines)),
            key=lambda e: e.start,
        )
        registry = SourceRegistry(PersonIndex(text, entities), [s.end for s in article.sentences], datelines)
        speakers: list[str | None] = []
        for number, sentence in enumerate(article.sentences):
            if sentence.attribution is None or not sentence.labelled:
                speakers.append(None)
                continue
            entry = registry.resolve(sentence.attribution, number)
            speakers.append(entry.source.id if entry else None)
        return registry.sources(), speakers

    def set_annotations(self, article: Article, result: tuple[list[Source], list[str | None]]) -> None:
        sources, speakers = result
        article.sources = sources
        for sentence, speaker in zip(article.sentences, speakers):
            sentence.speaker = speaker


class _DescriptionLookups:
    """The sources a description or a pronoun stands for, for :class:`SourceRegistry`
    (split out to keep the registry readable; it works on the registry's state:
    ``entries``, ``entities``, ``text``, ``datelines``, ``people``, and its
    ``_find_or_add_name`` / ``_get_or_add``)."""

    entries: list[_Entry]
    entities: list[Entity]
    text: str
    datelines: list[Span]
    sentence_number: int

    def _named_organisation(self, head_word: str, position: int) -> _Entry | None:
        """The latest organisation, a source already or an entity before ``position``, whose name holds ``head_word``."""
        holds = re.compile(rf"\b{re.escape(head_word)}\b", re.I)
        known = [e for e in self.entries if e.source.type == "organization" and holds.search(e.source.name)]
        if known:
            return max(known, key=lambda e: e.last_seen)
        named = _organisation_named_before(self.entities, self.text, holds, head_word, position)
        return self._find_or_add_name(named[0], "organization", named[1]) if named else None

    def _latest_organisation(self, head_word: str, position: int) -> _Entry | None:
        """The organisation spoken of last before ``position`` (a source, or an ORG
        entity nearer), if near (``GENERIC_REACH`` characters) and if its name does
        not say it is another kind of body ("the union" is not "the Maas Institute")."""
        known = [e for e in self.entries if e.source.type == "organization" and 0 <= e.last_seen < position]
        candidates = [(e.last_seen, e.source.name, e) for e in known]
        candidates += [(x.start, strip_possessive(self.text[x.start : x.end]), None) for x in self.entities
                       if x.label == "ORG" and x.end <= position and not _inside(x.start, self.datelines)]
        if not candidates:
            return None
        start, name, entry = max(candidates, key=lambda c: c[0])
        if position - start > GENERIC_REACH or _another_kind_of_body(name, head_word):
            return None
        return entry if entry is not None else self._find_or_add_name(name, "organization", start)

    def _titled_person(self, description: str, title: list[str], position: int) -> _Entry | None:
        """The person a bare title stands for ("the Governor"): the latest before
        ``position`` of a source already given that title and a name written with
        it ("Gov. Ana Pereira"), else a person the description fits."""
        titled = [e for e in self.entries if e.source.type == "person" and 0 <= e.last_seen < position
                  and any(titled_as(form, title) for form in (e.source.name, *e.source.aliases))]
        entry = max(titled, key=lambda e: e.last_seen) if titled else None
        written = [m for m in titled_name_pattern(title).finditer(self.text, 0, position) if not _inside(m.start(), self.datelines)]
        if written and (entry is None or written[-1].start() > entry.last_seen):
            entry = self._find_or_add_name(written[-1].group(0), "person", written[-1].start())
        if entry is None and description[:1].lower() == "t":  # "the governor": someone in the story
            entry = self._described_person(description, position)
        if entry is None:
            return self._get_or_add(description, "person")
        _add_alias(entry, description)
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

    def _described_person(self, description: str, position: int) -> _Entry | None:
        """The person a definite description refers to: a recent speaker, else the
        most salient person named before it, of the gender its words show if any."""
        gender = described_gender(description)
        described = _entry_named(self.entries, normalise_name(description))
        if described is not None:
            return described  # described this way before
        if gender is not None:
            return self._resolve_gendered(gender, position)
        recent = _recent_persons(self.entries, {"m", "f", None}, self.sentence_number)
        if recent:
            return max(recent, key=lambda e: e.last_seen)
        for name, start in self._salient_before(position, {"m", "f", None}):
            return self._find_or_add_name(name, "person", start)
        return None

    def _resolve_pronoun(self, pronoun: str, position: int) -> _Entry | None:
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

    def _resolve_gendered(self, gender: str, position: int) -> _Entry | None:
        """He/she: known gender first (from titles and the article's own pronouns),
        then unknown: a recent speaker ("he said" right after someone spoke),
        else the most salient earlier person mentioned."""
        recent = _recent_persons(self.entries, {gender, None}, self.sentence_number)
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


class SourceRegistry(_DescriptionLookups):
    """The sources of one article as its attributions are resolved in reading
    order: names, their aliases and genders, who spoke last."""

    def __init__(self, people: PersonIndex, sentence_ends: list[int], datelines: list[Span] = ()):
        self.people = people
        self.datelines = list(datelines)
        self.text = people.text
        self.entities = people.entities
        self.entries: list[_Entry] = []
        self.last_group: _Entry | None = None  # who "they" most likely are
        self.last_singular: _Entry | None = None  # who "it" most likely is: an organisation or a document
        self.sentence_number = 0
        self.sentence_ends = sentence_ends

    def sources(self) -> list[Source]:
        return [e.source for e in self.entries if e.last_seen >= 0]

    # -- entry point
    def resolve(self, attribution: Attribution, sentence_number: int) -> _Entry | None:
        """The source an attribution in the given sentence speaks for (None: unresolved)."""
        self.sentence_number = sentence_number
        mention = _outside_datelines(attribution.mention or Mention(None, None, None), self.datelines, self.text)
        span = mention.span
        kind = mention.kind
        if span is None and attribution.anonymous_phrase is None:
            return None
        mention_text = (mention.text or "").strip()
        if kind == "anonymous" or (span is None and attribution.anonymous_phrase):
            phrase = clean_description(attribution.anonymous_phrase or mention_text)
            name = hearsay_name(phrase)
            entry = self._get_or_add(name, "anonymous")
            if name != phrase:
                _add_alias(entry, phrase)  # the cue as written: "reportedly", "critics argue"
            return self._touch(entry, span)
        if kind == "pronoun" or is_pronoun(mention_text):
            return self._touch(self._resolve_pronoun(mention_text.lower(), span[0]), span)
        start, end = span
        if attribution.via == "transcript":
            # "PENCE:" is a person's tag; "Pence" joins "Mike Pence" if named.
            tag = mention_text.title() if mention_text.isupper() else mention_text
            entry = self._find_or_add_name(tag, "person", start)
            _add_alias(entry, mention_text)
            return self._touch(entry, span)
        named = _naming_entity(self.entities, start, end, mention.head)
        if named and named.label == "NORP":
            # "Many Democrats say", "Fellow Republicans are urging": a group
            # named by its whole phrase (ANNOTATION.md: one anonymous source
            # per phrase); the bare group word is an alias.
            phrase = clean_description(strip_possessive(self.text[start:end]))
            group = strip_possessive(self.text[named.start : named.end])
            if phrase.lower().startswith("the ") and len(phrase.split()) <= 3 and not _plural_word(group):
                # "The Democrat called it ...": one person of the story, never a
                # group named "The Democrat" (issue 21, class 7).
                entry = self._described_person(phrase, start)
                if entry is not None:
                    _add_alias(entry, phrase)
                    return self._touch(entry, span)
            entry = self._get_or_add(phrase, "anonymous" if phrase != group else "organization")
            _add_alias(entry, group)
            return self._touch(entry, span)
        if named:
            return self._touch(self._resolve_named(named, start, end), span)
        title = title_words(strip_possessive(mention_text))
        if title:
            # "the Governor said", "Mr." alone: a title is never a name; it stands
            # for the person the article gives that title (issue 21, class 4).
            return self._touch(self._titled_person(clean_description(mention_text), title, start), span)
        if kind == "name" and not sentence_initial_word(self.text, start, mention_text):
            # "Ana Ruiz, a spokeswoman for Harbour Lines": the name ends at the appositive's comma.
            name = strip_possessive(re.split(r",\s+(?=(?:a|an|the|who|its|his|her)\b)", mention_text, maxsplit=1)[0])
            typ = "person" if looks_like_person_name(name) else "organization"
            return self._touch(self._find_or_add_name(name, typ, start), span)
        return self._touch(self._resolve_description(attribution, mention, mention_text, start), span)

    def _resolve_named(self, named: Entity, start: int, end: int) -> _Entry:
        """The source an entity names, with the mention's title form and
        description as aliases ("Mr. Bos", "director of the association")."""
        ent_start, label = named.start, named.label
        # "Mr." tagged alone: the name is the title and the capitalised words after it.
        ent_end = past_lone_title(self.text, ent_start, named.end)
        name = strip_possessive(self.text[ent_start:ent_end])
        typ = "person" if label == "PERSON" or ent_end != named.end else "organization"
        title, proper = split_title(name)
        if typ == "organization" and title and looks_like_person_name(proper):
            typ = "person"  # "Superintendent Marta Lindqvist" tagged ORG: a title before a person's name
        entry = self._find_or_add_name(name, typ, ent_start)
        for alias in _name_aliases(self.text, start, end, name, ent_start, ent_end):
            _add_alias(entry, alias)
        self._note_gender(entry, ent_start)
        return entry

    def _resolve_description(self, attribution: Attribution, mention: Mention, mention_text: str, start: int) -> _Entry | None:
        """A description with no name in it: an anonymous group, a document or
        organisation, a person already in the story, or a new person."""
        description = clean_description(mention_text)
        if description.lower() in DEMONSTRATIVES or not has_content_word(description):
            # "All this has led him to fear ...", or a span cut to "the": no one to name.
            return None
        if description.split()[-1].lower() in CUT_SPAN_ENDINGS:
            # A span cut before its head noun ("A former" of "A former member of
            # the government said"): completed up to the cue, else no name at all.
            description = self._completed_description(attribution, start)
            if description is None:
                return None
        head_word = self.text[mention.head[0] : mention.head[1]] if mention.head else None
        typ = description_type(description, head_word)
        words = description.lower().split()
        head = (head_word or words[-1]).lower().strip(".,")
        if typ in ("person", "anonymous") and _on_record(words, head, description):
            typ = "person"  # "a spokeswoman for the ministry", "analysts at Carver Securities"
        elif typ == "person" and words[0] in INDEFINITE_DETERMINERS:
            # "A district employee who was not authorized to speak": someone the
            # article does not identify is an anonymous source (ANNOTATION.md 3).
            typ = "anonymous"
        if typ == "anonymous":
            # An anonymous source is named by its whole phrase ("officials who
            # asked not to be named"); the short form and "X say" are aliases.
            # The reason for the anonymity is not part of the name ("... who asked
            # not to be named because the talks are confidential").
            full = clean_description(REASON_CLAUSE.sub("", mention.full or description))
            entry = self._get_or_add(full if len(full) <= 100 else description, typ)
            _add_alias(entry, description)
            cue = self.text[attribution.cue[0] : attribution.cue[1]] if attribution.cue else ""
            if cue and len(description.split()) <= 3:
                _add_alias(entry, f"{description} {cue}")
            return entry
        if typ == "organization" and description.lower().startswith("the ") and head_word and len(description.split()) <= 3:
            # "the department" after "the National Meteorological Department": the
            # organisation named before whose name holds the head word (ANNOTATION.md 3).
            entry = self._named_organisation(head_word, start)
            if entry is None and head_word.lower() in GENERIC_ORG_HEADS:
                # "the company said" after "Harlow Motors": the latest organisation (class 5).
                entry = self._latest_organisation(head_word.lower(), start)
            if entry is not None:
                _add_alias(entry, description)
                return entry
        if typ == "person" and description.lower().startswith("the "):
            # "the former secretary of state said": a definite description of a
            # person already in the story (ANNOTATION.md 3) joins that person.
            entry = self._described_person(description, start)
            if entry is not None:
                _add_alias(entry, description)
                return entry
        return self._get_or_add(description, typ)

    def _salient_before(self, position: int, accept: set[str | None]) -> list[tuple[str, int]]:
        spoken = {entry.key for entry in self.entries if entry.last_seen >= 0}
        return self.people.salient(position, accept, spoken)

    # -- names
    def _find_or_add_name(self, name: str, typ: str, position: int) -> _Entry:
        key = normalise_name(name)
        last = surname(name) if typ == "person" else None
        found = _entry_named(self.entries, key)
        gender = title_gender(self.text, position) if typ == "person" and len(key.split()) == 1 else None
        if found is not None and not (gender and found.gender not in (gender, None)):
            return found
        if typ == "person" and last:
            entry = _join_namesake(self.entries, name, key, last, gender)
            if entry is not None:
                return entry
            if len(key.split()) == 1:
                fuller = self.people.earlier_full_name(last, position)
                if fuller:
                    entry = self._add(fuller, "person")
                    _add_alias(entry, name)
                    return entry
        return self._add(name, typ)

    # -- genders
    def _note_gender(self, entry: _Entry, mention_start: int) -> None:
        entry.gender = title_gender(self.text, mention_start) or entry.gender

    # -- bookkeeping
    def _get_or_add(self, name: str, typ: str) -> _Entry:
        key = normalise_name(name) or name.lower()
        for entry in self.entries:
            if entry.key == key:
                return entry
        return self._add(name, typ)

    def _add(self, name: str, typ: str) -> _Entry:
        written = name
        if typ == "person":
            # Job titles stay out of names ("Superintendent Karen Whitfield" is
            # Karen Whitfield); the titled form is an alias (issue 21, class 4).
            _, name = split_title(name)
        source = Source(id=f"s{len(self.entries) + 1}", name=name, type=typ, aliases=[written] if written != name else [])
        entry = _Entry(source=source, key=normalise_name(name) or name.lower(), surname=surname(name) if typ == "person" else None)
        if typ == "person":
            entry.gender = self.people.gender.get(entry.key)
        self.entries.append(entry)
        return entry

    def _touch(self, entry: _Entry | None, mention) -> _Entry | None:
        if entry is None:
            return None
        entry.last_seen = mention[0] if mention else max(0, entry.last_seen)
        entry.last_sentence = self.sentence_number
        if entry.source.type in ("organization", "anonymous"):
            self.last_group = entry
        if entry.source.type in ("organization", "document"):
            self.last_singular = entry
        return entry


def _on_record(words: list[str], head: str, description: str) -> bool:
    """An unnamed person speaking for a named body: a spokesperson "for"/"of" any
    body, or an analyst, economist, ... "at"/"with"/"from" a capitalised one."""
    if head not in ON_RECORD_HEADS:
        return False
    if head.startswith("spokes") or head.startswith("representative"):
        return any(w in ("for", "of", "at") for w in words[words.index(head) + 1 :] if head in words)
    return bool(re.search(r"\b(at|with|from|of)\s+(the\s+)?[A-Z]", description))


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


def _another_kind_of_body(name: str, head_word: str) -> bool:
    """True when an organisation's name says it is another kind of body than ``head_word``."""
    words = {w.lower().strip(".,’'()") for w in name.split()}
    head_kinds = [kind for kind in _BODY_KINDS if head_word in kind]
    name_kinds = [kind for kind in _BODY_KINDS if words & kind]
    return bool(head_kinds and name_kinds) and not any(kind in name_kinds for kind in head_kinds)


def _plural_word(word: str) -> bool:
    return word.lower().endswith("s") and not word.lower().endswith("ss")


def _inside(offset: int, spans: list[Span]) -> bool:
    return any(start <= offset < end for start, end in spans)


def _outside_datelines(mention: Mention, datelines: list[Span], text: str) -> Mention:
    """A mention cut to the words after a dateline it starts in (a learned span
    "WASHINGTON -- President Obama"), or no mention if nothing is left."""
    if mention.span is None or not _inside(mention.span[0], datelines):
        return mention
    end = next(stop for start, stop in datelines if start <= mention.span[0] < stop)
    words = text[end : mention.span[1]]
    if not words.strip():
        return Mention(None, None, None)
    start = end + len(words) - len(words.lstrip())
    clipped = text[start : mention.span[1]]
    return Mention((start, mention.span[1]), clipped, mention_kind_of_text(clipped), mention.head, mention.full)


def _entry_named(entries: list[_Entry], key: str) -> _Entry | None:
    """The entry whose name or one of whose aliases normalises to ``key``."""
    for entry in entries:
        if entry.key == key or key in {normalise_name(a) for a in entry.source.aliases}:
            return entry
    return None


def _recent_persons(entries: list[_Entry], genders: set[str | None], sentence_number: int) -> list[_Entry]:
    """Persons of those genders who spoke in the last few sentences."""
    return [
        e for e in entries
        if e.source.type == "person" and e.gender in genders and e.last_sentence >= 0
        and sentence_number - e.last_sentence <= RECENT_SPEAKER_SENTENCES
    ]


def _organisation_named_before(entities: list[Entity], text: str, holds: re.Pattern, head_word: str, position: int) -> tuple[str, int] | None:
    """(name, offset) of the latest ORG entity before ``position`` whose name holds the head word."""
    for entity in reversed(entities):
        name = strip_possessive(text[entity.start : entity.end])
        if entity.start < position and entity.label == "ORG" and holds.search(name) and name.lower() != head_word.lower():
            return name, entity.start
    return None


def _join_namesake(entries: list[_Entry], name: str, key: str, last: str, gender: str | None) -> _Entry | None:
    """The person a name joins by surname, if any: only where one side is a bare
    surname or title form ("Luis Ortiz" and "Dana Ortiz" are two people), and
    of the title's gender where it shows one ("Ms. Reyes" after Luis and Carmen
    Reyes). A fuller form becomes the name, the old one an alias."""
    same = [
        e for e in entries
        if e.surname == last and e.source.type == "person" and (len(key.split()) == 1 or len(e.key.split()) == 1)
    ]
    if gender:
        same = [e for e in same if e.gender in (gender, None)] or same
    if not same:
        return None
    entry = max(same, key=lambda e: e.last_seen)
    if len(key.split()) > len(entry.key.split()):
        _add_alias(entry, entry.source.name)
        entry.source.name = name
        entry.key = key
    else:
        _add_alias(entry, name)
    return entry


def _naming_entity(entities: list[Entity], start: int, end: int, head: Span | None) -> Entity | None:
    """The entity that names the mention: the one holding its head word
    ("the Kremlin"), else a person in apposition ("a Twitter spokesman,
    Christopher Abboud"). A place or group inside a description ("the
    former Florida governor") does not name it."""
    inside = [e for e in entities if e.start >= start and e.end <= end]
    if head is not None:
        for e in inside:
            if e.start <= head[0] < e.end and e.label in ("PERSON", "ORG", "GPE", "NORP"):
                return e
    for e in inside:
        # A person named before the head word modifies it ("McConnell aides",
        # "Mr. Trump's aides"): the aides speak, not McConnell.
        if e.label == "PERSON" and (head is None or e.start > head[0]):
            return e
    if head is None:
        for e in inside:
            if e.label == "ORG":
                return e
    return None


def _name_aliases(text: str, start: int, end: int, name: str, ent_start: int, ent_end: int) -> list[str]:
    """Other forms a mention gives a name: its title form ("Mr. Bos") and the
    description beside it ("director of the association")."""
    aliases = []
    mention_text_clean = strip_possessive(text[start:end])
    if mention_text_clean != name and normalise_name(mention_text_clean) == normalise_name(name):
        aliases.append(mention_text_clean)  # the title form, "Mr. Bos"
    rest = clean_description(text[start:end].replace(text[ent_start:ent_end], " "))
    rest = re.split(r",|\b(who|which|that)\b", rest)[0].strip()
    if rest and len(rest.split()) >= 2 and rest.lower() not in ("the", "a"):
        aliases.append(rest)
    return aliases


def _add_alias(entry: _Entry, alias: str) -> None:
    alias = alias.strip()
    if not alias or is_pronoun(alias) or alias == entry.source.name or alias in entry.source.aliases:
        return
    entry.source.aliases.append(alias)
