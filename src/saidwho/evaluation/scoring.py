"""Evaluation harness: score predicted article records against gold ones.

Implements the scoring section of docs/format.md so that two
implementations give the same numbers. Gold and prediction are paired by
article ``id``; offsets are read against the gold article's text.

Alignment
    Each gold sentence with a label (kind ``body`` or ``dek``, label not
    null) is aligned with the predicted *labelled* sentence (label not null)
    that covers most of its non-space characters: the overlap of two
    ``[start, end)`` ranges is the number of non-whitespace characters of the
    gold text inside both. Ties go to the earlier predicted sentence. A gold
    sentence that no predicted labelled sentence overlaps is predicted
    ``null``, a wrong answer. So is every sentence of a gold article that has
    no prediction at all (reported in ``missing_articles`` and the warnings).
    For segment kind and boundaries, gold segments are aligned the same way
    with predicted segments of any kind.

Metrics (all with their counts in the output)
    accuracy
        Share of gold labelled sentences whose aligned prediction has the gold
        label. Counts: ``n`` (gold labelled sentences), ``correct``.
    per-class precision / recall / F1, macro-F1
        From ``sklearn.metrics.precision_recall_fscore_support`` with
        ``labels=LABELS`` and ``zero_division=0``: a ``null`` prediction is no
        class, so it lowers the gold class's recall and no class's precision.
        Macro-F1 is the unweighted mean over all three labels, also a label
        absent from gold and predictions (its F1 is then 0). Counts:
        ``support`` (gold sentences of the class), ``predicted`` (aligned
        predictions of the class).
    strict / lenient
        Strict compares the predicted label with ``label`` only. Lenient also
        accepts a prediction that is one of the gold ``alt_labels``, which
        then counts as the gold label (a correct answer, not a false positive
        for the alternative class).
    confusion
        Gold label (rows) by predicted label (columns, including ``null``).
    speaker accuracy
        Over gold ``sourced_claim`` sentences that have a speaker, the share
        whose aligned prediction is a ``sourced_claim`` whose speaker's source
        matches the gold source by :func:`saidwho.names.names_match`. Counts:
        ``n``, ``correct``. A gold speaker id missing from the gold sources is
        skipped with a warning. ``speaker_accuracy_attributed`` is the same
        share over the sentences both sides attribute (the aligned prediction
        is a ``sourced_claim``): how well speakers are named where the system
        does attribute, apart from what it misses.
    segment kind (body-or-not)
        Over all gold segments, the share whose aligned predicted segment
        agrees on body-or-not (``body``/``dek`` against every other kind). A
        gold segment no predicted segment overlaps counts as wrong. Counts:
        ``n``, ``correct``, ``unaligned``; ``confusion`` is gold kind by
        predicted kind (``none`` where unaligned).
    boundary agreement
        Over gold ``body`` segments, the share whose aligned predicted segment
        (any kind) has the same start and end once leading and trailing
        whitespace is trimmed from both. Counts: ``n``, ``correct``.
    confidence intervals
        Percentile bootstrap (95 %) over articles: gold articles are drawn
        with replacement ``bootstrap`` times with ``numpy.random.default_rng(seed)``
        and every metric is recomputed from the summed counts of the drawn
        articles. Resamples where a metric is undefined (for example no
        gold speaker) are left out of its interval.
    per article
        Gold labelled sentences, aligned ones, strict accuracy, strict
        ``sourced_claim`` F1 (None where the article has no sourced claim in
        gold or prediction), speaker accuracy.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from itertools import accumulate
from typing import Any

import numpy as np

from saidwho.errors import UserError
from saidwho.names import names_match
from saidwho.records import KINDS, LABELLED_KINDS, LABELS, Article, Sentence

__all__ = [
    "HEADLINE_METRICS",
    "NULL",
    "ArticleScores",
    "ClassScores",
    "Counts",
    "EvalResult",
    "LabelScores",
    "Ratio",
    "align",
    "evaluate",
]

log = logging.getLogger(__name__)

NULL = "null"
"""Predicted label of a gold sentence that no predicted labelled sentence covers."""
NO_SEGMENT = "none"
"""Predicted kind of a gold segment that no predicted segment covers."""
COLUMNS: tuple[str, ...] = (*LABELS, NULL)
CONFIDENCE = 0.95

# Metrics shown in tables and comparisons, in order, with display names. All
# metrics (per-class ones too) are in EvalResult.metrics and .ci.
HEADLINE_METRICS: tuple[tuple[str, str], ...] = (
    ("accuracy", "Accuracy"),
    ("macro_f1", "Macro-F1"),
    ("sourced_claim_precision", "sourced_claim P"),
    ("sourced_claim_recall", "sourced_claim R"),
    ("sourced_claim_f1", "sourced_claim F1"),
    ("lenient_accuracy", "Accuracy (lenient)"),
    ("lenient_macro_f1", "Macro-F1 (lenient)"),
    ("opinion_vs_not_macro_f1", "Opinion-vs-not macro-F1"),
    ("speaker_accuracy", "Speaker accuracy"),
    ("speaker_accuracy_attributed", "Speaker acc. (both attributed)"),
    ("kind_accuracy", "Body-or-not accuracy"),
    ("boundary_agreement", "Boundary agreement"),
)


# --------------------------------------------------------------------------- alignment


class _NonSpaceCounter:
    """Prefix sums of non-space characters, so the overlap of two ranges costs O(1)."""

    def __init__(self, text: str):
        self._prefix = [0, *accumulate(0 if c.isspace() else 1 for c in text)]
        self._len = len(text)

    def count(self, start: int, end: int) -> int:
        start = min(max(start, 0), self._len)
        end = min(max(end, 0), self._len)
        return self._prefix[end] - self._prefix[start] if end > start else 0


def align(gold: Sequence[Sentence], pred: Sequence[Sentence], text: str) -> list[Sentence | None]:
    """For each gold sentence, the predicted sentence covering most of its non-space characters.

    ``text`` is the gold article text the offsets index into. None where no
    predicted sentence overlaps a non-space character; ties go to the
    predicted sentence that starts first. Predictions need not be sorted or
    free of overlaps (malformed files still score), but sorted ones are fast.
    """
    counter = _NonSpaceCounter(text)
    ordered = sorted(pred, key=lambda s: (s.start, s.end))
    starts = [s.start for s in ordered]
    # Running maximum of ends: every predicted sentence before the first index
    # whose running max exceeds gold.start ends at or before it, even when
    # predictions overlap, so the scan can begin there.
    max_ends = list(accumulate((s.end for s in ordered), max))
    out: list[Sentence | None] = []
    for g in gold:
        lo = bisect.bisect_right(max_ends, g.start)
        hi = bisect.bisect_left(starts, g.end)
        best: Sentence | None = None
        best_overlap = 0
        for p in ordered[lo:hi]:
            overlap = counter.count(max(g.start, p.start), min(g.end, p.end))
            if overlap > best_overlap:
                best, best_overlap = p, overlap
        out.append(best)
    return out


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    start = max(start, 0)
    end = min(end, len(text))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --------------------------------------------------------------------------- result types


@dataclass
class Ratio:
    """A share with its counts: ``correct`` of ``n`` (value None when n is 0)."""

    n: int = 0
    correct: int = 0

    @property
    def value(self) -> float | None:
        return self.correct / self.n if self.n else None

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "correct": self.correct, "value": self.value}


@dataclass
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int  # gold sentences of this class
    predicted: int  # aligned predictions of this class

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class LabelScores:
    """Label scores of one mode (strict or lenient)."""

    n: int
    correct: int
    accuracy: float | None
    macro_f1: float | None
    per_class: dict[str, ClassScores]
    confusion: dict[str, dict[str, int]]  # gold label -> predicted label (incl. "null") -> count

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "correct": self.correct,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "per_class": {k: v.to_dict() for k, v in self.per_class.items()},
            "confusion": {k: dict(v) for k, v in self.confusion.items()},
        }


@dataclass
class ArticleScores:
    id: str
    has_prediction: bool
    n_sentences: int  # gold labelled sentences
    n_aligned: int  # of which a predicted labelled sentence covers some
    accuracy: float | None
    sourced_claim_f1: float | None
    speaker: Ratio

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "has_prediction": self.has_prediction,
            "n_sentences": self.n_sentences,
            "n_aligned": self.n_aligned,
            "accuracy": self.accuracy,
            "sourced_claim_f1": self.sourced_claim_f1,
            "speaker_n": self.speaker.n,
            "speaker_correct": self.speaker.correct,
            "speaker_accuracy": self.speaker.value,
        }


@dataclass
class EvalResult:
    """Everything :func:`evaluate` measured; ``to_dict()`` is the JSON report."""

    n_gold_articles: int
    n_pred_articles: int
    missing_articles: list[str]
    extra_articles: list[str]
    n_gold_sentences: int
    n_aligned: int
    strict: LabelScores
    lenient: LabelScores
    speaker: Ratio
    kind: Ratio
    kind_unaligned: int
    kind_confusion: dict[str, dict[str, int]]
    boundary: Ratio
    metrics: dict[str, float | None]
    ci: dict[str, tuple[float, float] | None]
    bootstrap: int
    seed: int
    per_article: list[ArticleScores]
    gold_digest: str
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "counts": {
                "gold_articles": self.n_gold_articles,
                "predicted_articles": self.n_pred_articles,
                "matched_articles": self.n_gold_articles - len(self.missing_articles),
                "missing_articles": list(self.missing_articles),
                "extra_articles": list(self.extra_articles),
                "gold_sentences": self.n_gold_sentences,
                "aligned_sentences": self.n_aligned,
                "null_sentences": self.n_gold_sentences - self.n_aligned,
                "speaker_sentences": self.speaker.n,
                "gold_segments": self.kind.n,
                "gold_body_sentences": self.boundary.n,
            },
            "metrics": dict(self.metrics),
            "ci": {k: (list(v) if v is not None else None) for k, v in self.ci.items()},
            "bootstrap": {
                "resamples": self.bootstrap,
                "seed": self.seed,
                "confidence": CONFIDENCE,
                "unit": "article",
                "method": "percentile",
            },
            "strict": self.strict.to_dict(),
            "lenient": self.lenient.to_dict(),
            "speaker": self.speaker.to_dict(),
            "segment_kind": {
                **self.kind.to_dict(),
                "unaligned": self.kind_unaligned,
                "confusion": {k: dict(v) for k, v in self.kind_confusion.items()},
            },
            "boundary": self.boundary.to_dict(),
            "per_article": [a.to_dict() for a in self.per_article],
            "gold_digest": self.gold_digest,
            "warnings": list(self.warnings),
        }


# --------------------------------------------------------------------------- counting


def _ratio(num: Any, den: Any, undefined: float) -> np.ndarray:
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, undefined, dtype=float)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _maybe(value: Any) -> float | None:
    value = float(value)
    return None if np.isnan(value) else value


def _empty_confusion() -> np.ndarray:
    return np.zeros((len(LABELS), len(COLUMNS)), dtype=np.int64)


@dataclass(eq=False)
class Counts:
    """The counts every metric is computed from, for one article or a sum of articles.

    ``strict`` and ``lenient`` are confusion matrices: gold label (rows, in
    LABELS order) by predicted label (columns, in COLUMNS order, so ``null``
    last). Counts add up (``a + b``, ``sum(per_article, Counts())``): the
    totals and every bootstrap resample are sums of per-article counts rather
    than re-runs of the scorer. :meth:`stack` and :meth:`resample` hold many
    sums at once, every field with a leading axis, and :meth:`metrics` then
    computes each metric for all of them.
    """

    strict: np.ndarray = field(default_factory=_empty_confusion)
    lenient: np.ndarray = field(default_factory=_empty_confusion)
    speaker_n: int | np.ndarray = 0  # gold sourced claims whose speaker is in the gold sources
    speaker_correct: int | np.ndarray = 0  # ... predicted as sourced claims of a matching speaker
    kind_n: int | np.ndarray = 0  # gold segments
    kind_correct: int | np.ndarray = 0  # ... whose aligned predicted segment agrees on body-or-not
    boundary_n: int | np.ndarray = 0  # gold body segments
    boundary_correct: int | np.ndarray = 0  # ... whose aligned predicted segment has the same trimmed bounds
    speaker_attributed_n: int | np.ndarray = 0  # speaker_n sentences the prediction also attributes
    speaker_attributed_correct: int | np.ndarray = 0  # ... of a matching speaker

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

    def resample(self, weights: np.ndarray) -> Counts:
        """Sums of stacked counts, one per row of ``weights`` (resamples x items: how often each item is drawn)."""

        def weighted_sum(values: np.ndarray) -> np.ndarray:
            flat = values.reshape(values.shape[0], -1).astype(float)
            return (weights @ flat).reshape(weights.shape[0], *values.shape[1:])

        return Counts(**{name: weighted_sum(value) for name, value in self._items()})

    def metrics(self) -> dict[str, np.ndarray]:
        """Every metric, NaN where undefined, shaped like the fields' leading axes (0-d for one sum).

        Precision, recall and F1 follow sklearn's ``zero_division=0``; F1 is
        2TP / (2TP + FP + FN), which is sklearn's formula.
        """
        return {
            **_label_metrics(self.strict, ""),
            **_label_metrics(self.lenient, "lenient_"),
            "opinion_vs_not_macro_f1": _opinion_vs_not_macro_f1(self.strict),
            "speaker_accuracy": _ratio(self.speaker_correct, self.speaker_n, np.nan),
            "speaker_accuracy_attributed": _ratio(self.speaker_attributed_correct, self.speaker_attributed_n, np.nan),
            "kind_accuracy": _ratio(self.kind_correct, self.kind_n, np.nan),
            "boundary_agreement": _ratio(self.boundary_correct, self.boundary_n, np.nan),
        }

    def values(self) -> dict[str, float | None]:
        """The metrics of one sum as floats, None where undefined."""
        return {key: _maybe(value) for key, value in self.metrics().items()}


def _label_metrics(cm: np.ndarray, prefix: str) -> dict[str, np.ndarray]:
    """Accuracy, macro-F1 and per-class P/R/F1 from confusion matrices of shape (..., LABELS, COLUMNS)."""
    n = cm.sum(axis=(-2, -1))
    tp = np.stack([cm[..., k, k] for k in range(len(LABELS))], axis=-1)
    gold = cm.sum(axis=-1)  # per class: tp + fn
    predicted = cm.sum(axis=-2)[..., : len(LABELS)]  # per class: tp + fp
    precision = _ratio(tp, predicted, 0.0)
    recall = _ratio(tp, gold, 0.0)
    f1 = _ratio(2 * tp, gold + predicted, 0.0)
    out = {
        f"{prefix}accuracy": _ratio(tp.sum(axis=-1), n, np.nan),
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
    f1_opinion = _ratio(2 * tp, 2 * tp + fp + fn, 0.0)
    f1_other = _ratio(2 * tn, 2 * tn + fp + fn, 0.0)
    return np.where(n > 0, (f1_opinion + f1_other) / 2, np.nan)


# --------------------------------------------------------------------------- bootstrap


def _resample_weights(n_items: int, resamples: int, seed: int) -> np.ndarray:
    """How often each item is drawn in each resample (resamples x items), drawing with replacement."""
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n_items, size=(resamples, n_items))
    offsets = draws + (np.arange(resamples) * n_items)[:, None]
    weights = np.bincount(offsets.ravel(), minlength=resamples * n_items)
    return weights.reshape(resamples, n_items).astype(float)


def _bootstrap_ci(per_article: Sequence[Counts], resamples: int, seed: int) -> dict[str, tuple[float, float] | None]:
    """Percentile intervals of every metric over resamples of the articles' counts."""
    if resamples <= 0 or not per_article:
        return {key: None for key in Counts().metrics()}
    weights = _resample_weights(len(per_article), resamples, seed)
    sampled = Counts.stack(per_article).resample(weights).metrics()
    alpha = (1 - CONFIDENCE) / 2 * 100
    ci: dict[str, tuple[float, float] | None] = {}
    for key, values in sampled.items():
        values = values[~np.isnan(values)]  # resamples where the metric is undefined are left out
        if values.size == 0:
            ci[key] = None
        else:
            lo, hi = np.percentile(values, [alpha, 100 - alpha])
            ci[key] = (float(lo), float(hi))
    return ci


