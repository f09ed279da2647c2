"""The counts every evaluation metric is computed from, and their bootstrap intervals.

One :class:`Counts` per gold article (made by :mod:`saidwho.evaluation.tally`);
totals and bootstrap resamples are sums of them, so a metric is computed the
same way for the point estimate and for every resample. Label metrics follow
the definitions of ``sklearn.metrics.precision_recall_fscore_support`` with
``labels=LABELS`` and ``zero_division=0`` (tests/test_evaluate.py checks them
against sklearn); a ``null`` prediction is no class.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from saidwho.evaluation.bootstrap import percentile_interval, ratio, resampled_sums
from saidwho.evaluation.results import COLUMNS, ClassScores, LabelScores
from saidwho.records import LABELS, SOURCE_CATEGORIES

__all__ = ["Counts", "bootstrap_ci", "label_scores"]


def maybe_float(value: Any) -> float | None:
    value = float(value)
    return None if np.isnan(value) else value


def empty_confusion() -> np.ndarray:
    return np.zeros((len(LABELS), len(COLUMNS)), dtype=np.int64)


@dataclass(eq=False)
class Counts:
    """The counts every metric is computed from, for one article or a sum of articles.

    ``strict`` and ``lenient`` are confusion matrices: gold label (rows, in
    LABELS order) by predicted label (columns, in COLUMNS order, so ``null``
    last). Counts add up (``a + b``, ``sum(per_article, Counts())``): the
    totals and every bootstrap resample are sums of per-article counts rather
    than re-runs of the scorer. :meth:`stack` and :meth:`from_rows` hold many
    sums at once, every field with a leading axis, and :meth:`metrics` then
    computes each metric for all of them.
    """

    strict: np.ndarray = field(default_factory=empty_confusion)
    lenient: np.ndarray = field(default_factory=empty_confusion)
    speaker_n: int | np.ndarray = 0  # gold sourced claims whose speaker is in the gold sources
    speaker_correct: int | np.ndarray = 0  # ... predicted as sourced claims of a matching speaker
    kind_n: int | np.ndarray = 0  # gold segments
    kind_correct: int | np.ndarray = 0  # ... whose aligned predicted segment agrees on body-or-not
    boundary_n: int | np.ndarray = 0  # gold body segments
    boundary_correct: int | np.ndarray = 0  # ... whose aligned predicted segment has the same trimmed bounds
    speaker_attributed_n: int | np.ndarray = 0  # speaker_n sentences the prediction also attributes
    speaker_attributed_correct: int | np.ndarray = 0  # ... of a matching speaker
    # Source profiles (docs/annotation.md section 5), over gold sources that carry one:
    profile_n: int | np.ndarray = 0  # gold sources with a profile
    profile_matched: int | np.ndarray = 0  # ... that a predicted source matches (the speaker rule)
    title_correct: int | np.ndarray = 0  # ... whose titles agree after normalisation (both none agrees)
    title_head_correct: int | np.ndarray = 0  # ... same head word, one title's words within the other's (lenient)
    category_correct: int | np.ndarray = 0
    category_gold: np.ndarray = field(default_factory=lambda: np.zeros(len(SOURCE_CATEGORIES), dtype=int))
    gender_n: int | np.ndarray = 0  # matched gold persons whose gender the article shows
    gender_correct: int | np.ndarray = 0
    gender_covered: int | np.ndarray = 0  # ... where the prediction says female or male
    gender_gold: np.ndarray = field(default_factory=lambda: np.zeros(2, dtype=int))  # female, male
    reason_n: int | np.ndarray = 0  # matched gold anonymous sources
    reason_tp: int | np.ndarray = 0  # gold gives a reason, prediction finds one
    reason_fp: int | np.ndarray = 0
    reason_fn: int | np.ndarray = 0

    def _items(self) -> list[tuple[str, Any]]:
        return [(f.name, getattr(self, f.name)) for f in fields(self)]

    def __add__(self, other: Counts) -> Counts:
        if not isinstance(other, Counts):
            return NotImplemented
        return Counts(**{name: value + getattr(other, name) for name, value in self._items()})

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Counts):
            return NotImplemented
        return all(np.array_equal(value, getattr(other, name)) for name, value in self._items())

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def stack(cls, counts: Sequence[Counts]) -> Counts:
        """One Counts whose fields have a leading axis with one entry per item of ``counts``."""
        return cls(**{f.name: np.stack([np.asarray(getattr(c, f.name)) for c in counts]) for f in fields(cls)})

    def rows(self) -> np.ndarray:
        """Stacked counts as one matrix (items x every count of every field, flattened), for the bootstrap."""
        return np.concatenate([np.asarray(value).reshape(len(self.strict), -1) for _, value in self._items()], axis=1)

    @classmethod
    def from_rows(cls, rows: np.ndarray) -> Counts:
        """Counts with a leading axis back from :meth:`rows`-shaped sums (one row per sum)."""
        out: dict[str, np.ndarray] = {}
        column = 0
        for name, value in cls()._items():
            shape = np.shape(value)
            width = int(np.prod(shape, dtype=int))
            out[name] = rows[:, column : column + width].reshape(len(rows), *shape)
            column += width
        return cls(**out)

    def metrics(self) -> dict[str, np.ndarray]:
        """Every metric, NaN where undefined, shaped like the fields' leading axes (0-d for one sum).

        Precision, recall and F1 follow sklearn's ``zero_division=0``; F1 is
        2TP / (2TP + FP + FN), which is sklearn's formula.
        """
        return {
            **_label_metrics(self.strict, ""),
            **_label_metrics(self.lenient, "lenient_"),
            "opinion_vs_not_macro_f1": _opinion_vs_not_macro_f1(self.strict),
            "speaker_accuracy": ratio(self.speaker_correct, self.speaker_n),
            "speaker_accuracy_attributed": ratio(self.speaker_attributed_correct, self.speaker_attributed_n),
            "kind_accuracy": ratio(self.kind_correct, self.kind_n),
            "boundary_agreement": ratio(self.boundary_correct, self.boundary_n),
            **_profile_metrics(self),
        }

    def values(self) -> dict[str, float | None]:
        """The metrics of one sum as floats, None where undefined."""
        return {key: maybe_float(value) for key, value in self.metrics().items()}


def _profile_metrics(c: Counts) -> dict[str, np.ndarray]:
    """Profile fields against gold, each beside the baseline of always giving the
    most frequent gold value (for the reason: always "there is one")."""
    gold_reasons = np.asarray(c.reason_tp) + np.asarray(c.reason_fn)
    return {
        "profile_coverage": ratio(c.profile_matched, c.profile_n),
        "profile_title_accuracy": ratio(c.title_correct, c.profile_matched),
        "profile_title_head_accuracy": ratio(c.title_head_correct, c.profile_matched),
        "profile_category_accuracy": ratio(c.category_correct, c.profile_matched),
        "profile_category_majority": ratio(np.max(c.category_gold, axis=-1), c.profile_matched),
        "profile_gender_accuracy": ratio(c.gender_correct, c.gender_n),
        "profile_gender_coverage": ratio(c.gender_covered, c.gender_n),
        "profile_gender_majority": ratio(np.max(c.gender_gold, axis=-1), c.gender_n),
        "anonymity_reason_f1": ratio(2 * np.asarray(c.reason_tp), 2 * np.asarray(c.reason_tp) + c.reason_fp + c.reason_fn),
        "anonymity_reason_majority_f1": ratio(2 * gold_reasons, gold_reasons + c.reason_n),
    }


def _label_metrics(cm: np.ndarray, prefix: str) -> dict[str, np.ndarray]:
    """Accuracy, macro-F1 and per-class P/R/F1 from confusion matrices of shape (..., LABELS, COLUMNS)."""
    n = cm.sum(axis=(-2, -1))
    tp = np.stack([cm[..., k, k] for k in range(len(LABELS))], axis=-1)
    gold = cm.sum(axis=-1)  # per class: tp + fn
    predicted = cm.sum(axis=-2)[..., : len(LABELS)]  # per class: tp + fp
    precision = ratio(tp, predicted, 0.0)
    recall = ratio(tp, gold, 0.0)
    f1 = ratio(2 * tp, gold + predicted, 0.0)
    out = {
        f"{prefix}accuracy": ratio(tp.sum(axis=-1), n),
        # Undefined (not 0) when there are no gold sentences at all.
        f"{prefix}macro_f1": np.where(n > 0, f1.mean(axis=-1), np.nan),
    }
    for k, label in enumerate(LABELS):
        out[f"{prefix}{label}_precision"] = np.where(n > 0, precision[..., k], np.nan)
        out[f"{prefix}{label}_recall"] = np.where(n > 0, recall[..., k], np.nan)
        out[f"{prefix}{label}_f1"] = np.where(n > 0, f1[..., k], np.nan)
    return out


def _opinion_vs_not_macro_f1(cm: np.ndarray) -> np.ndarray:
    """Opinion against everything else (the CheckThat!/BABE task); a null prediction is "not opinion"."""
    k = LABELS.index("opinion")
    n = cm.sum(axis=(-2, -1))
    tp = cm[..., k, k]
    fp = cm[..., :, k].sum(axis=-1) - tp
    fn = cm[..., k, :].sum(axis=-1) - tp
    tn = n - tp - fp - fn
    f1_opinion = ratio(2 * tp, 2 * tp + fp + fn, 0.0)
    f1_other = ratio(2 * tn, 2 * tn + fp + fn, 0.0)
    return np.where(n > 0, (f1_opinion + f1_other) / 2, np.nan)



def bootstrap_ci(per_article: Sequence[Counts], resamples: int, seed: int) -> dict[str, tuple[float, float] | None]:
    """Percentile intervals of every metric over resamples of the articles' counts."""
    if resamples <= 0 or not per_article:
        return {key: None for key in Counts().metrics()}
    sums = resampled_sums(Counts.stack(per_article).rows(), resamples, np.random.default_rng(seed))
    return {key: percentile_interval(values) for key, values in Counts.from_rows(sums).metrics().items()}


def label_scores(cm: np.ndarray) -> LabelScores:
    """Label scores of one summed confusion matrix (gold LABELS x predicted COLUMNS)."""
    n = int(cm.sum())
    confusion = {g: {p: int(cm[i, j]) for j, p in enumerate(COLUMNS)} for i, g in enumerate(LABELS)}
    predicted = {label: int(cm[:, j].sum()) for j, label in enumerate(LABELS)}
    support = {label: int(cm[i].sum()) for i, label in enumerate(LABELS)}
    if n == 0:
        per_class = {label: ClassScores(0.0, 0.0, 0.0, support[label], predicted[label]) for label in LABELS}
        return LabelScores(0, 0, None, None, per_class, confusion)
    metrics = _label_metrics(cm, "")
    per_class = {
        label: ClassScores(
            float(metrics[f"{label}_precision"]), float(metrics[f"{label}_recall"]), float(metrics[f"{label}_f1"]),
            support[label], predicted[label],
        )
        for label in LABELS
    }
    correct = sum(int(cm[k, k]) for k in range(len(LABELS)))
    return LabelScores(n, correct, float(metrics["accuracy"]), float(metrics["macro_f1"]), per_class, confusion)
