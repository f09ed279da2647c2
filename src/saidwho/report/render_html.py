"""The report as one self-contained HTML page: the Markdown report's tables plus charts.

Like the article view (:mod:`saidwho.render.html`): no network, no script
(a Content-Security-Policy forbids both even if escaping failed), every
text that comes from the records through :func:`html.escape`, and the
charts inline SVG (:mod:`saidwho.report.charts`), so the page opens offline
and can be mailed as one file.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from saidwho.render.html import page_head
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
from saidwho.report.charts import (
    MAX_CHART_GROUPS,
    anonymous_chart,
    difference_chart,
    label_share_chart,
    top_sources_chart,
)

__all__ = ["render_report_html"]

CSS = """
:root { --ink: #1b1b1b; --muted: #5f5f5f; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, 'DejaVu Sans', sans-serif; color: var(--ink); background: #fafafa; }
header, section { max-width: 1100px; margin: 0 auto; padding: 12px 24px; }
section { overflow-x: auto; }
header { background: #fff; border-bottom: 1px solid #ddd; max-width: none; }
h1 { font-size: 22px; margin: 6px 0; } h2 { font-size: 18px; margin: 22px 0 8px; } h3 { font-size: 15px; margin: 14px 0 6px; }
.note { background: #fff8e1; border-left: 4px solid #E69F00; padding: 8px 12px; max-width: 1052px; }
.muted { color: var(--muted); }
table { border-collapse: collapse; background: #fff; margin: 6px 0 12px; }
td, th { padding: 4px 10px; border-bottom: 1px solid #e6e6e6; text-align: right; vertical-align: top; white-space: nowrap; }
td:first-child, th:first-child { text-align: left; }
th { font-weight: 600; background: #f3f3f3; }
table.names td:nth-child(2), table.names th:nth-child(2), table.comparison td, table.comparison th { text-align: left; white-space: normal; }
table.comparison td:nth-child(4), table.comparison th:nth-child(4) { text-align: right; white-space: nowrap; }
.finding { font-weight: 600; }
.unclear { color: var(--muted); }
figure { margin: 8px 0 16px; background: #fff; border: 1px solid #e3e3e3; padding: 8px; }
figcaption { color: var(--muted); font-size: 13px; }
svg.chart { display: block; max-width: 100%; height: auto; }
.sources { display: flex; flex-wrap: wrap; gap: 0 24px; }
"""


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, row_classes: Sequence[str] = (), kind: str = "") -> str:
    """Cells are HTML already (escaped by the caller); ``row_classes`` per row, optional."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = []
    for index, row in enumerate(rows):
        css = row_classes[index] if index < len(row_classes) else ""
        body.append((f'<tr class="{css}">' if css else "<tr>") + "".join(f"<td>{c}</td>" for c in row) + "</tr>")
    table_class = f' class="{kind}"' if kind else ""
    return f"<table{table_class}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figure_table(report: CorpusReport, table: FigureTable) -> str:
    return _table(*figure_table(report, table, escape, escape))


def _figure(svg: str | None, caption: str) -> str:
    return "" if svg is None else f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def render_report_html(report: CorpusReport) -> str:
    """The whole page."""
    inputs = ", ".join(escape(p) for p in report.inputs) or "the given records"
    too_many = (
        f" Charts show the {MAX_CHART_GROUPS} groups with the most articles; the tables show all."
        if len(report.groups) > MAX_CHART_GROUPS else ""
    )
    sections = [
        "<section><h2>Labels</h2>",
        _figure(label_share_chart(report), "Share of each label among labelled sentences, per group; bars are 95% bootstrap intervals over articles."),
        _figure_table(report, LABEL_TABLE),
        "</section><section><h2>Sources</h2>",
        _figure(anonymous_chart(report), "Share of sourced sentences spoken by an anonymous source, per group, with 95% intervals."),
        _figure_table(report, SOURCE_TABLE),
        "<h3>Direct and indirect quotes</h3>",
        _figure_table(report, QUOTE_TABLE),
        "</section><section><h2>Who gets a voice</h2>",
        "<p>From the sources' profiles (docs/annotation.md, section 5): the category each speaker speaks in, "
        "the gender the article shows for each named person (unknown where it shows none; first names are not read), "
        "and whether the writer gives a reason for an anonymous source.</p>",
        "<h3>Sourced sentences by the speaker's category</h3>",
        _figure_table(report, CATEGORY_TABLE),
        "<h3>Persons by gender, and anonymous sources with a reason</h3>",
        _figure_table(report, GENDER_TABLE),
        "</section>",
    ]
    if report.differences:
        ordered = ordered_differences(report)
        rows = comparison_rows(ordered, escape, escape)
        sections += [
            f"<section><h2>Comparison: {comparison_heading(report, escape)}</h2>",
            (
                "<p>A difference counts only where its 95% interval excludes zero (filled marks, bold rows); "
                "otherwise it reads &ldquo;no clear difference&rdquo;. Intervals are not adjusted for the number of comparisons.</p>"
            ),
            _figure(difference_chart(report), "Differences in percentage points with 95% intervals; the dashed line is no difference."),
            _table(COMPARISON_HEADERS, rows,
                   row_classes=["finding" if d.clear else "unclear" for d in ordered], kind="comparison"),
            "</section>",
        ]
    sections += [
        "<section><h2>Most-quoted sources</h2>",
        "<p class=\"muted\">Sources merged across articles by name and alias; counts are the sourced sentences they speak.</p>",
        _figure(top_sources_chart(report), "The most-quoted sources of each group."),
        '<div class="sources">',
    ]
    for group in report.groups:
        rows = source_rows(group, escape, escape)
        table = _table(SOURCE_HEADERS, rows, kind="names") if rows else "<p>No source speaks a sourced sentence.</p>"
        sections.append(f"<div><h3>{escape(group.name)}</h3>{table}</div>")
    sections += ["</div></section>", "<section><h2>Definitions</h2><ul>"]
    sections += [f"<li><strong>{escape(m.title)}</strong>: {escape(m.definition)}.</li>" for m in METRICS]
    sections.append("</ul></section>")
    body = "\n".join(s for s in sections if s)
    title = f"saidwho corpus report: {report.articles} articles by {escape(report.grouping)}"
    return f"""{page_head(title, CSS)}
<body>
<header><h1>saidwho corpus report</h1>
<p>{report.articles} articles from {inputs}, grouped by <strong>{escape(report.grouping)}</strong>: {len(report.groups)} group{"s" if len(report.groups) != 1 else ""}.
Each figure is pooled over the group's sentences; in square brackets its 95% interval, a percentile bootstrap over articles
({report.resamples} resamples, seed {report.seed}).{escape(too_many)}</p>
<p class="note"><strong>How to read these numbers.</strong> {escape(READING_NOTE)}</p>
</header>
{body}
</body>
</html>
"""
