"""``saidwho report``: the corpus report as a typer command (registered in :mod:`saidwho.cli`).

The output format follows the suffix of ``-o`` (``.html``/``.htm``,
``.md``/``.markdown``, ``.json``); without ``-o`` the Markdown report goes to
standard output. The suffix and ``--by`` are checked before any record is
read, and the file is written atomically (:class:`saidwho.io.atomic_writer`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from saidwho.errors import UserError

__all__ = ["FORMATS", "render", "report", "write_report"]

FORMATS: dict[str, str] = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown", ".json": "json"}


def report_format(output: Optional[Path]) -> str:
    """html, markdown or json from the output's suffix (markdown without -o)."""
    if output is None:
        return "markdown"
    fmt = FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise UserError(f"{output}: unknown report format {output.suffix or '(no suffix)'!r}; name the output .html, .md or .json")
    return fmt


def render(corpus_report, fmt: str) -> str:
    """The report in ``fmt`` (html, markdown or json)."""
    if fmt == "html":
        from saidwho.report.render_html import render_report_html

        return render_report_html(corpus_report)
    if fmt == "json":
        return json.dumps(corpus_report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    from saidwho.report.render_markdown import render_markdown

    return render_markdown(corpus_report)


def write_report(corpus_report, output: Optional[Path]) -> None:
    """Write to ``output`` atomically (format from its suffix), or Markdown to standard output."""
    from saidwho.io import atomic_writer

    page = render(corpus_report, report_format(output))
    if output is None:
        sys.stdout.write(page)
        return
    with atomic_writer(output) as handle:
        handle.write(page)


def report(
    paths: list[Path] = typer.Argument(..., help="Scored records: .jsonl from saidwho score, or .parquet with its saidwho_record column."),
    by: Optional[str] = typer.Option(None, "--by", help="Group by outlet, published:month (or :year, :day), or any record field; articles without it go to '(none)'. Default: one group."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="report.html (with charts), report.md or report.json; default: Markdown on standard output."),
    seed: int = typer.Option(0, "--seed", help="Random seed of the bootstrap."),
    top: int = typer.Option(10, "--top", help="Most-quoted sources listed per group."),
    bootstrap: int = typer.Option(1000, "--bootstrap", help="Bootstrap resamples over articles for the 95% intervals (0: none, and no comparisons)."),
) -> None:
    """Sum up a scored corpus per group: label shares, anonymous sources, who is quoted.

    Each figure carries a 95% bootstrap interval over articles; with two or
    more groups, differences whose interval crosses zero read "no clear
    difference". The figures describe the model's labels (see the README for
    their error rates)."""
    from saidwho.report.build import corpus_report

    report_format(output)  # an unknown suffix stops the run before any reading
    if output is not None and output.is_dir():
        raise UserError(f"{output}: is a directory, expected a report file name")
    result = corpus_report(paths, by=by, seed=seed, resamples=bootstrap, top=top)
    write_report(result, output)
    if output is not None:
        typer.echo(f"wrote {output}: {result.articles} articles in {len(result.groups)} group{'s' if len(result.groups) != 1 else ''}", err=True)
