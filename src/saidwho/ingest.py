"""Turn user inputs (plain text, HTML pages, JSONL records) into :class:`Article` records.

This stage does no segmentation: it only decides what the article text is.
That text is the record's ``text`` and every offset later in the pipeline
indexes it, so the normalisations made here are part of the contract:

* Plain text (``.txt``, any unknown extension, or stdin that is neither JSON
  lines nor HTML): the file decoded as UTF-8 (a leading BOM is dropped) with
  line endings normalised (``\\r\\n`` and a lone ``\\r`` become ``\\n``).
  Nothing else is changed or stripped. The id is the file stem (``stdin`` for
  standard input); there is no title (the segmenter finds the headline).
* HTML (``.html``, ``.htm``; read by :mod:`saidwho.ingest_html`): trafilatura
  extracts the main text (scripts, navigation, comments, ads and page
  furniture dropped) and the metadata.
  The text is the title line, a blank line, then the main text with one
  paragraph (or heading, or list item) per block, blocks separated by blank
  lines. Whitespace inside a block is collapsed to single spaces. ``title``,
  ``published``, ``url`` and ``outlet`` are set where the page gives them.
  The page header is laid out as in a plain-text article, so that the
  segmenter, which reads kinds from the text alone, gives both the same
  kinds: short lines above the ``<h1>`` (a kicker, a section trail) go above
  the title line; the dek (an element whose class or id names a standfirst,
  dek, subtitle or summary, or a heading that repeats the page's meta
  description) and the byline (class or id byline or author) follow the
  title line, also where trafilatura left them out of the main text, and
  are not repeated below; the ``<h1>`` is not repeated. A byline element
  whose text the segmenter would not read as a byline is left out. Photo
  captions are not part of trafilatura's main text and are dropped.
  ``<nav>``, ``<aside>``, ``<footer>``, navigation roles, ad slots (class or
  id ``ad``, ``ad-*``, ``advert*``, ``sponsored``, ...) and small boxes that
  ask the reader for something or label the section (class or id
  ``newsletter*``, ``signup``, ``share*``, ``social*``, ``kicker``,
  ``breadcrumb*``, ...) are removed before extraction, and lines such as
  "Advertisement" after it; the segmenter gives tip, newsletter and follow
  lines left in the text the kind ``meta``. A page whose text has no block
  of four or more words (only menu entries) has no article text: that is a
  :class:`UserError`.
* JSONL (``.jsonl``, ``.json``): one object per line. A full record (one
  with a ``sentences`` or ``sources`` key) is kept as it is, text untouched,
  since its offsets index that text. A ``{"id", "text"}`` object becomes a
  new record; its line endings are normalised like plain text, and other keys
  (``title``, ``url``, ...) are kept. A text object without an id gets
  ``STEM-LINE``.

A directory argument stands for every ``.txt``, ``.html``, ``.htm`` and
``.jsonl`` file directly in it, in sorted name order (hidden files skipped).

Ids are made unique over everything :func:`load_inputs` yields, in input
order: the first article keeps its id, later ones with the same id get the
first free of ``ID-2``, ``ID-3``, ... (a warning is logged). The result is
deterministic for the same inputs in the same order.

Problems are :class:`UserError` with one line ``FILE[:LINE]: what is wrong``.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from saidwho.errors import UserError
from saidwho.ingest_html import html_article
from saidwho.io import (
    article_from_dict_checked,
    decode_utf8,
    iter_nonblank_lines,
    parse_jsonl_line,
    read_bytes,
)
from saidwho.reader import articles_from_lines, jsonl_file_lines
from saidwho.records import Article

log = logging.getLogger(__name__)

STDIN_NAME = "<stdin>"
STDIN_ID = "stdin"

TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".json"})
#: Files a directory argument stands for.
DIRECTORY_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".parquet")


# ---------------------------------------------------------------- public API


def load_inputs(
    paths: Iterable[str],
    *,
    stdin: BinaryIO | None = None,
    on_error: Callable[[UserError], None] | None = None,
    text_column: str = "text",
    id_column: str = "id",
) -> Iterator[Article]:
    """Yield the articles of all ``paths`` in order, with unique ids.

    ``-`` reads standard input (``stdin``, by default ``sys.stdin.buffer``)
    and detects its format from the content. Every path is checked before
    the first article is yielded, so a missing file fails early; errors in
    a file's content are raised when iteration reaches that file. With
    ``on_error``, a bad file or JSONL line is handed to it and skipped
    instead, and the rest is read. ``text_column`` and ``id_column`` name the
    columns of Parquet inputs.
    """
    paths = list(paths)
    if not paths:
        raise UserError("no input given (name files or folders, or - for standard input)")
    if paths.count("-") > 1:
        raise UserError("-: standard input given more than once")
    plan: list[str | Path] = []
    for raw_path in paths:
        if raw_path == "-":
            plan.append("-")
        else:
            plan.extend(_expand_path(Path(raw_path)))

    def generate() -> Iterator[Article]:
        for item in plan:
            try:
                if item == "-":
                    stream = stdin if stdin is not None else sys.stdin.buffer
                    yield from load_bytes(stream.read(), name=STDIN_NAME, stem=STDIN_ID, on_error=on_error)
                else:
                    yield from _load_file(Path(item), on_error, (text_column, id_column))
            except UserError as exc:
                if on_error is None:
                    raise
                on_error(exc)

    return unique_ids(generate())


def load_path(path: str | Path) -> Iterator[Article]:
    """Yield the articles of one file or directory (ids as found, not deduplicated)."""
    files = _expand_path(Path(path))  # raises now, not on first next()
    return _chain_files(files)


def load_bytes(
    raw: bytes, *, name: str, stem: str, fmt: str | None = None, on_error: Callable[[UserError], None] | None = None
) -> Iterator[Article]:
    """Yield the articles in ``raw``; ``fmt`` is ``text``, ``html`` or ``jsonl``
    (detected from the content when None). ``name`` is used in error messages,
    ``stem`` as the id of a text or HTML article; ``on_error`` takes bad JSONL
    lines (see :func:`load_inputs`)."""
    fmt = fmt or detect_format(raw)
    if fmt == "jsonl":
        yield from _jsonl_articles(raw, name, stem, on_error)
    elif fmt == "html":
        yield html_article(raw, article_id=stem, name=name)
    elif fmt == "text":
        yield text_article(decode_utf8(raw, name), article_id=stem, name=name)
    else:
        raise ValueError(f"unknown input format {fmt!r}")


def detect_format(raw: bytes) -> str:
    """``jsonl`` when the first non-blank line starts a JSON object, ``html`` when
    the content starts like an HTML page, else ``text``."""
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n\f")
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith(b"<"):
        lowered = head.lower()
        if re.search(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", lowered):
            return "html"
    return "text"


def format_for_path(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return "text"


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; nothing else changes."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_article(text: str, *, article_id: str, name: str | None = None) -> Article:
    """A record for a plain-text article (line endings normalised)."""
    text = normalize_newlines(text)
    if not text.strip():
        raise UserError(f"{name or article_id}: empty article")
    return Article(id=article_id, text=text)


def unique_ids(articles: Iterable[Article]) -> Iterator[Article]:
    """Rename repeated ids: the first keeps its id, later ones get ``ID-2``, ``ID-3``, ..."""
    used: set[str] = set()
    for article in articles:
        if article.id in used:
            number = 2
            while f"{article.id}-{number}" in used:
                number += 1
            new_id = f"{article.id}-{number}"
            log.warning("duplicate article id %r renamed to %r", article.id, new_id)
            article.id = new_id
        used.add(article.id)
        yield article


# ---------------------------------------------------------------- internals


def _expand_path(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in DIRECTORY_SUFFIXES
        )
        if not files:
            raise UserError(f"{path}: no .txt, .html, .htm or .jsonl files in this folder")
        return files
    if not path.exists():
        raise UserError(f"{path}: no such file")
    return [path]


def _chain_files(files: list[Path]) -> Iterator[Article]:
    for file in files:
        yield from _load_file(file)


def _load_file(
    path: Path, on_error: Callable[[UserError], None] | None = None, columns: tuple[str, str] = ("text", "id")
) -> Iterator[Article]:
    if path.suffix.lower() == ".parquet":
        from saidwho.batch.tables import iter_parquet_articles

        yield from iter_parquet_articles(path, *columns, on_error=on_error)
        return
    if format_for_path(path) == "jsonl":
        yield from _jsonl_file_articles(path, on_error)
        return
    raw = read_bytes(path)
    yield from load_bytes(raw, name=str(path), stem=path.stem, fmt=format_for_path(path), on_error=on_error)


def _jsonl_articles(raw: bytes, name: str, stem: str, on_error: Callable[[UserError], None] | None = None) -> Iterator[Article]:
    return articles_from_lines(iter_nonblank_lines(decode_utf8(raw, name)), name,
                               lambda line, number: jsonl_line_article(line, name, number, stem), on_error)


def _jsonl_file_articles(path: Path, on_error: Callable[[UserError], None] | None = None) -> Iterator[Article]:
    """A JSONL file read line by line: memory does not grow with the file."""
    name = str(path)
    return articles_from_lines(jsonl_file_lines(path), name,
                               lambda line, number: jsonl_line_article(line, name, number, path.stem), on_error)


def jsonl_line_article(line: str, name: str, number: int, stem: str | None = None) -> Article:
    """One JSONL input line as the article ``score`` reads from it (the Ray engine reads lines itself)."""
    return jsonl_object_article(parse_jsonl_line(line, name, number), name, number, stem)


def jsonl_object_article(obj: dict, name: str, number: int, stem: str | None = None) -> Article:
    """The object of JSONL line ``number``, parsed already, as :func:`jsonl_line_article`
    reads it (``saidwho serve`` parses a request body itself, to tell its status)."""
    stem = stem if stem is not None else Path(name).stem
    return _jsonl_article(obj, f"{name}:{number}", f"{stem}-{number}")


def _jsonl_article(obj: dict, where: str, default_id: str) -> Article:
    if "text" not in obj:
        raise UserError(f"{where}: record has no 'text'")
    if not isinstance(obj["text"], str):
        raise UserError(f"{where}: 'text' must be a string")
    if not obj["text"].strip():
        raise UserError(f"{where}: empty article")
    if "sentences" in obj or "sources" in obj:
        return article_from_dict_checked(obj, where)
    obj = dict(obj)
    obj["id"] = str(obj["id"]) if obj.get("id") not in (None, "") else default_id
    obj["text"] = normalize_newlines(obj["text"])
    return article_from_dict_checked(obj, where)
