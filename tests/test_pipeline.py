"""Pipelines built from config by the registry; the order check; model configs."""

import json

import pytest

from saidwho.errors import UserError
from saidwho.models.config import ModelConfig, neural_pipeline, rules_pipeline
from saidwho.pipeline import Component, Pipeline, build_pipeline, load
from saidwho.pipeline.core import check_order
from saidwho.pipeline.registry import FACTORIES
from saidwho.records import Article


class _Reader(Component):
    name = "reader"
    reads = frozenset({"attribution"})
    writes = frozenset({"labels"})


class _Segments(Component):
    name = "segments"
    reads = frozenset({"text"})
    writes = frozenset({"sentences", "attribution"})


def test_a_component_may_not_read_what_no_earlier_one_writes():
    with pytest.raises(ValueError, match="reader.*reads attribution"):
        check_order([_Reader()])
    check_order([_Segments(), _Reader()])  # the right order passes


def test_unknown_record_parts_are_refused():
    class Typo(Component):
        name = "typo"
        reads = frozenset({"sentence"})

    with pytest.raises(ValueError, match="unknown record parts"):
        check_order([Typo()])


def test_every_shipped_model_builds_in_a_valid_order():
    # Building checks the order; the learned models are built without loading weights.
    for config in (ModelConfig.rules("r"), ModelConfig(name="n"), ModelConfig(name="h", pipeline=neural_pipeline(hybrid_threshold=0.9))):
        for spec in config.pipeline:
            assert spec["component"] in FACTORIES
    pipeline = load("rules")
    assert pipeline.component_names == ["segment", "attribute", "speakers", "opinion", "label", "summary"]


def test_unknown_component_and_setting_are_one_line_errors(tmp_path):
    config = ModelConfig.rules("broken")
    config.pipeline[1] = {"component": "rule_atributor"}
    with pytest.raises(UserError, match="unknown component 'rule_atributor'"):
        build_pipeline(config, tmp_path)
    config = ModelConfig.rules("broken")
    config.pipeline[4] = {"component": "labeler", "threshold": 0.4}
    with pytest.raises(UserError, match="'labeler' has no setting"):
        build_pipeline(config, tmp_path)


def test_config_round_trip_and_unknown_keys(tmp_path):
    config = ModelConfig(name="m", weights="../other/model.safetensors", quantize="int8", note="a variant")
    config.save_pretrained(tmp_path)
    assert ModelConfig.from_pretrained(tmp_path) == config
    data = json.loads((tmp_path / "config.json").read_text())
    data["hybrid_treshold"] = 0.9
    (tmp_path / "config.json").write_text(json.dumps(data))
    with pytest.raises(UserError, match="unknown setting.*hybrid_treshold"):
        ModelConfig.from_pretrained(tmp_path)


def test_rules_and_neural_configs_are_saved_the_same_way(tmp_path):
    ModelConfig.rules("r", opinion_threshold=0.4).save_pretrained(tmp_path)
    data = json.loads((tmp_path / "config.json").read_text())
    assert data["kind"] == "rules" and "weights" not in data
    assert data["pipeline"] == rules_pipeline(0.4)


def test_a_version_1_config_still_loads(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({
        "type": "neural", "name": "old", "trainable_layers": 2, "max_tokens": 192, "attribution_threshold": 0.5,
        "batch_size": 16, "weights": "../minilm-v2/model.safetensors", "attribution": "hybrid", "hybrid_threshold": 0.95,
    }))
    config = ModelConfig.from_pretrained(tmp_path)
    assert config.kind == "neural" and config.pipeline[1] == {
        "component": "hybrid_attributor", "attribution_threshold": 0.5, "hybrid_threshold": 0.95,
    }
    (tmp_path / "config.json").write_text(json.dumps({"type": "rules", "name": "old", "opinion_threshold": 0.6}))
    assert ModelConfig.from_pretrained(tmp_path).pipeline == rules_pipeline(0.6)


def test_a_custom_component_joins_a_pipeline():
    class Shout(Component):
        name = "shout"
        reads = frozenset({"labels"})
        writes = frozenset({"summary"})

        def predict(self, article):
            return sum(1 for s in article.sentences if s.label == "sourced_claim")

        def set_annotations(self, article, result):
            article.summary = {"sourced": result}

    base = load("rules")
    pipeline = Pipeline([*base.components[:-1], Shout()], name="custom")
    out = pipeline(Article(id="x", text="Title\n\nThe mayor said taxes would rise."))
    assert out.summary == {"sourced": 1}


def test_readme_component_table_matches_the_code():
    """The README's architecture table says what each component reads, writes and is scored by."""
    import re
    from pathlib import Path

    from saidwho.pipeline.attribution import RuleAttributor
    from saidwho.pipeline.context import ContextOpinion
    from saidwho.pipeline.labels import Labeler
    from saidwho.pipeline.linker import SpeakerLinker
    from saidwho.pipeline.neural import HybridAttributor, NeuralAttributor
    from saidwho.pipeline.opinion import OpinionScorer
    from saidwho.pipeline.segment import Segmenter
    from saidwho.pipeline.speakers import SpeakerResolver
    from saidwho.pipeline.summary import SourceBalance

    classes = {c.__name__: c for c in (Segmenter, RuleAttributor, NeuralAttributor, HybridAttributor, SpeakerLinker, SpeakerResolver, OpinionScorer, ContextOpinion, Labeler, SourceBalance)}
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    rows = [
        [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        for line in readme.splitlines() if re.match(r"^\| `\w+` \| `\w+` \|", line)
    ]
    assert {r[0] for r in rows} == set(classes)
    words = lambda cell: {w.strip() for w in cell.split(",") if w.strip()}  # noqa: E731
    for name, registered, reads, writes, scored in rows:
        component = classes[name]
        assert registered in FACTORIES
        assert words(reads) == set(component.reads), name
        assert words(writes) == set(component.writes), name
        assert words(scored) == set(component.scored_by), name
