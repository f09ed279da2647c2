"""Evaluation harness: score predicted article records against gold ones.

:func:`evaluate` pairs the articles and sums what each contributes; the
parts live beside it: :mod:`~saidwho.evaluation.alignment` (which predicted
sentence answers a gold one), :mod:`~saidwho.evaluation.tally` (one
article's counts), :mod:`~saidwho.evaluation.counts` (the metrics from
counts, and their intervals through :mod:`~saidwho.evaluation.bootstrap`)
and :mod:`~saidwho.evaluation.results` (the result types and their JSON).

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
        As ``sklearn.metrics.precision_recall_fscore_support`` with
        ``labels=LABELS`` and ``zero_division=0`` computes them (the tests
        check it): a ``null`` prediction is no class, so it lowers the gold
        class's recall and no class's precision.
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

import hashlib
import logging
from collections.abc import Iterable, Mapping, Sequence

from saidwho.errors import UserError
from saidwho.evaluation.counts import Counts, bootstrap_ci, label_scores
from saidwho.evaluation.results import NO_SEGMENT, EvalResult, Ratio
from saidwho.evaluation.tally import ArticleTally, Warn, tally_article
from saidwho.records import KINDS, LABELS, Article

__all__ = ["check_pairing", "evaluate"]

log = logging.getLogger(__name__)


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
    tallies = [tally_article(g, pred_by_id.get(g.id), warn) for g in gold]
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


def _result(gold: Sequence[Article], pred: Sequence[Article], tallies: Sequence[ArticleTally],
            missing: list[str], extra: list[str], warnings: list[str], *, bootstrap: int, seed: int) -> EvalResult:
    """Totals, point estimates and intervals of the per-article tallies."""
    per_article = [t.counts for t in tallies]
    total = sum(per_article, Counts())
    strict = label_scores(total.strict)
    lenient = label_scores(total.lenient)
    return EvalResult(
        n_gold_articles=len(gold),
        n_pred_articles=len(pred),
        missing_articles=missing,
        extra_articles=extra,
        n_gold_sentences=strict.n,
        n_aligned=sum(t.scores.n_aligned for t in tallies),
        strict=strict,
        lenient=lenient,
        speaker=Ratio(total.speaker_n, total.speaker_correct),
        kind=Ratio(total.kind_n, total.kind_correct),
        kind_unaligned=sum(t.segments.unaligned for t in tallies),
        kind_confusion=_ordered_kind_confusion(_merged_kind_confusion(t.segments.confusion for t in tallies)),
        boundary=Ratio(total.boundary_n, total.boundary_correct),
        metrics=total.values(),
        ci=bootstrap_ci(per_article, bootstrap, seed),
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
