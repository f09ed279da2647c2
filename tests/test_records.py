"""Records: round trips, JSONL reading errors, atomic writing."""

import json

import pytest

from saidwho.errors import UserError
from saidwho.records import Article, Sentence, Source
from saidwho.io import read_articles, write_articles


def sample() -> Article:
    text = "Prices rose. “It hurts,” she said.\u2028Done."
    return Article(
        id="a1",
        text=text,
        title="t",
        sources=[Source("s1", "Carla Ruiz", "person", ["Ms. Ruiz"])],
        sentences=[
            Sentence(0, 12, "body", "reported_fact"),
            Sentence(13, 34, "body", "sourced_claim", speaker="s1", speaker_span=(25, 28), cue_span=(29, 33), confidence=0.9, scores={"sourced_claim": 0.9}),
        ],
        extra={"corpus": "test"},
    )


def test_round_trip_keeps_everything(tmp_path):
    path = tmp_path / "r.jsonl"
    write_articles(path, [sample()])
    (back,) = read_articles(path)
    assert back == sample()
    assert back.extra == {"corpus": "test"}
    line = json.loads(path.read_text(encoding="utf-8"))
    assert line["sentences"][1]["text"] == "“It hurts,” she said."
    assert line["sentences"][1]["speaker_span"] == [25, 28]


def test_bad_json_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n\n{"id": \n', encoding="utf-8")
    with pytest.raises(UserError, match=r"bad\.jsonl:3: bad JSON"):
        read_articles(path)


def test_missing_text_is_user_error(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "a"}\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"r\.jsonl:1: a record needs"):
        read_articles(path)


def test_failed_write_leaves_nothing(tmp_path):
    path = tmp_path / "out.jsonl"

    def broken():
        yield sample()
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_articles(path, broken())
    assert list(tmp_path.iterdir()) == []
