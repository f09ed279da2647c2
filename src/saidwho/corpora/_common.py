"""Helpers shared by the converters: split names, paths, one-sentence records."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from saidwho.errors import UserError
from saidwho.records import Article, Sentence


def split_names(split: Any = None, splits: Any = None) -> list[str] | None:
    """``split``/``splits`` as a list of names: "train", "train,dev" or ["train", "dev"]; None for default."""
    value = splits if split is None else split
    if split is not None and splits is not None:
        raise UserError("give either split or splits, not both")
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else list(value)
    names = [str(item).strip() for item in items if str(item).strip()]
    if not names:
        raise UserError("split: give at least one split name")
    return names


def existing(src: str | Path) -> Path:
    path = Path(src)
    if not path.exists():
        raise UserError(f"{path}: no such file or folder")
    return path


def trimmed_span(text: str) -> tuple[int, int]:
    """Offsets of ``text`` without surrounding whitespace."""
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return start, max(start, end)


def one_sentence_article(
    article_id: str,
    text: str,
    label: str,
    alt_labels: list[str],
    extra: dict[str, Any],
    **fields: Any,
) -> Article:
    """A record whose whole text is one body sentence (surrounding space left out)."""
    start, end = trimmed_span(text)
    sentence = Sentence(start=start, end=end, kind="body", label=label, alt_labels=list(alt_labels))
    article = Article(id=article_id, text=text, sentences=[sentence], **fields)
    article.extra = dict(extra)
    return article


def csv_header(path: Path, delimiter: str, quoting: int = csv.QUOTE_MINIMAL) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        try:
            return next(csv.reader(handle, delimiter=delimiter, quoting=quoting))
        except StopIteration:
            return []
        except (csv.Error, UnicodeDecodeError):
            return []
