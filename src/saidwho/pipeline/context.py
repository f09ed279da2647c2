"""Fact against opinion in context: the sentence's opinion probability revised by its article.

The learned subjectivity head reads each sentence inside a window of its
neighbours. In an opinion column that context leaks into every sentence: a
plain recap of events reads as opinion because the paragraphs around it do.
This component revises the opinion probability with a small logistic
regression over features that separate the sentence from its setting:

- the head's own logit, and a sentence-only lexical score (the TF-IDF
  classifier of ``rules-v1``, which never sees the context);
- the article's and the paragraph's mean opinion probability (the genre
  signal, kept apart from the sentence so the model can weigh them);
- genre markers: an opinion/editorial/column/analysis marker in the title or
  the non-body lines, and the share of sentences in the writer's first person;
- sentence markers: first person outside quotes, figures and dates,
  questions and exclamations, modal verbs of obligation.

The weights are a few numbers in ``context_opinion.json`` (trained by
:mod:`saidwho.training.context`), and the threshold is folded into the
intercept, so the labeler's 0.5 stays the decision line. An article with a
single labelled sentence keeps the head's probability: there is no context.

Scored by: reported_fact F1, opinion F1 and macro-F1 of the three labels in
:mod:`saidwho.evaluation.scoring`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from saidwho.io import atomic_writer, read_text
from saidwho.pipeline.component import Component
from saidwho.records import Article, Probabilities, Sentence

FEATURE_NAMES = (
    "head_logit",
    "lexical_logit",
    "article_mean",
    "paragraph_mean",
    "head_x_article",
    "alone",
    "genre_marker",
    "article_first_person",
    "first_person",
    "figures",
    "question_or_exclamation",
    "obligation_modal",
    "quoted_share",
)

_GENRE_MARKER = re.compile(
    r"\b(opinion|editorial|op-ed|oped|column|columnist|commentary|analysis|perspective|letters?|viewpoint|our view)\b",
    re.IGNORECASE,
)
# Case matters for "US" (the country) against "us"; "I" is only ever the pronoun.
_FIRST_PERSON = re.compile(r"\b(?:I|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself|[Ww]e|us|[Oo]ur|[Oo]urs|[Oo]urselves)\b")
_FIGURES = re.compile(
    r"\d|\b(January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|percent|million|billion)\b"
)
_OBLIGATION = re.compile(r"\b(should|must|ought|need to|needs to|have to|has to|shouldn't|mustn't)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")
CONTEXT_KINDS = frozenset({"headline", "dek", "byline", "heading", "meta"})
_CLIP = 8.0


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return max(-_CLIP, min(_CLIP, math.log(p / (1 - p))))


def _outside_quotes(text: str) -> str:
    return _QUOTED.sub(" ", text)


def article_features(article: Article, lexical: dict[int, float] | None = None) -> dict[int, list[float]]:
    """Per labelled sentence (by index) with an opinion probability: the values of FEATURE_NAMES.

    ``lexical`` maps a sentence index to the sentence-only lexical opinion
    probability; without it the feature is neutral (0)."""
    scored = [(i, s) for i, s in enumerate(article.sentences) if s.labelled and s.probabilities is not None]
    if not scored:
        return {}
    opinion = {i: s.probabilities.opinion for i, s in scored}
    total = sum(opinion.values())
    paragraphs: dict[int | None, list[int]] = {}
    for i, s in scored:
        paragraphs.setdefault(_paragraph(s), []).append(i)
    context_text = " ".join(article.sentence_text(s) for s in article.sentences if s.kind in CONTEXT_KINDS)
    genre = float(bool(_GENRE_MARKER.search(" ".join(filter(None, [article.title or "", context_text])))))
    voiced = {i: bool(_FIRST_PERSON.search(_outside_quotes(article.sentence_text(s)))) for i, s in scored}
    article_first_person = sum(voiced.values()) / len(scored)
    features: dict[int, list[float]] = {}
    for i, s in scored:
        others = len(scored) - 1
        article_mean = (total - opinion[i]) / others if others else 0.5
        mates = [j for j in paragraphs[_paragraph(s)] if j != i]
        paragraph_mean = sum(opinion[j] for j in mates) / len(mates) if mates else article_mean
        text = article.sentence_text(s)
        head = _logit(opinion[i])
        features[i] = [
            head,
            _logit(lexical[i]) if lexical and i in lexical else 0.0,
            article_mean,
            paragraph_mean,
            head * (article_mean - 0.5),
            float(others == 0),
            genre,
            article_first_person,
            float(voiced[i]),
            float(bool(_FIGURES.search(_outside_quotes(text)))),
            float("?" in text or "!" in text),
            float(bool(_OBLIGATION.search(_outside_quotes(text)))),
            s.quotes.quoted_share,
        ]
    return features


def _paragraph(sentence: Sentence) -> int | None:
    return sentence.layout.paragraph if sentence.layout is not None else None


@dataclass
class ContextWeights:
    """A logistic regression over FEATURE_NAMES, standardised inputs, threshold folded into the intercept."""

    coef: list[float]
    intercept: float
    mean: list[float]
    scale: list[float]
    features: list[str] = field(default_factory=lambda: list(FEATURE_NAMES))
    note: str = ""

    FILE = "context_opinion.json"

    def probability(self, values: list[float]) -> float:
        z = self.intercept + sum(c * (v - m) / s for c, v, m, s in zip(self.coef, values, self.mean, self.scale))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def from_pretrained(cls, directory: str | Path) -> ContextWeights:
        data = json.loads(read_text(Path(directory) / cls.FILE))
        weights = cls(**data)
        if tuple(weights.features) != FEATURE_NAMES:
            raise ValueError(f"{directory}: context features {weights.features} differ from this version's {list(FEATURE_NAMES)}")
        return weights

    def save_pretrained(self, directory: str | Path) -> None:
        with atomic_writer(Path(directory) / self.FILE) as handle:
            handle.write(json.dumps(asdict(self), indent=2) + "\n")


class ContextOpinion(Component):
    """Pipeline component: revises each sentence's opinion probability in its article's context."""

    name = "context_opinion"
    reads = frozenset({"sentences", "layout", "quotes", "probabilities"})
    writes = frozenset({"probabilities"})
    scored_by = ("reported_fact_f1", "opinion_f1", "macro_f1")

    def __init__(self, weights: ContextWeights, lexical=None):
        self.weights = weights
        self.lexical = lexical  # a SubjectivityClassifier (sentence-only), or None

    def predict(self, article: Article) -> dict[int, float]:
        features = article_features(article, self.lexical_scores(article))
        if len(features) < 2:
            # A lone sentence has no context to weigh: the head's own probability
            # stands (CheckThat!-style input, where the revision only costs).
            return {}
        return {i: self.weights.probability(values) for i, values in features.items()}

    def lexical_scores(self, article: Article) -> dict[int, float] | None:
        if self.lexical is None:
            return None
        indices = [i for i, s in enumerate(article.sentences) if s.labelled and s.probabilities is not None]
        if not indices:
            return {}
        scores = self.lexical.predict_proba([article.sentence_text(article.sentences[i]) for i in indices])
        return {i: float(p) for i, p in zip(indices, scores)}

    # Where a saved folder keeps the lexical classifier (apart from an opinion_scorer's).
    LEXICAL_FOLDER = "lexical"

    def save_pretrained(self, directory: Path) -> dict[str, Any]:
        """The weights into the folder itself; the lexical classifier into its subfolder."""
        self.weights.save_pretrained(directory)
        if self.lexical is not None:
            self.lexical.save_pretrained(directory / self.LEXICAL_FOLDER)
        return {"weights": None, "lexical": self.LEXICAL_FOLDER if self.lexical is not None else None}

    def set_annotations(self, article: Article, result: dict[int, float]) -> None:
        for index, opinion in result.items():
            sentence = article.sentences[index]
            sentence.probabilities = Probabilities(sentence.probabilities.attributed, opinion)