# --------------------------------------------------------------------------- point estimates


def _label_scores(y_true: list[str], y_pred: list[str], cm: np.ndarray) -> LabelScores:
    """Point estimates with sklearn (the reference implementation named in the brief)."""
    n = len(y_true)
    confusion = {g: {p: int(cm[i, j]) for j, p in enumerate(COLUMNS)} for i, g in enumerate(LABELS)}
    predicted = {label: int(cm[:, j].sum()) for j, label in enumerate(LABELS)}
    support = {label: int(cm[i].sum()) for i, label in enumerate(LABELS)}
    if n == 0:
        per_class = {
            label: ClassScores(0.0, 0.0, 0.0, support[label], predicted[label]) for label in LABELS
        }
        return LabelScores(0, 0, None, None, per_class, confusion)
    # Imported here: sklearn costs about a second to import and only scoring needs it.
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    precision, recall, f1, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=list(LABELS), average=None, zero_division=0
    )
    per_class = {
        label: ClassScores(
            float(precision[k]), float(recall[k]), float(f1[k]), support[label], predicted[label]
        )
        for k, label in enumerate(LABELS)
    }
    correct = sum(t == p for t, p in zip(y_true, y_pred))
    return LabelScores(
        n=n,
        correct=correct,
        accuracy=float(accuracy_score(y_true, y_pred)),
        macro_f1=float(np.mean(f1)),
        per_class=per_class,
        confusion=confusion,
    )


