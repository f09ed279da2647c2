"""BABE (Bias Annotations By Experts, SG2) -> saidwho article records.

Input: ``babe_sg2_train.csv`` (``;``-separated, ``""`` escapes), or the
upstream repository's ``data/final_labels_SG2.csv``. ``src`` may be the CSV
file itself or a folder: the converter looks (recursively) for
``babe_sg2_train.csv``, then ``final_labels_SG2.csv``, then any single
``*.csv`` with the columns ``text`` and ``label_opinion``. The delimiter
(``;``, ``,`` or tab) is taken from the header line.

Mapping (also in docs/corpora.md):

- One record per row: ``id`` = ``babe-NNNN``, the 1-based data-row number in
  the file (stable for a given file, whatever rows are dropped); ``text`` =
  the sentence exactly as in the file; one ``body`` sentence covering it
  without surrounding whitespace; ``url`` = ``news_link``; ``outlet`` kept.
  Extra fields: ``corpus`` ("babe"), ``label_opinion`` (the original label),
  ``label_bias``, ``topic``, ``outlet_leaning`` (the ``type`` column).
- "Expresses writer's opinion" -> ``opinion``.
- "Entirely factual" -> ``reported_fact`` with ``alt_labels:
  ["sourced_claim"]``: BABE judges the writer's stance, so a factual sentence
  may well carry an attribution (a quote is often "Entirely factual").
- "Somewhat factual but also opinionated" depends on ``somewhat``:
  ``"drop"`` (default: the class mixes both by definition, so it is left out
  of training and evaluation until a dev experiment shows it helps),
  ``"opinion"`` -> ``opinion`` with ``alt_labels: ["reported_fact"]``,
  ``"fact"`` -> ``reported_fact`` with ``alt_labels: ["opinion",
  "sourced_claim"]``.
- "No agreement" (and an empty label) -> dropped.

With the default, the shared ``babe_sg2_train.csv`` (2,920 rows) gives 1,935
records (1,251 factual, 684 opinion); with ``somewhat`` set, 2,745.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from saidwho.corpora._common import csv_header, existing, one_sentence_article
from saidwho.errors import UserError
from saidwho.records import Article

__all__ = ["SOMEWHAT_CHOICES", "convert", "find_csv", "map_label"]

REQUIRED = ("text", "label_opinion")
SOMEWHAT_CHOICES = ("drop", "opinion", "fact")
PREFERRED_NAMES = ("babe_sg2_train.csv", "final_labels_SG2.csv")


def _norm_label(label: str) -> str:
    return label.strip().replace("’", "'").replace("‘", "'").lower()


def map_label(label_opinion: str, somewhat: str = "drop") -> tuple[str, list[str]] | None:
    """``(label, alt_labels)`` for a BABE ``label_opinion`` value, or None to drop the row."""
    value = _norm_label(label_opinion)
    if value == "expresses writer's opinion":
        return "opinion", []
    if value == "entirely factual":
        return "reported_fact", ["sourced_claim"]
    if value == "somewhat factual but also opinionated":
        if somewhat == "opinion":
            return "opinion", ["reported_fact"]
        if somewhat == "fact":
            return "reported_fact", ["opinion", "sourced_claim"]
        return None
    return None  # "No agreement", empty or unknown labels


def _delimiter(path: Path) -> str | None:
    for delimiter in (";", ",", "\t"):
        header = [h.strip() for h in csv_header(path, delimiter)]
        if all(col in header for col in REQUIRED):
            return delimiter
    return None


def find_csv(src: str | Path) -> tuple[Path, str]:
    """The BABE CSV at or under ``src`` and its delimiter; UserError when there is none."""
    path = existing(src)
    if path.is_file():
        delimiter = _delimiter(path)
        if delimiter is None:
            raise UserError(f"{path}: not a BABE file: needs the columns {', '.join(REQUIRED)} (';'-separated)")
        return path, delimiter
    for name in PREFERRED_NAMES:
        for candidate in sorted(path.rglob(name)):
            delimiter = _delimiter(candidate)
            if delimiter:
                return candidate, delimiter
    found = []
    for candidate in sorted(path.rglob("*.csv")):
        delimiter = _delimiter(candidate)
        if delimiter:
            found.append((candidate, delimiter))
    if len(found) == 1:
        return found[0]
    if not found:
        raise UserError(
            f"{path}: no BABE CSV here (babe_sg2_train.csv, data/final_labels_SG2.csv, "
            f"or a *.csv with columns {', '.join(REQUIRED)})"
        )
    names = ", ".join(str(p.relative_to(path)) for p, _ in found[:4])
    raise UserError(f"{path}: several BABE-like CSV files ({names}); give the file itself")


def convert(src: str | Path, somewhat: str = "drop") -> Iterator[Article]:
    """Convert BABE at ``src`` (file or folder); see the module docstring for the mapping."""
    if somewhat not in SOMEWHAT_CHOICES:
        raise UserError(f"somewhat must be one of {', '.join(SOMEWHAT_CHOICES)}, not {somewhat!r}")
    path, delimiter = find_csv(src)
    return _rows(path, delimiter, somewhat)


def _rows(path: Path, delimiter: str, somewhat: str) -> Iterator[Article]:
    try:
        yield from _read_rows(path, delimiter, somewhat)
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not valid UTF-8 (byte offset {exc.start} of a read block)") from None
    except csv.Error as exc:
        raise UserError(f"{path}: bad CSV: {exc}") from None


def _read_rows(path: Path, delimiter: str, somewhat: str) -> Iterator[Article]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        reader.fieldnames = [h.strip() for h in reader.fieldnames or []]
        for number, row in enumerate(reader, start=1):
            text = row.get("text") or ""
            mapped = map_label(row.get("label_opinion") or "", somewhat)
            if mapped is None or not text.strip():
                continue
            label, alt = mapped
            extra = {
                "corpus": "babe",
                "label_opinion": (row.get("label_opinion") or "").strip(),
                "label_bias": (row.get("label_bias") or "").strip() or None,
                "topic": (row.get("topic") or "").strip() or None,
                "outlet_leaning": (row.get("type") or "").strip() or None,
            }
            yield one_sentence_article(
                f"babe-{number:04d}",
                text,
                label,
                alt,
                extra,
                url=(row.get("news_link") or "").strip() or None,
                outlet=(row.get("outlet") or "").strip() or None,
            )
