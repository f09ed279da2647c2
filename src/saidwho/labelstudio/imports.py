"""Label Studio's JSON export -> FORMAT.md records.

Reads the regions of ``configs/labelstudio.xml`` (see :mod:`.export` for what
each one means) from one annotation per task:

- sentences: one per ``label`` region (its label) or ``segment`` region (its
  kind; a ``dek`` segment over a label region makes that sentence a dek).
  Region edges are trimmed of white space. Text that no region covers is
  split by :func:`~saidwho.pipeline.segment.segment_text`; a piece of it that
  the segmenter calls body is an error (an unlabelled sentence), a piece
  without a letter or digit (a stray quote mark) is left uncovered.
- speakers: the Speaker region linked to a sentence by a relation gives
  ``speaker_span``; the speaker's name is the region's ``speaker_name`` text,
  else the region's own text (else, without a Speaker region, the sentence's
  ``sentence_speaker`` text). Sources are merged by
  :func:`~saidwho.names.normalise_name`; one that matches a source of the task's
  ``data.sources`` (exported with it) keeps that source's id, name, aliases
  and type (unless the annotator chose a type); a new source gets the mention
  texts that are not pronouns as aliases. Sources no sentence names are left out.
- ``cue_span`` from the linked Cue region, ``alt_labels`` from the choices.

Which annotation: the tasks's latest one (by ``updated_at``, then
``created_at``, then ``id``) that was not cancelled, or with ``annotator`` the
latest by that user (``completed_by`` id or e-mail). A task without one is
skipped and counted. Anything malformed is a :class:`UserError` naming the task.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import pairwise
from pathlib import Path
from typing import Any

from saidwho.errors import UserError
from saidwho.io import decode_utf8, parse_json, read_bytes, write_articles
from saidwho.labelstudio import config as ls
from saidwho.labelstudio.offsets import OffsetMap
from saidwho.names import is_pronoun, normalise_name
from saidwho.records import (
    LABELLED_KINDS,
    LABELS,
    SOURCE_TYPES,
    Article,
    Sentence,
    Source,
    Span,
    trim_span,
)
from saidwho.validate import validate_record

__all__ = ["ImportResult", "choose_annotation", "import_export", "read_export", "task_to_article", "tasks_to_articles"]

_REGION_CONTROLS = {ls.LABEL: LABELS, ls.SEGMENT: ls.SEGMENT_KINDS, ls.MENTION: (ls.SPEAKER, ls.CUE)}
_PER_REGION_CONTROLS = {ls.SPEAKER_NAME: "textarea", ls.SENTENCE_SPEAKER: "textarea", ls.SPEAKER_TYPE: "choices", ls.ALT_LABELS: "choices"}


@dataclass(frozen=True)
class Region:
    """A labelled span: a sentence (label), a segment kind, or a Speaker/Cue mention."""

    id: str
    control: str
    value: str
    start: int
    end: int

    @property
    def span(self) -> Span:
        return (self.start, self.end)


@dataclass
class Annotation:
    """One annotation's results, sorted by what they are."""

    regions: dict[str, Region] = field(default_factory=dict)
    per_region: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (control, region id) -> texts or choices
    relations: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    """What an import produced: the records and the ids of the tasks skipped for want of an annotation."""

    articles: list[Article]
    skipped: list[str]


# ---------------------------------------------------------------- reading


def read_export(path: str | Path) -> list[dict[str, Any]]:
    """The tasks of a Label Studio JSON export (a list of task objects)."""
    text = decode_utf8(read_bytes(path, expect="a Label Studio JSON export"), str(path))
    return parse_json(text, str(path), list, "a JSON list of tasks (Label Studio's JSON export)")


def _timestamp(value: Any) -> float:
    """Seconds of an ISO timestamp ("2024-05-01T10:00:00.123Z"); 0 where missing or unreadable."""
    if not isinstance(value, str) or not value:
        return 0.0
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()


