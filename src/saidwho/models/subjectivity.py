"""The writer's opinion against not: a TF-IDF + logistic-regression classifier.

Trained on BABE and CheckThat! train sentences (see ``saidwho train-rules``).
Stored without pickles: the vocabulary and settings in ``subjectivity.json``,
the IDF weights and coefficients in ``subjectivity.safetensors``. Training
uses scikit-learn; scoring does not (importing it costs about 2 s at
start-up, through scipy and pandas): :meth:`predict_proba` computes the same
TF-IDF features as scikit-learn's vectorizer (its default tokens, word
n-grams, sublinear term frequency, l2 norm) in plain Python and numpy, and
a test holds the two equal.

Scored by: opinion-vs-not macro-F1 on CheckThat! dev (``saidwho eval`` on the
converted dev file) and the opinion row of the three-label scores.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save

from saidwho.io import atomic_writer

# scikit-learn's default token_pattern.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


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


class SubjectivityClassifier:
    """Probability that a sentence voices the writer's own opinion."""

    JSON = "subjectivity.json"
    WEIGHTS = "subjectivity.safetensors"

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray, coef: np.ndarray, intercept: float, args: SubjectivityArguments):
        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = float(intercept)
        self.args = args
        # Per term: its idf times its coefficient, and its idf, for the score and the norm.
        self._weighted = self.idf * self.coef.astype(np.float64)

    @classmethod
    def fit(cls, texts: list[str], is_opinion: list[int], args: SubjectivityArguments | None = None) -> SubjectivityClassifier:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

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
        vocabulary = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
        return cls(vocabulary, vectorizer.idf_, model.coef_[0], model.intercept_[0], args)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0, dtype=np.float32)
        logits = np.array([self._logit(text) for text in texts], dtype=np.float64)
        return 1.0 / (1.0 + np.exp(-logits))

    def _logit(self, text: str) -> float:
        counts: dict[int, int] = {}
        for term in self._terms(text):
            index = self.vocabulary.get(term)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        if not counts:
            return self.intercept
        indices = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        if self.args.sublinear_tf:
            tf = 1.0 + np.log(tf)
        norm = float(np.sqrt(np.sum((tf * self.idf[indices]) ** 2)))
        return float(np.dot(tf, self._weighted[indices]) / norm) + self.intercept

    def _terms(self, text: str) -> list[str]:
        """scikit-learn's default word analyzer: lower case, tokens of two or more word characters, n-grams joined by a space."""
        tokens = _TOKEN.findall(text.lower())
        low, high = self.args.ngram_range
        terms = []
        for n in range(low, high + 1):
            terms += tokens if n == 1 else [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
        return terms

    def save_pretrained(self, directory: str | Path) -> Path:
        """Write the classifier into a folder (``subjectivity.json`` and
        ``subjectivity.safetensors``); returns the JSON file."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        meta = {
            "args": asdict(self.args),
            "vocabulary": self.vocabulary,
        }
        with atomic_writer(directory / self.JSON) as handle:
            json.dump(meta, handle, ensure_ascii=False)
        arrays = {
            "idf": self.idf.astype(np.float32),
            "coef": self.coef,
            "intercept": np.asarray([self.intercept], dtype=np.float32),
        }
        with atomic_writer(directory / self.WEIGHTS, "wb") as handle:
            handle.write(save(arrays))
        return directory / self.JSON

    @classmethod
    def files(cls, location: str | Path) -> tuple[Path, Path]:
        """The JSON and weights files of a classifier at ``location``: a folder
        holding the usual names, or its JSON file (the weights beside it, same stem)."""
        location = Path(location)
        if location.suffix == ".json":
            return location, location.with_suffix(".safetensors")
        return location / cls.JSON, location / cls.WEIGHTS

    @classmethod
    def from_pretrained(cls, location: str | Path) -> SubjectivityClassifier:
        """The classifier at ``location`` (see :meth:`files`)."""
        meta_path, weights_path = cls.files(location)
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        weights = load_file(str(weights_path))
        raw = dict(meta["args"])
        raw["ngram_range"] = tuple(raw["ngram_range"])
        raw.pop("extra", None)  # an empty setting that classifiers saved before 2026-12-04 hold
        args = SubjectivityArguments(**raw)
        return cls(meta["vocabulary"], weights["idf"], weights["coef"], float(weights["intercept"][0]), args)
