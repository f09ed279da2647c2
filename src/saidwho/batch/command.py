"""``saidwho score``: the command (registered in :mod:`saidwho.cli`).

Every check on the options and the output path runs before the model loads
(see :mod:`saidwho.batch.output`); records go to standard output, or to
``OUT.part`` as they are scored and to ``OUT`` at the end.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from saidwho.batch.output import MAX_CHARS
from saidwho.errors import Interrupted, UserError
from saidwho.models.config import DEFAULT_MODEL
from saidwho.render.progress import progress_bars

__all__ = ["score"]

err = Console(stderr=True)


def score(
    paths: list[str] = typer.Argument(..., help="Articles: .txt, .html, .jsonl files, folders, or - for stdin."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of standard output (- is standard output)."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl (records), table (readable, coloured) or html (one self-contained page)."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="Model name under models/ or a model folder; 'rules' for the rule system."),
    force: bool = typer.Option(False, "--force", help="Replace an existing output file."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted jsonl run from OUT.part (skips the ids written)."),
    text_column: str = typer.Option("text", "--text-column", help="Parquet input: the column holding the article text."),
    id_column: str = typer.Option("id", "--id-column", help="Parquet input: the column holding the article id (row numbers where absent)."),
    # "\\[": rich markup would take [ray] for a style and print nothing.
    engine: str = typer.Option("local", "--engine", help="local, or ray (Ray Data; pip install 'saidwho\\[ray]')."),
    ray_address: Optional[str] = typer.Option(None, "--ray-address", help="With --engine ray: the cluster to join (default: start a local Ray)."),
    workers: int = typer.Option(1, "--workers", help="Worker processes, each with cores / N torch threads (records stay in input order)."),
    on_error: str = typer.Option("stop", "--on-error", help="stop: a bad input stops the run; skip: it goes to OUT.errors.jsonl (or stderr), the rest is scored, exit code 3."),
    max_chars: int = typer.Option(MAX_CHARS, "--max-chars", help="Refuse an article longer than this many characters (a bad input: see --on-error); raise it for longer texts."),
) -> None:
    """Label every sentence of each article; write records (FORMAT.md) or a table.

    With -o and jsonl, records are written to OUT.part as they are scored and
    renamed to OUT at the end; --resume continues an interrupted run. Parquet
    in (--text-column, --id-column) and out (-o OUT.parquet: the input columns
    plus saidwho_record and label counts)."""
    from saidwho.batch.output import check_output_path
    from saidwho.batch.workers import score_articles
    from saidwho.io import is_stdout
    from saidwho.pipeline.registry import check_model

    if is_stdout(output):
        output = None
    if fmt not in ("jsonl", "table", "html"):
        raise UserError(f"--format must be jsonl, table or html, not {fmt!r}")
    parquet_out = output is not None and output.suffix.lower() == ".parquet"
    if resume and (output is None or fmt != "jsonl" or parquet_out):
        raise UserError("--resume needs -o OUT.jsonl with --format jsonl")
    if workers < 1:
        raise UserError("--workers must be at least 1")
    if on_error not in ("stop", "skip"):
        raise UserError(f"--on-error must be stop or skip, not {on_error!r}")
    if max_chars < 1:
        raise UserError("--max-chars must be at least 1")
    if output is not None:
        check_output_path(output, force=force, resume=resume)
    check_model(model)  # an unknown or broken model stops the run before any reading or writing
    skipped: list[UserError] = []
    collect = skipped.append if on_error == "skip" else None
    if engine == "ray":
        from saidwho.batch.ray import score_files

        if output is None or fmt != "jsonl" or resume or on_error != "stop":
            raise UserError("--engine ray needs -o OUT.jsonl or OUT.parquet, without --resume or --on-error skip")
        count = score_files(paths, output, model, address=ray_address, text_column=text_column, id_column=id_column, concurrency=workers)
        err.print(f"wrote {count} records to {output}")
        return
    if engine != "local":
        raise UserError(f"--engine must be local or ray, not {engine!r}")
    read = functools.partial(_read_inputs, paths, max_chars=max_chars, text_column=text_column, id_column=id_column)
    if fmt == "jsonl" and output is not None:
        _stream_to_file(read, "-" in paths, output, model, resume=resume, workers=workers, skipped=skipped, collect=collect)
        return
    articles = list(read(on_error=collect))
    if not articles:
        _report_skipped(skipped, output, exit_code=None)
        raise UserError("no articles found in the given inputs")
    results = []
    with progress_bars(len(articles), "scoring", err, sentences=workers == 1) as advance:
        for article in score_articles(articles, model, workers):
            results.append(article)
            advance()
    _write_results(results, fmt, output)
    _report_skipped(skipped, output)


def _read_inputs(paths: list[str], *, on_error, max_chars: int, text_column: str, id_column: str):
    """The articles of the inputs; one past ``max_chars`` is a bad input like a bad file (stop, or skip with --on-error skip)."""
    from saidwho.batch.output import check_article_size
    from saidwho.ingest import load_inputs

    for article in load_inputs(paths, text_column=text_column, id_column=id_column, on_error=on_error):
        try:
            check_article_size(article, max_chars)
        except UserError as exc:
            if on_error is None:
                raise
            on_error(exc)
            continue
        yield article


def _stream_to_file(read, from_stdin: bool, output: Path, model: str, *, resume: bool, workers: int, skipped: list, collect) -> None:
    """Score into OUT.part batch by batch (JSONL or Parquet) and rename it to OUT at the end."""
    from saidwho.batch.output import PartialOutput, output_sink, write_all
    from saidwho.batch.workers import score_articles

    # The scoring pass meets the same bad inputs again: they are recorded once.
    again = (lambda exc: None) if collect else None
    # One reading pass first: a bad file or JSONL line stops the run before
    # the model loads and before anything is written. Memory stays flat: the
    # articles are read again, lazily, for scoring (stdin is kept: it cannot
    # be read twice).
    if from_stdin:
        kept = list(read(on_error=collect))
        inputs, total = (lambda: iter(kept)), len(kept)
    else:
        total = sum(1 for _ in read(on_error=collect))
        inputs = lambda: read(on_error=again)  # noqa: E731
    if not total:
        _report_skipped(skipped, output, exit_code=None)
        raise UserError("no articles found in the given inputs")
    sink = output_sink(output, resume=resume)
    try:
        with progress_bars(total - len(sink.done), "scoring", err, sentences=workers == 1) as advance:
            pending = (a for a in inputs() if a.id not in sink.done)
            write_all(sink, score_articles(pending, model, workers), advance)
    except KeyboardInterrupt:
        # write_all has closed OUT.part: say what it holds and how to go on.
        if not sink.part.exists():
            raise Interrupted("interrupted before any record was written; nothing to resume") from None
        if isinstance(sink, PartialOutput):
            raise Interrupted(f"interrupted; the records scored so far are in {sink.part}: run the same command with --resume to continue") from None
        raise Interrupted(f"interrupted; {sink.part} holds the rows scored so far (Parquet output cannot resume: run the command again)") from None
    _report_skipped(skipped, output)


def _report_skipped(skipped: list[UserError], output: Optional[Path], exit_code: int | None = 3) -> None:
    """Bad inputs skipped with --on-error skip: OUT.errors.jsonl (or stderr), then exit code 3."""
    if not skipped:
        return
    import json

    from saidwho.io import atomic_writer

    rows = [dict(zip(("where", "reason"), str(exc).split(": ", 1))) for exc in skipped]
    if output is not None:
        path = output.with_name(output.name + ".errors.jsonl")
        with atomic_writer(path) as handle:
            handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        err.print(f"skipped {len(rows)} bad input(s); see {path}")
    else:
        for exc in skipped:
            sys.stderr.write(f"saidwho: skipped: {exc}\n")
    if exit_code is not None:
        raise typer.Exit(exit_code)


def _write_results(results: list, fmt: str, output: Optional[Path]) -> None:
    from saidwho.io import atomic_writer, dumps_article
    from saidwho.render.terminal import render_article_table

    if fmt == "jsonl":
        for article in results:
            sys.stdout.write(dumps_article(article) + "\n")
    elif fmt == "html":
        from saidwho.render.html import render_html

        page = render_html(results)
        if output is None:
            sys.stdout.write(page)
        else:
            with atomic_writer(output) as handle:
                handle.write(page)
    elif output is None:
        # Piped output has no terminal width to follow: COLUMNS where the user
        # set it (COLUMNS=80 saidwho score ... > file), else a readable 140.
        console = Console() if sys.stdout.isatty() else Console(width=_columns(140))
        for article in results:
            render_article_table(article, console)
    else:
        with atomic_writer(output) as handle:
            console = Console(file=handle, width=160, force_terminal=False)
            for article in results:
                render_article_table(article, console)


def _columns(default: int) -> int:
    """``$COLUMNS`` when it is a positive number, else ``default``."""
    value = os.environ.get("COLUMNS", "")
    return int(value) if value.isdigit() and int(value) > 0 else default
