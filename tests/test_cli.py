"""The command line: outputs, and one-line errors with exit code 2 for user mistakes."""

import io
import json
import sys
from pathlib import Path

import pytest

from saidwho import __version__
from saidwho.cli import main
from saidwho.validate import validate_file

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "harbour-strike.txt"
EXAMPLE_GOLD = EXAMPLE.with_suffix(".gold.jsonl")


def run(monkeypatch, capsys, *args, stdin: bytes | None = None):
    monkeypatch.setattr(sys, "argv", ["saidwho", *map(str, args)])
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, err


def test_version(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "--version")
    assert code == 0 and out.strip() == f"saidwho {__version__}"


def test_missing_file_is_one_line_exit_2(monkeypatch, capsys, tmp_path):
    code, out, err = run(monkeypatch, capsys, "score", tmp_path / "nope.txt")
    assert code == 2
    assert err.strip().count("\n") == 0 and "nope.txt: no such file" in err
    assert "Traceback" not in err


def test_bad_json_line_is_reported_and_nothing_written(monkeypatch, capsys, tmp_path):
    bad = tmp_path / "in.jsonl"
    bad.write_text('{"id": "a", "text": "A line. Another."}\n{"id": "b", "text": \n', encoding="utf-8")
    out_file = tmp_path / "out.jsonl"
    code, _, err = run(monkeypatch, capsys, "score", bad, "-o", out_file)
    assert code == 2 and f"{bad}:2: bad JSON" in err
    assert not out_file.exists() and list(tmp_path.iterdir()) == [bad]


def test_empty_article(monkeypatch, capsys, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, "score", empty)
    assert code == 2 and "empty article" in err


def test_score_writes_valid_records_with_unchanged_text(monkeypatch, capsys, tmp_path):
    out_file = tmp_path / "out.jsonl"
    code, _, err = run(monkeypatch, capsys, "score", EXAMPLE, "-o", out_file)
    assert code == 0, err
    assert validate_file(out_file) == []
    record = json.loads(out_file.read_text(encoding="utf-8"))
    assert record["text"] == EXAMPLE.read_text(encoding="utf-8")
    assert record["summary"]["sourced_sentences"] > 0
    assert any(s["speaker"] for s in record["sentences"])


def test_score_stdin_and_table(monkeypatch, capsys):
    text = "Strike talks stall\n\nDana Ortiz said the strike would go on. The port was quiet.\n"
    code, out, err = run(monkeypatch, capsys, "score", "-", "--format", "table", stdin=text.encode())
    assert code == 0, err
    assert "sourced_claim" in out and "Dana Ortiz" in out and "reported_fact" in out


def test_unknown_format_and_model(monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, "score", EXAMPLE, "--format", "pdf")
    assert code == 2 and "--format" in err
    code, _, err = run(monkeypatch, capsys, "score", EXAMPLE, "--model", "no-such-model")
    assert code == 2 and "model 'no-such-model' not found" in err


def test_eval_gold_against_itself_and_two_files(monkeypatch, capsys, tmp_path):
    code, out, err = run(monkeypatch, capsys, "eval", EXAMPLE_GOLD, EXAMPLE_GOLD, "--json", "--bootstrap", "0")
    assert code == 0, err
    metrics = json.loads(out)["metrics"]
    assert metrics["accuracy"] == 1.0 and metrics["speaker_accuracy"] == 1.0
    code, out, err = run(monkeypatch, capsys, "eval", EXAMPLE_GOLD, EXAMPLE_GOLD, "--model", "rules", "--bootstrap", "0", "--report", tmp_path / "rep")
    assert code == 0, err
    assert (tmp_path / "rep" / "report.md").exists() and (tmp_path / "rep" / "report.json").exists()
    assert "model:rules" in (tmp_path / "rep" / "report.md").read_text(encoding="utf-8")


def test_validate_reports_problems(monkeypatch, capsys, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "abc", "sentences": [{"start": 0, "end": 9, "kind": "body", "label": "fact"}]}\n', encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, "validate", bad)
    assert code == 1
    assert f"{bad}:1: sentences[0]: offsets 0-9 out of range" in out


def test_convert_unknown_corpus(monkeypatch, capsys, tmp_path):
    code, _, err = run(monkeypatch, capsys, "convert", "nosuch", tmp_path, "-o", tmp_path / "x.jsonl")
    assert code == 2 and "nosuch" in err


@pytest.mark.shared_data
def test_score_polnear_articles_keeps_text_byte_for_byte(monkeypatch, capsys, tmp_path, shared_data):
    texts = sorted((shared_data / "polnear" / "dev" / "text").glob("*.txt"))[:6]
    out_file = tmp_path / "out.jsonl"
    code, _, err = run(monkeypatch, capsys, "score", *texts, "--model", "rules", "-o", out_file)
    assert code == 0, err
    assert validate_file(out_file) == []
    records = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [t.stem for t in texts]
    for record, path in zip(records, texts):
        assert record["text"].encode("utf-8") == path.read_bytes()


def test_usage_mistakes_are_one_message_and_exit_2_never_a_traceback():
    """Through the real entry point (typer's own copy of click raises its own exception classes)."""
    import subprocess
    import sys

    for argv in (["score", "--bogus", "x"], ["report"], ["eval", "--part"]):
        run = subprocess.run([sys.executable, "-m", "saidwho", *argv], capture_output=True, text=True)
        assert run.returncode == 2, (argv, run.stderr)
        assert "Traceback" not in run.stderr and "Error:" in run.stderr, (argv, run.stderr)
