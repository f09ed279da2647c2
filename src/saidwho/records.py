"""The one record type that flows through the whole pipeline.

Follows ../shared/FORMAT.md exactly: an :class:`Article` holds the text as
analysed, its ``sources`` and its ``sentences`` (segments with a ``kind``).
Offsets are Python ``str`` indices into ``Article.text``.

Pipeline stages may attach working state to a sentence (quotation state from
segmentation, mention candidates from attribution). That state lives in
``Sentence.annotations`` and is never written to JSONL, so the file format
stays exactly the documented contract.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saidwho.errors import UserError

LABELS: tuple[str, ...] = ("reported_fact", "sourced_claim", "opinion")
KINDS: tuple[str, ...] = ("headline", "dek", "byline", "dateline", "caption", "heading", "meta", "body")
LABELLED_KINDS: frozenset[str] = frozenset({"body", "dek"})
SOURCE_TYPES: tuple[str, ...] = ("person", "organization", "document", "anonymous", "unknown")

Span = tuple[int, int]


@dataclass
class Source:
    id: str
    name: str
    type: str = "unknown"
    aliases: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.type, "aliases": list(self.aliases)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        return cls(
            id=str(data["id"]),
            name=str(data.get("name", "")),
            type=str(data.get("type", "unknown")),
            aliases=[str(a) for a in data.get("aliases") or []],
        )


@dataclass
class Sentence:
    start: int
    end: int
    kind: str = "body"
    label: str | None = None
    alt_labels: list[str] = field(default_factory=list)
    speaker: str | None = None
    speaker_span: Span | None = None
    cue_span: Span | None = None
    confidence: float | None = None
    scores: dict[str, float] | None = None
    # Working state of pipeline stages (never serialised), for example
    # {"in_quote": True, "quote_open": 120, "paragraph": 3, "duplicate": True}.
    annotations: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def labelled(self) -> bool:
        return self.kind in LABELLED_KINDS

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end}
        if text is not None:
            out["text"] = text[self.start : self.end]
        out.update(
            kind=self.kind,
            label=self.label,
            alt_labels=list(self.alt_labels),
            speaker=self.speaker,
            speaker_span=list(self.speaker_span) if self.speaker_span else None,
            cue_span=list(self.cue_span) if self.cue_span else None,
        )
        if self.confidence is not None:
            out["confidence"] = round(float(self.confidence), 4)
        if self.scores is not None:
            out["scores"] = {k: round(float(v), 4) for k, v in self.scores.items()}
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sentence:
        def span(value: Any) -> Span | None:
            if value is None:
                return None
            return (int(value[0]), int(value[1]))

        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            kind=str(data.get("kind", "body")),
            label=data.get("label"),
            alt_labels=list(data.get("alt_labels") or []),
            speaker=data.get("speaker"),
            speaker_span=span(data.get("speaker_span")),
            cue_span=span(data.get("cue_span")),
            confidence=data.get("confidence"),
            scores=data.get("scores"),
        )


@dataclass
class Article:
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    sources: list[Source] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    summary: dict[str, Any] | None = None
    # Fields a record carried that FORMAT.md does not name (for example a
    # converter's provenance); kept so that a round trip loses nothing.
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def sentence_text(self, sentence: Sentence) -> str:
        return self.text[sentence.start : sentence.end]

    def source_by_id(self, source_id: str) -> Source | None:
        for source in self.sources:
            if source.id == source_id:
                return source
        return None

    def to_dict(self, include_sentence_text: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "text": self.text}
        for key in ("title", "url", "outlet", "published"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out.update(self.extra)
        out["sources"] = [s.to_dict() for s in self.sources]
        out["sentences"] = [
            s.to_dict(self.text if include_sentence_text else None) for s in self.sentences
        ]
        if self.summary is not None:
            out["summary"] = self.summary
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        known = {"id", "text", "title", "url", "outlet", "published", "sources", "sentences", "summary"}
        return cls(
            id=str(data["id"]),
            text=data["text"],
            title=data.get("title"),
            url=data.get("url"),
            outlet=data.get("outlet"),
            published=data.get("published"),
            sources=[Source.from_dict(s) for s in data.get("sources") or []],
            sentences=[Sentence.from_dict(s) for s in data.get("sentences") or []],
            summary=data.get("summary"),
            extra={k: v for k, v in data.items() if k not in known},
        )


def iter_jsonl_dicts(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, object)`` for each non-blank line of a JSONL file.

    Bad input raises :class:`UserError` naming the file and line.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a directory, expected a JSONL file") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror}") from None
    yield from iter_jsonl_text(decode_utf8(raw, str(path)), str(path))


def iter_jsonl_text(text: str, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in iter_nonblank_lines(text):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UserError(f"{name}:{number}: bad JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(obj, dict):
            raise UserError(f"{name}:{number}: expected a JSON object, got {type(obj).__name__}")
        yield number, obj


def decode_utf8(raw: bytes, name: str) -> str:
    """Decode UTF-8 with or without a BOM; undecodable input is a user error."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UserError(
            f"{name}:{line}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "convert the file to UTF-8 first"
        ) from None


