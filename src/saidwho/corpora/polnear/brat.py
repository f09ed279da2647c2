"""BRAT standoff (``.ann``) as PolNeAR writes it: text-bound spans and attribution events."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from saidwho.errors import UserError

Fragments = list[tuple[int, int]]


@dataclass
class SpanAnn:
    """A BRAT text-bound annotation (``T`` line)."""

    id: str
    type: str
    fragments: Fragments
    text: str
    line: int


@dataclass
class PolnearAttribution:
    """A PolNeAR attribution relation: an ``E`` line with its role spans resolved.

    Corpus input only; the pipeline's attribution is :class:`saidwho.records.Attribution`.
    """

    id: str
    type: str  # "Attribution" or "Attribution-no-source"
    source: Fragments = field(default_factory=list)
    cue: Fragments = field(default_factory=list)
    content: Fragments = field(default_factory=list)
    line: int = 0


_NEW_ANNOTATION = re.compile(r"(?:[TEARNM]\d+|#\d*)\t")
_T_BODY = re.compile(r"(\S+) (\d+ \d+(?:;\d+ \d+)*)$")


def parse_ann(content: str, name: str = "<ann>") -> tuple[dict[str, SpanAnn], list[PolnearAttribution]]:
    """Parse BRAT standoff text into text-bound annotations and attributions.

    A ``T`` line's text may continue on following lines (span text with a
    newline in it): a new annotation starts only with ``T1<TAB>``,
    ``E1<TAB>``, ``A1<TAB>``, ``R1<TAB>``, ``N1<TAB>``, ``M1<TAB>`` or ``#``.
    Malformed lines raise :class:`UserError` naming the file and line.
    """
    spans: dict[str, SpanAnn] = {}
    events: list[tuple[int, str, str]] = []
    last_t: SpanAnn | None = None
    lines = content.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the file's final newline ends the last line, it is not span text
    for number, line in enumerate(lines, start=1):
        if not _NEW_ANNOTATION.match(line):
            if last_t is not None:
                last_t.text += "\n" + line
            elif line.strip():
                raise UserError(f"{name}:{number}: not a BRAT annotation line: {line[:60]!r}")
            continue
        last_t = None
        ann_id, _, rest = line.partition("\t")
        if ann_id.startswith("T"):
            body, _, span_text = rest.partition("\t")
            m = _T_BODY.match(body)
            if not m:
                raise UserError(f"{name}:{number}: bad text-bound annotation: {line[:60]!r}")
            fragments = []
            for part in m.group(2).split(";"):
                a, b = part.split()
                fragments.append((int(a), int(b)))
            if any(a > b for a, b in fragments):
                raise UserError(f"{name}:{number}: span end before start: {line[:60]!r}")
            last_t = SpanAnn(ann_id, m.group(1), fragments, span_text, number)
            spans[ann_id] = last_t
        elif ann_id.startswith("E"):
            events.append((number, ann_id, rest))
    attributions = []
    for number, ann_id, rest in events:
        args = rest.split("\t")[0].split()
        if not args or ":" not in args[0]:
            raise UserError(f"{name}:{number}: bad event line: {ann_id}\t{rest[:60]!r}")
        event_type = args[0].split(":", 1)[0]
        attr = PolnearAttribution(ann_id, event_type, line=number)
        for arg in args:
            role, _, target = arg.partition(":")
            if role == event_type:
                continue
            span = spans.get(target)
            if span is None:
                raise UserError(f"{name}:{number}: {ann_id} refers to missing annotation {target!r}")
            role = role.rstrip("0123456789")  # Content2 -> Content
            if role == "Source":
                attr.source.extend(span.fragments)
            elif role == "Cue":
                attr.cue.extend(span.fragments)
            elif role == "Content":
                attr.content.extend(span.fragments)
        for frags in (attr.source, attr.cue, attr.content):
            frags.sort()
        attributions.append(attr)
    return spans, attributions


def span_text(text: str, fragments: Fragments) -> str:
    """The text BRAT stores for a span: its fragments joined by one space."""
    return " ".join(text[a:b] for a, b in fragments)
