"""The corpus report as data: figures per group with bootstrap intervals, and group comparisons.

Every figure is a ratio of sums over a group's articles (pooled over
sentences: an outlet's opinion share is its opinion sentences over its
labelled sentences), with a percentile bootstrap interval that resamples
the group's articles (:mod:`saidwho.evaluation.bootstrap`). One
``numpy.random.default_rng(seed)`` draws all resamples, group after group in
name order, so the same records and seed give the same report.

Comparisons, for the headline figures (:data:`HEADLINE_METRICS`):

- two groups: the one difference, first minus second;
- three or more: each group against the rest of the corpus (all other
  groups pooled). K comparisons instead of K(K-1)/2 pairs keeps the number
  of intervals, and so of chance findings, down, and answers the usual
  question ("does this outlet lean on anonymous sources more than the
  others?"). The rest is resampled within each of its groups (each group's
  resamples are summed), so its mix of groups stays as observed.

A difference is a finding ("higher"/"lower") only when its 95% interval
excludes zero; one whose interval crosses zero is :data:`NO_CLEAR_DIFFERENCE`.
Groups with fewer than :data:`MIN_ARTICLES_TO_COMPARE` articles are not
compared (a bootstrap over a handful of articles understates the
uncertainty). The intervals are not adjusted for the number of
comparisons: with many groups and figures, expect about one in twenty
clear differences by chance.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from saidwho.errors import UserError
from saidwho.evaluation.bootstrap import (
    CONFIDENCE,
    percentile_interval,
    ratio,
    resampled_sums,
)
from saidwho.reader import iter_scored_articles
from saidwho.records import GENDERS, SOURCE_CATEGORIES, Article
from saidwho.report.aggregate import (
    COLUMN_INDEX,
    LOW_CONFIDENCE,
    Grouping,
    SourceCount,
    tally,
)

__all__ = [
    "HEADLINE_METRICS",
    "METRICS",
    "MIN_ARTICLES_TO_COMPARE",
    "NO_CLEAR_DIFFERENCE",
    "READING_NOTE",
    "CorpusReport",
    "Difference",
    "Estimate",
    "GroupReport",
    "Metric",
    "build_report",
    "corpus_report",
]

MIN_ARTICLES_TO_COMPARE = 10
NO_CLEAR_DIFFERENCE = "no clear difference"
TOO_FEW_ARTICLES = f"too few articles (under {MIN_ARTICLES_TO_COMPARE})"
NOT_MEASURED = "not measured"
READING_NOTE = (
    "These figures describe the model's labels; they are not measurements of the articles. "
    "Every label has the error rates given in the project README (per-class precision and recall), "
    "and those can differ between outlets and periods: a difference between groups may be partly a "
    "difference in how well the model reads them. Read them as descriptive, not as proof of bias."
)


@dataclass(frozen=True)
class Metric:
    """A figure of the report: ``numerator`` over ``denominator`` (columns of the per-article rows)."""

    key: str
    title: str
    numerator: str
    denominator: str
    definition: str
    mean: bool = False  # a per-article mean (a count), not a share


METRICS: tuple[Metric, ...] = (
    Metric("reported_fact", "reported fact", "reported_fact", "labelled", "share of labelled (body and dek) sentences labelled reported_fact"),
    Metric("sourced_claim", "sourced claim", "sourced_claim", "labelled", "share of labelled sentences labelled sourced_claim"),
    Metric("opinion", "opinion", "opinion", "labelled", "share of labelled sentences labelled opinion"),
    Metric("anonymous", "anonymous speaker", "anonymous", "sourced_claim", "share of sourced sentences whose speaker is an anonymous source (the per-article summary's anonymous_share, pooled)"),
    Metric("unresolved", "speaker not resolved", "unresolved", "sourced_claim", "share of sourced sentences with no resolved speaker"),
    Metric("top_source", "top source's share", "top_source", "sourced_claim", "share of sourced sentences held by each article's most-quoted source (the summary's top_source_share, pooled)"),
    Metric("distinct_sources", "sources per article", "distinct_sources", "articles", "distinct sources speaking at least one sourced sentence, mean per article", mean=True),
    Metric("direct", "direct quote", "direct", "quote_known", "share of sourced sentences at least half inside quotation marks (attribution.mode direct), of those with a quote mode"),
    Metric("mixed", "mixed quote", "mixed", "quote_known", "share of sourced sentences with some quoted text, less than half (mode mixed)"),
    Metric("indirect", "indirect speech", "indirect", "quote_known", "share of sourced sentences with no quoted text (mode indirect)"),
    Metric("low_confidence", f"confidence < {LOW_CONFIDENCE}", "low_confidence", "with_confidence", f"share of labelled sentences whose label confidence is below {LOW_CONFIDENCE}, of those that have one"),
)
# Who gets a voice (issue 22): from the sources' profiles (docs/annotation.md section 5).
PROFILE_METRICS: tuple[Metric, ...] = (
    *(Metric(f"category_{c}", f"{c} sources", f"category_{c}", "category_known",
             f"share of sourced sentences whose speaker's profile category is {c}, of those whose speaker has one")
      for c in SOURCE_CATEGORIES),
    *(Metric(f"persons_{g}", f"persons: {g}", f"persons_{g}", "persons",
             f"share of the named persons who speak whose gender the article shows as {g}" if g != "unknown"
             else "share of the named persons who speak whose gender the article does not show")
      for g in GENDERS),
    *(Metric(f"person_sentences_{g}", f"persons' sentences: {g}", f"person_sentences_{g}", "person_sentences",
             f"share of the persons' sourced sentences spoken by a person of gender {g}")
      for g in GENDERS),
    Metric("anonymous_reason", "anonymous with a reason", "anonymous_with_reason", "anonymous_sources",
           "share of the anonymous sources that speak for which the writer gives a reason for the anonymity"),
)
METRICS = METRICS + PROFILE_METRICS
METRIC_BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}
HEADLINE_METRICS: tuple[str, ...] = ("reported_fact", "sourced_claim", "opinion", "anonymous")
# Compared between groups besides the headline figures.
COMPARED_METRICS: tuple[str, ...] = (
    *HEADLINE_METRICS, "category_official", "category_politician", "category_citizen", "persons_female",
    "person_sentences_female", "anonymous_reason",
)


@dataclass(frozen=True)
class Estimate:
    """A figure with its 95% interval (None where undefined: a zero denominator, or no bootstrap)."""

    value: float | None
    low: float | None
    high: float | None
    numerator: int
    denominator: int

    def to_dict(self) -> dict[str, Any]:
        return {"value": _round(self.value), "low": _round(self.low), "high": _round(self.high),
                "numerator": self.numerator, "denominator": self.denominator}


@dataclass(frozen=True)
class GroupReport:
    name: str
    articles: int
    estimates: dict[str, Estimate]
    top_sources: tuple[SourceCount, ...]

    @property
    def labelled_sentences(self) -> int:
        return self.estimates["reported_fact"].denominator

    @property
    def sourced_sentences(self) -> int:
        return self.estimates["anonymous"].denominator

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "articles": self.articles,
            "labelled_sentences": self.labelled_sentences,
            "sourced_sentences": self.sourced_sentences,
            "figures": {key: estimate.to_dict() for key, estimate in self.estimates.items()},
            "top_sources": [
                {"name": s.name, "type": s.type, "sentences": s.sentences, "articles": s.articles} for s in self.top_sources
            ],
        }


@dataclass(frozen=True)
class Difference:
    """``group`` minus ``against`` ("the rest" or the other group) for one figure."""

    metric: str
    group: str
    against: str
    value: float | None
    low: float | None
    high: float | None
    verdict: str  # higher, lower, NO_CLEAR_DIFFERENCE, TOO_FEW_ARTICLES or NOT_MEASURED

    @property
    def clear(self) -> bool:
        """A finding: the interval excludes zero (and both sides were large enough to compare)."""
        return self.verdict in ("higher", "lower")

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "group": self.group, "against": self.against, "difference": _round(self.value),
                "low": _round(self.low), "high": _round(self.high), "clear": self.clear, "verdict": self.verdict}


@dataclass(frozen=True)
class CorpusReport:
    inputs: tuple[str, ...]
    grouping: str
    seed: int
    resamples: int
    groups: tuple[GroupReport, ...]
    comparison: str  # none, pair or each_vs_rest
    differences: tuple[Difference, ...]

    @property
    def articles(self) -> int:
        return sum(g.articles for g in self.groups)

    def to_dict(self) -> dict[str, Any]:
        return {
            "inputs": list(self.inputs),
            "by": self.grouping,
            "articles": self.articles,
            "bootstrap": {"resamples": self.resamples, "seed": self.seed, "confidence": CONFIDENCE, "over": "articles"},
            "figures": {m.key: {"title": m.title, "definition": m.definition, "kind": "mean" if m.mean else "share"} for m in METRICS},
            "groups": [g.to_dict() for g in self.groups],
            "comparison": {
                "kind": self.comparison,
                "figures": list(HEADLINE_METRICS),
                "min_articles": MIN_ARTICLES_TO_COMPARE,
                "differences": [d.to_dict() for d in self.differences],
            },
            "note": READING_NOTE,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _maybe(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


# ---------------------------------------------------------------- building


def corpus_report(paths: Sequence[str | Path], *, by: str | None = None, seed: int = 0, resamples: int = 1000, top: int = 10) -> CorpusReport:
    """The report for the scored records in ``paths`` (.jsonl or .parquet), read once, streaming."""
    grouping = Grouping.parse(by)  # a bad --by stops the run before any reading
    return build_report(iter_scored_articles(paths), grouping=grouping, seed=seed, resamples=resamples, top=top,
                        inputs=tuple(str(p) for p in paths))


def build_report(articles: Iterable[Article], *, grouping: Grouping | None = None, seed: int = 0, resamples: int = 1000,
                 top: int = 10, inputs: tuple[str, ...] = ()) -> CorpusReport:
    """The report for ``articles`` (any iterable; each record is reduced to its counts and dropped)."""
    if resamples < 0:
        raise UserError("--bootstrap must be 0 (no intervals) or more")
    if top < 0:
        raise UserError("--top must be 0 or more")
    grouping = grouping if grouping is not None else Grouping()
    tallies = tally(articles, grouping)
    if not tallies.groups:
        raise UserError("no records to report on")
    names = tallies.group_names()
    rng = np.random.default_rng(seed)
    totals = {name: tallies.groups[name].matrix().sum(axis=0).astype(float) for name in names}
    samples = {name: resampled_sums(tallies.groups[name].matrix(), resamples, rng) for name in names}
    groups = tuple(
        GroupReport(
            name=name,
            articles=tallies.groups[name].articles,
            estimates={m.key: _estimate(m, totals[name], samples[name], resamples) for m in METRICS},
            top_sources=tuple(tallies.top_sources(name, top)),
        )
        for name in names
    )
    comparison, differences = _compare(groups, totals, samples, resamples)
    return CorpusReport(inputs, grouping.label, seed, resamples, groups, comparison, differences)


def _figure(metric: Metric, sums: np.ndarray) -> np.ndarray:
    """The figure from column sums (the last axis): one value, or one per resample."""
    return ratio(sums[..., COLUMN_INDEX[metric.numerator]], sums[..., COLUMN_INDEX[metric.denominator]])


def _estimate(metric: Metric, total: np.ndarray, sampled: np.ndarray, resamples: int) -> Estimate:
    interval = percentile_interval(_figure(metric, sampled)) if resamples > 0 else None
    low, high = interval if interval else (None, None)
    return Estimate(
        value=_maybe(_figure(metric, total)),
        low=low,
        high=high,
        numerator=int(total[COLUMN_INDEX[metric.numerator]]),
        denominator=int(total[COLUMN_INDEX[metric.denominator]]),
    )


def _compare(groups: tuple[GroupReport, ...], totals: dict[str, np.ndarray], samples: dict[str, np.ndarray],
             resamples: int) -> tuple[str, tuple[Difference, ...]]:
    if len(groups) < 2:
        return "none", ()
    articles = {g.name: g.articles for g in groups}
    if len(groups) == 2:
        first, second = (g.name for g in groups)
        sides = [(first, second, totals[second], samples[second], articles[second])]
        kind = "pair"
    else:
        corpus_total = sum(totals.values())
        corpus_samples = sum(samples.values())
        all_articles = sum(articles.values())
        sides = [(g.name, "the rest", corpus_total - totals[g.name], corpus_samples - samples[g.name], all_articles - g.articles)
                 for g in groups]
        kind = "each_vs_rest"
    differences = []
    for key in COMPARED_METRICS:
        metric = METRIC_BY_KEY[key]
        for group, against, other_total, other_samples, other_articles in sides:
            value = _maybe(_figure(metric, totals[group]) - _figure(metric, other_total))
            interval = percentile_interval(_figure(metric, samples[group]) - _figure(metric, other_samples)) if resamples > 0 else None
            low, high = interval if interval else (None, None)
            if value is None or interval is None:
                verdict = NOT_MEASURED
            elif min(articles[group], other_articles) < MIN_ARTICLES_TO_COMPARE:
                verdict = TOO_FEW_ARTICLES
            elif low > 0:
                verdict = "higher"
            elif high < 0:
                verdict = "lower"
            else:
                verdict = NO_CLEAR_DIFFERENCE
            differences.append(Difference(key, group, against, value, low, high, verdict))
    return kind, tuple(differences)
