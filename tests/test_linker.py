"""The learned speaker linker, on tiny articles built here (no parse needed except the last tests)."""

import json
from pathlib import Path

import numpy as np
import pytest

from saidwho.names import names_match
from saidwho.pipeline.linker import (
    FEATURES,
    LinkerWeights,
    SpeakerLinker,
    article_candidates,
)
from saidwho.pipeline.speakers import SpeakerResolver
from saidwho.records import Article, Attribution, Entity, Mention, Sentence, Source

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Port talks stall\n\nDana Ortiz met Luis Brandt on Monday. “We will not wait,” he said."


def span_of(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def article(text: str = TEXT, mention: str = "he", kind: str = "pronoun") -> Article:
    """Headline, one sentence naming two people, one attributed sentence."""
    first = span_of(text, text.split("\n\n")[1].split(". ")[0] + ".")
    second = (first[1] + 1, len(text))
    a = Article(id="t", text=text)
    a.sentences = [
        Sentence(0, text.index("\n"), kind="headline"),
        Sentence(*first, kind="body"),
        Sentence(*second, kind="body"),
    ]
    a.sentences[1].entities = tuple(
        Entity(*span_of(text, name), "PERSON") for name in ("Dana Ortiz", "Luis Brandt") if name in text
    )
    said = span_of(text, "said")
    m = span_of(text[second[0]:], mention)
    m = (second[0] + m[0], second[0] + m[1])
    a.sentences[2].attribution = Attribution("verb", said, Mention(m, mention, kind, head=m), 0.9)
    return a


def weights(**by_feature: float) -> LinkerWeights:
    """A logistic scorer with the given weight per feature (others 0)."""
    w2 = np.zeros(len(FEATURES))
    for name, value in by_feature.items():
        w2[FEATURES.index(name)] = value
    n = len(FEATURES)
    return LinkerWeights(np.zeros(n), np.ones(n), np.zeros((0, 0)), np.zeros(0), w2, 0.0)


def speaker_name(a: Article, index: int = 2) -> str | None:
    source = a.source_by_id(a.sentences[index].speaker) if a.sentences[index].speaker else None
    return source.name if source else None


def test_rules_choice_first_and_other_people_as_candidates():
    a = article()
    rules = SpeakerResolver()(article())
    assert speaker_name(rules) == "Luis Brandt"  # "he": the man
    (candidates,) = article_candidates(a).values()
    assert candidates[0].key is None and candidates[0].name == "Luis Brandt"
    rule = candidates[0].features
    assert rule[FEATURES.index("is_rule")] == 1 and rule[FEATURES.index("rule_in_window")] == 1
    assert rule[FEATURES.index("gender_agree")] == 1  # Luis: a male first name, "he"
    others = [c.name for c in candidates[1:]]
    assert others == ["Dana Ortiz"]  # the rules' own choice is not listed twice
    assert candidates[1].features[FEATURES.index("is_rule")] == 0
    assert candidates[1].features[FEATURES.index("d_1")] == 1  # named one sentence before


def test_linker_keeps_the_rules_choice_when_it_scores_higher():
    a = SpeakerLinker(weights(is_rule=5.0))(article())
    assert a.sentences[2].attribution.mention.text == "he"
    assert speaker_name(SpeakerResolver()(a)) == "Luis Brandt"


def test_linker_relinks_to_the_named_candidate_it_prefers():
    a = SpeakerLinker(weights(is_rule=-5.0))(article())
    mention = a.sentences[2].attribution.mention
    assert (mention.text, mention.kind) == ("Dana Ortiz", "name")
    assert a.sentences[2].speaker_span == span_of(TEXT, "Dana Ortiz")
    assert speaker_name(SpeakerResolver()(a)) == "Dana Ortiz"


def test_margin_keeps_close_calls_with_the_rules():
    a = SpeakerLinker(weights(is_rule=-0.5), margin=0.5)(article())
    assert a.sentences[2].attribution.mention.text == "he"


def test_description_resolves_to_the_named_entity():
    text = "Budget row\n\nDana Ortiz met Luis Brandt on Monday. The former harbour master said the plan would fail."
    a = article(text, "The former harbour master", "description")
    # Score: a person named in the sentence before, not the rules' choice.
    a = SpeakerLinker(weights(is_rule=-5.0, lab_PERSON=1.0))(a)
    resolved = SpeakerResolver()(a)
    assert speaker_name(resolved) in ("Dana Ortiz", "Luis Brandt")
    assert resolved.source_by_id(resolved.sentences[2].speaker).type == "person"


def test_gender_clash_feature():
    text = "Port talks stall\n\nDana Ortiz met Luis Brandt on Monday. “We will not wait,” she said."
    (candidates,) = article_candidates(article(text, "she")).values()
    luis = [c for c in candidates if c.name == "Luis Brandt"]
    assert luis and luis[0].features[FEATURES.index("gender_clash")] == 1


def test_weights_round_trip_and_stale_features(tmp_path):
    rng = np.random.default_rng(0)
    n = len(FEATURES)
    w = LinkerWeights(rng.normal(size=n), np.ones(n), rng.normal(size=(n, 4)), rng.normal(size=4), rng.normal(size=4), 0.3, 0.1)
    path = tmp_path / "linker.json"
    w.save(path)
    again = LinkerWeights.load(path)
    x = rng.normal(size=(5, n))
    assert np.allclose(w.score(x), again.score(x)) and again.margin == pytest.approx(0.1)
    data = json.loads(path.read_text())
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="retrain"):
        LinkerWeights.from_dict(data)


