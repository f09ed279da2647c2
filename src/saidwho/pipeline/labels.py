"""Combine attribution and the probabilities into the three labels, with scores.

Attribution beats everything (ANNOTATION.md): an attributed sentence is a
``sourced_claim`` whatever its tone. Otherwise the opinion probability
decides between ``opinion`` and ``reported_fact``.

``scores`` is a distribution over the three labels built from the
attribution probability p_s and the opinion probability p_o
(:class:`~saidwho.records.Probabilities`, written by the attributor or the
opinion scorer): sourced p_s, opinion (1-p_s)·p_o, fact (1-p_s)·(1-p_o).
``confidence`` is the chosen label's score.

Scored by: label accuracy and macro-F1 in :mod:`saidwho.evaluation.scoring`.
"""

from __future__ import annotations

from dataclasses import dataclass

from saidwho.pipeline.component import Component
from saidwho.records import Article


def three_label_scores(p_sourced: float, p_opinion: float) -> dict[str, float]:
    return {
        "reported_fact": (1 - p_sourced) * (1 - p_opinion),
        "sourced_claim": p_sourced,
        "opinion": (1 - p_sourced) * p_opinion,
    }


@dataclass(frozen=True)
class LabelDecision:
    label: str
    scores: dict[str, float]
    confidence: float


class Labeler(Component):
    """Pipeline component: sets ``label``, ``scores`` and ``confidence`` on body and dek sentences."""

    name = "label"
    reads = frozenset({"sentences", "attribution", "probabilities"})
    writes = frozenset({"labels"})
    scored_by = ("accuracy", "macro_f1")

    def __init__(self, opinion_threshold: float = 0.5):
        self.opinion_threshold = opinion_threshold

    def predict(self, article: Article) -> list[LabelDecision | None]:
        results: list[LabelDecision | None] = []
        for sentence in article.sentences:
            p = sentence.probabilities
            if not sentence.labelled or p is None:
                results.append(None)
                continue
            scores = three_label_scores(p.attributed, p.opinion)
            if sentence.attribution is not None:
                label = "sourced_claim"
            else:
                label = "opinion" if p.opinion >= self.opinion_threshold else "reported_fact"
            results.append(LabelDecision(label, scores, scores[label]))
        return results

    def set_annotations(self, article: Article, results: list[LabelDecision | None]) -> None:
        for sentence, result in zip(article.sentences, results):
            if result is None:
                sentence.label = None
                sentence.scores = None
                sentence.confidence = None
                sentence.speaker = None
                continue
            sentence.label = result.label
            sentence.scores = result.scores
            sentence.confidence = result.confidence
            if sentence.label != "sourced_claim":
                sentence.speaker = None
                sentence.speaker_span = None
                sentence.cue_span = None
