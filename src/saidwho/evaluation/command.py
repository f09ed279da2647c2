"""``saidwho eval``, ``saidwho agreement`` and ``saidwho bench``: the commands (registered in :mod:`saidwho.cli`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from saidwho.errors import UserError
from saidwho.models.config import DEFAULT_MODEL
from saidwho.render.progress import progress_bars

__all__ = ["agreement", "bench", "eval_command", "run_model_on"]

err = Console(stderr=True)


def _default_polnear() -> Optional[Path]:
    from saidwho.paths import default_polnear_dir

    return default_polnear_dir()


def eval_command(
    gold: Optional[Path] = typer.Argument(None, help="Gold records (JSONL). Leave out with --gold DIR."),
    predictions: list[Path] = typer.Argument(None, help="Prediction files to score (two or more are compared side by side)."),
    model: list[str] = typer.Option([], "--model", "-m", help="Run this model on the gold texts first (repeatable)."),
    gold_dir: Optional[Path] = typer.Option(None, "--gold", help="The project's evaluation set folder (eval/gold): team articles plus stand-off PolNeAR annotations."),
    polnear: Optional[Path] = typer.Option(None, "--polnear", help="PolNeAR folder whose dev texts the stand-off gold joins (default: $SAIDWHO_DATA/polnear or ../shared/data/polnear)."),
    part: str = typer.Option("all", "--part", help="With --gold: all, eval_only, train_usable, team or polnear."),
    as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON instead of tables."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write report.md and report.json (per-article breakdown) here."),
    bootstrap: int = typer.Option(1000, "--bootstrap", help="Bootstrap resamples over articles for the 95% intervals (0: none)."),
    seed: int = typer.Option(0, "--seed", help="Random seed of the bootstrap."),
    save_predictions: Optional[Path] = typer.Option(None, "--save-predictions", help="With one --model: also write its predictions here."),
) -> None:
    """Score predictions against gold records (FORMAT.md scoring).

    With --gold and no predictions or models, the rule system and the default
    model are run and shown side by side.
    """
    import json

    from saidwho.evaluation.eval_report import write_eval_report
    from saidwho.evaluation.scoring import check_pairing, evaluate
    from saidwho.evaluation.tables_terminal import render_comparison, render_table
    from saidwho.io import check_writable, is_stdout, read_articles, write_articles
    from saidwho.pipeline.registry import check_model
    from saidwho.records import Article

    for name in model:
        check_model(name)  # an unknown or broken model stops the run before the gold is read
    for path in (report / "report.md" if report is not None else None, save_predictions):
        if path is not None and not is_stdout(path):
            check_writable(path)  # before the models run, not after
    if gold_dir is not None:
        from saidwho.evaluation.goldset import load_gold

        if gold is not None:
            # One positional argument with --gold is a prediction file.
            predictions = [gold, *(predictions or [])]
        gold_articles = load_gold(gold_dir, polnear or _default_polnear(), part)
        gold_name = f"{gold_dir} ({part})"
        if not predictions and not model:
            model = _reference_models()
    else:
        if gold is None:
            raise UserError("give a gold file, or --gold DIR for the project's evaluation set")
        gold_articles = read_articles(gold)
        gold_name = gold.name
    if not gold_articles:
        raise UserError(f"{gold_name}: no records")
    systems: dict[str, list[Article]] = {}
    for path in predictions or []:
        systems[path.name] = read_articles(path)
        if not systems[path.name]:
            raise UserError(f"{path}: no records")
        check_pairing(gold_articles, systems[path.name], str(path))
    for name in model:
        systems[f"model:{name}"] = run_model_on(gold_articles, name)
        if save_predictions and len(model) == 1:
            write_articles(save_predictions, systems[f"model:{name}"])
    if not systems:
        raise UserError("give prediction files or --model NAME")
    results = {}
    with progress_bars(len(systems), "evaluating", err) as advance:
        for name, pred in systems.items():
            results[name] = evaluate(gold_articles, pred, bootstrap=bootstrap, seed=seed)
            advance()
    if report is not None:
        report.mkdir(parents=True, exist_ok=True)
        write_eval_report(results if len(results) > 1 else next(iter(results.values())), report)
    if as_json:
        payload = {name: r.to_dict() for name, r in results.items()}
        typer.echo(json.dumps(payload if len(payload) > 1 else next(iter(payload.values())), indent=2))
        return
    console = Console() if sys.stdout.isatty() else Console(width=140)
    if len(results) == 1:
        name, result = next(iter(results.items()))
        render_table(result, console, title=f"{name} on {gold_name}")
    else:
        render_comparison(results, console)


def _reference_models() -> list[str]:
    """The rule system beside the default model; where the default is the
    rule system, beside the newest learned model with weights of its own, so
    a comparison is always shown."""
    from saidwho.models.config import WEIGHTS_NAME, ModelConfig, available_models, resolve_model_path

    if resolve_model_path(DEFAULT_MODEL).resolve() != resolve_model_path("rules").resolve():
        return ["rules", DEFAULT_MODEL]
    learned = [
        name for name in available_models()
        if (config := ModelConfig.from_pretrained(name)).kind == "neural" and config.weights == WEIGHTS_NAME
    ]
    return ["rules"] + learned[-1:]


def agreement(
    gold_dir: Path = typer.Option(Path("eval/gold"), "--gold", help="The evaluation set folder; its second/ holds the second annotation."),
    polnear: Optional[Path] = typer.Option(None, "--polnear", help="PolNeAR folder (default: $SAIDWHO_DATA/polnear or ../shared/data/polnear)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Inter-annotator agreement: Cohen's kappa on labels, speaker and boundary agreement."""
    import json

    from saidwho.evaluation.agreement import agreement as compute
    from saidwho.evaluation.goldset import load_gold, load_standoff

    first = load_gold(gold_dir, polnear or _default_polnear(), "polnear")
    second = load_standoff(gold_dir / "second" / "polnear.jsonl", polnear or _default_polnear())
    result = compute(first, second)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2))
        return
    for key, value in result.to_dict().items():
        typer.echo(f"{key}: {round(value, 4) if isinstance(value, float) else value}")


