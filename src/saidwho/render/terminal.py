"""The terminal view (rich) of analysed articles: one row per sentence, then the summary and its sources table.

The evaluation's tables are in :mod:`saidwho.evaluation.tables_terminal`.
"""

from __future__ import annotations

import bisect
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from saidwho.records import Article

__all__ = [
    "LABEL_STYLES",
    "first_at_cell",
    "render_article_table",
    "render_summary",
    "sentence_number",
]

LABEL_STYLES = {"reported_fact": "cyan", "sourced_claim": "bold yellow", "opinion": "bold magenta"}


# The six-column table spends about 72 characters on borders, padding and
# its fixed columns. From this width on its sentence column keeps 60
# characters; narrower consoles (80 columns is the common default, where the
# sentence column would shrink to a word per line) get the folded table.
WIDE_TABLE = 132
SENTENCE_MIN = 40


def sentence_number(article: Article, offset: int | None) -> int | None:
    """The 1-based number of the segment holding ``offset``, as the article
    views number them (every segment, headline and byline included)."""
    if offset is None:
        return None
    starts = [s.start for s in article.sentences]
    index = bisect.bisect_right(starts, offset) - 1
    return index + 1 if index >= 0 else None


def render_article_table(article: Article, console: Console) -> None:
    """One row per sentence with its kind, text, label, speaker and confidence; then the summary.

    At ``WIDE_TABLE`` columns and more each has its own column. Below, the
    kind goes before the sentence text and the speaker under the label with
    the confidence, so that the sentence column keeps most of the width.
    """
    sources = {s.id: s for s in article.sources}
    wide = console.width >= WIDE_TABLE
    table = Table(title=f"{article.id}", show_lines=False, expand=True)
    table.add_column("#", justify="right", style="dim", no_wrap=True, min_width=len(str(len(article.sentences))))
    if wide:
        table.add_column("kind", style="dim", width=8)
        table.add_column("sentence", ratio=1, min_width=SENTENCE_MIN)
        table.add_column("label", width=14)
        table.add_column("speaker", width=24)
        table.add_column("conf", justify="right", width=5)
    else:
        table.add_column("sentence", ratio=1)
        table.add_column("label  conf\nspeaker", width=18)  # "sourced_claim 0.90" fits
    for number, sentence in enumerate(article.sentences, start=1):
        text = escape(article.sentence_text(sentence).replace("\n", " "))
        speaker = escape(sources[sentence.speaker].name) if sentence.speaker in sources else ""
        label = f"[{LABEL_STYLES[sentence.label]}]{sentence.label}[/]" if sentence.label else ""
        conf = f"{sentence.confidence:.2f}" if sentence.label and sentence.confidence is not None else ""
        if not sentence.label:
            text, speaker = f"[dim]{text}[/]", ""
        if wide:
            table.add_row(str(number), sentence.kind, text, label, speaker, conf)
        else:
            kind = f"[dim italic]{sentence.kind}:[/] " if sentence.kind != "body" else ""
            table.add_row(str(number), kind + text, "\n".join(filter(None, (f"{label} {conf}".strip(), speaker))))
    console.print(table)
    if article.summary:
        render_summary(article, console)


def render_summary(article: Article, console: Console) -> None:
    """The label shares and the source table of an article's summary; "first at"
    is the number of the source's first sentence in the article table."""
    summary = article.summary or {}
    shares = summary["label_share"]
    console.print(
        "labels: "
        + ", ".join(f"{label} {shares[label]:.0%}" for label in shares)
        + f" of {summary['labelled_sentences']} sentences; anonymous {summary['anonymous_share']:.0%}"
        + f" and top source {summary['top_source_share']:.0%} of {summary['sourced_sentences']} sourced sentences"
    )
    if summary["sources"]:
        # Profiles (issue 22): the title under the name, the category under the type.
        profiled = any("category" in source for source in summary["sources"])
        table = Table(title="sources", expand=False)
        columns = ("source", "type", *(("gender",) if profiled else ()), "sentences", "direct quotes", "first at")
        for column in columns:
            table.add_column(column, justify="left" if column in ("source", "type", "gender") else "right")
        for source in summary["sources"]:
            name = escape(source["name"]) + (f"\n[dim]{escape(source['title'])}[/]" if source.get("title") else "")
            kind = source["type"] + (f"\n[dim]{source['category']}[/]" if source.get("category") else "")
            gender = (source.get("gender") or "",) if profiled else ()
            table.add_row(name, kind, *gender, str(source["sentences"]), str(source["direct_quotes"]), first_at_cell(source, article))
        console.print(table)


def first_at_cell(source: dict[str, Any], article: Article) -> str:
    """Where a summary source first speaks: "#N", N its sentence number, else "-"."""
    number = sentence_number(article, source.get("first_offset"))
    return "-" if number is None else f"#{number}"
