"""The written evaluation report (``saidwho eval --report DIR``): ``report.md``
(tables for people) beside ``report.json`` (``EvalResult.to_dict``).

Not the corpus report (``saidwho report``, :mod:`saidwho.report`), which sums
up the labels of a scored corpus without gold.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from saidwho.errors import UserError
from saidwho.evaluation.bootstrap import CONFIDENCE
from saidwho.evaluation.results import COLUMNS, HEADLINE_METRICS, NO_SEGMENT, EvalResult, has_profiles
from saidwho.evaluation.tables_terminal import fmt, fmt_ci, metric_count, profile_rows, speaker_cell
from saidwho.io import atomic_writer
from saidwho.records import KINDS, LABELS

__all__ = ["write_eval_report"]


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right_from: int = 1) -> list[str]:
    align_row = ["---" if i < right_from else "---:" for i in range(len(headers))]
    lines = ["| " + " | ".join(map(_md_escape, headers)) + " |", "| " + " | ".join(align_row) + " |"]
    lines += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _md_result(result: EvalResult, heading: str) -> list[str]:
    lines = [f"{heading} Summary", ""]
    lines += [
        f"{result.n_gold_articles} gold articles, {len(result.missing_articles)} without prediction, "
        f"{len(result.extra_articles)} predicted articles not in gold. "
        f"{result.n_gold_sentences} labelled gold sentences, {result.n_aligned} aligned with a "
        f"predicted labelled sentence. {CONFIDENCE:.0%} CIs: percentile bootstrap over articles, "
        f"{result.bootstrap} resamples, seed {result.seed}. Gold digest `{result.gold_digest}`.",
        "",
    ]
    lines += _md_table(
        ["Metric", "Value", f"{CONFIDENCE:.0%} CI", "Count"],
        [[name, fmt(result.metrics.get(k)), fmt_ci(result.ci.get(k)), metric_count(result, k)]
         for k, name in HEADLINE_METRICS],
    )
    if has_profiles(result):
        lines += [f"{heading} Source profiles", "", "Over the gold sources a predicted source matches (docs/profiles.md).", ""]
        lines += _md_table(["Field", "Value", f"{CONFIDENCE:.0%} CI", "Most-frequent baseline"], profile_rows(result))
    lines += [f"{heading} Per class", ""]
    lines += _md_table(
        ["Label", "P", "R", "F1", "P lenient", "R lenient", "F1 lenient", "Gold", "Predicted"],
        [[label, fmt(s.precision), fmt(s.recall), fmt(s.f1),
          fmt(result.lenient.per_class[label].precision), fmt(result.lenient.per_class[label].recall),
          fmt(result.lenient.per_class[label].f1), str(s.support), str(s.predicted)]
         for label, s in result.strict.per_class.items()],
    )
    lines += [f"{heading} Confusion (strict; gold rows, predicted columns)", ""]
    lines += _md_table(["gold \\ pred", *COLUMNS],
                       [[label, *(str(result.strict.confusion[label][c]) for c in COLUMNS)] for label in LABELS])
    kinds = sorted({k for row in result.kind_confusion.values() for k in row},
                   key=lambda k: ((*KINDS, NO_SEGMENT).index(k) if k in (*KINDS, NO_SEGMENT) else 99, k))
    lines += [f"{heading} Segment kinds (gold rows, predicted columns)", ""]
    lines += _md_table(["gold \\ pred", *kinds],
                       [[g, *(str(row.get(k, 0)) for k in kinds)] for g, row in result.kind_confusion.items()])
    lines += [f"{heading} Per article", ""]
    lines += _md_table(
        ["Article", "Prediction", "Sentences", "Aligned", "Accuracy", "SC F1", "Speaker"],
        [[a.id, "yes" if a.has_prediction else "missing", str(a.n_sentences), str(a.n_aligned),
          fmt(a.accuracy), fmt(a.sourced_claim_f1), speaker_cell(a.speaker)] for a in result.per_article],
    )
    if result.warnings:
        lines += [f"{heading} Warnings", ""] + [f"- {_md_escape(w)}" for w in result.warnings] + [""]
    return lines


def _md_comparison(results: Mapping[str, EvalResult]) -> list[str]:
    names = list(results)
    lines = ["# saidwho comparison", ""]
    if len({r.gold_digest for r in results.values()}) > 1:
        lines += ["**Warning:** the systems were scored on different gold data.", ""]
    rows = []
    for key, label in HEADLINE_METRICS:
        rows.append([label, *(f"{fmt(results[n].metrics.get(key))} {fmt_ci(results[n].ci.get(key))}".strip()
                              for n in names)])
    lines += _md_table(["Metric", *names], rows)
    for name, r in results.items():
        lines += [f"## {_md_escape(name)}", ""] + _md_result(r, "###")
    return lines


def write_eval_report(result_or_results: EvalResult | Mapping[str, EvalResult], directory: str | Path) -> tuple[Path, Path]:
    """Write ``report.md`` and ``report.json`` into ``directory`` (created if missing).

    One result: the JSON is ``result.to_dict()``. Several (name -> result):
    the JSON is ``{"systems": {name: result.to_dict()}}`` and the Markdown
    starts with a side-by-side table. Both files are written atomically.
    Returns the two paths.
    """
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"{directory}: cannot create report folder: {exc.strerror}") from None
    if isinstance(result_or_results, EvalResult):
        payload: dict[str, Any] = result_or_results.to_dict()
        lines = ["# saidwho evaluation", ""] + _md_result(result_or_results, "##")
    else:
        results = dict(result_or_results)
        if not results:
            raise ValueError("write_eval_report needs at least one result")
        payload = {"systems": {name: r.to_dict() for name, r in results.items()}}
        lines = _md_comparison(results)
    md_path, json_path = directory / "report.md", directory / "report.json"
    with atomic_writer(json_path) as handle:
        json.dump(payload, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    with atomic_writer(md_path) as handle:
        handle.write("\n".join(lines).rstrip("\n") + "\n")
    return md_path, json_path
