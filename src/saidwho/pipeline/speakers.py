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

Scored by: speaker accuracy in :mod:`saidwho.evaluation.scoring`.
"""

from __future__ import annotations

import importlib.resources
import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from saidwho.names import is_pronoun, normalise_name, strip_possessive, surname
from saidwho.pipeline.component import Component
from saidwho.records import Article, Attribution, Entity, Mention, Source, Span

DOCUMENT_HEADS = frozenset(
    "report study statement document survey poll filing lawsuit letter memo memorandum analysis review audit "
    "complaint indictment ruling order release paper book article data figures record records email emails "
    "transcript slide presentation research findings studies analyses surveys polls reports documents tweet "
    "tweets video ad advertisement cable dossier".split()
)
ORG_HEADS = frozenset(
    "ministry government department agency company firm campaign committee party administration council "
    "court police authority authorities union commission office board bank group organization organisation "
    "association institute university team club house senate congress cabinet army military network station "
    "newspaper magazine paper white_house spokesman_office fund foundation coalition alliance embassy "
    "service bureau federation parliament regime state states city county school hospital "
    "utility utilities operator airline carrier insurer regulator watchdog charity municipality broadcaster "
    "publisher laboratory lab centre center tribunal panel inspectorate directorate secretariat".split()
)
ANONYMOUS_WORDS = frozenset(
    "source sources official officials insider insiders aide aides people person critics observers analysts "
    "experts some many others reports report diplomats residents witnesses reportedly allegedly purportedly "
    "supposedly apparently someone somebody anyone anybody".split()
)
# Nouns that show a described person's gender ("the congresswoman").
FEMALE_NOUNS = frozenset("woman mother wife daughter sister girl lady actress chairwoman congresswoman businesswoman spokeswoman grandmother".split())
MALE_NOUNS = frozenset("man father husband son brother boy actor chairman congressman businessman spokesman grandfather".split())
# Heads of quantity phrases: "a dozen", "another 19 percent", "the majority".
QUANTITY_HEADS = frozenset(
    "dozen dozens percent per cent majority minority half third quarter fifth number handful score scores hundreds "
    "thousands millions one two three four five six seven eight nine ten".split()
)
DEMONSTRATIVES = frozenset({"this", "that", "these", "those", "all this", "all that"})
MALE_TITLES = re.compile(r"\b(Mr|Sir|Lord|King|Prince|Father|Rev)\.?\s*$")
FEMALE_TITLES = re.compile(r"\b(Mrs|Ms|Miss|Madam|Lady|Queen|Dame|Sister)\.?\s*$")
MALE_PRONOUNS = {"he", "him", "his"}
# Titles that may stand before a person's name inside an entity ("Councillor Petra Lindqvist").
PERSON_TITLES = frozenset(
    "mr mrs ms miss dr prof sir dame lord lady councillor councilman councilwoman mayor senator sen rep "
    "representative governor gov president minister chancellor judge justice general gen colonel col "
    "captain capt sergeant sgt officer detective inspector father rev reverend rabbi imam sheikh "
    "del delegate amb ambassador secretary commissioner lt adm".split()
)
# Words that cannot name a source on their own ("the", "and": a learned span cut short).
FUNCTION_WORDS = frozenset("the a an and or of to in on at for by with from his her their its this that what who whom which each".split())
# How many sentences back a speaker still counts as "the one who just spoke".
RECENT_SPEAKER_SENTENCES = 2
# How far back a pronoun looks for a person mentioned (not necessarily a speaker).
PRONOUN_REACH_CHARS = 2500
SALIENCE_DECAY_CHARS = 600
SPEAKER_BONUS = 0.5
# A main-clause subject is what the next sentence is most likely about
# ("Brill spoke after Vance left. 'We won,' he said." means Brill).
SUBJECT_BONUS = 0.5
FEMALE_PRONOUNS = {"she", "her", "hers"}


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
        # Entities inside quotations are not candidates for a speaker.
        entities = sorted(
            (e for s in article.sentences for e in s.entities if not e.in_quotation),
            key=lambda e: e.start,
        )
        registry = SourceRegistry(text, people_entities(text, entities), [s.end for s in article.sentences])
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



class SourceRegistry:
    """The sources of one article as its attributions are resolved in reading
    order: names, their aliases and genders, who spoke last."""

    def __init__(self, text: str, entities: list[Entity], sentence_ends: list[int]):
        self.text = text
        self.entities = entities
        self.entries: list[_Entry] = []
        self.last_group: _Entry | None = None  # who "they" most likely are
        self.last_singular: _Entry | None = None  # who "it" most likely is: an organisation or a document
        self.person_keys, self.gender_evidence = person_index(text, entities)
        self.sentence_number = 0
        self.sentence_ends = sentence_ends

    def sources(self) -> list[Source]:
        return [e.source for e in self.entries if e.last_seen >= 0]

    # -- entry point
    def resolve(self, attribution: Attribution, sentence_number: int) -> _Entry | None:
        """The source an attribution in the given sentence speaks for (None: unresolved)."""
        self.sentence_number = sentence_number
        mention = attribution.mention or Mention(None, None, None)
        span = mention.span
        kind = mention.kind
        if span is None and attribution.anonymous_phrase is None:
            return None
        mention_text = (mention.text or "").strip()
        if kind == "anonymous" or (span is None and attribution.anonymous_phrase):
            phrase = _clean_description(attribution.anonymous_phrase or mention_text)
            name = _hearsay_name(phrase)
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
            phrase = _clean_description(strip_possessive(self.text[start:end]))
            group = strip_possessive(self.text[named.start : named.end])
            entry = self._get_or_add(phrase, "anonymous" if phrase != group else "organization")
            _add_alias(entry, group)
            return self._touch(entry, span)
        if named:
            return self._touch(self._resolve_named(named, start, end), span)
        if kind == "name" and not _sentence_initial_word(self.text, start, mention_text):
            name = strip_possessive(mention_text)
            typ = "person" if _looks_like_person_name(name) else "organization"
            return self._touch(self._find_or_add_name(name, typ, start), span)
        return self._touch(self._resolve_description(attribution, mention, mention_text, start), span)

    def _resolve_named(self, named: Entity, start: int, end: int) -> _Entry:
        """The source an entity names, with the mention's title form and
        description as aliases ("Mr. Bos", "director of the association")."""
        ent_start, label = named.start, named.label
        # "Mr." tagged alone: the name is the title and the capitalised words after it.
        ent_end = _past_lone_title(self.text, ent_start, named.end)
        name = strip_possessive(self.text[ent_start:ent_end])
        typ = "person" if label == "PERSON" or ent_end != named.end else "organization"
        entry = self._find_or_add_name(name, typ, ent_start)
        for alias in _name_aliases(self.text, start, end, name, ent_start, ent_end):
            _add_alias(entry, alias)
        self._note_gender(entry, ent_start)
        return entry

    def _resolve_description(self, attribution: Attribution, mention: Mention, mention_text: str, start: int) -> _Entry | None:
        """A description with no name in it: an anonymous group, a document or
        organisation, a person already in the story, or a new person."""
        description = _clean_description(mention_text)
        if description.lower() in DEMONSTRATIVES or not _has_content_word(description):
            # "All this has led him to fear ...", or a span cut to "the": no one to name.
            return None
        head_word = self.text[mention.head[0] : mention.head[1]] if mention.head else None
        typ = _description_type(description, head_word)
        if typ == "anonymous":
            # An anonymous source is named by its whole phrase ("officials who
            # asked not to be named"); the short form and "X say" are aliases.
            # The reason for the anonymity is not part of the name ("... who asked
            # not to be named because the talks are confidential").
            full = _clean_description(_REASON_CLAUSE.sub("", mention.full or description))
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

    def _named_organisation(self, head_word: str, position: int) -> _Entry | None:
        """The latest organisation, a source already or an entity before ``position``, whose name holds ``head_word``."""
        holds = re.compile(rf"\b{re.escape(head_word)}\b", re.I)
        known = [e for e in self.entries if e.source.type == "organization" and holds.search(e.source.name)]
        if known:
            return max(known, key=lambda e: e.last_seen)
        named = _organisation_named_before(self.entities, self.text, holds, head_word, position)
        return self._find_or_add_name(named[0], "organization", named[1]) if named else None

    def _described_person(self, description: str, position: int) -> _Entry | None:
        """The person a definite description refers to: a recent speaker, else the
        most salient person named before it, of the gender its words show if any."""
        gender = _described_gender(description)
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

    def _salient_before(self, position: int, accept: set[str | None]) -> list[tuple[str, int]]:
        spoken = {entry.key for entry in self.entries if entry.last_seen >= 0}
        return _salient_persons(self.text, self.entities, self.person_keys, self.gender_evidence, position, accept, spoken)

    # -- names
    def _find_or_add_name(self, name: str, typ: str, position: int) -> _Entry:
        key = normalise_name(name)
        last = surname(name) if typ == "person" else None
        found = _entry_named(self.entries, key)
        gender = _title_gender(self.text, position) if typ == "person" and len(key.split()) == 1 else None
        if found is not None and not (gender and found.gender not in (gender, None)):
            return found
        if typ == "person" and last:
            entry = _join_namesake(self.entries, name, key, last, gender)
            if entry is not None:
                return entry
            if len(key.split()) == 1:
                fuller = _earlier_full_name(self.text, self.entities, last, position)
                if fuller:
                    entry = self._add(fuller, "person")
                    _add_alias(entry, name)
                    return entry
        return self._add(name, typ)

    # -- pronouns
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
            if best.gender == gender or not _person_between(self.entities, self.person_keys, self.gender_evidence, since, position, gender, best.key):
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
        found = _surname_tagged_as_organisation(self.text, self.entities, position)
        if found is None:
            return None
        word, start = found
        return self._find_or_add_name(word, "person", start)

    def _note_gender(self, entry: _Entry, mention_start: int) -> None:
        entry.gender = _title_gender(self.text, mention_start) or entry.gender

    # -- bookkeeping
    def _get_or_add(self, name: str, typ: str) -> _Entry:
        key = normalise_name(name) or name.lower()
        for entry in self.entries:
            if entry.key == key:
                return entry
        return self._add(name, typ)

    def _add(self, name: str, typ: str) -> _Entry:
        source = Source(id=f"s{len(self.entries) + 1}", name=name, type=typ, aliases=[])
        entry = _Entry(source=source, key=normalise_name(name) or name.lower(), surname=surname(name) if typ == "person" else None)
        if typ == "person":
            entry.gender = self.gender_evidence.get(entry.key)
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



def _described_gender(description: str) -> str | None:
    """"f" or "m" where a description's words show a gender ("the congresswoman")."""
    words = set(re.findall(r"[a-z]+", description.lower()))
    return "f" if words & FEMALE_NOUNS else "m" if words & MALE_NOUNS else None