def test_training_labels_follow_the_scorers_rule():
    from saidwho.training.linker import examples, fit, ranking_accuracy

    gold = article()
    gold.sources = [Source("s1", "Dana Ortiz", "person", ["Ms. Ortiz"])]
    gold.sentences[2].label = "sourced_claim"
    gold.sentences[2].speaker = "s1"
    for s in gold.sentences[1:2]:
        s.label = "reported_fact"
    analysed = article()
    analysed.sentences[1].label = "reported_fact"
    analysed.sentences[2].label = "sourced_claim"
    ex = examples([gold], [analysed])
    assert list(ex.y) == [0.0, 1.0]  # the rules' "he" -> Luis Brandt is wrong, Dana Ortiz right
    assert names_match(Source("c", "Dana Ortiz", "person"), gold.sources[0])
    many = type(ex)(np.tile(ex.x, (20, 1)), np.tile(ex.y, 20), np.repeat(np.arange(20), 2), np.zeros(40, dtype=int))
    learned = fit(many, hidden=0)
    assert ranking_accuracy(learned, many) == {"sentences": 20, "rules": 0.0, "linker": 1.0, "oracle": 1.0}


def _model_folder(tmp_path, w: LinkerWeights) -> Path:
    folder = tmp_path / "m"
    folder.mkdir()
    pipeline = [
        {"component": "segmenter"}, {"component": "rule_attributor"},
        {"component": "speaker_linker", "weights": "linker.json"}, {"component": "speaker_resolver"},
        {"component": "opinion_scorer"},
        {"component": "labeler", "opinion_threshold": 0.5}, {"component": "source_balance"},
    ]
    (folder / "config.json").write_text(json.dumps({"name": "t", "kind": "rules", "pipeline": pipeline, "config_version": 2}))
    w.save(folder / "linker.json")
    return folder


def test_registered_component_runs_in_a_pipeline(tmp_path, rule_pipeline):
    import saidwho

    body = "Port talks stall\n\nDana Ortiz met Luis Brandt on Monday. “We will not wait,” he said."
    keep = saidwho.load(str(_model_folder(tmp_path, weights(is_rule=5.0))))
    assert keep.component_names.index("linker") == keep.component_names.index("speakers") - 1
    kept = keep(body)
    rules = rule_pipeline(body)
    assert [s.speaker for s in kept.sentences] == [s.speaker for s in rules.sentences]
    assert [s.to_dict() for s in kept.sources] == [s.to_dict() for s in rules.sources]


def test_missing_weights_is_a_user_error(tmp_path):
    import saidwho
    from saidwho.errors import UserError

    folder = _model_folder(tmp_path, weights())
    (folder / "linker.json").unlink()
    with pytest.raises(UserError, match="linker"):
        saidwho.load(str(folder))


def test_shipped_linker_model_folder():
    folder = ROOT / "models" / "minilm-v2-hybrid-linker"
    config = json.loads((folder / "config.json").read_text())
    names = [c["component"] for c in config["pipeline"]]
    assert names.index("speaker_linker") == names.index("speaker_resolver") - 1
    base = json.loads((ROOT / "models" / "minilm-v2-hybrid" / "config.json").read_text())
    assert [c for c in config["pipeline"] if c["component"] != "speaker_linker"] == base["pipeline"]
    LinkerWeights.load(folder / "linker.json")  # trained on the current features
