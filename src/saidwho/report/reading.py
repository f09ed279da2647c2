"""Scored records in, one at a time: JSONL lines or the ``saidwho_record`` column of Parquet.

``saidwho report`` reads what ``saidwho score`` writes with any engine. Both
readers yield one :class:`~saidwho.records.Article` at a time and keep none,
so the report's memory does not grow with the file. A bad line or row is a
one-line :class:`~saidwho.errors.UserError` naming the file and line (or row).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from saidwho.errors import UserError
from saidwho.io import (
    article_from_dict_checked,
    decode_utf8,
    parse_jsonl_line,
    read_bytes,
)
from saidwho.records import Article

__all__ = ["iter_scored_articles"]

RECORD_COLUMN = "saidwho_record"


def iter_scored_articles(paths: Iterable[str | Path]) -> Iterator[Article]:
    """The scored articles of every path in order (``.parquet``: its record
    column; anything else: JSONL). Every path is checked before the first
    article is yielded, so a missing file fails before any work is done."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise UserError("no input given (name the scored .jsonl or .parquet files)")
    for path in paths:
        if not path.is_file():
            read_bytes(path, expect="a scored .jsonl or .parquet file")  # raises the project's one-line message
    for path in paths:
        reader = _parquet_articles if path.suffix.lower() == ".parquet" else _jsonl_articles
        count = 0
        for article in reader(path):
            count += 1
            yield article
        if count == 0:
            raise UserError(f"{path}: no records in this file")


def _jsonl_articles(path: Path) -> Iterator[Article]:
    """Line by line (the file is never read whole)."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = decode_utf8(raw, str(path), keep_bom=number > 1).rstrip("\n").rstrip("\r")
            except UserError:  # its message counts lines within this one line: name the file's line
                raise UserError(f"{path}:{number}: not valid UTF-8; convert the file to UTF-8 first") from None
            if not line.strip():
                continue
            yield _scored_article(parse_jsonl_line(line, str(path), number), f"{path}:{number}")


def _parquet_articles(path: Path) -> Iterator[Article]:
    """Row group by row group, only the record column."""
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
        raise UserError(f"{path}: not a readable Parquet file ({exc})") from None
    if RECORD_COLUMN not in table.schema_arrow.names:
        raise UserError(f"{path}: no column {RECORD_COLUMN!r}: not written by saidwho score (-o OUT.parquet)")
    row = 0
    for batch in table.iter_batches(batch_size=256, columns=[RECORD_COLUMN]):
        for cell in batch.column(0).to_pylist():
            row += 1
            where = f"{path}:row {row}"
            try:
                obj = json.loads(cell) if isinstance(cell, str) else None
            except json.JSONDecodeError as exc:
                raise UserError(f"{where}: bad JSON in {RECORD_COLUMN}: {exc.msg} (column {exc.colno})") from None
            if not isinstance(obj, dict):
                raise UserError(f"{where}: {RECORD_COLUMN} is not a JSON object")
            yield _scored_article(obj, where)


def _scored_article(obj: dict, where: str) -> Article:
    if "sentences" not in obj:
        raise UserError(f"{where}: not a scored record (no 'sentences'); run saidwho score on it first")
    return article_from_dict_checked(obj, where)
