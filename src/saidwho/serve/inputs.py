"""Request bodies and uploaded files read as ``saidwho score`` reads its inputs.

The same functions as the command line read them (:mod:`saidwho.io`,
:mod:`saidwho.ingest`), so a request gets the article, and the one-line
message, that a file with the same content would get. The name ``request``
stands for the file name: a JSON article without an id gets ``request-1`` as a
JSONL line 1 without one gets ``STEM-1``. Each message maps to a status:

- 400: the body cannot be read: empty, not UTF-8, not JSON (for a JSON type),
  not the JSON expected (an object; a list for a batch);
- 413: an article longer than ``--max-chars`` (the body limit is the app's);
- 415: a Content-Type (or charset, or uploaded file type) that is not read;
- 422: readable, but not an article: no ``text``, an empty text, a record
  whose fields are malformed, an HTML page without article text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from saidwho.batch.output import check_article_size
from saidwho.errors import UserError
from saidwho.ingest import (
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    TEXT_SUFFIXES,
    detect_format,
    html_article,
    jsonl_object_article,
    text_article,
    unique_ids,
)
from saidwho.io import check_json_type, decode_utf8, iter_nonblank_lines, parse_json, parse_jsonl_line
from saidwho.records import Article

__all__ = ["REQUEST", "BadInput", "batch_articles", "one_article", "pasted_article", "upload_articles"]

REQUEST = "request"  # the name of a request body in messages, and the stem of its ids

# Media types read, and the reading each stands for; a missing type (or
# application/octet-stream) is told from the content, as standard input is.
MEDIA_TYPES = {
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/jsonlines": "jsonl",
    "application/json-lines": "jsonl",
    "text/plain": "text",
    "text/html": "html",
}


class BadInput(Exception):
    """A request the service answers with ``status`` and the one-line ``message``."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@contextmanager
def _status(code: int) -> Iterator[None]:
    """The command line's :class:`UserError` as the HTTP status ``code``."""
    try:
        yield
    except UserError as exc:
        raise BadInput(code, str(exc)) from None


