"""Table cells shared by the Markdown and HTML reports, so both show the same numbers.

Shares are percentages with one decimal, differences percentage points,
per-article means two decimals; "–" marks a figure that is undefined (no
sentence to take a share of) and an empty interval one that was not
bootstrapped (``--bootstrap 0``).
"""

from __future__ import annotations

from collections.abc import Callable

from saidwho.report.build import (
    METRIC_BY_KEY,
    CorpusReport,
    Difference,
    Estimate,
    GroupReport,
    Metric,
)

__all__ = ["comparison_heading", "difference_cell", "estimate_cell", "group_size_cell", "interval_cell", "value_cell", "verdict_cell"]

DASH = "–"


def value_cell(estimate: Estimate, metric: Metric) -> str:
    if estimate.value is None:
        return DASH
    return f"{estimate.value:.2f}" if metric.mean else f"{estimate.value:.1%}"


def interval_cell(low: float | None, high: float | None, mean: bool = False, points: bool = False) -> str:
    if low is None or high is None:
        return ""
    if mean:
        return f"[{low:.2f}, {high:.2f}]"
    if points:
        return f"[{low * 100:+.1f}, {high * 100:+.1f}]"
    return f"[{low * 100:.1f}, {high * 100:.1f}]"


def estimate_cell(estimate: Estimate, metric: Metric) -> str:
    """"12.3% [9.8, 15.0]": the figure and its 95% interval."""
    interval = interval_cell(estimate.low, estimate.high, metric.mean)
    value = value_cell(estimate, metric)
    return f"{value} {interval}" if interval and estimate.value is not None else value


def difference_cell(difference: Difference) -> str:
    """"+4.1 pts [+1.2, +7.0]": a difference in percentage points and its 95% interval."""
    if difference.value is None:
        return DASH
    interval = interval_cell(difference.low, difference.high, points=True)
    value = f"{difference.value * 100:+.1f} pts"
    return f"{value} {interval}" if interval else value


def verdict_cell(difference: Difference) -> str:
    """The reading of a difference; only an interval that excludes zero is a finding."""
    if difference.clear:
        title = METRIC_BY_KEY[difference.metric].title
        return f"{difference.group}: {title} {difference.verdict} than {difference.against}"
    return difference.verdict


def comparison_heading(report: CorpusReport, quote: Callable[[str], str]) -> str:
    """What the comparison compares; ``quote`` makes the group names safe for the output format."""
    if report.comparison == "pair":
        first, second = (quote(g.name) for g in report.groups)
        return f"{first} against {second} (first minus second)"
    return "each group against the rest of the corpus (the group minus all other groups pooled)"


def group_size_cell(group: GroupReport) -> str:
    return f"{group.articles} articles, {group.labelled_sentences} labelled sentences"