def _point_metrics(total: Counts, strict: LabelScores, lenient: LabelScores) -> dict[str, float | None]:
    """Every metric of the summed counts, the label metrics taken from sklearn.

    The two agree (the tests check it); the count arithmetic is what the
    bootstrap uses.
    """
    metrics = total.values()
    for prefix, scores in (("", strict), ("lenient_", lenient)):
        metrics[f"{prefix}accuracy"] = scores.accuracy
        metrics[f"{prefix}macro_f1"] = scores.macro_f1
        if scores.n:
            for label, cs in scores.per_class.items():
                metrics[f"{prefix}{label}_precision"] = cs.precision
                metrics[f"{prefix}{label}_recall"] = cs.recall
                metrics[f"{prefix}{label}_f1"] = cs.f1
    return metrics


def _gold_digest(gold: Sequence[Article]) -> str:
    """Fingerprint of what is scored, so comparisons can check they share one gold set."""
    h = hashlib.sha256()
    for article in gold:
        h.update(article.id.encode("utf-8") + b"\0")
        for s in article.sentences:
            h.update(f"{s.start}:{s.end}:{s.kind}:{s.label}:{s.speaker}\0".encode())
    return h.hexdigest()[:16]


def _check_unique(articles: Sequence[Article], what: str) -> None:
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            raise UserError(f"{what}: article id {article.id!r} occurs more than once")
        seen.add(article.id)


