"""The command line: outputs, and one-line errors with exit code 2 for user mistakes."""

import io
import json
import shutil
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


def test_eval_runs_the_model_on_the_same_input_as_score(monkeypatch, capsys, tmp_path):
    # The gold article with its metadata (title, outlet, a field of its own):
    # eval --model must hand the model what score does, not a copy that keeps
    # some fields and drops others (the context component reads the title).
    record = json.loads(EXAMPLE_GOLD.read_text(encoding="utf-8"))
    record.update(title="Rotterdam dock strike enters third day", outlet="Saidwho Wire", published="2024-10-23", desk="ports")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, "eval", gold, "--model", "rules", "--bootstrap", "0", "--json", "--save-predictions", tmp_path / "eval.jsonl")
    assert code == 0, err
    code, _, err = run(monkeypatch, capsys, "score", gold, "--model", "rules", "-o", tmp_path / "score.jsonl")
    assert code == 0, err
    predicted = json.loads((tmp_path / "eval.jsonl").read_text(encoding="utf-8"))
    assert (predicted["title"], predicted["outlet"], predicted["published"], predicted["desk"]) == (record["title"], "Saidwho Wire", "2024-10-23", "ports")
    assert (tmp_path / "eval.jsonl").read_bytes() == (tmp_path / "score.jsonl").read_bytes()


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


# ---------------------------------------------------------------- bad input and faults (issue 19, part 3)


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_an_article_past_max_chars_is_refused_at_once_and_the_option_raises_the_limit(monkeypatch, capsys, tmp_path):
    long = tmp_path / "long.txt"
    long.write_text("Dana Ortiz said the strike would go on. " * 5, encoding="utf-8")  # 200 characters, one line
    out_file = tmp_path / "out.jsonl"
    code, _, err = run(monkeypatch, capsys, "score", long, "-m", "rules", "-o", out_file, "--max-chars", "150")
    assert code == 2
    line = _one_line(err)
    assert line.startswith("saidwho: long: article of 200 characters") and "--max-chars" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.txt"]
    # --on-error skip: a bad input like any other (listed, the rest scored, exit 3).
    short = tmp_path / "short.txt"
    short.write_text("The port was quiet.", encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, "score", long, short, "-m", "rules", "-o", out_file, "--max-chars", "150", "--on-error", "skip")
    assert code == 3, err
    assert [json.loads(line)["id"] for line in out_file.read_text(encoding="utf-8").splitlines()] == ["short"]
    out_file.unlink()
    code, _, err = run(monkeypatch, capsys, "score", long, "-m", "rules", "-o", out_file, "--max-chars", "250")
    assert code == 0, err
    assert validate_file(out_file) == []


def test_the_default_size_limit_is_in_help_and_readme(monkeypatch, capsys):
    from saidwho.batch.output import MAX_CHARS

    code, out, _ = run(monkeypatch, capsys, "score", "--help")
    assert code == 0 and "--max-chars" in out and str(MAX_CHARS) in out
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "--max-chars" in readme and f"{MAX_CHARS:,}" in readme


