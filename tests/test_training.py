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
    if path.name == "context.toml":
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
    assert base.weights_folder.name == "minilm-v2" and base.training_arguments().polnear_cues == "speech"
    user = load_gold(Path(__file__).resolve().parents[1] / "eval" / "gold", shared_data / "polnear", "team")[:3]
    mine = sum(1 for a in user for s in a.sentences if s.label)
    chosen = replayed_articles(base, user, 0.3, seed=1)
    replayed = sum(1 for arts in chosen.values() for a in arts for s in a.sentences if s.label)
    # At least the asked share (0.3 of the mix), overshooting by at most one article.
    assert replayed >= 0.3 / 0.7 * mine
    assert replayed - max(sum(1 for s in a.sentences if s.label) for arts in chosen.values() for a in arts) < 0.3 / 0.7 * mine
    assert replayed_articles(base, user, 0.3, seed=1).keys() == chosen.keys()
