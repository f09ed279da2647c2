"""The corpus report (``saidwho report``): label shares, anonymous sources and who is quoted, per group.

Scored records stream through :func:`~saidwho.report.aggregate.tally` (one
row of counts per article, records not kept), :func:`build_report` adds
bootstrap intervals and group comparisons, and the report is written as
Markdown, JSON or a self-contained HTML page with charts::

    from saidwho.report import corpus_report, render
    result = corpus_report(["scored.jsonl"], by="outlet")
    print(render(result, "markdown"))

The names below load on first use, so that ``saidwho --help`` (which imports
the command from :mod:`saidwho.report.command`) does not import numpy.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["CorpusReport", "build_report", "corpus_report", "render", "write_report"]

_HOMES = {
    "CorpusReport": "saidwho.report.build",
    "build_report": "saidwho.report.build",
    "corpus_report": "saidwho.report.build",
    "render": "saidwho.report.command",
    "write_report": "saidwho.report.command",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