def _unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot create files in: mode 555, or /sys for root (root ignores the mode)."""
    import os

    if os.geteuid() == 0:
        return Path("/sys")
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


def test_an_unwritable_output_folder_is_one_line_before_any_work(monkeypatch, capsys, tmp_path):
    folder = _unwritable_folder(tmp_path)
    # A broken model too: the output check comes first, before the model is even looked at.
    code, _, err = run(monkeypatch, capsys, "score", EXAMPLE, "-o", folder / "out.jsonl", "-m", "no-such-model")
    assert code == 2
    assert f"{folder / 'out.jsonl'}: cannot write in folder {folder}" in _one_line(err)
    # The other writers (convert, export, html and table output) say the same through atomic_writer.
    code, _, err = run(monkeypatch, capsys, "score", EXAMPLE, "-m", "rules", "-f", "html", "-o", folder / "page.html")
    assert code == 2 and "cannot write in folder" in _one_line(err)
    # Training and eval check it before the work too (a model folder whose parents are still to be made).
    smoke = Path(__file__).resolve().parents[1] / "configs" / "smoke.toml"
    code, _, err = run(monkeypatch, capsys, "train", "--config", smoke, "-o", folder / "new" / "model")
    assert code == 2 and f"cannot write in folder {folder}" in _one_line(err)
    code, _, err = run(monkeypatch, capsys, "eval", EXAMPLE_GOLD, EXAMPLE_GOLD, "--report", folder / "report")
    assert code == 2 and f"cannot write in folder {folder}" in _one_line(err)


def _copy_config(source: str, folder: Path, **changes) -> Path:
    from saidwho.models.config import resolve_model_path

    folder.mkdir(parents=True)
    config = json.loads((resolve_model_path(source) / "config.json").read_text(encoding="utf-8"))
    config.update(changes)
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return folder


def _link_model(name: str, where: Path) -> None:
    """``where`` points at a shipped model folder (so a config's ``../NAME/...`` finds it)."""
    from saidwho.models.config import resolve_model_path

    where.symlink_to(resolve_model_path(name).resolve(), target_is_directory=True)


def _broken_models(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Model folders broken in one way each, and what the error must name."""
    from saidwho.models.config import resolve_model_path

    cut = tmp_path / "cut"
    cut.mkdir(parents=True)
    cut_text = (resolve_model_path("minilm-v2-hybrid") / "config.json").read_text(encoding="utf-8")[:100]
    (cut / "config.json").write_text(cut_text, encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    own = _copy_config("minilm-v2-hybrid", tmp_path / "own", weights="model.safetensors")
    # The shipped default's folder names its weights and its lexical classifier's folder by relative paths.
    variant = _copy_config("minilm-v2-hybrid-context", tmp_path / "a" / "variant")
    context = tmp_path / "b" / "variant"
    _copy_config("minilm-v2-hybrid-context", context)
    _link_model("minilm-v2", tmp_path / "b" / "minilm-v2")
    _link_model("rules-v1", tmp_path / "b" / "rules-v1")
    lexical = tmp_path / "c" / "variant"
    _copy_config("minilm-v2-hybrid-context", lexical)
    shutil.copy(resolve_model_path("minilm-v2-hybrid-context") / "context_opinion.json", lexical)
    _link_model("minilm-v2", tmp_path / "c" / "minilm-v2")
    return {
        "cut-off config": (cut, f"{cut / 'config.json'}:"),
        "empty folder": (empty, f"{empty}: model folder has no config.json"),
        "missing weights": (own, f"{own / 'model.safetensors'}: missing (the learned model's weights"),
        "weights of another folder": (variant, f"{tmp_path / 'a' / 'minilm-v2' / 'model.safetensors'}: missing"),
        "context weights folder": (context, f"{context / 'context_opinion.json'}: missing"),
        "lexical folder": (lexical, f"{lexical / '../rules-v1/subjectivity.json'}: missing"),
    }


@pytest.mark.parametrize("case", ["cut-off config", "empty folder", "missing weights", "weights of another folder", "context weights folder", "lexical folder"])
def test_a_broken_model_folder_is_one_line_and_nothing_is_written(monkeypatch, capsys, tmp_path, case):
    folder, expected = _broken_models(tmp_path / "models")[case]
    out_file = tmp_path / "out.jsonl"
    code, _, err = run(monkeypatch, capsys, "score", EXAMPLE, "-m", folder, "-o", out_file)
    assert code == 2
    assert expected in _one_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["models"]  # no out.jsonl, no empty out.jsonl.part


def test_every_shipped_model_folder_passes_the_check():
    from saidwho.models.config import available_models
    from saidwho.pipeline.registry import check_model

    for name in available_models():
        check_model(name)


def test_eval_with_an_empty_prediction_file_is_no_records(monkeypatch, capsys, tmp_path):
    empty = tmp_path / "pred.jsonl"
    empty.write_text("\n", encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, "eval", EXAMPLE_GOLD, empty, "--bootstrap", "0")
    assert code == 2 and out == ""
    assert _one_line(err) == f"saidwho: {empty}: no records"


def test_export_labelstudio_refuses_a_record_that_validate_refuses(monkeypatch, capsys, tmp_path):
    bad = tmp_path / "bad.jsonl"
    record = json.loads(EXAMPLE_GOLD.read_text(encoding="utf-8").splitlines()[0])
    record["sentences"][-1]["end"] = len(record["text"]) + 5  # runs past the end of the text
    record["sentences"][-1].pop("text", None)
    bad.write_text(json.dumps(record) + "\n", encoding="utf-8")
    tasks = tmp_path / "tasks.json"
    code, _, err = run(monkeypatch, capsys, "export", "labelstudio", bad, "-o", tasks)
    assert code == 2
    assert f"{bad}:1: sentences[{len(record['sentences']) - 1}]: offsets" in _one_line(err) and "out of range" in err
    assert not tasks.exists()
    code, _, err = run(monkeypatch, capsys, "export", "labelstudio", EXAMPLE_GOLD, "-o", tasks)
    assert code == 0 and tasks.exists(), err


def test_output_dash_is_standard_output(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(monkeypatch, capsys, "score", EXAMPLE, "-m", "rules", "-o", "-")
    assert code == 0, err
    assert json.loads(out)["id"] == "harbour-strike"
    code, out, err = run(monkeypatch, capsys, "score", EXAMPLE, "-m", "rules", "-o", "-", "-f", "html")
    assert code == 0 and out.startswith("<!DOCTYPE html>"), err
    code, out, err = run(monkeypatch, capsys, "convert", "polnear", tmp_path / "nothing", "-o", "-")
    assert list(tmp_path.iterdir()) == []  # no file named "-"


def test_score_help_shows_the_ray_extra():
    """Rich markup took "[ray]" for a style and printed pip install 'saidwho'."""
    import os
    import subprocess

    env = {**os.environ, "COLUMNS": "200"}
    result = subprocess.run([sys.executable, "-m", "saidwho", "score", "--help"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert "pip install 'saidwho[ray]'" in result.stdout


@pytest.mark.parametrize("columns, width", [("80", 80), ("", 140), ("wide", 140)])
def test_a_piped_table_follows_columns(monkeypatch, capsys, columns, width):
    # `COLUMNS=80 saidwho score ... --format table > file` (docs/terminal-80.txt is made so).
    monkeypatch.setenv("COLUMNS", columns)
    code, out, _ = run(monkeypatch, capsys, "score", EXAMPLE, "-m", "rules", "--format", "table")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) == width
