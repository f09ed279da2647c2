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
:mod:`saidwho.pipeline.descriptions`; what a title, a generic organisation
word or a pronoun stands for, and the registry's entries,
:mod:`saidwho.pipeline.source_lookups`; the word lists, :mod:`saidwho.lexicon`.

Scored by: speaker accuracy in :mod:`saidwho.evaluation.scoring`.
"""

from __future__ import annotations

import re

from saidwho.lexicon import CUT_SPAN_ENDINGS, DEMONSTRATIVES, GENERIC_ORG_HEADS, INDEFINITE_DETERMINERS, ON_RECORD_HEADS
from saidwho.names import is_pronoun, normalise_name, role_before_name, split_title, strip_possessive, surname, title_words
from saidwho.pipeline.component import Component
from saidwho.pipeline.datelines import dateline_spans
from saidwho.pipeline.descriptions import (
    REASON_CLAUSE,
    clean_description,
    description_type,
    has_content_word,
    hearsay_name,
    sentence_initial_word,
)
from saidwho.pipeline.parse import mention_kind_of_text
from saidwho.pipeline.people import PersonIndex, looks_like_person_name, past_lone_title, title_gender
from saidwho.pipeline.source_lookups import (
    DescriptionLookups,
    Entry,
    add_alias,
    entry_named,
    inside,
)
from saidwho.records import Article, Attribution, Entity, Mention, Source, Span

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
            (e for s in article.sentences for e in s.entities if not e.in_quotation and not inside(e.start, datelines)),
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


class SourceRegistry(DescriptionLookups):
    """The sources of one article as its attributions are resolved in reading
    order: names, their aliases and genders, who spoke last."""

    def __init__(self, people: PersonIndex, sentence_ends: list[int], datelines: list[Span] = ()):
        self.people = people
        self.datelines = list(datelines)
        self.text = people.text
        self.entities = people.entities
        self.entries: list[Entry] = []
        self.last_group: Entry | None = None  # who "they" most likely are
        self.last_singular: Entry | None = None  # who "it" most likely is: an organisation or a document
        self.sentence_number = 0
        self.sentence_ends = sentence_ends

    def sources(self) -> list[Source]:
        return [e.source for e in self.entries if e.last_seen >= 0]

    # -- entry point
    def resolve(self, attribution: Attribution, sentence_number: int) -> Entry | None:
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
                add_alias(entry, phrase)  # the cue as written: "reportedly", "critics argue"
            return self._touch(entry, span)
        if kind == "pronoun" or is_pronoun(mention_text):
            return self._touch(self._resolve_pronoun(mention_text.lower(), span[0]), span)
        start, end = span
        if attribution.via == "transcript":
            # "PENCE:" is a person's tag; "Pence" joins "Mike Pence" if named.
            tag = mention_text.title() if mention_text.isupper() else mention_text
            entry = self._find_or_add_name(tag, "person", start)
            add_alias(entry, mention_text)
            return self._touch(entry, span)
        named = _naming_entity(self.entities, start, end, mention.head, self.text)
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
                    add_alias(entry, phrase)
                    return self._touch(entry, span)
            entry = self._get_or_add(phrase, "anonymous" if phrase != group else "organization")
            add_alias(entry, group)
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

    def _resolve_named(self, named: Entity, start: int, end: int) -> Entry:
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
            add_alias(entry, alias)
        self._note_gender(entry, ent_start)
        return entry

    def _resolve_description(self, attribution: Attribution, mention: Mention, mention_text: str, start: int) -> Entry | None:
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
            add_alias(entry, description)
            cue = self.text[attribution.cue[0] : attribution.cue[1]] if attribution.cue else ""
            if cue and len(description.split()) <= 3:
                add_alias(entry, f"{description} {cue}")
            return entry
        if typ == "organization" and description.lower().startswith("the ") and head_word and len(description.split()) <= 3:
            # "the department" after "the National Meteorological Department": the
            # organisation named before whose name holds the head word (ANNOTATION.md 3).
            entry = self._named_organisation(head_word, start)
            if entry is None and head_word.lower() in GENERIC_ORG_HEADS:
                # "the company said" after "Harlow Motors": the latest organisation (class 5).
                entry = self._latest_organisation(head_word.lower(), start)
            if entry is not None:
                add_alias(entry, description)
                return entry
        if typ == "person" and description.lower().startswith("the "):
            # "the former secretary of state said": a definite description of a
            # person already in the story (ANNOTATION.md 3) joins that person.
            entry = self._described_person(description, start)
            if entry is not None:
                add_alias(entry, description)
                return entry
        if typ == "person" and role_before_name(description):
            # "GOP contender and former neurosurgeon Ben Carson responded": the name, with the role off it
            return self._find_or_add_name(description, typ, start)
        return self._get_or_add(description, typ)

    def _salient_before(self, position: int, accept: set[str | None]) -> list[tuple[str, int]]:
        spoken = {entry.key for entry in self.entries if entry.last_seen >= 0}
        return self.people.salient(position, accept, spoken)

    # -- names
    def _find_or_add_name(self, name: str, typ: str, position: int) -> Entry:
        split = role_before_name(name) if typ == "person" else None
        if split:
            # "former neurosurgeon Ben Carson": the role stays out of the name
            # (issue 21, class 4), kept as an alias.
            entry = self._find_or_add_name(split[1], typ, position)
            add_alias(entry, name)
            return entry
        key = normalise_name(name)
        last = surname(name) if typ == "person" else None
        found = entry_named(self.entries, key)
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
                    add_alias(entry, name)
                    return entry
        return self._add(name, typ)

    # -- genders
    def _note_gender(self, entry: Entry, mention_start: int) -> None:
        entry.gender = title_gender(self.text, mention_start) or entry.gender

    # -- bookkeeping
    def _get_or_add(self, name: str, typ: str) -> Entry:
        key = normalise_name(name) or name.lower()
        for entry in self.entries:
            if entry.key == key:
                return entry
        return self._add(name, typ)

    def _add(self, name: str, typ: str) -> Entry:
        written = name
        if typ == "person":
            # Job titles stay out of names ("Superintendent Karen Whitfield" is
            # Karen Whitfield); the titled form is an alias (issue 21, class 4).
            _, name = split_title(name)
        source = Source(id=f"s{len(self.entries) + 1}", name=name, type=typ, aliases=[written] if written != name else [])
        entry = Entry(source=source, key=normalise_name(name) or name.lower(), surname=surname(name) if typ == "person" else None)
        if typ == "person":
            entry.gender = self.people.gender.get(entry.key)
        self.entries.append(entry)
        return entry

    def _touch(self, entry: Entry | None, mention) -> Entry | None:
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


def _plural_word(word: str) -> bool:
    return word.lower().endswith("s") and not word.lower().endswith("ss")


def _outside_datelines(mention: Mention, datelines: list[Span], text: str) -> Mention:
    """A mention cut to the words after a dateline it starts in (a learned span
    "WASHINGTON -- President Obama"), or no mention if nothing is left."""
    if mention.span is None or not inside(mention.span[0], datelines):
        return mention
    end = next(stop for start, stop in datelines if start <= mention.span[0] < stop)
    words = text[end : mention.span[1]]
    if not words.strip():
        return Mention(None, None, None)
    start = end + len(words) - len(words.lstrip())
    clipped = text[start : mention.span[1]]
    return Mention((start, mention.span[1]), clipped, mention_kind_of_text(clipped), mention.head, mention.full)


def _join_namesake(entries: list[Entry], name: str, key: str, last: str, gender: str | None) -> Entry | None:
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
        add_alias(entry, entry.source.name)
        entry.source.name = name
        entry.key = key
    else:
        add_alias(entry, name)
    return entry


# The words between a head and a person it serves, not names ("spokesman for ").
_SERVED = re.compile(r"\s+(?:for|of|to|with|at|from|under)\s+(?:(?:the|Mr\.|Mrs\.|Ms\.|Dr\.)\s+)?$")


def _naming_entity(entities: list[Entity], start: int, end: int, head: Span | None, text: str = "") -> Entity | None:
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
        # "Mr. Trump's aides"): the aides speak, not McConnell. Nor does a
        # person the head serves ("a spokesman for Petra Lund", "an aide to
        # Mr. Hale"): only a name in apposition names the speaker.
        if e.label == "PERSON" and (head is None or e.start > head[0]) and not (
            head is not None and _SERVED.match(text[head[1] : e.start])
        ):
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


