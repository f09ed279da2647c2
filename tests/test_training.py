"""Training without training: the arguments, the windows datasets and their batches, the saved configs."""

import json
from pathlib import Path

import pytest
import torch

from saidwho.io import read_articles
from saidwho.models.config import ModelConfig
from saidwho.models.windows import build_windows, collate
from saidwho.training.arguments import TrainingArguments
from saidwho.training.data import (
    collate_rows,
    collate_targets,
    is_speech_cue,
    split_heldout,
    windows_dataset,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("path", sorted((ROOT / "configs").glob("*.toml")), ids=lambda p: p.name)
def test_every_shipped_config_loads(path):
    if path.name.startswith("context"):
        from saidwho.training.context import ContextArguments

        args = ContextArguments.from_toml(path)
        assert args.base_model and "eval_only" not in args.gold_parts
        return
    args = TrainingArguments.from_toml(path)
    assert args.name and args.epochs >= 1


def test_context_training_refuses_the_eval_only_part():
    from saidwho.errors import UserError
    from saidwho.training.context import ContextArguments, training_sets

    with pytest.raises(UserError, match="never trained on"):
        training_sets(ContextArguments(gold_parts=["team", "eval_only"]))


def test_gold_articles_kept_out_and_webis_editorials(shared_data):
    from saidwho.training.data import load_training_data

    args = TrainingArguments(
        data=str(shared_data), use_polnear=False, use_babe=False, use_checkthat=False,
        gold_train_usable=True, use_webis=True, webis_max_articles=3,
    )
    everything = load_training_data(args)
    kept_out = everything["records"][0].id
    args.gold_keep_out = [kept_out]
    data = load_training_data(args)
    assert len(data["records"]) == len(everything["records"]) - 1
    assert kept_out not in {a.id for a in data["records"]}
    assert len(data["subjectivity"]) == 3 and all(a.id.startswith("webis-") for a in data["subjectivity"])
    assert [a.id for a in data["subjectivity"]] == [a.id for a in load_training_data(args)["subjectivity"]]  # seeded


def test_unknown_setting_is_refused(tmp_path):
    from saidwho.errors import UserError

    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\nepochz = 2\n')
    with pytest.raises(UserError, match="epochz"):
        TrainingArguments.from_toml(path)


def test_speech_cues():
    assert is_speech_cue("said") and is_speech_cue("according to") and is_speech_cue(" — ")
    assert not is_speech_cue("backed") and not is_speech_cue("wants")


def test_split_heldout_is_seeded_and_order_free():
    articles = read_articles(ROOT / "eval" / "gold" / "team.jsonl")
    kept, held = split_heldout(articles, 0.2, 13)
    _, again_held = split_heldout(list(reversed(articles)), 0.2, 13)
    assert [a.id for a in held] == [a.id for a in again_held] and len(kept) + len(held) == len(articles)
    assert held and not {a.id for a in held} & {a.id for a in kept}


def test_batches_from_dataset_rows_match_the_windows():
    articles = read_articles(ROOT / "eval" / "gold" / "team.jsonl")[:3]
    dataset = windows_dataset(articles, "records", max_tokens=96)
    windows = build_windows(articles, 96)
    assert len(dataset) == len(windows) > 1
    indices = [1, 0]
    from_rows = collate_rows(dataset[indices])
    expected = collate([windows[i] for i in indices])
    assert from_rows.keys() == expected.keys()
    assert all(torch.equal(from_rows[k], expected[k]) for k in expected)
    targets = collate_targets(dataset[indices])
    assert targets["tags"].shape == expected["input_ids"].shape
    assert len(targets["attributed"]) == len(targets["opinion"]) == expected["pool"].shape[0]


def test_rule_config_is_written_like_the_shipped_one(tmp_path):
    ModelConfig.rules("rules-v1").save_pretrained(tmp_path)
    written = json.loads((tmp_path / "config.json").read_text())
    assert written == json.loads((ROOT / "models" / "rules-v1" / "config.json").read_text())


def test_fine_tuning_from_the_default_changes_predictions_and_keeps_the_eval_only_part(tmp_path, shared_data):
    """One epoch on the team articles, from the default: the pipeline stays the
    default's, predictions move, and eval-only macro-F1 drops by at most 0.03."""
    from saidwho.evaluation.goldset import load_gold
    from saidwho.evaluation.scoring import evaluate
    from saidwho.io import write_articles
    from saidwho.pipeline import load
    from saidwho.training.trainer import train

    gold_dir = Path(__file__).resolve().parents[1] / "eval" / "gold"
    records = tmp_path / "team.jsonl"
    write_articles(records, load_gold(gold_dir, shared_data / "polnear", "team"))
    args = TrainingArguments(
        name="ft", use_polnear=False, use_babe=False, use_checkthat=False, records=[str(records)],
        epochs=1, init_from="default", replay=0.0, heldout_fraction=0.1, learning_rate=5e-5, head_learning_rate=5e-4,
    )
    folder = tmp_path / "models" / "ft"
    train(args, folder, evaluate_dev=False)
    base, tuned = load("default"), load(str(folder))
    assert tuned.component_names == base.component_names  # the hybrid's rules and speakers are kept
    assert ModelConfig.from_pretrained(folder).training_arguments["init_from"] == "default"
    assert "fine-tuned from default" in (folder / "README.md").read_text(encoding="utf-8")
    eval_only = load_gold(gold_dir, shared_data / "polnear", "eval_only")
    before, after = list(base.pipe(eval_only)), list(tuned.pipe(eval_only))
    moved = sum(
        abs(s.probabilities.opinion - t.probabilities.opinion) > 1e-3
        for a, b in zip(before, after) for s, t in zip(a.sentences, b.sentences) if s.probabilities and t.probabilities
    )
    assert moved > 0
    f1_before = evaluate(eval_only, before, bootstrap=0).metrics["macro_f1"]
    f1_after = evaluate(eval_only, after, bootstrap=0).metrics["macro_f1"]
    assert f1_after >= f1_before - 0.03, (f1_before, f1_after)


def test_replay_draws_the_asked_share_of_the_base_data(shared_data):
    from saidwho.evaluation.goldset import load_gold
    from saidwho.training.finetune import replayed_articles, resolve_base

    base = resolve_base("default")
    assert base.weights_folder.name == "minilm-v4" and base.training_arguments().polnear_cues == "speech"
    user = load_gold(Path(__file__).resolve().parents[1] / "eval" / "gold", shared_data / "polnear", "team")[:3]
    mine = sum(1 for a in user for s in a.sentences if s.label)
    chosen = replayed_articles(base, user, 0.3, seed=1)
    replayed = sum(1 for arts in chosen.values() for a in arts for s in a.sentences if s.label)
    # At least the asked share (0.3 of the mix), overshooting by at most one article.
    assert replayed >= 0.3 / 0.7 * mine
    assert replayed - max(sum(1 for s in a.sentences if s.label) for arts in chosen.values() for a in arts) < 0.3 / 0.7 * mine
    assert replayed_articles(base, user, 0.3, seed=1).keys() == chosen.keys()


def _cli(*argv: str, cwd: Path | None = None):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "saidwho", *argv], capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('epochs = "four"', "epochs must be an integer, not 'four'"),
        ("epochs = 4.5", "epochs must be an integer, not 4.5"),
        ("use_babe = 1", "use_babe must be true or false, not 1"),
        ('records = "mine.jsonl"', "records must be a list of strings, not 'mine.jsonl'"),
        ('learning_rate = "fast"', "learning_rate must be a number, not 'fast'"),
    ],
)
def test_a_setting_of_the_wrong_type_is_refused_when_the_config_is_read(tmp_path, line, message):
    from saidwho.errors import UserError

    path = tmp_path / "bad.toml"
    path.write_text(f'name = "x"\n{line}\n')
    with pytest.raises(UserError, match=f"^{path}: {message}$".replace("[", r"\[").replace(".", r"\.")):
        TrainingArguments.from_toml(path)


