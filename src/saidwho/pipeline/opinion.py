"""The rule system's opinion probability: the TF-IDF classifier on each labelled sentence.

Writes :class:`~saidwho.records.Probabilities`: the opinion probability from
:class:`~saidwho.models.subjectivity.SubjectivityClassifier` (0 without one)
and, as the attribution probability, the attribution's own score, or a small
prior where no rule fired.

Scored by: opinion-vs-not macro-F1 (CheckThat! dev) in :mod:`saidwho.evaluation.scoring`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from saidwho.models.subjectivity import SubjectivityClassifier
from saidwho.pipeline.component import Component
from saidwho.records import Article, Probabilities

# The attribution probability of a sentence no rule attributes.
UNATTRIBUTED_PRIOR = 0.05


class OpinionScorer(Component):
    name = "opinion"
    reads = frozenset({"sentences", "attribution"})
    writes = frozenset({"probabilities"})
    scored_by = ("opinion_vs_not_macro_f1",)

    def __init__(self, classifier: SubjectivityClassifier | None):
        self.classifier = classifier

    def predict(self, article: Article) -> list[Probabilities | None]:
        labelled = [s for s in article.sentences if s.labelled]
        texts = [article.sentence_text(s) for s in labelled]
        opinion = self.classifier.predict_proba(texts) if self.classifier is not None else [0.0] * len(texts)
        by_sentence = {id(s): float(p) for s, p in zip(labelled, opinion)}
        return [
            Probabilities(s.attribution.score if s.attribution is not None else UNATTRIBUTED_PRIOR, by_sentence[id(s)])
            if s.labelled else None
            for s in article.sentences
        ]

    def set_annotations(self, article: Article, result: list[Probabilities | None]) -> None:
        for sentence, probabilities in zip(article.sentences, result):
            sentence.probabilities = probabilities

    def save_pretrained(self, directory: Path) -> dict[str, Any]:
        if self.classifier is None:
            return {"classifier": None}
        return {"classifier": self.classifier.save_pretrained(directory).name}
