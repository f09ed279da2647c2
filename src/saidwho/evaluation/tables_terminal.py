"""The evaluation in the terminal (rich): one system's tables, or systems side by side.

What ``saidwho eval`` prints. Cells are plain strings formatted by
:func:`fmt`, :func:`fmt_ci`, :func:`metric_count` and :func:`speaker_cell`,
which the written evaluation report (:mod:`saidwho.evaluation.eval_report`,
``eval --report``) shares, so both show the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console
from rich.table import Table

from saidwho.evaluation.bootstrap import CONFIDENCE
from saidwho.evaluation.results import COLUMNS, HEADLINE_METRICS, PROFILE_METRICS, EvalResult, Ratio, has_profiles
from saidwho.records import LABELS

__all__ = [
    "fmt",
    "fmt_ci",
    "metric_count",
    "profile_rows",
    "render_comparison",
    "render_table",
    "speaker_cell",
]


# --------------------------------------------------------------------------- cells


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def fmt_ci(ci: tuple[float, float] | None) -> str:
    return "" if ci is None else f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def metric_count(result: EvalResult, key: str) -> str:
    """The counts behind a headline metric, e.g. "412/500"."""
    if key in ("accuracy", "macro_f1"):
        return f"{result.strict.correct}/{result.strict.n}" if key == "accuracy" else f"n={result.strict.n}"
    if key in ("lenient_accuracy", "lenient_macro_f1"):
        return f"{result.lenient.correct}/{result.lenient.n}" if key == "lenient_accuracy" else f"n={result.lenient.n}"
    if key.startswith("sourced_claim_"):
        cs = result.strict.per_class["sourced_claim"]
        tp = result.strict.confusion["sourced_claim"]["sourced_claim"]
        if key.endswith("precision"):
            return f"{tp}/{cs.predicted}"
        if key.endswith("recall"):
            return f"{tp}/{cs.support}"
        return f"gold {cs.support}"
    ratio = {"speaker_accuracy": result.speaker, "kind_accuracy": result.kind, "boundary_agreement": result.boundary}
    r = ratio.get(key)
    return f"{r.correct}/{r.n}" if r is not None else ""


def speaker_cell(r: Ratio) -> str:
    return "–" if r.n == 0 else f"{fmt(r.value)} ({r.correct}/{r.n})"


# --------------------------------------------------------------------------- evaluation results


def render_table(result: EvalResult, console: Console, title: str = "saidwho evaluation", *,
                 per_article: bool = False) -> None:
    """Print the headline metrics with CIs and counts, per-class scores and the confusion matrix."""
    console.print(_summary_table(result, title))
    console.print(_class_table(result))
    console.print(_confusion_table(result))
    if has_profiles(result):
        console.print(_profile_table(result))
    if per_article:
        console.print(_article_table(result))
    for message in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {message}", markup=True, highlight=False)


def _summary_table(result: EvalResult, title: str) -> Table:
    summary = Table(title=title, title_justify="left")
    summary.add_column("Metric")
    summary.add_column("Value", justify="right")
    summary.add_column(f"{CONFIDENCE:.0%} CI", justify="right")
    summary.add_column("Count", justify="right")
    for key, name in HEADLINE_METRICS:
        summary.add_row(name, fmt(result.metrics.get(key)), fmt_ci(result.ci.get(key)), metric_count(result, key))
    summary.caption = (
        f"{result.n_gold_articles} gold articles ({len(result.missing_articles)} without prediction), "
        f"{result.n_gold_sentences} labelled sentences, {result.n_aligned} aligned; "
        f"bootstrap {result.bootstrap} resamples over articles, seed {result.seed}"
    )
    return summary


def profile_rows(result: EvalResult) -> list[list[str]]:
    """One row per profile field: name, value, interval, most-frequent baseline."""
    return [[name, fmt(result.metrics.get(key)), fmt_ci(result.ci.get(key)), fmt(result.metrics.get(base)) if base else ""]
            for key, name, base in PROFILE_METRICS]


def _profile_table(result: EvalResult) -> Table:
    table = Table(title="Source profiles (over gold sources a prediction matches)", title_justify="left")
    for column, justify in (("Field", "left"), ("Value", "right"), (f"{CONFIDENCE:.0%} CI", "right"),
                            ("Most-frequent baseline", "right")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for row in profile_rows(result):
        table.add_row(*row)
    return table


def _class_table(result: EvalResult) -> Table:
    classes = Table(title="Per class", title_justify="left")
    for column, justify in (("Label", "left"), ("P", "right"), ("R", "right"), ("F1", "right"),
                            ("F1 lenient", "right"), ("Gold", "right"), ("Predicted", "right")):
        classes.add_column(column, justify=justify)  # type: ignore[arg-type]
    for label in LABELS:
        cs = result.strict.per_class[label]
        classes.add_row(label, fmt(cs.precision), fmt(cs.recall), fmt(cs.f1),
                        fmt(result.lenient.per_class[label].f1), str(cs.support), str(cs.predicted))
    return classes


def _confusion_table(result: EvalResult) -> Table:
    confusion = Table(title="Confusion (gold rows, predicted columns, strict)", title_justify="left")
    confusion.add_column("gold \\ pred")
    for column in COLUMNS:
        confusion.add_column(column, justify="right")
    for label in LABELS:
        confusion.add_row(label, *(str(result.strict.confusion[label][c]) for c in COLUMNS))
    return confusion


def _article_table(result: EvalResult) -> Table:
    articles = Table(title="Per article", title_justify="left")
    for column in ("Article", "Sentences", "Aligned", "Accuracy", "SC F1", "Speaker"):
        articles.add_column(column, justify="left" if column == "Article" else "right")
    for a in result.per_article:
        articles.add_row(a.id, str(a.n_sentences), str(a.n_aligned), fmt(a.accuracy),
                         fmt(a.sourced_claim_f1), speaker_cell(a.speaker))
    return articles


def _best(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return max(present) if len(present) > 1 else None


def render_comparison(results: Mapping[str, EvalResult], console: Console,
                      title: str = "saidwho comparison") -> None:
    """Print systems side by side: one row per headline metric, one column per system.

    Cells are "value [CI]"; the best value of a row is bold. A line warns
    when the results were not computed on the same gold data.
    """
    if not results:
        raise ValueError("render_comparison needs at least one result")
    table = Table(title=title, title_justify="left")
    table.add_column("Metric")
    names = list(results)
    for name in names:
        table.add_column(name, justify="right")
    for key, label in HEADLINE_METRICS:
        values = [results[n].metrics.get(key) for n in names]
        best = _best(values)
        cells = []
        for n, value in zip(names, values):
            text = f"{fmt(value)} {fmt_ci(results[n].ci.get(key))}".strip()
            cells.append(f"[bold]{text}[/bold]" if best is not None and value == best else text)
        table.add_row(label, *cells)
    table.add_row("Gold sentences / aligned",
                  *(f"{results[n].n_gold_sentences} / {results[n].n_aligned}" for n in names))
    table.add_row("Articles without prediction", *(str(len(results[n].missing_articles)) for n in names))
    console.print(table)
    if len({r.gold_digest for r in results.values()}) > 1:
        console.print("[yellow]warning:[/yellow] the systems were scored on different gold data; "
                      "their numbers are not comparable", markup=True, highlight=False)