def test_setting_types_accept_what_toml_writes_for_them(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text('learning_rate = 1\nrecords = ["a.jsonl"]\nuse_babe = false\n')  # an integer where a number is wanted
    args = TrainingArguments.from_toml(path)
    assert args.learning_rate == 1 and args.records == ["a.jsonl"] and args.use_babe is False


def test_train_with_a_bad_setting_stops_before_any_data_loads(tmp_path):
    (tmp_path / "four.toml").write_text('name = "x"\nepochs = "four"\n')
    result = _cli("train", "--config", "four.toml", "-o", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "saidwho: four.toml: epochs must be an integer, not 'four'"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["four.toml"]


def test_one_annotated_article_says_it_all_went_to_the_held_out_part(tmp_path):
    gold = ROOT / "examples" / "harbour-strike.gold.jsonl"
    (tmp_path / "one.toml").write_text(
        f'name = "one"\nrecords = ["{gold}"]\nuse_polnear = false\nuse_babe = false\nuse_checkthat = false\nheldout_fraction = 0.1\n'
    )
    result = _cli("train", "--config", "one.toml", "-o", "out", "--skip-dev", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("saidwho: no training data: 1 records article(s) given, held-out share 0.2: all went to the held-out part")
    assert "lower heldout_fraction (now 0.1" in last
    assert not (tmp_path / "out").exists()


def test_the_fine_tuned_card_compares_with_a_command_that_finds_both_models(tmp_path, monkeypatch):
    """The card named the new model by name, which is looked up among the shipped models only."""
    import shlex

    from saidwho.models.config import resolve_model_path
    from saidwho.training.modelcard import write_finetune_card

    monkeypatch.chdir(tmp_path)
    folder = Path("models") / "nc-ft"
    folder.mkdir(parents=True)
    config = ModelConfig.rules("nc-ft")
    config.training_arguments = {"init_from": "default", "records": ["mine.jsonl"]}
    config.save_pretrained(folder)
    write_finetune_card(folder / "README.md", config, {"training_seconds": 12.0}, folder)
    card = (folder / "README.md").read_text(encoding="utf-8")
    command = shlex.split(card.split("held-out records: `", 1)[1].split("`", 1)[0])
    assert command[:3] == ["saidwho", "eval", "HELDOUT.jsonl"]
    models = [command[i + 1] for i, arg in enumerate(command) if arg == "-m"]
    assert models == ["default", "models/nc-ft"]
    assert resolve_model_path(models[1]).resolve() == folder.resolve()
    resolve_model_path(models[0])
