"""The writer's opinion against not: a TF-IDF + logistic-regression classifier.

Trained on BABE and CheckThat! train sentences (see ``saidwho train-rules``).
Stored without pickles: the vocabulary and settings in ``subjectivity.json``,
the IDF weights and coefficients in ``subjectivity.safetensors``; loading
rebuilds a scikit-learn vectorizer from them.

Scored by: opinion-vs-not macro-F1 on CheckThat! dev (``saidwho eval`` on the
converted dev file) and the opinion row of the three-label scores.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save_file
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from saidwho.io import atomic_writer


@dataclass
class SubjectivityArguments:
    """Settings of the subjectivity classifier (saved with it)."""

    ngram_range: tuple[int, int] = (1, 2)
    min_df: int = 2
    max_features: int = 30000
    sublinear_tf: bool = True
    C: float = 2.0
    class_weight: str | None = "balanced"
    threshold: float = 0.5
    seed: int = 0
    extra: dict = field(default_factory=dict)


class SubjectivityClassifier:
    """Probability that a sentence voices the writer's own opinion."""

    JSON = "subjectivity.json"
    WEIGHTS = "subjectivity.safetensors"

    def __init__(self, vectorizer: TfidfVectorizer, coef: np.ndarray, intercept: float, args: SubjectivityArguments):
        self.vectorizer = vectorizer
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = float(intercept)
        self.args = args

    @classmethod
    def fit(cls, texts: list[str], is_opinion: list[int], args: SubjectivityArguments | None = None) -> SubjectivityClassifier:
        args = args or SubjectivityArguments()
        vectorizer = TfidfVectorizer(
            ngram_range=tuple(args.ngram_range),
            min_df=args.min_df,
            max_features=args.max_features,
            sublinear_tf=args.sublinear_tf,
            lowercase=True,
        )
        features = vectorizer.fit_transform(texts)
        model = LogisticRegression(C=args.C, class_weight=args.class_weight, max_iter=2000, random_state=args.seed)
        model.fit(features, np.asarray(is_opinion))
        return cls(vectorizer, model.coef_[0], model.intercept_[0], args)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0, dtype=np.float32)
        features = self.vectorizer.transform(texts)
        logits = features @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-np.asarray(logits, dtype=np.float64)))

    def save(self, directory: str | Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        meta = {
            "args": asdict(self.args),
            "vocabulary": {term: int(i) for term, i in self.vectorizer.vocabulary_.items()},
        }
        with atomic_writer(directory / self.JSON) as handle:
            json.dump(meta, handle, ensure_ascii=False)
        save_file(
            {
                "idf": self.vectorizer.idf_.astype(np.float32),
                "coef": self.coef,
                "intercept": np.asarray([self.intercept], dtype=np.float32),
            },
            str(directory / self.WEIGHTS),
        )

    @classmethod
    def load(cls, directory: str | Path) -> SubjectivityClassifier:
        directory = Path(directory)
        meta = json.loads((directory / cls.JSON).read_text(encoding="utf-8"))
        weights = load_file(str(directory / cls.WEIGHTS))
        raw = dict(meta["args"])
        raw["ngram_range"] = tuple(raw["ngram_range"])
        args = SubjectivityArguments(**raw)
        vectorizer = TfidfVectorizer(
            ngram_range=args.ngram_range, min_df=args.min_df, max_features=args.max_features,
            sublinear_tf=args.sublinear_tf, lowercase=True,
        )
        vectorizer.vocabulary_ = meta["vocabulary"]
        vectorizer.idf_ = weights["idf"].astype(np.float64)
        return cls(vectorizer, weights["coef"], float(weights["intercept"][0]), args)