def _name_aliases(text: str, start: int, end: int, name: str, ent_start: int, ent_end: int) -> list[str]:
    """Other forms a mention gives a name: its title form ("Mr. Bos") and the
    description beside it ("director of the association")."""
    aliases = []
    mention_text_clean = strip_possessive(text[start:end])
    if mention_text_clean != name and normalise_name(mention_text_clean) == normalise_name(name):
        aliases.append(mention_text_clean)  # the title form, "Mr. Bos"
    rest = _clean_description(text[start:end].replace(text[ent_start:ent_end], " "))
    rest = re.split(r",|\b(who|which|that)\b", rest)[0].strip()
    if rest and len(rest.split()) >= 2 and rest.lower() not in ("the", "a"):
        aliases.append(rest)
    return aliases


def _earlier_full_name(text: str, entities: list[Entity], last: str, position: int) -> str | None:
    """The nearest full name before ``position`` with this surname."""
    for e in reversed(entities):
        if e.start >= position or e.label != "PERSON":
            continue
        candidate = strip_possessive(text[e.start : e.end])
        if len(normalise_name(candidate).split()) > 1 and surname(candidate) == last:
            return candidate
    return None


def _surname_tagged_as_organisation(text: str, entities: list[Entity], position: int) -> tuple[str, int] | None:
    """"Burton explained from a podium. 'I love cats,' he said.": with no person
    at all before the pronoun, the nearest one-word name the tagger took for an
    organisation ("Burton") is the person meant."""
    for e in reversed(entities):
        if e.start >= position or position - e.start > PRONOUN_REACH_CHARS or e.label != "ORG":
            continue
        word = strip_possessive(text[e.start : e.end])
        if " " not in word and not word.isupper() and _looks_like_person_name(word) and word.lower().rstrip("s") not in _common_words():
            return word, e.start
    return None


