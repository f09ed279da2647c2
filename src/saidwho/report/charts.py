"""The HTML report's charts: matplotlib figures written as inline SVG.

- :func:`label_share_chart`: grouped bars of the three label shares per group;
- :func:`anonymous_chart`: the anonymous-speaker share per group;
- :func:`difference_chart`: each comparison's difference with its interval
  and a zero line (filled marks are findings, hollow ones are not);
- :func:`top_sources_chart`: the most-quoted sources of each group.

Error bars are the 95% bootstrap intervals of the tables. Colours are the
Okabe-Ito palette of the HTML view, and the label bars also differ by
hatching, so that nothing depends on telling colours apart.

The SVG is made safe and self-contained here: text stays text
(``svg.fonttype: none``, so names are searchable) and matplotlib's SVG
writer escapes ``<``, ``>`` and ``&`` in it; ``$`` is escaped before it
reaches matplotlib so that a name cannot switch on its math mode. The XML
prolog, the RDF metadata (with its namespace URLs) and the ``xmlns``
attributes, which inline SVG in HTML does not need, are removed; a fixed
``svg.hashsalt`` per chart makes the output reproducible and the clip-path
ids of two charts on one page distinct.
"""

from __future__ import annotations

import io
import re

import numpy as np

from saidwho.report.build import (
    HEADLINE_METRICS,
    METRIC_BY_KEY,
    CorpusReport,
    GroupReport,
)

__all__ = ["MAX_CHART_GROUPS", "anonymous_chart", "charted_groups", "difference_chart", "label_share_chart", "top_sources_chart"]

MAX_CHART_GROUPS = 30
MAX_CHART_SOURCES = 8
LABEL_COLOURS = {"reported_fact": "#0072B2", "sourced_claim": "#E69F00", "opinion": "#CC79A7"}
LABEL_HATCHES = {"reported_fact": "", "sourced_claim": "//", "opinion": ".."}
ANONYMOUS_COLOUR = "#009E73"
SOURCE_COLOUR = "#56B4E9"
INK = "#1b1b1b"


def charted_groups(report: CorpusReport) -> list[GroupReport]:
    """The groups the charts show: all, or the :data:`MAX_CHART_GROUPS` with most articles (in report order)."""
    groups = list(report.groups)
    if len(groups) <= MAX_CHART_GROUPS:
        return groups
    keep = {g.name for g in sorted(groups, key=lambda g: -g.articles)[:MAX_CHART_GROUPS]}
    return [g for g in groups if g.name in keep]


def chart_text(text: str, limit: int = 40) -> str:
    """A label for matplotlib: one line, at most ``limit`` characters, ``$`` escaped (no math mode)."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("\\", "\\\\").replace("$", r"\$")


def _error(values: np.ndarray, lows: np.ndarray, highs: np.ndarray) -> np.ndarray:
    """Error bar lengths below and above each value (0 where there is no interval)."""
    below = np.nan_to_num(values - lows, nan=0.0).clip(min=0)
    above = np.nan_to_num(highs - values, nan=0.0).clip(min=0)
    return np.vstack([below, above])


def _arrays(groups: list[GroupReport], key: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    def column(attr: str) -> np.ndarray:
        return np.array([np.nan if getattr(g.estimates[key], attr) is None else getattr(g.estimates[key], attr) for g in groups], dtype=float)

    return column("value"), column("low"), column("high")


def _new_figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _svg(figure, salt: str) -> str:
    """The figure as an inline ``<svg>`` element (see the module doc)."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"saidwho-{salt}"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", svg)
    svg = re.sub(r'\s(width|height)="[\d.]+pt"', "", svg, count=2)
    return svg.replace("<svg", f'<svg class="chart" role="img" data-chart="{salt}"', 1).strip()


def _percent_axis(axis) -> None:
    from matplotlib.ticker import PercentFormatter

    axis.set_major_formatter(PercentFormatter(1.0))


def label_share_chart(report: CorpusReport) -> str:
    """Grouped horizontal bars: per group the three label shares with their intervals."""
    groups = charted_groups(report)
    figure = _new_figure(8, 1.2 + 0.5 * len(groups))
    axes = figure.subplots()
    positions = np.arange(len(groups))
    height = 0.26
    for offset, label in zip((-height, 0.0, height), LABEL_COLOURS):
        values, lows, highs = _arrays(groups, label)
        axes.barh(positions + offset, np.nan_to_num(values), height, xerr=_error(values, lows, highs), capsize=2,
                  color=LABEL_COLOURS[label], hatch=LABEL_HATCHES[label], edgecolor="white", linewidth=0,
                  error_kw={"ecolor": INK, "elinewidth": 0.8}, label=METRIC_BY_KEY[label].title)
    axes.set_yticks(positions, [chart_text(g.name) for g in groups])
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    _percent_axis(axes.xaxis)
    axes.set_xlabel("share of labelled sentences (95% interval)")
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False)
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    return _svg(figure, "labels")


