"""The context opinion component and its training, on tiny hand-built articles."""

from __future__ import annotations

import math

import numpy as np
import pytest

from saidwho.pipeline.context import (
    FEATURE_NAMES,
    ContextOpinion,
    ContextWeights,
    article_features,
)
from saidwho.records import Article, Layout, Probabilities, Sentence
from saidwho.training.context import (
    Row,
    fit_weights,
    out_of_fold,
    robust_threshold,
    three_label_f1,
)

F = {name: i for i, name in enumerate(FEATURE_NAMES)}


def build(parts: list[tuple[str, str, int, float]], title: str | None = None) -> Article:
    """(text, kind, paragraph, opinion probability) per segment."""
    text, sentences = "", []
    for number, (piece, kind, paragraph, p_opinion) in enumerate(parts):
        if text:
            text += "\n\n" if sentences and paragraph != sentences[-1].layout.paragraph else " "
        start = len(text)
        text += piece
        sentence = Sentence(start, len(text), kind=kind)
        sentence.layout = Layout(paragraph, number == 0 or paragraph != sentences[-1].layout.paragraph)
        if kind == "body":
            sentence.probabilities = Probabilities(0.1, p_opinion)
        sentences.append(sentence)
    return Article(id="a", text=text, title=title, sentences=sentences)


def column() -> Article:
    return build(
        [
            ("Opinion: the bridge tolls", "headline", 0, 0.0),
            ("I think the tolls are a disgrace.", "body", 1, 0.9),
            ("We should scrap them.", "body", 1, 0.8),
            ("The council voted 7-2 on 4 March.", "body", 2, 0.7),
            ('"I am proud of it," the mayor said.', "body", 2, 0.3),
        ]
    )


def test_features_keep_the_sentence_apart_from_its_context():
    features = article_features(column())
    assert set(features) == {1, 2, 3, 4}
    recap = features[3]
    assert recap[F["article_mean"]] == pytest.approx((0.9 + 0.8 + 0.3) / 3)  # its own probability left out
    assert recap[F["paragraph_mean"]] == pytest.approx(0.3)  # the other sentence of paragraph 2
    assert recap[F["head_logit"]] == pytest.approx(math.log(0.7 / 0.3))
    assert recap[F["figures"]] == 1.0 and features[1][F["figures"]] == 0.0
    assert features[1][F["genre_marker"]] == 1.0  # "Opinion:" in the headline line
    assert features[1][F["first_person"]] == 1.0 and features[2][F["first_person"]] == 1.0
    assert features[4][F["first_person"]] == 0.0  # "I" only inside the quotation
    assert features[2][F["obligation_modal"]] == 1.0
    assert recap[F["article_first_person"]] == pytest.approx(0.5)
    assert recap[F["alone"]] == 0.0


def test_a_single_sentence_has_neutral_context():
    article = build([("The plan is a disaster!", "body", 0, 0.8)])
    (values,) = article_features(article).values()
    assert values[F["alone"]] == 1.0
    assert values[F["article_mean"]] == 0.5 and values[F["paragraph_mean"]] == 0.5
    assert values[F["question_or_exclamation"]] == 1.0
    assert values[F["genre_marker"]] == 0.0


def test_lexical_scores_enter_as_logits():
    features = article_features(column(), {1: 0.8})
    assert features[1][F["lexical_logit"]] == pytest.approx(math.log(4))
    assert features[2][F["lexical_logit"]] == 0.0  # no score: neutral


def head_only_weights() -> ContextWeights:
    coef = [0.0] * len(FEATURE_NAMES)
    coef[F["head_logit"]] = 1.0
    return ContextWeights(coef, 0.0, [0.0] * len(FEATURE_NAMES), [1.0] * len(FEATURE_NAMES))


def test_component_rewrites_only_the_opinion_probability():
    weights = head_only_weights()
    weights.coef[F["figures"]] = -10.0  # a sentence with figures reads as fact
    article = column()
    component = ContextOpinion(weights)
    component.set_annotations(article, component.predict(article))
    body = [s for s in article.sentences if s.kind == "body"]
    assert [s.probabilities.attributed for s in body] == [0.1] * 4
    assert body[0].probabilities.opinion == pytest.approx(0.9)
    assert body[2].probabilities.opinion < 0.01  # was 0.7: the recap with a date and a vote count
    assert article.sentences[0].probabilities is None


