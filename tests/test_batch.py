"""Batch output: checks before the model loads, OUT.part written as it goes, --resume after a real SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from saidwho.batch.output import PartialOutput, check_output_path
from saidwho.errors import UserError
from saidwho.evaluation.scoring import check_pairing
from saidwho.records import Article


def test_output_checks_run_before_any_scoring(tmp_path):
    with pytest.raises(UserError, match="is a folder"):
        check_output_path(tmp_path, force=False)
    with pytest.raises(UserError, match="does not exist"):
        check_output_path(tmp_path / "missing" / "out.jsonl", force=False)
    existing = tmp_path / "out.jsonl"
    existing.write_text("x\n")
    with pytest.raises(UserError, match="--force"):
        check_output_path(existing, force=False)
    with pytest.raises(UserError, match="already complete"):
        check_output_path(existing, force=False, resume=True)
    check_output_path(existing, force=True)
    check_output_path(tmp_path / "new.jsonl", force=False)


def test_resume_keeps_complete_lines_and_drops_a_cut_one(tmp_path):
    out = tmp_path / "out.jsonl"
    sink = PartialOutput(out)
    for n in range(3):
        sink.write(Article(id=f"a{n}", text=f"Text {n}."))
    sink.close()
    assert not out.exists() and sink.part.exists()
    with open(sink.part, "a", encoding="utf-8") as handle:
        handle.write('{"id": "a3", "text": "cut by the ki')  # a kill mid-line
    again = PartialOutput(out, resume=True)
    assert again.done == {"a0", "a1", "a2"}
    again.write(Article(id="a3", text="Text 3."))
    again.finish()
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a0", "a1", "a2", "a3"]
    assert not sink.part.exists()


def _run_score(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "saidwho", "score", *args], cwd=cwd, capture_output=True, text=True, timeout=600)

def _write_council_articles(path: Path, count: int) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for n in range(count):
            text = f"The council met on day {n}. Mayor Ana Ruiz said the budget would pass. Critics disagreed."
            handle.write(json.dumps({"id": f"doc{n:03d}", "text": text}) + "\n")


def _score_until_records(inputs: Path, output: str, cwd: Path, records: int) -> subprocess.Popen:
    """``saidwho score`` started in the background, returned once OUT.part holds ``records`` records."""
    part = cwd / f"{output}.part"
    process = subprocess.Popen(
        [sys.executable, "-m", "saidwho", "score", str(inputs), "-o", output, "-m", "rules"],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # A shell's background job (`pytest ... &`) ignores SIGINT, and so would
        # this child, inheriting it: give it the default, as a terminal does.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.time() + 300
    while time.time() < deadline and process.poll() is None:
        if part.exists() and part.read_bytes().count(b"\n") >= records:
            return process
        time.sleep(0.02)
    process.kill()
    pytest.fail("the run finished (or stalled) before it could be stopped; make the input longer")


def test_sigkill_then_resume_gives_the_same_file(tmp_path):
    inputs = tmp_path / "in.jsonl"
    _write_council_articles(inputs, 160)
    whole = _run_score([str(inputs), "-o", "whole.jsonl", "-m", "rules"], tmp_path)
    assert whole.returncode == 0, whole.stderr

    part = tmp_path / "cut.jsonl.part"
    process = _score_until_records(inputs, "cut.jsonl", tmp_path, 16)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not (tmp_path / "cut.jsonl").exists() and part.exists()
    done = part.read_bytes().count(b"\n")
    assert 16 <= done < 160

    resumed = _run_score([str(inputs), "-o", "cut.jsonl", "-m", "rules", "--resume"], tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert (tmp_path / "cut.jsonl").read_bytes() == (tmp_path / "whole.jsonl").read_bytes()
    assert not part.exists()


def test_existing_output_is_refused_before_the_model_loads(tmp_path):
    (tmp_path / "in.txt").write_text("Ana Ruiz said the plan would fail.", encoding="utf-8")
    (tmp_path / "out.jsonl").write_text("keep me\n", encoding="utf-8")
    result = _run_score(["in.txt", "-o", "out.jsonl", "-m", "no-such-model"], tmp_path)
    # The output check fires first: the unknown model is never looked up.
    assert result.returncode == 2 and "exists; pass --force" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == "keep me\n"


def test_eval_refuses_predictions_that_cannot_be_paired():
    gold = [Article(id="a", text="One."), Article(id="b", text="Two.")]
    with pytest.raises(UserError, match="no predicted id matches"):
        check_pairing(gold, [Article(id="x", text="One.")], "pred.jsonl")
    with pytest.raises(UserError, match="differs from the gold's for id"):
        check_pairing(gold, [Article(id="a", text="One!")], "pred.jsonl")
    check_pairing(gold, [Article(id="a", text="One.")], "pred.jsonl")  # a missing article is scored as missed


def _bad_batch(tmp_path: Path) -> Path:
    inputs = tmp_path / "in.jsonl"
    inputs.write_text(
        '{"id": "a", "text": "Ana Ruiz said the plan would fail."}\n'
        '{"id": "b", "text": "broken\n'
        '{"id": "c", "text": "The council met on Monday."}\n'
        '{"id": "d"}\n'
        '{"id": "e", "text": "Critics said the vote was rushed."}\n',
        encoding="utf-8",
    )
    return inputs


def test_on_error_skip_scores_the_rest_and_lists_what_was_skipped(tmp_path):
    _bad_batch(tmp_path)
    result = _run_score(["in.jsonl", "-o", "out.jsonl", "-m", "rules", "--on-error", "skip"], tmp_path)
    assert result.returncode == 3, result.stderr
    ids = [json.loads(line)["id"] for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ids == ["a", "c", "e"]
    errors = [json.loads(line) for line in (tmp_path / "out.jsonl.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["where"] for e in errors] == ["in.jsonl:2", "in.jsonl:4"]
    assert "bad JSON" in errors[0]["reason"] and "no 'text'" in errors[1]["reason"]


def test_on_error_stop_is_the_default_and_writes_nothing(tmp_path):
    _bad_batch(tmp_path)
    result = _run_score(["in.jsonl", "-o", "out.jsonl", "-m", "rules"], tmp_path)
    assert result.returncode == 2 and "in.jsonl:2: bad JSON" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_two_workers_write_the_same_file_as_one(tmp_path):
    inputs = tmp_path / "in.jsonl"
    with open(inputs, "w", encoding="utf-8") as handle:
        for n in range(40):
            handle.write(json.dumps({"id": f"doc{n:02d}", "text": f"Item {n}. Mayor Ana Ruiz said the budget would pass."}) + "\n")
    one = _run_score([str(inputs), "-o", "one.jsonl", "-m", "rules"], tmp_path)
    two = _run_score([str(inputs), "-o", "two.jsonl", "-m", "rules", "--workers", "2"], tmp_path)
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert (tmp_path / "two.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()


def test_bench_scale_reports_time_and_memory_of_both_runs(tmp_path):
    from saidwho.evaluation.bench import scale_benchmark

    articles = [Article(id=f"a{n}", text=f"Item {n}. Mayor Ana Ruiz said the budget would pass.") for n in range(3)]
    result = scale_benchmark(articles, "rules", factor=2)
    assert result["articles"] == 3 and result["factor"] == 2
    for key in ("seconds_1x", "seconds_2x", "peak_rss_mb_1x", "peak_rss_mb_2x"):
        assert result[key] > 0, key
    assert result["time_ratio"] == round(result["seconds_2x"] / result["seconds_1x"], 2)


def test_ctrl_c_says_how_to_resume_and_the_resumed_file_is_complete(tmp_path):
    """A real SIGINT to the score process: exit 130, one line naming OUT.part and --resume, no traceback."""
    ARTICLES = 160
    inputs = tmp_path / "in.jsonl"
    _write_council_articles(inputs, ARTICLES)
    part = tmp_path / "out.jsonl.part"
    process = _score_until_records(inputs, "out.jsonl", tmp_path, 16)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr and len(lines) == 1, stderr
    assert lines[0] == "saidwho: interrupted; the records scored so far are in out.jsonl.part: run the same command with --resume to continue"
    assert not (tmp_path / "out.jsonl").exists()
    kept = part.read_bytes().count(b"\n")
    assert 16 <= kept < ARTICLES

    resumed = _run_score([str(inputs), "-o", "out.jsonl", "-m", "rules", "--resume"], tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    ids = [json.loads(line)["id"] for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ids == [f"doc{n:03d}" for n in range(ARTICLES)]


def test_part_file_appears_with_the_first_record_only(tmp_path):
    """A run stopped before its first record (a model that fails to load, Ctrl-C) leaves no empty OUT.part."""
    out = tmp_path / "out.jsonl"
    sink = PartialOutput(out)
    sink.close()
    assert list(tmp_path.iterdir()) == []
    sink = PartialOutput(out)
    sink.write(Article(id="a", text="Text."))
    sink.close()
    assert sink.part.exists() and not out.exists()
