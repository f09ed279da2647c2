"""CheckThat! 2025 task 1 (subjectivity, English) -> saidwho article records.

Input: ``train_en.tsv`` and ``dev_en.tsv`` (tab-separated, columns
``sentence_id``, ``sentence``, ``label`` and sometimes ``solved_conflict``),
read with ``csv.QUOTE_NONE`` because sentences contain bare quote marks.
``src`` may be a folder (searched recursively, so the upstream
``data/english/`` layout works) or one ``*_en.tsv`` file.

Mapping (also in docs/corpora.md):

- One record per row: ``id`` = ``sentence_id``; ``text`` = the sentence; one
  ``body`` sentence covering it without surrounding whitespace. Extra
  fields: ``corpus`` ("checkthat"), ``split`` ("train", "dev", ...).
- ``SUBJ`` -> ``opinion``.
- ``OBJ`` -> ``reported_fact`` with ``alt_labels: ["sourced_claim"]`` (OBJ
  covers both reported facts and sourced claims).
- Rows with another or no label are dropped.
- ``split`` picks the files: default ``("train", "dev")``; the held-out
  ``dev_test`` (and ``test``) files are converted only when asked for, so that
  evaluation data does not leak into training data by accident.

The shared files give 830 (train) and 462 (dev) records.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from saidwho.corpora._common import existing, one_sentence_article, split_names
from saidwho.errors import UserError
from saidwho.records import Article

__all__ = ["DEFAULT_SPLITS", "convert", "find_files", "map_label"]

DEFAULT_SPLITS: tuple[str, ...] = ("train", "dev")
LABELS = {"SUBJ": ("opinion", []), "OBJ": ("reported_fact", ["sourced_claim"])}


def map_label(label: str) -> tuple[str, list[str]] | None:
    mapped = LABELS.get(label.strip().upper())
    return (mapped[0], list(mapped[1])) if mapped else None


def _split_of(path: Path) -> str:
    stem = path.stem
    return stem[: -len("_en")] if stem.endswith("_en") else stem


def find_files(src: str | Path, splits: Iterable[str] | str | None = None) -> list[tuple[str, Path]]:
    """``[(split, file), ...]`` for the requested splits; UserError when a file is missing."""
    path = existing(src)
    if path.is_file():
        if splits is not None and _split_of(path) not in split_names(splits):
            raise UserError(f"{path}: this is the {_split_of(path)!r} file, but split {splits!r} was asked for")
        return [(_split_of(path), path)]
    wanted = list(DEFAULT_SPLITS) if splits is None else split_names(splits)
    found = []
    for split in wanted:
        matches = sorted(path.rglob(f"{split}_en.tsv"))
        if not matches:
            if splits is None:
                continue  # default splits: convert those that are there
            raise UserError(f"{path}: no {split}_en.tsv here (CheckThat! subjectivity, English)")
        if len(matches) > 1:
            names = ", ".join(str(m.relative_to(path)) for m in matches[:3])
            raise UserError(f"{path}: several {split}_en.tsv files ({names}); give the folder that holds one")
        found.append((split, matches[0]))
    if not found:
        raise UserError(f"{path}: no train_en.tsv or dev_en.tsv here (CheckThat! subjectivity, English)")
    return found


def convert(
    src: str | Path, split: Iterable[str] | str | None = None, *, splits: Iterable[str] | str | None = None
) -> Iterator[Article]:
    """Convert CheckThat! subjectivity files at ``src``; see the module docstring.

    ``split`` (or ``splits``; a name, "train,dev" or a list) picks the files.
    """
    files = find_files(src, split_names(split, splits))
    for _, path in files:
        _check_header(path)
    return (article for split, path in files for article in _rows(split, path))


def _check_header(path: Path) -> list[str]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = handle.readline().rstrip("\r\n").split("\t")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read: {exc}") from None
    for column in ("sentence_id", "sentence", "label"):
        if column not in header:
            raise UserError(f"{path}:1: expected a tab-separated header with sentence_id, sentence, label")
    return header


def _rows(split: str, path: Path) -> Iterator[Article]:
    header = _check_header(path)
    index = {name: i for i, name in enumerate(header)}
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            next(reader, None)
            for number, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) <= max(index["sentence_id"], index["sentence"], index["label"]):
                    raise UserError(f"{path}:{number}: expected {len(header)} tab-separated columns, got {len(row)}")
                mapped = map_label(row[index["label"]])
                text = row[index["sentence"]]
                if mapped is None or not text.strip():
                    continue
                label, alt = mapped
                yield one_sentence_article(
                    row[index["sentence_id"]].strip(),
                    text,
                    label,
                    alt,
                    {"corpus": "checkthat", "split": split},
                )
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not valid UTF-8 (byte offset {exc.start} of a read block)") from None
