"""Combine attribution and subjectivity into the three labels, with scores.

Attribution beats everything (ANNOTATION.md): an attributed sentence is a
``sourced_claim`` whatever its tone. Otherwise the subjectivity probability
decides between ``opinion`` and ``reported_fact``.

``scores`` is a distribution over the three labels built from the
attribution score p_s (the rule's confidence, or a small prior where no rule
fired) and the opinion probability p_o: sourced p_s, opinion (1-p_s)·p_o,
fact (1-p_s)·(1-p_o). ``confidence`` is the chosen label's score.

Scored by: label accuracy and macro-F1 in :mod:`saidwho.evaluate`.
"""

from __future__ import annotations

from saidwho.records import Article
from saidwho.subjectivity import SubjectivityClassifier

UNATTRIBUTED_PRIOR = 0.05


class RuleLabeler:
    """Pipeline component: sets ``label``, ``scores`` and ``confidence`` on body and dek sentences."""

    name = "label"
    scored_by = ("accuracy", "macro_f1")

    def __init__(self, subjectivity: SubjectivityClassifier | None, threshold: float = 0.5):
        self.subjectivity = subjectivity
        self.threshold = threshold

    def predict(self, article: Article) -> list[dict | None]:
        labelled = [s for s in article.sentences if s.labelled]
        texts = [article.sentence_text(s) for s in labelled]
        opinion = self.subjectivity.predict_proba(texts) if self.subjectivity is not None else [0.0] * len(texts)
        by_sentence = {id(s): float(p) for s, p in zip(labelled, opinion)}
        results: list[dict | None] = []
        for sentence in article.sentences:
            if not sentence.labelled:
                results.append(None)
                continue
            attribution = sentence.annotations.get("attribution")
            p_s = attribution.score if attribution is not None else UNATTRIBUTED_PRIOR
            p_o = by_sentence[id(sentence)]
            scores = {
                "reported_fact": (1 - p_s) * (1 - p_o),
                "sourced_claim": p_s,
                "opinion": (1 - p_s) * p_o,
            }
            if attribution is not None:
                label = "sourced_claim"
            else:
                label = "opinion" if p_o >= self.threshold else "reported_fact"
            results.append({"label": label, "scores": scores, "confidence": scores[label]})
        return results

    def set_annotations(self, article: Article, results: list[dict | None]) -> None:
        for sentence, result in zip(article.sentences, results):
            if result is None:
                sentence.label = None
                sentence.scores = None
                sentence.confidence = None
                sentence.speaker = None
                continue
            sentence.label = result["label"]
            sentence.scores = result["scores"]
            sentence.confidence = result["confidence"]
            if sentence.label != "sourced_claim":
                sentence.speaker = None
                sentence.speaker_span = None
                sentence.cue_span = None

    def __call__(self, article: Article) -> Article:
        self.set_annotations(article, self.predict(article))
        return article
