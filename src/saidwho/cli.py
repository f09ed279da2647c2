"""Command line: ``saidwho score | eval | convert | validate | train-rules``.

User mistakes (missing file, bad JSON on line N, empty article, unknown
model) print one line ``saidwho: FILE:LINE: what is wrong`` and exit 2;
output files are written atomically, so a failure leaves nothing half-written.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from saidwho import __version__
from saidwho.batch import MAX_CHARS
from saidwho.errors import Interrupted, UserError
from saidwho.models.config import DEFAULT_MODEL

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Who said what: label each sentence of a news article as reported fact, sourced claim (with its speaker) or opinion.",
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"saidwho {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    pass


def _progress(total: int, description: str, *, sentences: bool = False):
    """Progress on stderr: items when more than one; with ``sentences``, a long step's sentences too."""
    from saidwho.render.progress import progress_bars

    return progress_bars(total, description, err, sentences=sentences)


# ---------------------------------------------------------------- score


@app.command()
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
    from saidwho.batch import check_output_path, score_articles
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
        from saidwho.ray import score_files

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
    with _progress(len(articles), "scoring", sentences=workers == 1) as advance:
        for article in score_articles(articles, model, workers):
            results.append(article)
            advance()
    _write_results(results, fmt, output)
    _report_skipped(skipped, output)


def _read_inputs(paths: list[str], *, on_error, max_chars: int, text_column: str, id_column: str):
    """The articles of the inputs; one past ``max_chars`` is a bad input like a bad file (stop, or skip with --on-error skip)."""
    from saidwho.batch import check_article_size
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
    from saidwho.batch import PartialOutput, output_sink, score_articles, write_all

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
        with _progress(total - len(sink.done), "scoring", sentences=workers == 1) as advance:
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
        # Piped output has no terminal width to follow: use a readable one.
        console = Console() if sys.stdout.isatty() else Console(width=140)
        for article in results:
            render_article_table(article, console)
    else:
        with atomic_writer(output) as handle:
            console = Console(file=handle, width=160, force_terminal=False)
            for article in results:
                render_article_table(article, console)


# ---------------------------------------------------------------- eval


def _default_polnear() -> Optional[Path]:
    from saidwho.paths import default_polnear_dir

    return default_polnear_dir()


@app.command("eval")
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

    from saidwho.evaluation.scoring import check_pairing, evaluate
    from saidwho.io import check_writable, is_stdout, read_articles, write_articles
    from saidwho.pipeline.registry import check_model
    from saidwho.records import Article
    from saidwho.evaluation.eval_report import write_eval_report as write_report
    from saidwho.evaluation.tables_terminal import render_comparison, render_table

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
    with _progress(len(systems), "evaluating") as advance:
        for name, pred in systems.items():
            results[name] = evaluate(gold_articles, pred, bootstrap=bootstrap, seed=seed)
            advance()
    if report is not None:
        report.mkdir(parents=True, exist_ok=True)
        write_report(results if len(results) > 1 else next(iter(results.values())), report)
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
    from saidwho.models.config import ModelConfig, available_models, resolve_model_path

    if resolve_model_path(DEFAULT_MODEL).resolve() != resolve_model_path("rules").resolve():
        return ["rules", DEFAULT_MODEL]
    learned = [
        name for name in available_models()
        if (config := ModelConfig.from_pretrained(name)).kind == "neural" and config.weights == "model.safetensors"
    ]
    return ["rules"] + learned[-1:]


@app.command()
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
    from saidwho.records import Article

    pipeline = load(name)
    out = []
    fresh = (Article(id=a.id, text=a.text, title=a.title) for a in gold_articles)
    with _progress(len(gold_articles), f"running {name}") as advance:
        for article in pipeline.pipe(fresh):
            out.append(article)
            advance()
    return out


# ---------------------------------------------------------------- convert, validate


@app.command()
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


@app.command()
def validate(files: list[Path] = typer.Argument(..., help="Record files (JSONL) to check against FORMAT.md.")) -> None:
    """Check record files; print every problem as FILE:LINE: what is wrong."""
    from saidwho.validate import validate_file

    problems = []
    for path in files:
        problems.extend(validate_file(path))
    for problem in problems:
        typer.echo(problem)
    if problems:
        raise typer.Exit(1)
    err.print(f"{len(files)} file(s) valid")


