"""The report as Markdown: the same tables as the HTML page, without the charts.

Text that comes from the records (group names, source names, file names)
can hold anything: it is HTML-escaped (a Markdown viewer passes raw HTML
through) and Markdown's own marks are backslash-escaped, so a source named
``<script>`` or ``*[x](y)*`` shows as written and does nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape

from saidwho.report.build import (
    HEADLINE_METRICS,
    METRIC_BY_KEY,
    METRICS,
    READING_NOTE,
    CorpusReport,
    GroupReport,
)
from saidwho.report.cells import (
    comparison_heading,
    difference_cell,
    estimate_cell,
    verdict_cell,
)

__all__ = ["LABEL_COLUMNS", "QUOTE_COLUMNS", "SOURCE_COLUMNS", "md_text", "render_markdown"]

LABEL_COLUMNS: tuple[str, ...] = ("reported_fact", "sourced_claim", "opinion", "low_confidence")
SOURCE_COLUMNS: tuple[str, ...] = ("anonymous", "unresolved", "top_source", "distinct_sources")
QUOTE_COLUMNS: tuple[str, ...] = ("direct", "mixed", "indirect")

_MARKDOWN_MARKS = re.compile(r"([\\`*_\[\]{}()#+!|~])")


def md_text(text: str) -> str:
    """Record-derived text made inert in Markdown: one line, HTML escaped, marks escaped."""
    return _MARKDOWN_MARKS.sub(r"\\\1", escape(" ".join(str(text).split()), quote=False))


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> list[str]:
    """A Markdown table; ``align`` has one letter per column, l or r (default: the first left, the rest right)."""
    align = align or "l" + "r" * (len(headers) - 1)
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---:" if a == "r" else "---" for a in align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def _figure_table(report: CorpusReport, first: Sequence[tuple[str, Callable[[GroupReport], str]]], keys: Sequence[str]) -> list[str]:
    headers = ["group", *(title for title, _ in first), *(METRIC_BY_KEY[k].title for k in keys)]
    rows = [
        [md_text(g.name), *(cell(g) for _, cell in first), *(estimate_cell(g.estimates[k], METRIC_BY_KEY[k]) for k in keys)]
        for g in report.groups
    ]
    return _table(headers, rows)


def render_markdown(report: CorpusReport) -> str:
    inputs = ", ".join(md_text(p) for p in report.inputs) or "the given records"
    lines = [
        "# saidwho corpus report",
        "",
        (
            f"{report.articles} articles from {inputs}, grouped by {md_text(report.grouping)}: {len(report.groups)} "
            f"group{'s' if len(report.groups) != 1 else ''}. Each figure is pooled over the group's sentences; in square brackets "
            f"its 95% interval, a percentile bootstrap over articles ({report.resamples} resamples, seed {report.seed})."
        ),
        "",
        f"**How to read these numbers.** {READING_NOTE}",
        "",
        "## Labels",
        "",
    ]
    lines += _figure_table(report, [("articles", lambda g: str(g.articles)), ("labelled sentences", lambda g: str(g.labelled_sentences))], LABEL_COLUMNS)
    lines += ["## Sources", ""]
    lines += _figure_table(report, [("sourced sentences", lambda g: str(g.sourced_sentences))], SOURCE_COLUMNS)
    lines += ["## Direct and indirect quotes", ""]
    lines += _figure_table(report, [("sourced sentences with a quote mode", lambda g: str(g.estimates["direct"].denominator))], QUOTE_COLUMNS)
    if report.differences:
        lines += [
            f"## Comparison: {comparison_heading(report, md_text)}",
            "",
            (
                "A difference counts only where its 95% interval excludes zero; otherwise it reads "
                "\"no clear difference\". Intervals are not adjusted for the number of comparisons."
            ),
            "",
        ]
        order = {key: i for i, key in enumerate(HEADLINE_METRICS)}
        rows = [
            [METRIC_BY_KEY[d.metric].title, md_text(d.group), md_text(d.against), difference_cell(d), md_text(verdict_cell(d))]
            for d in sorted(report.differences, key=lambda d: order[d.metric])
        ]
        lines += _table(["figure", "group", "against", "difference", "reading"], rows, align="lllrl")
    lines += ["## Most-quoted sources", "", "Sources merged across articles by name and alias; sentences are sourced sentences they speak.", ""]
    for group in report.groups:
        lines += [f"### {md_text(group.name)}", ""]
        if not group.top_sources:
            lines += ["No source speaks a sourced sentence.", ""]
            continue
        lines += _table(
            ["#", "source", "type", "sentences", "articles"],
            [[str(rank), md_text(s.name), md_text(s.type), str(s.sentences), str(s.articles)] for rank, s in enumerate(group.top_sources, 1)],
            align="rllrr",
        )
    lines += ["## Definitions", ""]
    lines += [f"- **{m.title}**: {m.definition}." for m in METRICS]
    return "\n".join(lines) + "\n"
