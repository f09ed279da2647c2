"""Helpers the corpus converter tests share (tests/test_convert.py, tests/test_polnear.py)."""

from __future__ import annotations

import json
from pathlib import Path

from saidwho.records import Article
from saidwho.validate import validate_record


def check_invariants(article: Article) -> None:
    problems = validate_record(article.to_dict())
    assert not problems, (article.id, problems[:5])
    previous = 0
    for sentence in article.sentences:
        assert previous <= sentence.start < sentence.end <= len(article.text)
        previous = sentence.end
        text = article.text[sentence.start : sentence.end]
        assert text == text.strip(), (article.id, text)
    # the record survives a JSON round trip unchanged
    again = Article.from_dict(json.loads(json.dumps(article.to_dict())))
    assert again.to_dict() == article.to_dict()


def write(path: Path, content: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(content)
    return path