def test_weights_round_trip(tmp_path):
    weights = head_only_weights()
    weights.save_pretrained(tmp_path)
    again = ContextWeights.from_pretrained(tmp_path)
    assert again == weights
    assert again.probability([2.0] + [0.0] * (len(FEATURE_NAMES) - 1)) == pytest.approx(1 / (1 + math.exp(-2)))


def test_weights_for_other_features_are_refused(tmp_path):
    weights = head_only_weights()
    weights.features = ["something_else"] + list(FEATURE_NAMES[1:])
    weights.save_pretrained(tmp_path)
    with pytest.raises(ValueError, match="differ"):
        ContextWeights.from_pretrained(tmp_path)


def synthetic_rows(n: int = 200, seed: int = 0) -> list[Row]:
    """Opinion iff the head logit is high or the sentence has no figures; the article mean is noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        values = rng.normal(size=len(FEATURE_NAMES)).tolist()
        opinion = values[F["head_logit"]] - 2 * values[F["figures"]] > 0
        rows.append(Row("set", f"article-{i // 5}", "news", "opinion" if opinion else "reported_fact", False, values))
    return rows


def test_fitting_learns_the_signs_that_decide():
    weights = fit_weights(synthetic_rows(), C=1.0)
    assert weights.coef[F["head_logit"]] > 0.5
    assert weights.coef[F["figures"]] < -1.0
    assert abs(weights.coef[F["article_mean"]]) < abs(weights.coef[F["figures"]]) / 3


def test_out_of_fold_scores_every_row_and_beats_chance():
    rows = synthetic_rows(300)
    probabilities = out_of_fold(rows, C=1.0, folds=5)
    assert probabilities.shape == (300,)
    scores = three_label_f1(rows, probabilities, 0.5)
    assert scores["macro_f1"] > 0.6 and scores["sentences"] == 300


def test_robust_threshold_moves_with_skewed_scores():
    rng = np.random.default_rng(1)
    y = np.array([1] * 100 + [0] * 100)
    # Opinion scores cluster near 0.35, fact near 0.15: 0.5 would call almost nothing opinion.
    p = np.concatenate([rng.normal(0.35, 0.05, 100), rng.normal(0.15, 0.05, 100)])
    threshold, per_prior = robust_threshold(y, p, [0.3, 0.5])
    assert 0.2 <= threshold <= 0.3
    assert min(per_prior.values()) > 0.9


def test_a_lone_sentence_keeps_the_head_probability():
    weights = head_only_weights()
    weights.intercept = 5.0  # would push everything to opinion
    article = build([("The council met on Monday.", "body", 0, 0.2)])
    component = ContextOpinion(weights)
    component.set_annotations(article, component.predict(article))
    assert article.sentences[0].probabilities.opinion == 0.2


COLUMN = """Opinion: The stadium deal is a bad bargain for Brennholt

I have lived in Brennholt for thirty years, and I have never seen the council so eager to spend money it does not have.

The plan is simple enough. The council voted 7-2 on March 4 to lend the club 42 million euros. The club will repay the loan over 25 years. Construction is due to start in September and to finish in 2028.

This is a terrible idea. We should demand that the council think again, before it is too late.
"""


def test_the_default_keeps_a_columns_plain_recap_apart_from_its_opinions():
    # The accuracy issue's genre leak: the recap inside a column was labelled
    # opinion because the paragraphs around it are (minilm-v2-hybrid did so for
    # "Construction is due to start ...").
    from saidwho import load

    article = load("default")(COLUMN)
    labels = {article.sentence_text(s): s.label for s in article.sentences if s.label}
    for recap in ("The council voted 7-2", "The club will repay", "Construction is due"):
        assert next(label for text, label in labels.items() if text.startswith(recap)) == "reported_fact", recap
    assert labels["This is a terrible idea."] == "opinion"