def run_model_on(gold_articles, name: str):
    """Run a model on the texts of gold records (labels and sources are not read)."""
    from saidwho.pipeline import load

    pipeline = load(name)
    out = []
    # pipe copies each article's text and metadata (Article.unanalysed_copy):
    # the model sees what score would, the title included.
    with progress_bars(len(gold_articles), f"running {name}", err) as advance:
        for article in pipeline.pipe(gold_articles):
            out.append(article)
            advance()
    return out


def bench(
    corpus: Path = typer.Argument(..., help="Articles to time (.jsonl records or {id, text} lines, .txt, folders)."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="Model to time."),
    limit: int = typer.Option(0, "--limit", help="Use only the first N articles (0: all)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    scale: bool = typer.Option(False, "--scale", help="Run the corpus at 1x and 10x in fresh score processes: time ratio and peak RSS of each."),
    factor: int = typer.Option(10, "--factor", help="With --scale: how many copies of the corpus the large run scores."),
) -> None:
    """Time the bare encoder and the whole pipeline on one corpus (not a test: numbers are machine-bound)."""
    import json

    from saidwho.evaluation.bench import run_benchmark, scale_benchmark
    from saidwho.ingest import load_inputs

    articles = list(load_inputs([str(corpus)]))
    if limit:
        articles = articles[:limit]
    if factor < 2:
        raise UserError("--factor must be at least 2")
    result = scale_benchmark(articles, model, factor) if scale else run_benchmark(articles, model, err)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
    else:
        stages = result.pop("stages_s", {})
        for key, value in result.items():
            typer.echo(f"{key}: {value}")
        if stages:
            total = sum(stages.values())
            typer.echo("stage seconds (share):")
            for name, seconds in stages.items():
                typer.echo(f"  {name:<16} {seconds:8.2f}  ({seconds / total:.0%})")