@app.command("train-rules")
def train_rules(
    data: Path = typer.Option(..., "--data", help="Folder holding babe/ and checkthat-subjectivity/ (for example ../shared/data)."),
    output: Path = typer.Option(Path("models/rules-v1"), "-o", "--output", help="Model folder to write."),
    somewhat: str = typer.Option("drop", "--somewhat", help="BABE 'somewhat factual but also opinionated': opinion, fact or drop."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing model folder."),
) -> None:
    """Train the rule system's subjectivity classifier (TF-IDF + logistic regression)."""
    from saidwho.io import check_writable
    from saidwho.training.rules import train_rule_model

    check_writable(output)  # before the training, not after it

    metrics = train_rule_model(data, output, somewhat=somewhat, force=force)
    for key, value in metrics.items():
        err.print(f"{key}: {value}")


def _register_report() -> None:
    # The command lives with the report package (saidwho/report/command.py).
    from saidwho.report.command import report

    app.command("report")(report)


_register_report()


def _register_labelstudio() -> None:
    # The commands live with the labelstudio package (saidwho/labelstudio/command.py).
    from saidwho.labelstudio.command import export_labelstudio, import_labelstudio

    export_app = typer.Typer(no_args_is_help=True, help="Write records for other tools.")
    import_app = typer.Typer(no_args_is_help=True, help="Read other tools' output as records.")
    export_app.command("labelstudio")(export_labelstudio)
    import_app.command("labelstudio")(import_labelstudio)
    app.add_typer(export_app, name="export")
    app.add_typer(import_app, name="import")


_register_labelstudio()


@app.command()
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


@app.command("train")
def train_command(
    config: Path = typer.Option(Path("configs/default.toml"), "--config", "-c", help="TOML file of training arguments."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Model folder (default: models/NAME from the config)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing model folder."),
    skip_dev: bool = typer.Option(False, "--skip-dev", help="Do not evaluate on the dev splits for the model card."),
    init_from: Optional[str] = typer.Option(None, "--init-from", help="Start from this model's weights and keep its pipeline (a name such as default, or a folder); overrides the config's init_from."),
) -> None:
    """Train the learned model (attribution, spans, subjectivity) and write models/NAME with its card."""
    from saidwho.io import check_writable
    from saidwho.training.arguments import TrainingArguments
    from saidwho.training.trainer import train

    args = TrainingArguments.from_toml(config)
    if init_from is not None:
        args.init_from = init_from
    if args.init_from:
        from saidwho.training.finetune import resolve_base

        resolve_base(args.init_from)  # an unknown or rule-only base stops the run before any data loads
    target = output or Path("models") / args.name
    if target.exists() and any(target.iterdir()) and not force:
        raise UserError(f"{target}: model folder exists; pass --force to overwrite it")
    check_writable(target)  # before the training, not after it
    train(args, target, force=force, console=err, evaluate_dev=not skip_dev)


@app.command("train-context")
def train_context_command(
    config: Path = typer.Option(Path("configs/context.toml"), "--config", "-c", help="TOML file of context training arguments."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Model folder (default: models/NAME from the config)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing model folder."),
) -> None:
    """Train the context opinion component on top of a base model and write models/NAME with its card."""
    from saidwho.io import check_writable
    from saidwho.training.context import ContextArguments, train_context

    args = ContextArguments.from_toml(config)
    target = output or Path("models") / args.name
    if target.exists() and any(target.iterdir()) and not force:
        raise UserError(f"{target}: model folder exists; pass --force to overwrite it")
    check_writable(target)  # before the training, not after it
    metrics = train_context(args, target, console=err)
    err.print(f"threshold {metrics['threshold']}, worst-prior opinion-vs-fact macro-F1 {metrics['worst_prior_macro_f1']:.3f}; wrote {target}")


def main() -> None:
    try:
        code = app(standalone_mode=False)
    except UserError as exc:
        # Plain write, not rich: the message must stay one unwrapped line.
        sys.stderr.write(f"saidwho: {exc}\n")
        sys.exit(2)
    except Interrupted as exc:
        sys.stderr.write(f"saidwho: {exc}\n")
        sys.exit(130)
    except KeyboardInterrupt:
        sys.stderr.write("saidwho: interrupted\n")
        sys.exit(130)
    except typer.Exit as exc:
        # typer turns Ctrl-C into Exit(130) with nothing said.
        if isinstance(exc.__cause__, KeyboardInterrupt):
            sys.stderr.write("saidwho: interrupted\n")
        sys.exit(exc.exit_code)
    except Exception as exc:  # usage errors: unknown option, missing argument, bad value
        import click

        # typer 0.29 and later carry their own copy of click, with its own exception classes.
        usage = (click.exceptions.ClickException, getattr(typer, "TyperException", click.exceptions.ClickException))
        aborts = (click.exceptions.Abort, getattr(typer, "Abort", click.exceptions.Abort))
        if isinstance(exc, aborts):
            sys.exit(1)
        if isinstance(exc, usage) and hasattr(exc, "show"):
            exc.show()
            sys.exit(getattr(exc, "exit_code", 2) or 2)
        raise
    # Without standalone mode click returns the code of typer.Exit instead of exiting.
    if isinstance(code, int) and code:
        sys.exit(code)


if __name__ == "__main__":
    main()
