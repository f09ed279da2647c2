"""``saidwho convert``: a public corpus to records (the command, registered in :mod:`saidwho.cli`)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

__all__ = ["convert"]

err = Console(stderr=True)


def convert(
    corpus: str = typer.Argument(..., help="polnear, babe, checkthat or webis."),
    src: Path = typer.Argument(..., help="The corpus folder (or file), in the layout of ../shared/data or upstream."),
    output: Path = typer.Option(..., "-o", "--output", help="Output JSONL file."),
    split: Optional[str] = typer.Option(None, "--split", help="Only this split (polnear: train/dev/test; checkthat: train/dev)."),
) -> None:
    """Convert a public corpus into saidwho records."""
    from saidwho.corpora import convert_corpus
    from saidwho.io import write_articles

    kwargs = {"split": split} if split else {}
    articles = convert_corpus(corpus, src, **kwargs)
    count = write_articles(output, articles)
    err.print(f"wrote {count} records to {output}")