def anonymous_chart(report: CorpusReport) -> str:
    """One bar per group: the share of sourced sentences spoken by anonymous sources."""
    groups = charted_groups(report)
    figure = _new_figure(8, 1.0 + 0.35 * len(groups))
    axes = figure.subplots()
    values, lows, highs = _arrays(groups, "anonymous")
    positions = np.arange(len(groups))
    axes.barh(positions, np.nan_to_num(values), 0.6, xerr=_error(values, lows, highs), capsize=2, color=ANONYMOUS_COLOUR,
              error_kw={"ecolor": INK, "elinewidth": 0.8})
    axes.set_yticks(positions, [chart_text(g.name) for g in groups])
    axes.invert_yaxis()
    top = np.nanmax(np.concatenate([highs, values, [0.05]]))
    axes.set_xlim(0, min(1.0, top * 1.15))
    _percent_axis(axes.xaxis)
    axes.set_xlabel("share of sourced sentences with an anonymous speaker (95% interval)")
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    return _svg(figure, "anonymous")


def difference_chart(report: CorpusReport) -> str | None:
    """One panel per headline figure: each comparison's difference (points) with its interval."""
    if not report.differences:
        return None
    rows = [d for d in report.differences if d.metric == HEADLINE_METRICS[0]]
    charted = {g.name for g in charted_groups(report)}
    rows = [d for d in rows if d.group in charted]
    figure = _new_figure(9, 1.3 + 0.32 * len(rows))
    panels = figure.subplots(1, len(HEADLINE_METRICS), sharey=True)
    for axes, key in zip(panels, HEADLINE_METRICS):
        found = [d for d in report.differences if d.metric == key and d.group in charted]
        for position, difference in enumerate(found):
            if difference.value is None:
                continue
            low = difference.low if difference.low is not None else difference.value
            high = difference.high if difference.high is not None else difference.value
            axes.plot([low * 100, high * 100], [position, position], color=INK, linewidth=1)
            axes.plot([difference.value * 100], [position], "o", color=INK, markersize=5,
                      markerfacecolor=INK if difference.clear else "white")
        axes.axvline(0, color="#888888", linewidth=0.8, linestyle="--")
        axes.set_title(chart_text(METRIC_BY_KEY[key].title), fontsize=10)
        axes.set_xlabel("points", fontsize=9)
        axes.grid(axis="x", color="#eeeeee", linewidth=0.6)
    against = "" if report.comparison == "each_vs_rest" else f" − {rows[0].against}" if rows else ""
    panels[0].set_yticks(range(len(rows)), [chart_text(d.group + against, 48) for d in rows])
    panels[0].invert_yaxis()
    return _svg(figure, "differences")


def top_sources_chart(report: CorpusReport) -> str | None:
    """Small multiples: each group's most-quoted sources by sourced sentences."""
    groups = [g for g in charted_groups(report) if g.top_sources]
    if not groups:
        return None
    columns = min(3, len(groups))
    rows = -(-len(groups) // columns)
    figure = _new_figure(4.2 * columns, 0.8 + rows * (0.5 + 0.26 * MAX_CHART_SOURCES))
    panels = np.atleast_1d(figure.subplots(rows, columns, squeeze=False)).ravel()
    for axes, group in zip(panels, groups):
        sources = group.top_sources[:MAX_CHART_SOURCES]
        positions = np.arange(len(sources))
        axes.barh(positions, [s.sentences for s in sources], 0.7, color=SOURCE_COLOUR)
        axes.set_yticks(positions, [chart_text(s.name, 28) for s in sources], fontsize=8)
        axes.set_ylim(MAX_CHART_SOURCES - 0.5, -0.5)
        axes.set_title(chart_text(group.name), fontsize=10)
        axes.tick_params(axis="x", labelsize=8)
        axes.grid(axis="x", color="#eeeeee", linewidth=0.6)
        axes.set_axisbelow(True)
    for axes in panels[len(groups) :]:
        axes.set_visible(False)
    figure.supxlabel("sourced sentences spoken", fontsize=9)
    return _svg(figure, "sources")
