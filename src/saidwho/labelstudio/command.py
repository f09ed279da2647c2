"""``saidwho export labelstudio`` and ``saidwho import labelstudio`` as typer command functions.

Registered by :mod:`saidwho.cli` (sub-apps ``export`` and ``import``). Options
are checked before any record is read or any model loads; output files are
written atomically.
"""

from __future__ import annotations

from pathlib import Path

import typer

from saidwho.errors import UserError

__all__ = ["export_labelstudio", "import_labelstudio"]


def _say(message: str) -> None:
    typer.echo(message, err=True)


def export_labelstudio(
    records: Path = typer.Argument(..., help="Records (JSONL, FORMAT.md): scored, gold, or unlabelled {id, text} records."),
    output: Path = typer.Option(..., "-o", "--output", help="Label Studio tasks (a JSON list) to import into a project made with configs/labelstudio.xml."),
    as_: str = typer.Option("predictions", "--as", help="predictions (pre-annotation, with the model's scores) or annotations (finished work, e.g. a gold set)."),
    model: str | None = typer.Option(None, "--model", "-m", help="Score unlabelled records with this model first (and name it as the predictions' model_version)."),
    select: str | None = typer.Option(None, "--select", help="uncertain:N: only the N articles the model is least sure of (mean of 1 - sentence confidence)."),
) -> None:
    """Write records as Label Studio tasks with their labels, speakers and cues pre-annotated."""
    from saidwho.labelstudio.export import (
        EXPORT_MODES,
        export_tasks,
        is_scored,
        parse_select,
        select_uncertain,
    )
    from saidwho.validate import read_valid_articles

    if as_ not in EXPORT_MODES:
        raise UserError(f"--as must be predictions or annotations, not {as_!r}")
    count = parse_select(select) if select is not None else None
    if model is not None:
        from saidwho.pipeline.registry import check_model

        check_model(model)  # an unknown or broken model stops the run before any reading
    articles = read_valid_articles(records)
    if not articles:
        raise UserError(f"{records}: no records")
    unscored = [i for i, a in enumerate(articles) if not is_scored(a)]
    if unscored and model is not None:
        import saidwho

        nlp = saidwho.load(model)
        for index, scored in zip(unscored, nlp.pipe([articles[i].unanalysed_copy() for i in unscored])):
            articles[index] = scored
        _say(f"scored {len(unscored)} records with {model}")
    elif unscored:
        _say(f"{len(unscored)} of {len(articles)} records have no labels: their tasks start unlabelled (pass --model NAME to pre-annotate them)")
    if count is not None:
        articles = select_uncertain(articles, count)
    written = export_tasks(articles, output, mode=as_, model_version=model)
    _say(f"wrote {written} tasks ({as_}) to {output}")


def import_labelstudio(
    export: Path = typer.Argument(..., help="Label Studio's JSON export of a project made with configs/labelstudio.xml."),
    output: Path = typer.Option(..., "-o", "--output", help="Records (JSONL, FORMAT.md)."),
    annotator: str | None = typer.Option(None, "--annotator", help="Import this annotator's annotations (Label Studio user id or e-mail); default: each task's latest."),
) -> None:
    """Turn Label Studio's JSON export into records (one per annotated task)."""
    from saidwho.labelstudio.imports import import_export

    result = import_export(export, output, annotator)
    if result.skipped:
        shown = ", ".join(result.skipped[:10]) + (" ..." if len(result.skipped) > 10 else "")
        _say(f"skipped {len(result.skipped)} tasks without an annotation: {shown}")
    _say(f"wrote {len(result.articles)} records to {output}")
