"""JSONL and Parquet files read lazily, one record at a time: the one reader
of ``saidwho score`` (:mod:`saidwho.ingest`, :mod:`saidwho.batch.tables`)
and ``saidwho report`` (:func:`iter_scored_articles`).

A JSONL file is read line by line and a Parquet file row group by row group,
so memory does not grow with the file. Problems are one-line
:class:`~saidwho.errors.UserError` messages naming the file and line
(``FILE:LINE: ...``) or row (``FILE:row N: ...``), the same for both commands.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from saidwho.errors import UserError
from saidwho.io import article_from_dict_checked, decode_utf8, parse_jsonl_line, read_bytes
from saidwho.records import Article

__all__ = ["RECORD_COLUMN", "articles_from_lines", "iter_scored_articles", "jsonl_file_lines", "parquet_rows"]

RECORD_COLUMN = "saidwho_record"
"""The column of a Parquet output that holds the whole record as JSON."""

Line = tuple[int, "str | UserError"]
OnError = Callable[[UserError], None]


def jsonl_file_lines(path: Path) -> Iterator[Line]:
    """(line number, text) for the non-blank lines of a JSONL file, as
    :func:`~saidwho.io.iter_nonblank_lines` gives them for a decoded text; a
    line that is not UTF-8 comes as its error, so that a reader can skip it."""
    name = str(path)
    try:
        handle = open(path, "rb")
    except OSError:
        read_bytes(path)  # raises the project's one-line message for this file
        raise
    with handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = decode_utf8(raw, name, keep_bom=number > 1).rstrip("\n").rstrip("\r")
            except UserError:  # its message counts lines within this one line: name the file's line
                yield number, UserError(f"{name}:{number}: not valid UTF-8; convert the file to UTF-8 first")
                continue
            if line.strip():
                yield number, line


def articles_from_lines(lines: Iterable[Line], name: str, parse: Callable[[str, int], Article],
                        on_error: OnError | None = None) -> Iterator[Article]:
    """``parse(line, number)`` of each line; a bad line raises, or goes to
    ``on_error`` and is skipped. No line at all is an error."""
    count = 0
    for number, line in lines:
        count += 1
        try:
            if isinstance(line, UserError):
                raise line
            article = parse(line, number)
        except UserError as exc:
            if on_error is None:
                raise
            on_error(exc)  # this line is skipped; the next ones are read
            continue
        yield article
    if count == 0:
        raise UserError(f"{name}: no records in this file")


def parquet_rows(path: Path, columns: Sequence[str], *, required: str, missing: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number from 1, {column: value}) for each row of a Parquet file,
    reading only those of ``columns`` the file has. A file without the
    ``required`` column fails with ``FILE: no column 'NAME'`` and ``missing``
    (formatted with ``columns``, the file's column names)."""
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
        raise UserError(f"{path}: not a readable Parquet file ({exc})") from None
    names = table.schema_arrow.names
    if required not in names:
        raise UserError(f"{path}: no column {required!r}" + missing.format(columns=", ".join(names)))
    present = list(dict.fromkeys(c for c in columns if c in names))
    row = 0
    for batch in table.iter_batches(batch_size=256, columns=present):
        for values in batch.to_pylist():
            row += 1
            yield row, values


# ---------------------------------------------------------------- scored records (saidwho report)


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
        if path.suffix.lower() == ".parquet":
            yield from _scored_parquet_articles(path)
        else:
            yield from articles_from_lines(jsonl_file_lines(path), str(path), lambda line, number, path=path:
                                           _scored_article(parse_jsonl_line(line, str(path), number), f"{path}:{number}"))


def _scored_parquet_articles(path: Path) -> Iterator[Article]:
    """The record column's cells read as a JSONL file's lines are, row by row."""
    rows = parquet_rows(path, [RECORD_COLUMN], required=RECORD_COLUMN,
                        missing=": not written by saidwho score (-o OUT.parquet)")
    cells = ((row, values[RECORD_COLUMN]) for row, values in rows)
    return articles_from_lines(cells, str(path), lambda cell, row: _scored_cell_article(cell, f"{path}:row {row}"))


def _scored_cell_article(cell: Any, where: str) -> Article:
    try:
        obj = json.loads(cell) if isinstance(cell, str) else None
    except json.JSONDecodeError as exc:
        raise UserError(f"{where}: bad JSON in {RECORD_COLUMN}: {exc.msg} (column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise UserError(f"{where}: {RECORD_COLUMN} is not a JSON object")
    return _scored_article(obj, where)


def _scored_article(obj: dict, where: str) -> Article:
    if "sentences" not in obj:
        raise UserError(f"{where}: not a scored record (no 'sentences'); run saidwho score on it first")
    return article_from_dict_checked(obj, where)
