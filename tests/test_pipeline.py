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
    assert pipeline.component_names == ["segment", "attribute", "speakers", "opinion", "label", "profiles", "summary"]


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
    assert config.kind == "neural" and config.pipeline[1:3] == [
        {"component": "learned_scorer", "threshold": 0.95}, {"component": "rules_over_model", "threshold": 0.95},
    ]
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
    """The component table (docs/architecture.md) says what each component reads, writes and is scored by."""
    import re
    from pathlib import Path

    from saidwho.pipeline.attribution import RuleAttributor
    from saidwho.pipeline.context import ContextOpinion
    from saidwho.pipeline.labels import Labeler
    from saidwho.pipeline.neural import LearnedScorer, NeuralAttributor, RulesOverModel
    from saidwho.pipeline.opinion import OpinionScorer
    from saidwho.pipeline.segment import Segmenter
    from saidwho.pipeline.speakers import SpeakerResolver
    from saidwho.pipeline.summary import SourceBalance

    classes = {c.__name__: c for c in (Segmenter, RuleAttributor, NeuralAttributor, LearnedScorer, RulesOverModel, SpeakerResolver, OpinionScorer, ContextOpinion, Labeler, SourceBalance)}
    readme = (Path(__file__).resolve().parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
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


class _Ahead(Component):
    """Runs ahead: records which thread and batch it saw."""

    name = "ahead"
    reads = frozenset({"text"})
    writes = frozenset({"sentences"})
    runs_ahead = True

    def __init__(self):
        self.seen: list[tuple[str, list[str]]] = []

    def predict_batch(self, articles):
        import threading

        self.seen.append((threading.current_thread().name, [a.id for a in articles]))
        return [None for _ in articles]

    def set_annotations(self, article, result):
        article.summary = {"ahead": True}


class _Behind(Component):
    name = "behind"
    reads = frozenset({"sentences"})
    writes = frozenset({"summary"})

    def __init__(self, log):
        self.log = log

    def predict(self, article):
        return article.summary.get("ahead", False)

    def set_annotations(self, article, result):
        self.log.append(article.id)
        article.summary = {"ahead_ran_first": result}


def test_leading_stages_run_ahead_in_a_second_thread_and_order_holds():
    log: list[str] = []
    ahead = _Ahead()
    pipeline = Pipeline([ahead, _Behind(log)], name="overlap")
    assert pipeline._leading_ahead() == 1 and load("rules")._leading_ahead() == 0
    out = list(pipeline.pipe((Article(id=str(i), text=f"Text {i}.") for i in range(7)), batch_size=3))
    assert [a.id for a in out] == [str(i) for i in range(7)] == log
    assert all(a.summary == {"ahead_ran_first": True} for a in out)
    # Every batch went through the thread that runs ahead, in order.
    assert [ids for _, ids in ahead.seen] == [["0", "1", "2"], ["3", "4", "5"], ["6"]]
    assert {thread for thread, _ in ahead.seen} == {"saidwho-ahead_0"}


def test_a_bad_input_in_the_next_batch_still_gives_out_the_batch_in_hand():
    pipeline = Pipeline([_Ahead(), _Behind([])], name="overlap")
    texts = ["One.", "Two.", "   "]  # the third (second batch) is empty: a user error
    out = []
    with pytest.raises(UserError, match="empty article"):
        for article in pipeline.pipe(texts, batch_size=2):
            out.append(article.id)
    assert out == ["text-1", "text-2"]


def test_the_split_hybrid_parses_what_the_model_does_not_point_at():
    # Parsing only the sentences the model points at lost names introduced
    # elsewhere (docs/experiments.md): every sentence is parsed, whatever the model's score.
    from saidwho.pipeline.attribution import RuleAttributor
    from saidwho.pipeline.neural import RulesOverModel
    from saidwho.pipeline.segment import segment_text
    from saidwho.records import Probabilities

    text = "Title\n\nThe port was quiet. Dana Ortiz arrived late. She said the talks had failed. Ships from Rotterdam waited."
    article = Article(id="p", text=text, sentences=segment_text(text))
    body = [i for i, s in enumerate(article.sentences) if s.labelled]
    for i, p in zip(body, (0.01, 0.02, 0.97, 0.01)):
        article.sentences[i].probabilities = Probabilities(p, 0.1)
    ruled = RulesOverModel(RuleAttributor(), threshold=0.9).predict(article)
    assert any(text[e.start : e.end] == "Rotterdam" for e in ruled.entities[body[3]])
    assert ruled.attributions[body[2]] is not None
    # "Dana Ortiz" is found in a sentence the model gives 0.02, where "She" finds her antecedent.
    assert any(text[e.start : e.end] == "Dana Ortiz" for e in ruled.entities[body[1]])