def _annotator_keys(annotation: dict[str, Any]) -> set[str]:
    """The ways ``--annotator`` may name who made the annotation: user id and e-mail."""
    keys: set[str] = set()
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        keys.update(str(who[k]).strip().lower() for k in ("id", "email") if who.get(k) is not None)
    elif who is not None:
        keys.add(str(who).strip().lower())
    username = annotation.get("created_username")  # " user@example.com, 1" in Label Studio's export
    if isinstance(username, str):
        keys.update(part.strip().lower() for part in username.split(",") if part.strip())
    return keys


def choose_annotation(task: dict[str, Any], where: str, annotator: str | None = None) -> dict[str, Any] | None:
    """The latest finished annotation of the task (by ``annotator`` where given); None if there is none."""
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list) or not all(isinstance(a, dict) for a in annotations):
        raise UserError(f"{where}: 'annotations' must be a list of objects")
    candidates = [a for a in annotations if not a.get("was_cancelled")]
    if annotator is not None:
        wanted = annotator.strip().lower()
        candidates = [a for a in candidates if wanted in _annotator_keys(a)]
    if not candidates:
        return None

    def recency(annotation: dict[str, Any]) -> tuple[float, float, float]:
        number = annotation.get("id")
        return (_timestamp(annotation.get("updated_at")), _timestamp(annotation.get("created_at")),
                float(number) if isinstance(number, (int, float)) else 0.0)

    return max(candidates, key=recency)


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_results(results: Any, text: str, where: str) -> Annotation:
    """Sort an annotation's ``result`` list into regions, per-region fields and relations."""
    if not isinstance(results, list):
        raise UserError(f"{where}: an annotation's 'result' must be a list")
    offsets = OffsetMap(text)
    annotation = Annotation()
    for number, result in enumerate(results):
        here = f"{where}: result {number}"
        if not isinstance(result, dict):
            raise UserError(f"{here}: must be an object")
        if result.get("type") == "relation":
            if not isinstance(result.get("from_id"), str) or not isinstance(result.get("to_id"), str):
                raise UserError(f"{here}: a relation needs 'from_id' and 'to_id'")
            annotation.relations.append((result["from_id"], result["to_id"]))
            continue
        control, region_id, value = result.get("from_name"), result.get("id"), result.get("value")
        if not isinstance(region_id, str) or not region_id or not isinstance(value, dict):
            raise UserError(f"{here}: a region needs an 'id' and a 'value' object")
        if control not in _REGION_CONTROLS and control not in _PER_REGION_CONTROLS:
            known = ", ".join([*_REGION_CONTROLS, *_PER_REGION_CONTROLS])
            raise UserError(f"{here}: unknown control {control!r} (configs/labelstudio.xml has {known})")
        start, end = _span(value, text, offsets, here)
        if control in _REGION_CONTROLS:
            labels = value.get("labels")
            if not isinstance(labels, list) or len(labels) != 1:
                raise UserError(f"{here}: a {control} region needs exactly one label, got {labels!r}")
            if labels[0] not in _REGION_CONTROLS[control]:
                allowed = ", ".join(_REGION_CONTROLS[control])
                raise UserError(f"{here}: unknown {control} {labels[0]!r} at {start}-{end} (expected one of {allowed})")
            if region_id in annotation.regions:
                raise UserError(f"{here}: two regions share the id {region_id!r}")
            annotation.regions[region_id] = Region(region_id, control, labels[0], start, end)
        else:
            key = "text" if _PER_REGION_CONTROLS[control] == "textarea" else "choices"
            entries = value.get(key)
            if isinstance(entries, str):
                entries = [entries]
            if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
                raise UserError(f"{here}: {control} needs a list of strings under {key!r}")
            annotation.per_region[(control, region_id)] = [e for e in (x.strip() for x in entries) if e]
    return annotation


def _span(value: dict[str, Any], text: str, offsets: OffsetMap, where: str) -> Span:
    """The region's code point span, checked against its ``text`` where the region carries one."""
    start, end = value.get("start"), value.get("end")
    if not _int(start) or not _int(end):
        raise UserError(f"{where}: 'start' and 'end' must be integers (a region of the text)")
    py_start, py_end = offsets.to_py(start), offsets.to_py(end)
    if py_start is None or py_end is None or not 0 <= py_start < py_end <= len(text):
        raise UserError(f"{where}: span {start}-{end} is not within the task's text")
    quoted = value.get("text")
    if isinstance(quoted, str) and quoted != text[py_start:py_end]:
        raise UserError(f"{where}: region text {quoted[:40]!r} differs from the task's text at {start}-{end}")
    return (py_start, py_end)


