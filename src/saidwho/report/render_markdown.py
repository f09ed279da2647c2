"""The report as Markdown: the same tables as the HTML page, without the charts.

Text that comes from the records (group names, source names, file names)
can hold anything: it is HTML-escaped (a Markdown viewer passes raw HTML
through) and Markdown's own marks are backslash-escaped, so a source named
``<script>`` or ``*[x](y)*`` shows as written and does nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from saidwho.report.build import METRICS, READING_NOTE, CorpusReport
from saidwho.report.cells import (
    COMPARISON_HEADERS,
    CATEGORY_TABLE,
    GENDER_TABLE,
    LABEL_TABLE,
    QUOTE_TABLE,
    SOURCE_HEADERS,
    SOURCE_TABLE,
    FigureTable,
    comparison_heading,
    comparison_rows,
    figure_table,
    ordered_differences,
    source_rows,
)

__all__ = ["md_text", "render_markdown"]

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


def _figure_table(report: CorpusReport, table: FigureTable) -> list[str]:
    return _table(*figure_table(report, table, md_text, _as_written))


def _as_written(text: str) -> str:
    return text


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
    lines += _figure_table(report, LABEL_TABLE)
    lines += ["## Sources", ""]
    lines += _figure_table(report, SOURCE_TABLE)
    lines += ["## Direct and indirect quotes", ""]
    lines += _figure_table(report, QUOTE_TABLE)
    lines += ["## Who gets a voice", "",
              "From the sources' profiles (docs/annotation.md, section 5): sourced sentences by the speaker's "
              "category; named persons, and their sentences, by the gender the article shows (first names are not "
              "read); anonymous sources with a reason the writer gives.", ""]
    lines += _figure_table(report, CATEGORY_TABLE)
    lines += _figure_table(report, GENDER_TABLE)
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
        rows = comparison_rows(ordered_differences(report), md_text, _as_written)
        lines += _table(COMPARISON_HEADERS, rows, align="lllrl")
    lines += ["## Most-quoted sources", "", "Sources merged across articles by name and alias; sentences are sourced sentences they speak.", ""]
    for group in report.groups:
        lines += [f"### {md_text(group.name)}", ""]
        if not group.top_sources:
            lines += ["No source speaks a sourced sentence.", ""]
            continue
        lines += _table(SOURCE_HEADERS, source_rows(group, md_text, _as_written), align="rllrr")
    lines += ["## Definitions", ""]
    lines += [f"- **{m.title}**: {m.definition}." for m in METRICS]
    return "\n".join(lines) + "\n"
