"""The learned model's parts: windows and pooling, span decoding, storage, a smoke training run."""

from dataclasses import replace
from pathlib import Path

import pytest
import torch

from saidwho.models.config import ModelConfig, neural_pipeline
from saidwho.models.encoder import TAGS
from saidwho.models.windows import build_windows, collate, decode_spans
from saidwho.pipeline.segment import Segmenter
from saidwho.records import Article
from saidwho.training.calibration import expected_calibration_error

ROOT = Path(__file__).resolve().parents[1]


def segmented(text: str) -> Article:
    article = Article(id="t", text=text)
    Segmenter()(article)
    return article


def test_windows_cover_every_labelled_sentence_once_and_pool_its_own_pieces():
    body = " ".join(f"Sentence number {i} says that the port was busy today." for i in range(40))
    article = segmented("A headline\n\n" + body + "\n\nAnother paragraph here.")
    windows = build_windows([article], max_tokens=64)
    scored = [i for w in windows for i in w.sentence_indices]
    labelled = [i for i, s in enumerate(article.sentences) if s.labelled]
    assert sorted(scored) == labelled and len(scored) == len(set(scored))
    for w in windows:
        assert len(w.input_ids) <= 64
        for index, (start, end) in zip(w.sentence_indices, w.sentence_pieces):
            sentence = article.sentences[index]
            assert all(sentence.start <= s and e <= sentence.end for s, e in w.offsets[start:end])
    # Later windows open with left context from the sentence before them.
    assert windows[1].sentence_pieces[0][0] > 1
    batch = collate(windows[:2])
    assert torch.allclose(batch["pool"].sum(dim=1), torch.ones(batch["pool"].shape[0]))


def test_decode_spans():
    offsets = [(0, 0), (0, 4), (5, 10), (11, 15), (16, 20), (0, 0)]
    tags = [0, TAGS.index("B-SRC"), TAGS.index("I-SRC"), TAGS.index("B-CUE"), TAGS.index("I-SRC"), 0]
    assert decode_spans(tags, offsets, "SRC") == [(0, 10), (16, 20)]
    assert decode_spans(tags, offsets, "CUE") == [(11, 15)]


def test_expected_calibration_error():
    assert expected_calibration_error([0.9, 0.9, 0.1, 0.1], [1, 1, 0, 0]) == pytest.approx(0.1)
    assert expected_calibration_error([1.0, 0.0], [1, 0]) == pytest.approx(0.0)


@pytest.mark.slow
def test_smoke_training_writes_a_working_model(tmp_path):
    """A tiny run on the project's own records (no corpora needed): the folder loads and scores."""
    from saidwho.pipeline import load
    from saidwho.training.arguments import TrainingArguments
    from saidwho.training.trainer import train
    from saidwho.validate import validate_record

    args = TrainingArguments(
        name="smoke", use_polnear=False, use_babe=False, use_checkthat=False,
        records=[str(ROOT / "eval" / "gold" / "team.jsonl")], epochs=1, batch_size=4, heldout_fraction=0.2,
    )
    output = tmp_path / "smoke"
    train(args, output, evaluate_dev=False)
    assert sorted(p.name for p in output.iterdir()) == ["README.md", "config.json", "metrics.json", "model.safetensors"]
    assert (output / "model.safetensors").stat().st_size < 10 * 1024 * 1024
    config = ModelConfig.from_pretrained(output)
    assert config.kind == "neural" and config.name == "smoke" and config.training_arguments["epochs"] == 1
    assert config.pipeline == neural_pipeline() and config.weights == "model.safetensors"
    assert "Training time" in (output / "README.md").read_text()
    article = load(str(output))(Article(id="x", text=(ROOT / "examples" / "harbour-strike.txt").read_text()))
    record = article.to_dict()
    assert validate_record(record) == []
    assert all(0 <= s["confidence"] <= 1 for s in record["sentences"] if s["label"])
    # The hybrid variant: a config that reuses these weights; rule attributions keep the rules' speakers.
    hybrid = tmp_path / "hybrid"
    hybrid.mkdir()
    replace(config, name="hybrid", pipeline=neural_pipeline(hybrid_threshold=0.99), weights="../smoke/model.safetensors").save_pretrained(hybrid)
    article = load(str(hybrid))(Article(id="x", text=(ROOT / "examples" / "harbour-strike.txt").read_text()))
    sources = {s.id: s.name for s in article.sources}
    ortiz = [s for s in article.sentences if article.sentence_text(s).startswith("Dana Ortiz, the union")][0]
    assert ortiz.label == "sourced_claim" and sources[ortiz.speaker] == "Dana Ortiz"
    assert validate_record(article.to_dict()) == []
    # A second run into the same folder is refused without force.
    from saidwho.errors import UserError

    with pytest.raises(UserError, match="--force"):
        train(args, output, evaluate_dev=False)