# --------------------------------------------------------------------------- one article

Warn = Callable[[str], None]


@dataclass
class _Segments:
    """Segment kinds and boundaries of one gold article."""

    kind: Ratio = field(default_factory=Ratio)
    boundary: Ratio = field(default_factory=Ratio)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # gold kind -> predicted kind -> count
    unaligned: int = 0


@dataclass
class _ArticleTally:
    """What one gold article contributes to the result."""

    counts: Counts
    labels: list[tuple[str, str, str]]  # (gold, strict prediction, lenient prediction) per gold labelled sentence
    segments: _Segments
    bad_labels: int  # aligned predictions with a label outside LABELS, scored as null
    scores: ArticleScores


def _gold_labelled(g: Article) -> list[Sentence]:
    """The gold sentences that carry a label (body or dek), checked against LABELS."""
    labelled = [s for s in g.sentences if s.kind in LABELLED_KINDS and s.label is not None]
    for s in labelled:
        if s.label not in LABELS:
            raise UserError(
                f"gold: article {g.id!r}, sentence at {s.start}: label {s.label!r} is not one of "
                + ", ".join(LABELS)
            )
    return labelled


def _aligned_labels(gold: Sequence[Sentence], aligned: Sequence[Sentence | None]) -> tuple[list[tuple[str, str, str]], int]:
    """(gold, strict, lenient) label per gold sentence, and how many predictions had an unknown label."""
    labels: list[tuple[str, str, str]] = []
    bad = 0
    for gs, ps in zip(gold, aligned):
        predicted = NULL if ps is None else ps.label
        if predicted not in COLUMNS:
            bad += 1
            predicted = NULL
        lenient = gs.label if predicted in gs.alt_labels else predicted
        assert gs.label is not None and predicted is not None and lenient is not None
        labels.append((gs.label, predicted, lenient))
    return labels, bad


