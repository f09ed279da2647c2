"""Validate record files against FORMAT.md; every problem as ``FILE:LINE: what is wrong``.

:func:`validate_command` is ``saidwho validate`` (registered in :mod:`saidwho.cli`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from saidwho.errors import UserError
from saidwho.io import decode_utf8, iter_nonblank_lines, read_articles, read_bytes
from saidwho.records import GENDERS, KINDS, LABELLED_KINDS, LABELS, PROFILE_FIELDS, SOURCE_CATEGORIES, SOURCE_TYPES, Article


def validate_record(obj: Any) -> list[str]:
    """Problems of one decoded JSON record (empty list: valid).

    Checked in this order: the record's own fields, its sources, its sentences.
    """
    if not isinstance(obj, dict):
        return [f"expected a JSON object, got {type(obj).__name__}"]
    problems = _record_field_problems(obj)
    text = obj.get("text")
    if not isinstance(text, str):
        return problems
    source_ids = _check_sources(obj.get("sources", []), problems)
    if isinstance(obj.get("sources"), list):
        problems.extend(_profile_problems(obj["sources"], text, source_ids))
    sentences = obj.get("sentences", [])
    if not isinstance(sentences, list):
        problems.append("'sentences' must be a list")
        return problems
    problems.extend(_sentences_problems(sentences, text, source_ids))
    return problems


def _record_field_problems(obj: dict[str, Any]) -> list[str]:
    """``id``, ``text`` and the optional string fields."""
    problems = []
    if not isinstance(obj.get("id"), str) or not obj.get("id"):
        problems.append("'id' must be a non-empty string")
    if not isinstance(obj.get("text"), str):
        problems.append("'text' must be a string")
        return problems
    for key in ("title", "url", "outlet", "published"):
        if key in obj and obj[key] is not None and not isinstance(obj[key], str):
            problems.append(f"'{key}' must be a string or null")
    return problems


def _check_sources(sources: Any, problems: list[str]) -> set[str]:
    """Append the problems of the ``sources`` list; return the valid, distinct source ids."""
    source_ids: set[str] = set()
    if not isinstance(sources, list):
        problems.append("'sources' must be a list")
        return source_ids
    for n, source in enumerate(sources):
        where = f"sources[{n}]"
        if not isinstance(source, dict):
            problems.append(f"{where}: must be an object")
            continue
        sid = source.get("id")
        if not isinstance(sid, str) or not sid:
            problems.append(f"{where}: 'id' must be a non-empty string")
        elif sid in source_ids:
            problems.append(f"{where}: duplicate source id {sid!r}")
        else:
            source_ids.add(sid)
        if not isinstance(source.get("name"), str) or not source.get("name", "").strip():
            problems.append(f"{where}: 'name' must be a non-empty string")
        if source.get("type") not in SOURCE_TYPES:
            problems.append(f"{where}: unknown type {source.get('type')!r} (expected one of {', '.join(SOURCE_TYPES)})")
        aliases = source.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.append(f"{where}: 'aliases' must be a list of strings")
    return source_ids


def profile_problems(profile: dict[str, Any], text: str | None, source_ids: set[str], source_type: str | None) -> list[str]:
    """Problems of one source's profile fields (docs/format.md; absent fields: no profile)."""
    problems = []
    for key in ("title", "affiliation", "affiliation_id", "anonymity_reason", "party"):
        if profile.get(key) is not None and not isinstance(profile.get(key), str):
            problems.append(f"'{key}' must be a string or null")
    if profile.get("category") not in SOURCE_CATEGORIES:
        problems.append(f"unknown category {profile.get('category')!r} (expected one of {', '.join(SOURCE_CATEGORIES)})")
    gender = profile.get("gender")
    if gender is not None and gender not in GENDERS:
        problems.append(f"unknown gender {gender!r} (expected one of {', '.join(GENDERS)} or null)")
    if gender is not None and source_type not in ("person", None):
        problems.append(f"gender on a {source_type} source (persons only)")
    evidence = profile.get("gender_evidence", [])
    if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
        problems.append("'gender_evidence' must be a list of strings")
    affiliation_id = profile.get("affiliation_id")
    if affiliation_id is not None and affiliation_id not in source_ids:
        problems.append(f"affiliation_id {affiliation_id!r} is not a source id")
    span = profile.get("anonymity_reason_span")
    if span is not None:
        if not (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span) and 0 <= span[0] < span[1]):
            problems.append("'anonymity_reason_span' must be [start, end] with 0 <= start < end, or null")
        elif text is not None and (span[1] > len(text) or text[span[0] : span[1]] != profile.get("anonymity_reason")):
            problems.append("'anonymity_reason_span' does not hold 'anonymity_reason'")
    return problems


def _profile_problems(sources: list[Any], text: str, source_ids: set[str]) -> list[str]:
    problems = []
    for n, source in enumerate(sources):
        if isinstance(source, dict) and any(key in source for key in PROFILE_FIELDS):
            problems.extend(f"sources[{n}]: {p}" for p in profile_problems(source, text, source_ids, source.get("type")))
    return problems


