"""Evaluation harness: score predicted article records against gold ones.

Implements the scoring section of ../shared/FORMAT.md so that two
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
        skipped with a warning.
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
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from saidwho.errors import UserError
from saidwho.names import names_match
from saidwho.records import KINDS, LABELLED_KINDS, LABELS, Article, Sentence
from saidwho.io import atomic_writer

__all__ = [
    "HEADLINE_METRICS",
    "NULL",
    "ArticleScores",
    "ClassScores",
    "EvalResult",
    "LabelScores",
    "Ratio",
    "align",
    "evaluate",
    "render_comparison",
    "render_table",
    "write_report",
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

# Per-article count vector, so that bootstrap resamples are sums of rows
# rather than re-runs of the whole scorer. Layout:
_N_CELLS = len(LABELS) * len(COLUMNS)
_STRICT = slice(0, _N_CELLS)  # strict confusion, row-major gold x COLUMNS
_LENIENT = slice(_N_CELLS, 2 * _N_CELLS)  # lenient confusion
_SPK_N, _SPK_OK = 2 * _N_CELLS, 2 * _N_CELLS + 1
_KIND_N, _KIND_OK = 2 * _N_CELLS + 2, 2 * _N_CELLS + 3
_BND_N, _BND_OK = 2 * _N_CELLS + 4, 2 * _N_CELLS + 5
_N_COUNTS = 2 * _N_CELLS + 6


def _ratio(num: np.ndarray, den: np.ndarray, undefined: float) -> np.ndarray:
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, undefined, dtype=float)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _metrics_from_counts(counts: np.ndarray) -> dict[str, np.ndarray]:
    """All metrics from count vectors of shape (..., _N_COUNTS); NaN where undefined.

    Precision, recall and F1 follow sklearn's ``zero_division=0``; F1 is
    2TP / (2TP + FP + FN), which is sklearn's formula.
    """
    out: dict[str, np.ndarray] = {}
    shape = counts.shape[:-1]
    for prefix, part in (("", _STRICT), ("lenient_", _LENIENT)):
        cm = counts[..., part].reshape(*shape, len(LABELS), len(COLUMNS))
        n = cm.sum(axis=(-2, -1))
        tp = np.stack([cm[..., k, k] for k in range(len(LABELS))], axis=-1)
        gold = cm.sum(axis=-1)  # per class: tp + fn
        predicted = cm.sum(axis=-2)[..., : len(LABELS)]  # per class: tp + fp
        precision = _ratio(tp, predicted, 0.0)
        recall = _ratio(tp, gold, 0.0)
        f1 = _ratio(2 * tp, gold + predicted, 0.0)
        out[f"{prefix}accuracy"] = _ratio(tp.sum(axis=-1), n, np.nan)
        # Undefined (not 0) when there are no gold sentences at all.
        out[f"{prefix}macro_f1"] = np.where(n > 0, f1.mean(axis=-1), np.nan)
        for k, label in enumerate(LABELS):
            out[f"{prefix}{label}_precision"] = np.where(n > 0, precision[..., k], np.nan)
            out[f"{prefix}{label}_recall"] = np.where(n > 0, recall[..., k], np.nan)
            out[f"{prefix}{label}_f1"] = np.where(n > 0, f1[..., k], np.nan)
    # Opinion against everything else (the CheckThat!/BABE task), from the
    # strict confusion: a null prediction counts as "not opinion".
    cm = counts[..., _STRICT].reshape(*shape, len(LABELS), len(COLUMNS))
    k = LABELS.index("opinion")
    n = cm.sum(axis=(-2, -1))
    tp = cm[..., k, k]
    fp = cm[..., :, k].sum(axis=-1) - tp
    fn = cm[..., k, :].sum(axis=-1) - tp
    tn = n - tp - fp - fn
    f1_opinion = _ratio(2 * tp, 2 * tp + fp + fn, 0.0)
    f1_other = _ratio(2 * tn, 2 * tn + fp + fn, 0.0)
    out["opinion_vs_not_macro_f1"] = np.where(n > 0, (f1_opinion + f1_other) / 2, np.nan)
    out["speaker_accuracy"] = _ratio(counts[..., _SPK_OK], counts[..., _SPK_N], np.nan)
    out["kind_accuracy"] = _ratio(counts[..., _KIND_OK], counts[..., _KIND_N], np.nan)
    out["boundary_agreement"] = _ratio(counts[..., _BND_OK], counts[..., _BND_N], np.nan)
    return out


def _bootstrap_ci(
    counts: np.ndarray, resamples: int, seed: int
) -> dict[str, tuple[float, float] | None]:
    """Percentile intervals from resampling rows (articles) of ``counts`` with replacement."""
    n_articles = counts.shape[0]
    keys = list(_metrics_from_counts(counts.sum(axis=0)).keys())
    if resamples <= 0 or n_articles == 0:
        return {k: None for k in keys}
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n_articles, size=(resamples, n_articles))
    # How often each article is drawn in each resample; the resampled counts
    # are then one matrix product instead of `resamples` Python-level sums.
    offsets = draws + (np.arange(resamples) * n_articles)[:, None]
    weights = np.bincount(offsets.ravel(), minlength=resamples * n_articles)
    weights = weights.reshape(resamples, n_articles).astype(float)
    sampled = _metrics_from_counts(weights @ counts.astype(float))
    alpha = (1 - CONFIDENCE) / 2 * 100
    ci: dict[str, tuple[float, float] | None] = {}
    for key in keys:
        values = sampled[key]
        values = values[~np.isnan(values)]
        if values.size == 0:
            ci[key] = None
        else:
            lo, hi = np.percentile(values, [alpha, 100 - alpha])
            ci[key] = (float(lo), float(hi))
    return ci


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


# --------------------------------------------------------------------------- evaluate


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
    pred_by_id = {a.id: a for a in pred}
    gold_ids = {a.id for a in gold}
    warnings: list[str] = []

    def warn(message: str) -> None:
        warnings.append(message)
        log.warning(message)

    missing = [a.id for a in gold if a.id not in pred_by_id]
    extra = [a.id for a in pred if a.id not in gold_ids]
    if missing:
        shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
        warn(f"{len(missing)} gold article(s) have no prediction and score as null: {shown}")
    if extra:
        shown = ", ".join(extra[:5]) + (", ..." if len(extra) > 5 else "")
        warn(f"{len(extra)} predicted article(s) are not in gold and are ignored: {shown}")

    y_true: list[str] = []
    y_strict: list[str] = []
    y_lenient: list[str] = []
    rows: list[np.ndarray] = []
    per_article: list[ArticleScores] = []
    kind_confusion: dict[str, dict[str, int]] = {}
    kind_unaligned = 0
    bad_pred_labels = 0

    for g in gold:
        p = pred_by_id.get(g.id)
        if p is not None and p.text != g.text:
            warn(f"{g.id}: predicted text differs from gold text; offsets are read against the gold text")
        strict_cm = np.zeros((len(LABELS), len(COLUMNS)), dtype=np.int64)
        lenient_cm = np.zeros((len(LABELS), len(COLUMNS)), dtype=np.int64)
        kind_ratio, boundary = Ratio(), Ratio()
        pred_all = list(p.sentences) if p is not None else []
        pred_labelled = [s for s in pred_all if s.label is not None]

        # Labels and speakers.
        gold_labelled = [s for s in g.sentences if s.kind in LABELLED_KINDS and s.label is not None]
        for s in gold_labelled:
            if s.label not in LABELS:
                raise UserError(
                    f"gold: article {g.id!r}, sentence at {s.start}: label {s.label!r} is not one of "
                    + ", ".join(LABELS)
                )
        aligned = align(gold_labelled, pred_labelled, g.text)
        speaker = Ratio()
        for gs, ps in zip(gold_labelled, aligned):
            predicted = NULL if ps is None else ps.label
            if predicted not in COLUMNS:
                bad_pred_labels += 1
                predicted = NULL
            lenient = gs.label if predicted in gs.alt_labels else predicted
            assert gs.label is not None
            y_true.append(gs.label)
            y_strict.append(predicted)
            y_lenient.append(lenient)
            strict_cm[LABELS.index(gs.label), COLUMNS.index(predicted)] += 1
            lenient_cm[LABELS.index(gs.label), COLUMNS.index(lenient)] += 1

            if gs.label == "sourced_claim" and gs.speaker is not None:
                gold_source = g.source_by_id(gs.speaker)
                if gold_source is None:
                    warn(f"{g.id}: gold speaker {gs.speaker!r} at {gs.start} is not in the article's sources; skipped")
                    continue
                speaker.n += 1
                if (
                    ps is not None
                    and p is not None
                    and ps.label == "sourced_claim"
                    and ps.speaker is not None
                    and names_match(p.source_by_id(ps.speaker), gold_source)
                ):
                    speaker.correct += 1

        # Segment kinds and boundaries, against predicted segments of any kind.
        segments_aligned = align(g.sentences, pred_all, g.text)
        for gs, ps in zip(g.sentences, segments_aligned):
            kind_ratio.n += 1
            row = kind_confusion.setdefault(gs.kind, {})
            pred_kind = NO_SEGMENT if ps is None else ps.kind
            row[pred_kind] = row.get(pred_kind, 0) + 1
            if ps is None:
                kind_unaligned += 1
            elif (gs.kind in LABELLED_KINDS) == (ps.kind in LABELLED_KINDS):
                kind_ratio.correct += 1
            if gs.kind == "body":
                boundary.n += 1
                if ps is not None and _trimmed(g.text, gs.start, gs.end) == _trimmed(g.text, ps.start, ps.end):
                    boundary.correct += 1

        counts = np.concatenate([
            strict_cm.ravel(),
            lenient_cm.ravel(),
            [speaker.n, speaker.correct, kind_ratio.n, kind_ratio.correct, boundary.n, boundary.correct],
        ])
        rows.append(counts)
        article_metrics = _metrics_from_counts(counts)
        sc = LABELS.index("sourced_claim")
        sc_seen = strict_cm[sc].sum() + strict_cm[:, sc].sum() > 0
        per_article.append(
            ArticleScores(
                id=g.id,
                has_prediction=p is not None,
                n_sentences=len(gold_labelled),
                n_aligned=int(strict_cm[:, : len(LABELS)].sum()),
                accuracy=_maybe(article_metrics["accuracy"]),
                sourced_claim_f1=_maybe(article_metrics["sourced_claim_f1"]) if sc_seen else None,
                speaker=speaker,
            )
        )

    if bad_pred_labels:
        warn(f"{bad_pred_labels} aligned prediction(s) have a label outside {', '.join(LABELS)}; scored as null")

    table = np.stack(rows)
    total = table.sum(axis=0)
    strict = _label_scores(y_true, y_strict, total[_STRICT].reshape(len(LABELS), len(COLUMNS)))
    lenient = _label_scores(y_true, y_lenient, total[_LENIENT].reshape(len(LABELS), len(COLUMNS)))
    metrics = {k: _maybe(v) for k, v in _metrics_from_counts(total).items()}
    # The label metrics come from sklearn (identical to the count arithmetic,
    # which the tests check); the count arithmetic is what the bootstrap uses.
    for prefix, scores in (("", strict), ("lenient_", lenient)):
        metrics[f"{prefix}accuracy"] = scores.accuracy
        metrics[f"{prefix}macro_f1"] = scores.macro_f1
        if scores.n:
            for label, cs in scores.per_class.items():
                metrics[f"{prefix}{label}_precision"] = cs.precision
                metrics[f"{prefix}{label}_recall"] = cs.recall
                metrics[f"{prefix}{label}_f1"] = cs.f1

    return EvalResult(
        n_gold_articles=len(gold),
        n_pred_articles=len(pred),
        missing_articles=missing,
        extra_articles=extra,
        n_gold_sentences=len(y_true),
        n_aligned=sum(a.n_aligned for a in per_article),
        strict=strict,
        lenient=lenient,
        speaker=Ratio(int(total[_SPK_N]), int(total[_SPK_OK])),
        kind=Ratio(int(total[_KIND_N]), int(total[_KIND_OK])),
        kind_unaligned=kind_unaligned,
        kind_confusion=_ordered_kind_confusion(kind_confusion),
        boundary=Ratio(int(total[_BND_N]), int(total[_BND_OK])),
        metrics=metrics,
        ci=_bootstrap_ci(table, bootstrap, seed),
        bootstrap=max(bootstrap, 0),
        seed=seed,
        per_article=per_article,
        gold_digest=_gold_digest(gold),
        warnings=warnings,
    )


def _maybe(value: Any) -> float | None:
    value = float(value)
    return None if np.isnan(value) else value


def _ordered_kind_confusion(confusion: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    order = {k: i for i, k in enumerate((*KINDS, NO_SEGMENT))}

    def key(kind: str) -> tuple[int, str]:
        return (order.get(kind, len(order)), kind)

    return {
        gold: {pred: row[pred] for pred in sorted(row, key=key)}
        for gold, row in sorted(confusion.items(), key=lambda item: key(item[0]))
    }


# --------------------------------------------------------------------------- rendering


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _fmt_ci(ci: tuple[float, float] | None) -> str:
    return "" if ci is None else f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def _metric_count(result: EvalResult, key: str) -> str:
    """The counts behind a headline metric, e.g. "412/500"."""
    if key in ("accuracy", "macro_f1"):
        return f"{result.strict.correct}/{result.strict.n}" if key == "accuracy" else f"n={result.strict.n}"
    if key in ("lenient_accuracy", "lenient_macro_f1"):
        return f"{result.lenient.correct}/{result.lenient.n}" if key == "lenient_accuracy" else f"n={result.lenient.n}"
    if key.startswith("sourced_claim_"):
        cs = result.strict.per_class["sourced_claim"]
        tp = result.strict.confusion["sourced_claim"]["sourced_claim"]
        if key.endswith("precision"):
            return f"{tp}/{cs.predicted}"
        if key.endswith("recall"):
            return f"{tp}/{cs.support}"
        return f"gold {cs.support}"
    ratio = {"speaker_accuracy": result.speaker, "kind_accuracy": result.kind, "boundary_agreement": result.boundary}
    r = ratio.get(key)
    return f"{r.correct}/{r.n}" if r is not None else ""


def render_table(result: EvalResult, console: Console, title: str = "saidwho evaluation", *,
                 per_article: bool = False) -> None:
    """Print the headline metrics with CIs and counts, per-class scores and the confusion matrix."""
    summary = Table(title=title, title_justify="left")
    summary.add_column("Metric")
    summary.add_column("Value", justify="right")
    summary.add_column(f"{CONFIDENCE:.0%} CI", justify="right")
    summary.add_column("Count", justify="right")
    for key, name in HEADLINE_METRICS:
        summary.add_row(name, _fmt(result.metrics.get(key)), _fmt_ci(result.ci.get(key)), _metric_count(result, key))
    summary.caption = (
        f"{result.n_gold_articles} gold articles ({len(result.missing_articles)} without prediction), "
        f"{result.n_gold_sentences} labelled sentences, {result.n_aligned} aligned; "
        f"bootstrap {result.bootstrap} resamples over articles, seed {result.seed}"
    )
    console.print(summary)

    classes = Table(title="Per class", title_justify="left")
    for column, justify in (("Label", "left"), ("P", "right"), ("R", "right"), ("F1", "right"),
                            ("F1 lenient", "right"), ("Gold", "right"), ("Predicted", "right")):
        classes.add_column(column, justify=justify)  # type: ignore[arg-type]
    for label in LABELS:
        cs = result.strict.per_class[label]
        classes.add_row(label, _fmt(cs.precision), _fmt(cs.recall), _fmt(cs.f1),
                        _fmt(result.lenient.per_class[label].f1), str(cs.support), str(cs.predicted))
    console.print(classes)

    confusion = Table(title="Confusion (gold rows, predicted columns, strict)", title_justify="left")
    confusion.add_column("gold \\ pred")
    for column in COLUMNS:
        confusion.add_column(column, justify="right")
    for label in LABELS:
        confusion.add_row(label, *(str(result.strict.confusion[label][c]) for c in COLUMNS))
    console.print(confusion)

    if per_article:
        articles = Table(title="Per article", title_justify="left")
        for column in ("Article", "Sentences", "Aligned", "Accuracy", "SC F1", "Speaker"):
            articles.add_column(column, justify="left" if column == "Article" else "right")
        for a in result.per_article:
            articles.add_row(a.id, str(a.n_sentences), str(a.n_aligned), _fmt(a.accuracy),
                             _fmt(a.sourced_claim_f1), _speaker_cell(a.speaker))
        console.print(articles)

    for message in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {message}", markup=True, highlight=False)


def _speaker_cell(r: Ratio) -> str:
    return "–" if r.n == 0 else f"{_fmt(r.value)} ({r.correct}/{r.n})"


def _best(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return max(present) if len(present) > 1 else None


def render_comparison(results: Mapping[str, EvalResult], console: Console,
                      title: str = "saidwho comparison") -> None:
    """Print systems side by side: one row per headline metric, one column per system.

    Cells are "value [CI]"; the best value of a row is bold. A line warns
    when the results were not computed on the same gold data.
    """
    if not results:
        raise ValueError("render_comparison needs at least one result")
    table = Table(title=title, title_justify="left")
    table.add_column("Metric")
    names = list(results)
    for name in names:
        table.add_column(name, justify="right")
    for key, label in HEADLINE_METRICS:
        values = [results[n].metrics.get(key) for n in names]
        best = _best(values)
        cells = []
        for n, value in zip(names, values):
            text = f"{_fmt(value)} {_fmt_ci(results[n].ci.get(key))}".strip()
            cells.append(f"[bold]{text}[/bold]" if best is not None and value == best else text)
        table.add_row(label, *cells)
    table.add_row("Gold sentences / aligned",
                  *(f"{results[n].n_gold_sentences} / {results[n].n_aligned}" for n in names))
    table.add_row("Articles without prediction", *(str(len(results[n].missing_articles)) for n in names))
    console.print(table)
    if len({r.gold_digest for r in results.values()}) > 1:
        console.print("[yellow]warning:[/yellow] the systems were scored on different gold data; "
                      "their numbers are not comparable", markup=True, highlight=False)


# --------------------------------------------------------------------------- reports


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right_from: int = 1) -> list[str]:
    align_row = ["---" if i < right_from else "---:" for i in range(len(headers))]
    lines = ["| " + " | ".join(map(_md_escape, headers)) + " |", "| " + " | ".join(align_row) + " |"]
    lines += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _md_result(result: EvalResult, heading: str) -> list[str]:
    lines = [f"{heading} Summary", ""]
    lines += [
        f"{result.n_gold_articles} gold articles, {len(result.missing_articles)} without prediction, "
        f"{len(result.extra_articles)} predicted articles not in gold. "
        f"{result.n_gold_sentences} labelled gold sentences, {result.n_aligned} aligned with a "
        f"predicted labelled sentence. {CONFIDENCE:.0%} CIs: percentile bootstrap over articles, "
        f"{result.bootstrap} resamples, seed {result.seed}. Gold digest `{result.gold_digest}`.",
        "",
    ]
    lines += _md_table(
        ["Metric", "Value", f"{CONFIDENCE:.0%} CI", "Count"],
        [[name, _fmt(result.metrics.get(k)), _fmt_ci(result.ci.get(k)), _metric_count(result, k)]
         for k, name in HEADLINE_METRICS],
    )
    lines += [f"{heading} Per class", ""]
    lines += _md_table(
        ["Label", "P", "R", "F1", "P lenient", "R lenient", "F1 lenient", "Gold", "Predicted"],
        [[label, _fmt(s.precision), _fmt(s.recall), _fmt(s.f1),
          _fmt(result.lenient.per_class[label].precision), _fmt(result.lenient.per_class[label].recall),
          _fmt(result.lenient.per_class[label].f1), str(s.support), str(s.predicted)]
         for label, s in result.strict.per_class.items()],
    )
    lines += [f"{heading} Confusion (strict; gold rows, predicted columns)", ""]
    lines += _md_table(["gold \\ pred", *COLUMNS],
                       [[label, *(str(result.strict.confusion[label][c]) for c in COLUMNS)] for label in LABELS])
    kinds = sorted({k for row in result.kind_confusion.values() for k in row},
                   key=lambda k: ((*KINDS, NO_SEGMENT).index(k) if k in (*KINDS, NO_SEGMENT) else 99, k))
    lines += [f"{heading} Segment kinds (gold rows, predicted columns)", ""]
    lines += _md_table(["gold \\ pred", *kinds],
                       [[g, *(str(row.get(k, 0)) for k in kinds)] for g, row in result.kind_confusion.items()])
    lines += [f"{heading} Per article", ""]
    lines += _md_table(
        ["Article", "Prediction", "Sentences", "Aligned", "Accuracy", "SC F1", "Speaker"],
        [[a.id, "yes" if a.has_prediction else "missing", str(a.n_sentences), str(a.n_aligned),
          _fmt(a.accuracy), _fmt(a.sourced_claim_f1), _speaker_cell(a.speaker)] for a in result.per_article],
    )
    if result.warnings:
        lines += [f"{heading} Warnings", ""] + [f"- {_md_escape(w)}" for w in result.warnings] + [""]
    return lines


def write_report(result_or_results: EvalResult | Mapping[str, EvalResult], directory: str | Path) -> tuple[Path, Path]:
    """Write ``report.md`` and ``report.json`` into ``directory`` (created if missing).

    One result: the JSON is ``result.to_dict()``. Several (name -> result):
    the JSON is ``{"systems": {name: result.to_dict()}}`` and the Markdown
    starts with a side-by-side table. Both files are written atomically.
    Returns the two paths.
    """
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"{directory}: cannot create report folder: {exc.strerror}") from None
    if isinstance(result_or_results, EvalResult):
        payload: dict[str, Any] = result_or_results.to_dict()
        lines = ["# saidwho evaluation", ""] + _md_result(result_or_results, "##")
    else:
        results = dict(result_or_results)
        if not results:
            raise ValueError("write_report needs at least one result")
        payload = {"systems": {name: r.to_dict() for name, r in results.items()}}
        names = list(results)
        lines = ["# saidwho comparison", ""]
        if len({r.gold_digest for r in results.values()}) > 1:
            lines += ["**Warning:** the systems were scored on different gold data.", ""]
        rows = []
        for key, label in HEADLINE_METRICS:
            rows.append([label, *(f"{_fmt(results[n].metrics.get(key))} {_fmt_ci(results[n].ci.get(key))}".strip()
                                  for n in names)])
        lines += _md_table(["Metric", *names], rows)
        for name, r in results.items():
            lines += [f"## {_md_escape(name)}", ""] + _md_result(r, "###")
    md_path, json_path = directory / "report.md", directory / "report.json"
    with atomic_writer(json_path) as handle:
        json.dump(payload, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    with atomic_writer(md_path) as handle:
        handle.write("\n".join(lines).rstrip("\n") + "\n")
    return md_path, json_path