def _confusions(labels: Sequence[tuple[str, str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """Strict and lenient confusion matrices of (gold, strict, lenient) labels."""
    strict, lenient = _empty_confusion(), _empty_confusion()
    for gold, predicted, lenient_predicted in labels:
        strict[LABELS.index(gold), COLUMNS.index(predicted)] += 1
        lenient[LABELS.index(gold), COLUMNS.index(lenient_predicted)] += 1
    return strict, lenient


def _speaker_ratio(g: Article, p: Article | None, gold: Sequence[Sentence], aligned: Sequence[Sentence | None],
                   warn: Warn) -> tuple[Ratio, Ratio]:
    """Gold sourced claims with a speaker whose aligned prediction names a matching
    source: over all of them, and over those the prediction attributes too."""
    speaker, attributed = Ratio(), Ratio()
    for gs, ps in zip(gold, aligned):
        if gs.label != "sourced_claim" or gs.speaker is None:
            continue
        gold_source = g.source_by_id(gs.speaker)
        if gold_source is None:
            warn(f"{g.id}: gold speaker {gs.speaker!r} at {gs.start} is not in the article's sources; skipped")
            continue
        speaker.n += 1
        both = ps is not None and p is not None and ps.label == "sourced_claim"
        attributed.n += both
        if both and ps.speaker is not None and names_match(p.source_by_id(ps.speaker), gold_source):
            speaker.correct += 1
            attributed.correct += 1
    return speaker, attributed


def _segments(g: Article, pred_all: Sequence[Sentence]) -> _Segments:
    """Segment kinds and boundaries, against predicted segments of any kind."""
    out = _Segments()
    for gs, ps in zip(g.sentences, align(g.sentences, pred_all, g.text)):
        out.kind.n += 1
        row = out.confusion.setdefault(gs.kind, {})
        pred_kind = NO_SEGMENT if ps is None else ps.kind
        row[pred_kind] = row.get(pred_kind, 0) + 1
        if ps is None:
            out.unaligned += 1
        elif (gs.kind in LABELLED_KINDS) == (ps.kind in LABELLED_KINDS):
            out.kind.correct += 1
        if gs.kind == "body":
            out.boundary.n += 1
            if ps is not None and _trimmed(g.text, gs.start, gs.end) == _trimmed(g.text, ps.start, ps.end):
                out.boundary.correct += 1
    return out


def _article_scores(g: Article, p: Article | None, counts: Counts, speaker: Ratio) -> ArticleScores:
    metrics = counts.metrics()
    sc = LABELS.index("sourced_claim")
    sc_seen = counts.strict[sc].sum() + counts.strict[:, sc].sum() > 0
    return ArticleScores(
        id=g.id,
        has_prediction=p is not None,
        n_sentences=int(counts.strict.sum()),
        n_aligned=int(counts.strict[:, : len(LABELS)].sum()),
        accuracy=_maybe(metrics["accuracy"]),
        sourced_claim_f1=_maybe(metrics["sourced_claim_f1"]) if sc_seen else None,
        speaker=speaker,
    )


def _tally_article(g: Article, p: Article | None, warn: Warn) -> _ArticleTally:
    """Align one gold article with its prediction (None: missing) and count."""
    if p is not None and p.text != g.text:
        warn(f"{g.id}: predicted text differs from gold text; offsets are read against the gold text")
    pred_all = list(p.sentences) if p is not None else []
    gold_labelled = _gold_labelled(g)
    aligned = align(gold_labelled, [s for s in pred_all if s.label is not None], g.text)
    labels, bad_labels = _aligned_labels(gold_labelled, aligned)
    speaker, attributed = _speaker_ratio(g, p, gold_labelled, aligned, warn)
    segments = _segments(g, pred_all)
    counts = Counts(
        *_confusions(labels),
        speaker_n=speaker.n,
        speaker_correct=speaker.correct,
        kind_n=segments.kind.n,
        kind_correct=segments.kind.correct,
        boundary_n=segments.boundary.n,
        boundary_correct=segments.boundary.correct,
        speaker_attributed_n=attributed.n,
        speaker_attributed_correct=attributed.correct,
    )
    return _ArticleTally(counts, labels, segments, bad_labels, _article_scores(g, p, counts, speaker))


# --------------------------------------------------------------------------- evaluate


def check_pairing(gold: Sequence[Article], pred: Sequence[Article], name: str) -> None:
    """Refuse predictions that cannot be scored against this gold: none of
    their ids is a gold id, or an id's text differs from the gold's (offsets
    would point at other words). A gold article with no prediction is scored
    as missed, not refused."""
    texts = {a.id: a.text for a in gold}
    matched = [a for a in pred if a.id in texts]
    if pred and not matched:
        raise UserError(
            f"{name}: no predicted id matches a gold id (gold: {_some(texts)}; predicted: {_some(a.id for a in pred)})"
        )
    differing = [a.id for a in matched if a.text != texts[a.id]]
    if differing:
        raise UserError(f"{name}: the text differs from the gold's for id(s) {_some(differing)}")


def _some(ids, limit: int = 5) -> str:
    ids = list(ids)
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def evaluate(
    gold: list[Article], pred: list[Article], *, bootstrap: int = 1000, seed: int = 0
) -> EvalResult:
    """Score ``pred`` against ``gold`` (see the module docstring for every metric).

    Articles are paired by ``id``. A gold article without a prediction scores
    all its sentences as ``null`` and adds a warning; predicted articles not
    in gold are ignored with a warning. Duplicate ids in either list, a gold
    label outside LABELS, or an empty gold list raise :class:`UserError`.
    ``bootstrap`` is the number of resamples for the 95 % intervals (0: none).
    """
    if not gold:
        raise UserError("gold: no articles to score against")
    _check_unique(gold, "gold")
    _check_unique(pred, "predictions")
    warnings: list[str] = []

    def warn(message: str) -> None:
        warnings.append(message)
        log.warning(message)

    pred_by_id = {a.id: a for a in pred}
    missing, extra = _unmatched(gold, pred, pred_by_id, warn)
    tallies = [_tally_article(g, pred_by_id.get(g.id), warn) for g in gold]
    bad_labels = sum(t.bad_labels for t in tallies)
    if bad_labels:
        warn(f"{bad_labels} aligned prediction(s) have a label outside {', '.join(LABELS)}; scored as null")
    return _result(gold, pred, tallies, missing, extra, warnings, bootstrap=bootstrap, seed=seed)


def _unmatched(gold: Sequence[Article], pred: Sequence[Article], pred_by_id: Mapping[str, Article],
               warn: Warn) -> tuple[list[str], list[str]]:
    """Gold articles without a prediction and predicted articles not in gold, each with a warning."""
    gold_ids = {a.id for a in gold}
    missing = [a.id for a in gold if a.id not in pred_by_id]
    extra = [a.id for a in pred if a.id not in gold_ids]
    if missing:
        shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
        warn(f"{len(missing)} gold article(s) have no prediction and score as null: {shown}")
    if extra:
        shown = ", ".join(extra[:5]) + (", ..." if len(extra) > 5 else "")
        warn(f"{len(extra)} predicted article(s) are not in gold and are ignored: {shown}")
    return missing, extra


def _result(gold: Sequence[Article], pred: Sequence[Article], tallies: Sequence[_ArticleTally],
            missing: list[str], extra: list[str], warnings: list[str], *, bootstrap: int, seed: int) -> EvalResult:
    """Totals, point estimates and intervals of the per-article tallies."""
    per_article = [t.counts for t in tallies]
    total = sum(per_article, Counts())
    labels = [label for t in tallies for label in t.labels]
    y_true = [gold_label for gold_label, _, _ in labels]
    strict = _label_scores(y_true, [predicted for _, predicted, _ in labels], total.strict)
    lenient = _label_scores(y_true, [predicted for _, _, predicted in labels], total.lenient)
    return EvalResult(
        n_gold_articles=len(gold),
        n_pred_articles=len(pred),
        missing_articles=missing,
        extra_articles=extra,
        n_gold_sentences=len(y_true),
        n_aligned=sum(t.scores.n_aligned for t in tallies),
        strict=strict,
        lenient=lenient,
        speaker=Ratio(total.speaker_n, total.speaker_correct),
        kind=Ratio(total.kind_n, total.kind_correct),
        kind_unaligned=sum(t.segments.unaligned for t in tallies),
        kind_confusion=_ordered_kind_confusion(_merged_kind_confusion(t.segments.confusion for t in tallies)),
        boundary=Ratio(total.boundary_n, total.boundary_correct),
        metrics=_point_metrics(total, strict, lenient),
        ci=_bootstrap_ci(per_article, bootstrap, seed),
        bootstrap=max(bootstrap, 0),
        seed=seed,
        per_article=[t.scores for t in tallies],
        gold_digest=_gold_digest(gold),
        warnings=warnings,
    )


def _merged_kind_confusion(confusions: Iterable[dict[str, dict[str, int]]]) -> dict[str, dict[str, int]]:
    merged: dict[str, dict[str, int]] = {}
    for confusion in confusions:
        for gold_kind, row in confusion.items():
            target = merged.setdefault(gold_kind, {})
            for pred_kind, n in row.items():
                target[pred_kind] = target.get(pred_kind, 0) + n
    return merged


def _ordered_kind_confusion(confusion: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    order = {k: i for i, k in enumerate((*KINDS, NO_SEGMENT))}

    def key(kind: str) -> tuple[int, str]:
        return (order.get(kind, len(order)), kind)

    return {
        gold: {pred: row[pred] for pred in sorted(row, key=key)}
        for gold, row in sorted(confusion.items(), key=lambda item: key(item[0]))
    }