def _person_between(entities: list[Entity], person_keys: dict[int, str], gender_evidence: dict[str, str], start: int, end: int, gender: str, other_than: str) -> bool:
    """Whether another person who may be of that gender (known to be, or
    unknown) is mentioned between two offsets: then the pronoun may mean
    them rather than the recent speaker of unknown gender."""
    for e in entities:
        if start < e.start < end and e.label == "PERSON":
            key = person_keys.get(e.start, "")
            if key and key != other_than and gender_evidence.get(key) in (gender, None):
                return True
    return False



def _salient_persons(
    text: str, entities: list[Entity], person_keys: dict[int, str], gender_evidence: dict[str, str],
    position: int, accept: set[str | None], spoken: set[str],
) -> list[tuple[str, int]]:
    """Persons mentioned before ``position`` whose known gender is in ``accept``,
    most salient first, as (fullest name, its offset). Salience: every earlier
    mention counts, the nearer the more, a main-clause subject more; one who
    already spoke gets a bonus."""
    salience: dict[str, float] = {}
    fullest: dict[str, tuple[str, int]] = {}
    for e in entities:
        if e.start >= position or e.label != "PERSON" or position - e.start > PRONOUN_REACH_CHARS:
            continue
        name = strip_possessive(text[e.start : e.end])
        key = person_keys.get(e.start)
        if not key or gender_evidence.get(key) not in accept:
            continue
        weight = 1.0 + SUBJECT_BONUS if e.subject else 1.0
        salience[key] = salience.get(key, 0.0) + weight * math.exp(-(position - e.start) / SALIENCE_DECAY_CHARS)
        if key not in fullest or len(name) > len(fullest[key][0]):
            fullest[key] = (name, e.start)
    for key in salience:
        if key in spoken:
            salience[key] += SPEAKER_BONUS
    return [fullest[key] for key in sorted(salience, key=salience.get, reverse=True)]


