"""Combine attribution and the probabilities into the three labels, with scores.

Attribution beats everything (ANNOTATION.md): an attributed sentence is a
``sourced_claim`` whatever its tone. Otherwise the opinion probability
decides between ``opinion`` and ``reported_fact``.

``scores`` is a distribution over the three labels built from the
attribution probability p_s and the opinion probability p_o
(:class:`~saidwho.records.Probabilities`, written by the attributor or the
opinion scorer): sourced p_s, opinion (1-p_s)·p_o, fact (1-p_s)·(1-p_o).

The label is always the top score and ``confidence`` is that score, also
where the rules overrule the model (a rule finds a cue the model gave little
weight, or the model's confident attribution is not taken): readers and every
threshold downstream (``--select uncertain:N``, the report's low-confidence
share) take ``scores`` at face value. So the two probabilities are first
moved, each as little as needed, to the side of the decision
(:func:`decision_scores`): p_o is mapped so that the opinion threshold sits at
0.5, an attributed sentence's p_s is raised to at least 0.5, and an
unattributed one's p_s is lowered below the larger of the other two scores.
Sentences where the model and the decision agree keep their scores.

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


# Where p_s must come down, it comes this far below the tie, so that the
# label stays strictly on top after the record rounds scores to 4 decimals.
_MARGIN = 1e-3


def decision_scores(p_sourced: float, p_opinion: float, attributed: bool, opinion_threshold: float = 0.5) -> tuple[str, dict[str, float]]:
    """The label and a three-label distribution whose top score is that label (see module doc)."""
    p_opinion = _centred(p_opinion, opinion_threshold)
    if attributed:
        return "sourced_claim", three_label_scores(max(p_sourced, 0.5), p_opinion)
    # Fact or opinion, whichever of (1-p_s)·p_o and (1-p_s)·(1-p_o) is larger;
    # it beats p_s exactly when p_s < m / (1 + m), m = max(p_o, 1 - p_o).
    larger = max(p_opinion, 1 - p_opinion)
    p_sourced = min(p_sourced, larger / (1 + larger) - _MARGIN)
    label = "opinion" if p_opinion >= 0.5 else "reported_fact"
    return label, three_label_scores(p_sourced, p_opinion)


def _centred(p: float, threshold: float) -> float:
    """``p`` mapped piecewise-linearly so that ``threshold`` lands on 0.5 (0 and 1 stay)."""
    if threshold == 0.5:
        return p
    if p < threshold:
        return 0.5 * p / threshold
    return 0.5 + 0.5 * (p - threshold) / (1 - threshold)


@dataclass(frozen=True)
class LabelDecision:
    label: str
    scores: dict[str, float]
    confidence: float


class Labeler(Component):
    """Pipeline component: sets ``label``, ``scores`` and ``confidence`` on body and dek sentences.

    It also clears what a sentence it does not label ``sourced_claim`` no
    longer has: its speaker (``sources``) and its speaker and cue spans
    (``attribution``); the attribution itself stays, for the record."""

    name = "label"
    reads = frozenset({"sentences", "attribution", "probabilities"})
    writes = frozenset({"labels", "sources", "attribution"})
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
            label, scores = decision_scores(p.attributed, p.opinion, sentence.attribution is not None, self.opinion_threshold)
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
