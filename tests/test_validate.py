"""The validator reports every problem as FILE:LINE: what is wrong."""

import json

import pytest

from saidwho.errors import UserError
from saidwho.validate import validate_file, validate_record

TEXT = "Prices rose. She said no."


def record(**changes):
    base = {
        "id": "a",
        "text": TEXT,
        "sources": [{"id": "s1", "name": "Ana Ruiz", "type": "person", "aliases": []}],
        "sentences": [
            {"start": 0, "end": 12, "kind": "body", "label": "reported_fact", "speaker": None},
            {"start": 13, "end": 25, "kind": "body", "label": "sourced_claim", "speaker": "s1"},
        ],
    }
    base.update(changes)
    return base


def test_valid_record_has_no_problems():
    assert validate_record(record()) == []


def test_each_problem_is_reported():
    bad = record(
        sources=[{"id": "s1", "name": "Ana", "type": "alien", "aliases": []}],
        sentences=[
            {"start": 13, "end": 25, "kind": "body", "label": "opinion", "speaker": "s1"},
            {"start": 0, "end": 14, "kind": "body", "label": "facts", "text": "wrong"},
            {"start": 20, "end": 99, "kind": "sidebar", "label": None, "speaker": "s9"},
            {"start": 22, "end": 24, "kind": "meta", "label": "opinion"},
        ],
    )
    problems = "\n".join(validate_record(bad))
    assert "unknown type 'alien'" in problems
    assert "not sorted" in problems
    assert "'text' does not equal" in problems
    assert "needs a label" in problems
    assert "out of range" in problems
    assert "unknown kind 'sidebar'" in problems
    assert "speaker 's9' is not a source id" in problems
    assert "speaker 's1' set on a 'opinion' sentence" in problems
    assert "must have label null" in problems


def test_overlap_detected():
    bad = record(sentences=[
        {"start": 0, "end": 14, "kind": "body", "label": "reported_fact"},
        {"start": 13, "end": 25, "kind": "body", "label": "reported_fact"},
    ])
    assert any("overlaps" in p for p in validate_record(bad))


def test_file_problems_carry_file_and_line(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record()) + "\n" + "{oops\n" + json.dumps(record(id="b", sentences=[{"start": 0, "end": 3, "kind": "body", "label": None}])) + "\n", encoding="utf-8")
    problems = validate_file(path)
    assert problems[0].startswith(f"{path}:2: bad JSON")
    assert problems[1].startswith(f"{path}:3: sentences[0]: a body sentence needs a label")
    assert len(problems) == 2


def test_unreadable_files_are_one_line_errors(tmp_path):
    with pytest.raises(UserError, match=r"^.*nope\.jsonl: no such file$"):
        validate_file(tmp_path / "nope.jsonl")
    with pytest.raises(UserError, match=r"is a directory, expected a JSONL file$"):
        validate_file(tmp_path)
    path = tmp_path / "latin.jsonl"
    path.write_bytes(json.dumps(record()).encode() + b"\n{\"id\": \"caf\xe9\"}\n")
    (problem,) = validate_file(path)
    assert problem.startswith(f"{path}:2: not valid UTF-8")