# Hearsay whose phrase is an adverb or a verb ("reportedly", "reports emerged",
# "is said to") names no one: it reads as "unnamed reports" (ANNOTATION.md 3).
_REPORTS_HEARSAY = re.compile(
    r"^(reportedly|allegedly|purportedly|supposedly|apparently|rumou?redly|ostensibly)$"
    r"|^(reports?|rumou?rs?|word)\b"
    r"|^(it )?(is|are|was|were|has been) (said|reported|believed|thought|understood|alleged|rumou?red|claimed)\b",
    re.I,
)
_TRAILING_SPEECH_VERB = re.compile(r"\s+(say|says|said|argue|argued|believe|believed|claim|claimed|contend|contended|suggest|suggested|told|warn|warned)$", re.I)
_BARE_QUANTIFIERS = {"some": "some people", "many": "many people", "others": "others"}


_REASON_CLAUSE = re.compile(r",?\s+(because|since|as they|as he|as she|in order to|for fear)\b.*$", re.I | re.S)


def _hearsay_name(phrase: str) -> str:
    """A readable source name for a hearsay phrase: "unnamed reports" for an adverb
    or a verb phrase, else the group without its verb ("critics argue" -> "critics")."""
    if _REPORTS_HEARSAY.search(phrase):
        return "unnamed reports"
    group = _TRAILING_SPEECH_VERB.sub("", phrase).strip() or phrase
    return _BARE_QUANTIFIERS.get(group.lower(), group)