def body_format(content_type: str | None, raw: bytes) -> str:
    """``json``, ``jsonl``, ``text`` or ``html`` for a request's Content-Type (415 for others)."""
    media, _, parameters = (content_type or "").partition(";")
    media = media.strip().lower()
    for parameter in parameters.split(";"):
        key, _, value = parameter.partition("=")
        charset = value.strip().strip('"').lower()
        if key.strip().lower() == "charset" and charset not in ("utf-8", "utf8", "us-ascii", "ascii"):
            raise BadInput(415, f"{REQUEST}: charset {charset!r} is not read; send UTF-8")
    if media in ("", "application/octet-stream"):
        # Standard input's rule (ingest.detect_format), and a JSON list is JSON.
        return "json" if raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[") else detect_format(raw)
    if media.endswith("+json"):
        return "json"
    if media not in MEDIA_TYPES:
        raise BadInput(415, f"{REQUEST}: Content-Type {media!r} is not read; send application/json, application/x-ndjson, text/plain or text/html")
    return MEDIA_TYPES[media]


def one_article(raw: bytes, content_type: str | None, *, article_id: str | None, max_chars: int) -> Article:
    """The article of a ``POST /v1/score`` body: a JSON object (an article
    ``{"text", "id", "title", ...}`` or a record), a plain text or an HTML page;
    ``article_id`` names a text or page (default ``request``)."""
    fmt = body_format(content_type, raw)
    _check_not_empty(raw, REQUEST)
    if fmt in ("json", "jsonl"):
        with _status(400):
            text = decode_utf8(raw, REQUEST)
            lines = list(iter_nonblank_lines(text))
            if len(lines) == 1:  # read as a JSONL file's line: the CLI's messages, to the column
                number, line = lines[0]
                obj = parse_jsonl_line(line, REQUEST, number)
            else:  # pretty-printed: where the JSON breaks, by line and column of the body
                number = 1
                obj = parse_json(text, REQUEST, dict, "a JSON object")
        with _status(422):
            article = jsonl_object_article(obj, REQUEST, number, REQUEST)
    else:
        article = _document(raw, fmt, REQUEST, article_id or REQUEST)
    _check_size(article, max_chars)
    return article


def batch_articles(raw: bytes, content_type: str | None, *, max_chars: int) -> list[Article]:
    """The articles of a ``POST /v1/score/batch`` body: a JSON list of
    articles, or JSONL (one per line), read like a JSONL file (ids made unique
    as ``saidwho score`` makes them); a text or page is a batch of one."""
    fmt = body_format(content_type, raw)
    _check_not_empty(raw, REQUEST)
    if fmt == "json":
        with _status(400):
            items = parse_json(decode_utf8(raw, REQUEST), REQUEST, list, "a JSON list of articles")
        # Item N is read as line N of a JSONL file would be: the same checks and messages, item by item.
        objects = ((number, check_json_type(item, f"{REQUEST}:{number}", dict, "a JSON object")) for number, item in enumerate(items, start=1))
        articles = _jsonl_articles(objects, REQUEST, REQUEST)
    elif fmt == "jsonl":
        articles = _jsonl_lines(raw, REQUEST, REQUEST)
    else:
        articles = [_document(raw, fmt, REQUEST, REQUEST)]
    return _checked(articles, REQUEST, max_chars)


def upload_articles(raw: bytes, filename: str, *, max_chars: int) -> list[Article]:
    """The articles of a file uploaded on the page: a .txt, .html or .jsonl
    file read as ``saidwho score FILE`` reads it (the id is its stem)."""
    name = Path(filename.replace("\\", "/")).name or "upload"
    suffix = Path(name).suffix.lower()
    _check_not_empty(raw, name)
    if suffix in JSONL_SUFFIXES:
        articles = _jsonl_lines(raw, name, Path(name).stem)
    elif suffix in HTML_SUFFIXES or suffix in TEXT_SUFFIXES:
        articles = [_document(raw, "html" if suffix in HTML_SUFFIXES else "text", name, Path(name).stem)]
    else:
        raise BadInput(415, f"{name}: choose a .txt, .html or .jsonl file")
    return _checked(articles, name, max_chars)


def pasted_article(text: str, *, max_chars: int) -> Article:
    """The text pasted on the page, read as a plain-text file named ``pasted``."""
    if not text.strip():
        raise BadInput(400, "paste an article's text or choose a file")
    with _status(422):
        article = text_article(text, article_id="pasted", name="pasted text")
    _check_size(article, max_chars)
    return article


def _document(raw: bytes, fmt: str, name: str, article_id: str) -> Article:
    """A plain-text or HTML article."""
    if fmt == "html":
        with _status(422):
            return html_article(raw, article_id=article_id, name=name)
    with _status(400):
        text = decode_utf8(raw, name)
    with _status(422):
        return text_article(text, article_id=article_id, name=name)


def _jsonl_lines(raw: bytes, name: str, stem: str) -> list[Article]:
    with _status(400):
        objects = [(number, parse_jsonl_line(line, name, number)) for number, line in iter_nonblank_lines(decode_utf8(raw, name))]
    return _jsonl_articles(objects, name, stem)


def _jsonl_articles(objects: Iterable[tuple[int, dict]], name: str, stem: str) -> list[Article]:
    """The article of each parsed JSONL line (or JSON list item), as ``saidwho score`` reads it."""
    with _status(422):
        return [jsonl_object_article(obj, name, number, stem) for number, obj in objects]


def _checked(articles: list[Article], name: str, max_chars: int) -> list[Article]:
    if not articles:
        raise BadInput(422, f"{name}: no records")
    articles = list(unique_ids(articles))
    for article in articles:
        _check_size(article, max_chars)
    return articles


def _check_not_empty(raw: bytes, name: str) -> None:
    if not raw.strip():
        raise BadInput(400, f"{name}: empty body" if name == REQUEST else f"{name}: empty file")


def _check_size(article: Article, max_chars: int) -> None:
    with _status(413):
        check_article_size(article, max_chars)