# ---------------------------------------------------------------- building a record


def _nonblank_span(text: str, start: int, end: int) -> Span | None:
    """The span trimmed of white space; None where nothing else is left."""
    span = trim_span(text, start, end)
    return span if span[0] < span[1] else None


def _has_word(text: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def _sentences(annotation: Annotation, text: str, where: str) -> tuple[list[Sentence], dict[str, Sentence]]:
    """Sentences from the label and segment regions, gaps segmented; and sentence region id -> sentence."""
    by_span: dict[Span, dict[str, Region]] = {}
    for region in annotation.regions.values():
        if region.control == ls.MENTION:
            continue
        span = _nonblank_span(text, region.start, region.end)
        if span is None:
            raise UserError(f"{where}: region {region.id!r} covers only white space")
        slot = by_span.setdefault(span, {})
        if region.control in slot and slot[region.control].value != region.value:
            raise UserError(f"{where}: text at {span[0]}-{span[1]} has two {region.control}s, {slot[region.control].value!r} and {region.value!r}")
        slot[region.control] = region
    sentences: list[Sentence] = []
    by_region: dict[str, Sentence] = {}
    for (start, end), slot in sorted(by_span.items()):
        label, segment = slot.get(ls.LABEL), slot.get(ls.SEGMENT)
        kind = segment.value if segment else "body"
        if label and kind not in LABELLED_KINDS:
            raise UserError(f"{where}: text at {start}-{end} is marked {kind!r} and labelled {label.value!r}; only body and dek sentences get a label")
        if not label and kind in LABELLED_KINDS:
            raise UserError(f"{where}: the {kind} at {start}-{end} needs a label")
        sentence = Sentence(start=start, end=end, kind=kind, label=label.value if label else None)
        if sentences and start < sentences[-1].end:
            before = sentences[-1]
            raise UserError(f"{where}: regions at {before.start}-{before.end} and {start}-{end} overlap; a sentence is one region")
        sentences.append(sentence)
        for region in slot.values():
            by_region[region.id] = sentence
    return _fill_gaps(sentences, text, where), by_region


def _fill_gaps(sentences: list[Sentence], text: str, where: str) -> list[Sentence]:
    """Add the segmenter's segments for the text no region covers (see the module doc)."""
    from saidwho.pipeline.segment import segment_text

    covered = [(s.start, s.end) for s in sentences]
    if covered and not text[: covered[0][0]].strip() and not text[covered[-1][1]:].strip() and all(
        not text[a_end:b_start].strip() for (_, a_end), (b_start, _) in pairwise(covered)
    ):
        return sentences  # every character is covered: no need to run the segmenter
    filled = list(sentences)
    for segment in segment_text(text):
        start, end = segment.start, segment.end
        for a, b in covered:  # clip away annotated text; what is left before a region is a piece of its own
            if a < end and start < b:
                if start < a and (piece := _nonblank_span(text, start, a)):
                    filled.append(_gap_piece(segment.kind, piece, text, where))
                start = max(start, b)
        piece = _nonblank_span(text, start, end) if start < end else None
        if piece:
            filled.append(_gap_piece(segment.kind, piece, text, where))
    return sorted((s for s in filled if s is not None), key=lambda s: s.start)


def _gap_piece(kind: str, span: Span, text: str, where: str) -> Sentence | None:
    if not _has_word(text[span[0] : span[1]]):
        return None
    if kind in LABELLED_KINDS:
        snippet = text[span[0] : span[1]][:60]
        raise UserError(f"{where}: text at {span[0]}-{span[1]} ({snippet!r}) has no region; label it, or mark it with a segment kind")
    return Sentence(start=span[0], end=span[1], kind=kind)


@dataclass
class _SourceTable:
    """Sources by normalised name, in order of first appearance, reusing the exported ids and aliases."""

    known: list[Source]
    where: str
    sources: list[Source] = field(default_factory=list)
    by_key: dict[str, Source] = field(default_factory=dict)
    explicit_type: set[str] = field(default_factory=set)

    def get(self, name: str, source_type: str | None, alias: str | None) -> Source:
        key = normalise_name(name)
        source = self.by_key.get(key)
        if source is None:
            matches = [s for s in self.known if key in _keys(s)]
            if len(matches) > 1 and not any(normalise_name(s.name) == key for s in matches):
                raise UserError(f"{self.where}: the speaker {name!r} could be {matches[0].name!r} or {matches[1].name!r}: write the full name in speaker_name")
            match = next((s for s in matches if normalise_name(s.name) == key), matches[0] if matches else None)
            taken = {s.id for s in self.sources}
            if match is not None and match.id not in taken:
                source = Source(id=match.id, name=match.name, type=match.type, aliases=list(match.aliases))
            else:
                number = len(self.sources) + 1
                while f"s{number}" in taken or any(s.id == f"s{number}" for s in self.known):
                    number += 1
                source = Source(id=f"s{number}", name=name, type="unknown")
            self.sources.append(source)
            for form in _keys(source) | {key}:
                self.by_key.setdefault(form, source)
        if source_type and source.id not in self.explicit_type:
            source.type = source_type  # the annotator's first choice wins over the exported type
            self.explicit_type.add(source.id)
        exported = any(s.id == source.id for s in self.known)
        if alias and not exported and not is_pronoun(alias) and normalise_name(alias) not in _keys(source):
            source.aliases.append(alias)
            self.by_key.setdefault(normalise_name(alias), source)
        return source

    def in_order(self) -> list[Source]:
        """Exported sources in their exported order, then the new ones in order of appearance."""
        rank = {s.id: n for n, s in enumerate(self.known)}
        return sorted(self.sources, key=lambda s: rank.get(s.id, len(rank)))


def _keys(source: Source) -> set[str]:
    """The normalised forms of a source's name and aliases (pronouns left out)."""
    return {normalise_name(n) for n in (source.name, *source.aliases) if n.strip() and not is_pronoun(n)} - {""}


def _known_sources(data: dict[str, Any], where: str) -> list[Source]:
    raw = data.get("sources") or []
    if not isinstance(raw, list) or not all(isinstance(s, dict) and "id" in s for s in raw):
        raise UserError(f"{where}: data.sources must be a list of sources with an 'id'")
    return [Source.from_dict(s) for s in raw]


def _attach_speakers(annotation: Annotation, by_region: dict[str, Sentence], text: str, table: _SourceTable, where: str) -> None:
    """Speaker and cue of each sentence from the relations, then the speakers named without a region."""
    speaker_region: dict[int, Region] = {}
    for a, b in annotation.relations:
        for sentence_id, mention_id in ((a, b), (b, a)):
            mention = annotation.regions.get(mention_id)
            if sentence_id in by_region and mention is not None and mention.control == ls.MENTION:
                break
        else:
            raise UserError(f"{where}: a relation links {a!r} and {b!r}; a relation links a sentence to a Speaker or Cue region")
        sentence = by_region[sentence_id]
        if sentence.label is None:
            raise UserError(f"{where}: a {mention.value} is linked to the {sentence.kind} at {sentence.start}-{sentence.end}, which has no label")
        span = _nonblank_span(text, mention.start, mention.end) or mention.span
        if mention.value == ls.CUE:
            if sentence.cue_span not in (None, span):
                raise UserError(f"{where}: the sentence at {sentence.start}-{sentence.end} has two cues linked")
            sentence.cue_span = span
            continue
        if sentence.label != "sourced_claim":
            raise UserError(f"{where}: a Speaker is linked to the {sentence.label} sentence at {sentence.start}-{sentence.end}; only a sourced_claim has a speaker")
        if id(sentence) in speaker_region and speaker_region[id(sentence)].id != mention.id:
            raise UserError(f"{where}: the sentence at {sentence.start}-{sentence.end} has two speakers linked")
        speaker_region[id(sentence)] = mention
        mention_text = text[span[0] : span[1]]
        typed = annotation.per_region.get((ls.SPEAKER_TYPE, mention.id)) or [None]
        named = annotation.per_region.get((ls.SPEAKER_NAME, mention.id)) or [None]
        name = named[0] or mention_text
        if is_pronoun(name) or not normalise_name(name):
            raise UserError(f"{where}: the speaker {mention_text!r} at {span[0]}-{span[1]} needs a name: write it in the speaker_name field")
        if typed[0] is not None and typed[0] not in SOURCE_TYPES:
            raise UserError(f"{where}: unknown speaker type {typed[0]!r} (expected one of {', '.join(SOURCE_TYPES)})")
        sentence.speaker = table.get(name, typed[0], mention_text).id
        sentence.speaker_span = span
    for region_id, sentence in by_region.items():
        named = annotation.per_region.get((ls.SENTENCE_SPEAKER, region_id))
        if named and sentence.speaker is None:
            if sentence.label != "sourced_claim":
                raise UserError(f"{where}: a speaker is named on the {sentence.label} sentence at {sentence.start}-{sentence.end}; only a sourced_claim has a speaker")
            sentence.speaker = table.get(named[0], None, None).id


def task_to_article(task: Any, number: int, annotator: str | None = None) -> Article | None:
    """The record for one exported task; None when it has no annotation to import."""
    if not isinstance(task, dict):
        raise UserError(f"task #{number}: expected a task object, got {type(task).__name__}")
    task_id = task.get("id", f"#{number}")
    where = f"task {task_id}"
    data = task.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("text"), str) or not data["text"]:
        raise UserError(f"{where}: missing data.text (the article text)")
    annotation = choose_annotation(task, where, annotator)
    if annotation is None:
        return None
    text = data["text"]
    parsed = parse_results(annotation.get("result"), text, where)
    sentences, by_region = _sentences(parsed, text, where)
    table = _SourceTable(_known_sources(data, where), where)
    _attach_speakers(parsed, by_region, text, table, where)
    for region_id, sentence in by_region.items():
        alternatives = parsed.per_region.get((ls.ALT_LABELS, region_id))
        if alternatives and sentence.label:
            unknown = [a for a in alternatives if a not in LABELS]
            if unknown:
                raise UserError(f"{where}: unknown alt label {unknown[0]!r} (expected one of {', '.join(LABELS)})")
            sentence.alt_labels = [a for a in alternatives if a != sentence.label]
    article_id = data.get("article_id") or f"labelstudio-{task_id}"
    metadata = {key: data.get(key) if isinstance(data.get(key), str) else None for key in ("title", "url", "outlet", "published")}
    if metadata["title"] == article_id:
        metadata["title"] = None  # the export shows the id where an article has no title
    article = Article(id=str(article_id), text=text, sources=table.in_order(), sentences=sentences, **metadata)
    problems = validate_record(article.to_dict())
    if problems:
        raise UserError(f"{where}: the imported record is not valid: {problems[0]}")
    return article


def tasks_to_articles(tasks: list[Any], annotator: str | None = None) -> ImportResult:
    """Records for the tasks that have an annotation (the others' ids in ``skipped``)."""
    articles: list[Article] = []
    skipped: list[str] = []
    seen: dict[str, str] = {}
    for number, task in enumerate(tasks, start=1):
        article = task_to_article(task, number, annotator)
        task_id = str(task.get("id", f"#{number}"))
        if article is None:
            skipped.append(task_id)
            continue
        if article.id in seen:
            raise UserError(f"task {task_id}: article id {article.id!r} already imported from task {seen[article.id]}")
        seen[article.id] = task_id
        articles.append(article)
    return ImportResult(articles, skipped)


def import_export(export_path: str | Path, output: str | Path, annotator: str | None = None) -> ImportResult:
    """Read a Label Studio JSON export and write its annotated tasks as records (atomically)."""
    result = tasks_to_articles(read_export(export_path), annotator)
    if not result.articles:
        who = f" by {annotator}" if annotator else ""
        raise UserError(f"{export_path}: no task has an annotation{who} to import")
    write_articles(output, result.articles)
    return result