def read_articles(path: str | Path) -> list[Article]:
    """Read a JSONL file of article records (structure errors raise UserError)."""
    articles = []
    for number, obj in iter_jsonl_dicts(path):
        articles.append(article_from_dict_checked(obj, f"{path}:{number}"))
    return articles


def article_from_dict_checked(obj: dict[str, Any], where: str) -> Article:
    if "id" not in obj or "text" not in obj:
        raise UserError(f"{where}: a record needs 'id' and 'text'")
    if not isinstance(obj["text"], str):
        raise UserError(f"{where}: 'text' must be a string")
    try:
        return Article.from_dict(obj)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise UserError(f"{where}: malformed record: {exc!r}") from None


def dumps_article(article: Article) -> str:
    return json.dumps(article.to_dict(), ensure_ascii=False)


def write_articles(path: str | Path, articles: Iterable[Article]) -> int:
    """Write records atomically: a failure leaves no half-written file."""
    with atomic_writer(path) as handle:
        count = 0
        for article in articles:
            handle.write(dumps_article(article) + "\n")
            count += 1
    return count


class atomic_writer:
    """Open a temporary file beside ``path``; rename it over ``path`` on success only."""

    def __init__(self, path: str | Path, mode: str = "w"):
        self.path = Path(path)
        self.mode = mode
        self._tmp: str | None = None
        self._handle = None

    def __enter__(self):
        directory = self.path.parent if str(self.path.parent) else Path(".")
        if not directory.exists():
            raise UserError(f"{self.path}: folder {directory} does not exist")
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part", dir=directory)
        self._handle = os.fdopen(fd, self.mode, encoding=None if "b" in self.mode else "utf-8")
        return self._handle

    def __exit__(self, exc_type, exc, tb):
        assert self._handle is not None and self._tmp is not None
        self._handle.close()
        if exc_type is None:
            # mkstemp makes the file private (0600); give it the usual mode.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self._tmp, 0o666 & ~umask)
            os.replace(self._tmp, self.path)
        else:
            try:
                os.unlink(self._tmp)
            except FileNotFoundError:
                pass
        return False


@contextmanager
def atomic_directory(path: str | Path) -> Iterator[Path]:
    """Build a folder beside ``path`` and move it into place only on success.

    An interrupted or failed run leaves the old folder (or nothing) in place,
    never a half-written one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        yield staging
        staging.chmod(0o755)
        if path.exists():
            shutil.rmtree(path)
        staging.rename(path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def iter_nonblank_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line_number, line)`` for the non-blank lines of a JSONL text.

    Splits on "\n" only: str.splitlines() also breaks on U+2028 and friends,
    which json.dumps(ensure_ascii=False) leaves unescaped inside strings.
    """
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if line.strip():
            yield number, line
