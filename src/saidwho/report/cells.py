"""Table cells and tables shared by the Markdown and HTML reports, so both show the same numbers.

Shares are percentages with one decimal, differences percentage points,
per-article means two decimals; "–" marks a figure that is undefined (no
sentence to take a share of) and an empty interval one that was not
bootstrapped (``--bootstrap 0``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from saidwho.records import GENDERS, SOURCE_CATEGORIES

from saidwho.report.build import (
    COMPARED_METRICS,
    METRIC_BY_KEY,
    CorpusReport,
    Difference,
    Estimate,
    GroupReport,
    Metric,
)

__all__ = [
    "CATEGORY_TABLE", "COMPARISON_HEADERS", "GENDER_TABLE", "LABEL_TABLE", "QUOTE_TABLE", "SOURCE_HEADERS", "SOURCE_TABLE", "FigureTable",
    "comparison_heading", "comparison_rows", "difference_cell", "estimate_cell", "figure_table", "group_size_cell",
    "interval_cell", "ordered_differences", "source_rows", "value_cell", "verdict_cell",
]

DASH = "–"

# A renderer's two ways with text: ``name`` makes record-derived text (group
# and source names) safe for its format; ``plain`` does the same for the
# report's own words and numbers (identity in Markdown, escaped in HTML).
Text = Callable[[str], str]


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



@dataclass(frozen=True)
class FigureTable:
    """A per-group table: a few count columns, then figures with their intervals."""

    leading: tuple[tuple[str, Callable[[GroupReport], str]], ...]
    keys: tuple[str, ...]


LABEL_TABLE = FigureTable(
    (("articles", lambda g: str(g.articles)), ("labelled sentences", lambda g: str(g.labelled_sentences))),
    ("reported_fact", "sourced_claim", "opinion", "low_confidence"),
)
SOURCE_TABLE = FigureTable((("sourced sentences", lambda g: str(g.sourced_sentences)),), ("anonymous", "unresolved", "top_source", "distinct_sources"))
QUOTE_TABLE = FigureTable(
    (("sourced sentences with a quote mode", lambda g: str(g.estimates["direct"].denominator)),), ("direct", "mixed", "indirect")
)
# Who gets a voice (issue 22).
CATEGORY_TABLE = FigureTable(
    (("sourced sentences with a category", lambda g: str(g.estimates["category_official"].denominator)),),
    tuple(f"category_{c}" for c in SOURCE_CATEGORIES),
)
GENDER_TABLE = FigureTable(
    (("named persons", lambda g: str(g.estimates["persons_female"].denominator)),
     ("anonymous sources", lambda g: str(g.estimates["anonymous_reason"].denominator))),
    (*(f"persons_{g}" for g in GENDERS), "person_sentences_female", "person_sentences_male", "anonymous_reason"),
)
COMPARISON_HEADERS = ("figure", "group", "against", "difference", "reading")
SOURCE_HEADERS = ("#", "source", "type", "sentences", "articles")


def figure_table(report: CorpusReport, table: FigureTable, name: Text, plain: Text) -> tuple[list[str], list[list[str]]]:
    """Headers and one row per group."""
    headers = ["group", *(plain(title) for title, _ in table.leading), *(plain(METRIC_BY_KEY[k].title) for k in table.keys)]
    rows = [
        [name(g.name), *(plain(cell(g)) for _, cell in table.leading), *(plain(estimate_cell(g.estimates[k], METRIC_BY_KEY[k])) for k in table.keys)]
        for g in report.groups
    ]
    return headers, rows


def ordered_differences(report: CorpusReport) -> list[Difference]:
    """The comparisons in the order of the headline figures."""
    order = {key: i for i, key in enumerate(COMPARED_METRICS)}
    return sorted(report.differences, key=lambda d: order[d.metric])


def comparison_rows(differences: list[Difference], name: Text, plain: Text) -> list[list[str]]:
    return [
        [plain(METRIC_BY_KEY[d.metric].title), name(d.group), name(d.against), plain(difference_cell(d)), name(verdict_cell(d))]
        for d in differences
    ]


def source_rows(group: GroupReport, name: Text, plain: Text) -> list[list[str]]:
    return [
        [plain(str(rank)), name(s.name), name(s.type), plain(str(s.sentences)), plain(str(s.articles))]
        for rank, s in enumerate(group.top_sources, 1)
    ]