def _sentences_problems(sentences: list[Any], text: str, source_ids: set[str]) -> list[str]:
    """Offsets (in range, sorted, not overlapping) and then the fields of each sentence."""
    problems: list[str] = []
    previous_end = 0
    previous_start = -1
    for n, sentence in enumerate(sentences):
        where = f"sentences[{n}]"
        if not isinstance(sentence, dict):
            problems.append(f"{where}: must be an object")
            continue
        start, end = sentence.get("start"), sentence.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
            problems.append(f"{where}: 'start' and 'end' must be integers")
            continue
        if not 0 <= start < end <= len(text):
            problems.append(f"{where}: offsets {start}-{end} out of range for a text of {len(text)} characters")
        if start < previous_start:
            problems.append(f"{where}: not sorted by start ({start} after {previous_start})")
        elif start < previous_end:
            problems.append(f"{where}: overlaps the sentence before ({start} < {previous_end})")
        previous_start, previous_end = start, max(previous_end, end)
        problems.extend(f"{where}: {p}" for p in _sentence_field_problems(sentence, text, source_ids))
    return problems


def _sentence_field_problems(sentence: dict[str, Any], text: str, source_ids: set[str]) -> list[str]:
    """Problems of one sentence's text, kind, labels, speaker, spans and scores (start/end are ints)."""
    problems = []
    start, end = sentence["start"], sentence["end"]
    if "text" in sentence and sentence["text"] != text[start:end]:
        problems.append(f"'text' does not equal text[{start}:{end}]")
    kind = sentence.get("kind")
    if kind not in KINDS:
        problems.append(f"unknown kind {kind!r}")
    label = sentence.get("label")
    if kind in LABELLED_KINDS:
        if label not in LABELS:
            problems.append(f"a {kind} sentence needs a label from {', '.join(LABELS)}, got {label!r}")
    elif label is not None:
        problems.append(f"a {kind} segment must have label null, got {label!r}")
    alt = sentence.get("alt_labels", [])
    if alt is None:
        alt = []
    if not isinstance(alt, list) or any(a not in LABELS for a in alt):
        problems.append("'alt_labels' must be a list of labels")
    speaker = sentence.get("speaker")
    if speaker is not None:
        if label != "sourced_claim":
            problems.append(f"speaker {speaker!r} set on a {label!r} sentence (only sourced_claim has one)")
        if speaker not in source_ids:
            problems.append(f"speaker {speaker!r} is not a source id")
    for key in ("speaker_span", "cue_span"):
        if not _is_span_or_none(sentence.get(key), len(text)):
            problems.append(f"'{key}' must be [start, end] within the text")
    confidence = sentence.get("confidence")
    if confidence is not None and not (isinstance(confidence, (int, float)) and 0 <= confidence <= 1):
        problems.append("'confidence' must be a number in [0, 1]")
    scores = sentence.get("scores")
    if scores is not None and (not isinstance(scores, dict) or any(k not in LABELS for k in scores)):
        problems.append("'scores' must map labels to probabilities")
    return problems


def _is_span_or_none(span: Any, length: int) -> bool:
    if span is None:
        return True
    return (
        isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span)
        and 0 <= span[0] < span[1] <= length
    )


def validate_file(path: str | Path) -> list[str]:
    """Every problem in a JSONL file of records, as ``FILE:LINE: what is wrong``."""
    path = Path(path)
    raw = read_bytes(path, expect="a JSONL file")
    problems: list[str] = []
    try:
        text = decode_utf8(raw, str(path))
    except UserError as exc:
        return [str(exc)]
    seen_ids: dict[str, int] = {}
    for number, line in iter_nonblank_lines(text):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: bad JSON: {exc.msg} (column {exc.colno})")
            continue
        problems.extend(f"{path}:{number}: {p}" for p in validate_record(obj))
        if isinstance(obj, dict) and isinstance(obj.get("id"), str):
            if obj["id"] in seen_ids:
                problems.append(f"{path}:{number}: id {obj['id']!r} already used on line {seen_ids[obj['id']]}")
            seen_ids.setdefault(obj["id"], number)
    return problems


def read_valid_articles(path: str | Path) -> list[Article]:
    """The records of a JSONL file, refused where ``saidwho validate`` finds a
    problem: commands that pass records on to other tools (the Label Studio
    export) must not carry, say, a sentence past the end of its text. The
    first problem is a one-line :class:`UserError` ``FILE:LINE: what is wrong``."""
    problems = validate_file(path)
    if problems:
        more = f" (and {len(problems) - 1} more problem(s): saidwho validate {path})" if len(problems) > 1 else ""
        raise UserError(problems[0] + more)
    return read_articles(path)


def validate_command(files: list[Path] = typer.Argument(..., help="Record files (JSONL) to check against FORMAT.md.")) -> None:
    """Check record files; print every problem as FILE:LINE: what is wrong."""
    problems = []
    for path in files:
        problems.extend(validate_file(path))
    for problem in problems:
        typer.echo(problem)
    if problems:
        raise typer.Exit(1)
    typer.echo(f"{len(files)} file(s) valid", err=True)