def _has_content_word(text: str) -> bool:
    return any(w.strip(".,;:'’\"“”()").lower() not in FUNCTION_WORDS for w in text.split() if any(c.isalpha() for c in w))


def _past_lone_title(text: str, start: int, end: int) -> int:
    """The end of a name whose entity is a title alone ("Mr." in "Mr. Bos said"):
    past the capitalised words that follow it."""
    if text[start:end].rstrip(".").lower() not in PERSON_TITLES:
        return end
    m = re.match(r"\.?(\s+[A-Z][\w'’-]*)+", text[end:])
    return end + m.end() if m else end


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


def people_entities(text: str, entities: list[Entity]) -> list[Entity]:
    """An article's entities as the speaker stages read them: places the tagger
    took for people and people it took for organisations relabelled, and bare
    surname mentions of named people added."""
    return _with_surname_mentions(text, _people_not_organisations(text, _places_not_people(text, entities)))


def person_index(text: str, entities: list[Entity]) -> tuple[dict[int, str], dict[str, str]]:
    """Who each PERSON entity is (offset -> person key) and each person's known gender."""
    keys = _person_keys(text, entities)
    return keys, _gender_evidence(text, entities, keys)


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
    return len(words) >= 2 and _looks_like_person_name(" ".join(words)) and words[0].lower() in first_name_genders()


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
    r"\b(?<!said )(?<!says )(?<!added )(he|him|his|himself|she|her|hers|herself)\b"
    r"(?! (?:said|says|added|told|asked|explained|noted|wrote|argued|continued)\b)",
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


def _title_gender(text: str, mention_start: int) -> str | None:
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
        title = _title_gender(text, start)
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
            tally[0 if m.group(1).lower() in ("he", "him", "his", "himself") else 1] += 1
    return {
        name: ("m" if male > female else "f")
        for name, (male, female) in votes.items()
        if (max(male, female) >= 2 and max(male, female) >= 2 * min(male, female)) or min(male, female) == 0 < max(male, female)
    }


def _add_alias(entry: _Entry, alias: str) -> None:
    alias = alias.strip()
    if not alias or is_pronoun(alias) or alias == entry.source.name or alias in entry.source.aliases:
        return
    entry.source.aliases.append(alias)


def _clean_description(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:—–-")
    return text


def _description_type(description: str, head_word: str | None = None) -> str:
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


def _sentence_initial_word(text: str, start: int, mention: str) -> bool:
    """A one-word mention capitalised only because it starts the sentence ("Economists warned")."""
    if len(mention.split()) != 1 or not mention[:1].isupper():
        return False
    before = text[max(0, start - 3) : start].rstrip(" “\"'‘")
    return (not before or before[-1] in ".!?\n") and mention.lower().rstrip("s") in _common_words()


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    # Heads that are ordinary nouns, not names, when capitalised at a sentence start.
    return frozenset(w.rstrip("s") for w in ANONYMOUS_WORDS | ORG_HEADS | DOCUMENT_HEADS) | frozenset(
        "economist scientist researcher expert doctor lawyer teacher parent voter resident worker farmer "
        "activist advocate opponent supporter critic official leader lawmaker legislator investor analyst "
        "historian observer prosecutor investigator police democrat republican conservative liberal".split()
    )


def _looks_like_person_name(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not any(
        w.lower().strip(".") in ORG_HEADS or w.lower().strip(".") in DOCUMENT_HEADS for w in words
    )
