"""Webis news editorials (COLING 2020, data-source) -> saidwho article records.

Input: ``data-source/{aljazeera,foxnews,guardian}/*.json``, each
``{"paragraphs": [[{"number", "text", "label"}, ...], ...]}``. ``src`` may be
the repository root (holding ``data-source/``), the ``data-source`` folder,
one outlet folder, or one JSON file.

Text reconstruction: every unit's text is stripped of surrounding
whitespace; units of a paragraph are joined by one space, except that a unit
starting with ``.``, ``,``, ``;``, ``:``, ``?``, ``!`` or ``)`` attaches with
no space; paragraphs are joined by a blank line (``"\\n\\n"``). Empty units
are skipped.

Mapping (also in docs/corpora.md):

- One record per editorial: ``id`` = ``webis-<outlet folder>-<file stem>``,
  ``outlet`` = "Al Jazeera", "Fox News" or "The Guardian", ``title`` = the
  title unit. Extra fields: ``corpus`` ("webis"), ``unit_labels`` (the
  original label of each sentence, aligned with ``sentences``) and
  ``label_scope``.
- ``title`` -> a ``headline`` segment, ``label: null``.
- Each other labelled unit -> one ``body`` sentence with its exact offsets.
  A directly following ``no-unit`` made only of closing punctuation (".",
  "?", "!", "...", closing quotes) is included in it, so that sentences end
  with their full stop. Other ``no-unit`` pieces (",", "and", "But", "If")
  are part of the text but of no segment.
- ``assumption`` -> ``opinion``.
- ``testimony`` -> ``sourced_claim`` with ``speaker: null``: the corpus
  marks sourced statements but does not say who the source is.
- ``anecdote``, ``statistics`` -> ``reported_fact``.
- ``common-ground`` -> ``reported_fact`` with ``alt_labels: ["opinion"]``
  (a widely accepted truth stated by the writer: fact-like, but in an opinion
  piece it often carries the writer's stance).
- ``other`` depends on ``other``: ``"drop"`` (default: a residual class of
  author bios, book promotions, greetings and asides that fits none of the
  three labels reliably; the unit stays in the text but is no segment),
  ``"opinion"`` -> ``opinion`` with ``alt_labels: ["reported_fact"]``,
  ``"fact"`` -> ``reported_fact`` with ``alt_labels: ["opinion"]``.

The shared copy holds 266 editorials (96 Al Jazeera, 85 Fox News, 85
Guardian).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from saidwho.corpora._common import existing
from saidwho.errors import UserError
from saidwho.io import read_text
from saidwho.records import Article, Sentence

__all__ = ["LABEL_MAP", "OTHER_CHOICES", "OUTLETS", "build_article", "convert", "find_files"]

OUTLETS = {"aljazeera": "Al Jazeera", "foxnews": "Fox News", "guardian": "The Guardian"}
OTHER_CHOICES = ("drop", "opinion", "fact")
LABEL_MAP: dict[str, tuple[str, list[str]]] = {
    "assumption": ("opinion", []),
    "testimony": ("sourced_claim", []),
    "anecdote": ("reported_fact", []),
    "statistics": ("reported_fact", []),
    "common-ground": ("reported_fact", ["opinion"]),
}
OTHER_MAP: dict[str, tuple[str, list[str]] | None] = {
    "drop": None,
    "opinion": ("opinion", ["reported_fact"]),
    "fact": ("reported_fact", ["opinion"]),
}
LABEL_SCOPE = (
    "Units are argumentative discourse units, not sentences; testimony is a sourced_claim without a "
    "speaker (the corpus names none); no-unit pieces belong to no segment."
)

_ATTACH = (".", ",", ";", ":", "?", "!", ")")
_CLOSING = re.compile(r"^[.!?…\"”’'\\)]+$")


def find_files(src: str | Path) -> list[Path]:
    """The editorial JSON files at or under ``src``; UserError when there are none."""
    path = existing(src)
    if path.is_file():
        if path.suffix.lower() != ".json":
            raise UserError(f"{path}: expected a Webis editorial .json file or the data-source folder")
        return [path]
    root = path / "data-source" if (path / "data-source").is_dir() else path
    files = sorted(root.glob("*.json")) or sorted(root.glob("*/*.json"))
    if not files:
        raise UserError(
            f"{path}: no Webis editorials here: expected data-source/{{aljazeera,foxnews,guardian}}/*.json"
        )
    return files


def convert(src: str | Path, other: str = "drop") -> Iterator[Article]:
    """Convert the Webis editorials at ``src``; see the module docstring for the mapping."""
    if other not in OTHER_CHOICES:
        raise UserError(f"other must be one of {', '.join(OTHER_CHOICES)}, not {other!r}")
    files = find_files(src)
    return (_convert_file(path, other) for path in files)


def _convert_file(path: Path, other: str) -> Article:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}:{exc.lineno}: bad JSON: {exc.msg}") from None
    paragraphs = data.get("paragraphs") if isinstance(data, dict) else None
    if not isinstance(paragraphs, list):
        raise UserError(f"{path}: expected an object with a 'paragraphs' list")
    outlet_dir = path.parent.name
    return build_article(
        f"webis-{outlet_dir}-{path.stem}", paragraphs, other=other, outlet=OUTLETS.get(outlet_dir), where=str(path)
    )


def build_article(
    article_id: str,
    paragraphs: list[list[dict[str, Any]]],
    other: str = "drop",
    outlet: str | None = None,
    where: str = "<webis>",
) -> Article:
    """One editorial as a record (text rebuilt from its units)."""
    parts: list[str] = []
    length = 0
    # (start, end, unit label) of every unit with text, paragraph by paragraph
    units: list[list[tuple[int, int, str]]] = []
    for p_index, paragraph in enumerate(paragraphs):
        if not isinstance(paragraph, list):
            raise UserError(f"{where}: paragraph {p_index + 1} is not a list of units")
        placed: list[tuple[int, int, str]] = []
        for unit in paragraph:
            if not isinstance(unit, dict) or "text" not in unit:
                raise UserError(f"{where}: paragraph {p_index + 1}: a unit without 'text'")
            text = str(unit.get("text") or "").strip()
            if not text:
                continue
            if placed:
                sep = "" if text.startswith(_ATTACH) else " "
            elif units and any(units):
                sep = "\n\n"
            else:
                sep = ""
            parts.append(sep)
            length += len(sep)
            placed.append((length, length + len(text), str(unit.get("label") or "no-unit")))
            parts.append(text)
            length += len(text)
        units.append(placed)
    text = "".join(parts)

    sentences: list[Sentence] = []
    unit_labels: list[str] = []
    title = None
    for placed in units:
        for i, (start, end, label) in enumerate(placed):
            if label == "title":
                sentences.append(Sentence(start=start, end=end, kind="headline"))
                unit_labels.append(label)
                if title is None:
                    title = text[start:end]
                continue
            if label == "other":
                mapped = OTHER_MAP[other]
            else:
                mapped = LABEL_MAP.get(label)
            if mapped is None:
                continue  # no-unit, dropped "other", unknown labels
            # take in closing punctuation that directly follows ("." no-units)
            j = i + 1
            while j < len(placed) and placed[j][2] == "no-unit" and placed[j][0] == end and _CLOSING.match(
                text[placed[j][0] : placed[j][1]]
            ):
                end = placed[j][1]
                j += 1
            sentences.append(
                Sentence(start=start, end=end, kind="body", label=mapped[0], alt_labels=list(mapped[1]))
            )
            unit_labels.append(label)
    article = Article(id=article_id, text=text, title=title, outlet=outlet, sentences=sentences)
    article.extra = {"corpus": "webis", "unit_labels": unit_labels, "label_scope": LABEL_SCOPE}
    return article
