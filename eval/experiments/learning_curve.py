"""Learning curve of the context opinion component over the training-only gold (issue 21, part 4).

    SAIDWHO_DATA=../shared/data python eval/experiments/learning_curve.py \\
        --config configs/context.toml --points 0,50,100,150 --out /tmp/lc

The base model runs once over every training set (team, train_usable, webis
and all of eval/train-extra's first annotations); then, for each point N, the
component is fitted on the rows of every set but the extra gold plus the
rows of the first N extra articles (the draw's order), written as a model
folder OUT/N, and scored with ``saidwho eval`` on the gold's eval-only part
(a development set since session 6) and on PolNeAR dev as converted. The
component's own out-of-fold figures on team and train_usable are printed too
(every row scored by a fit that did not see its article).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from saidwho.models.config import ModelConfig, resolve_model_path
from saidwho.training.context import ContextArguments, context_rows, extra_gold_articles, fit_context, write_model

EXTRA = ["eval/train-extra/ann-h[1-7]/polnear.jsonl"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="configs/context.toml")
    parser.add_argument("--points", default="0,50,100,150")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--parts", default="eval_only")
    args = parser.parse_args()
    settings = replace(ContextArguments.from_toml(args.config), extra_gold=EXTRA, extra_gold_articles=0)
    order = [a.id for a in extra_gold_articles(EXTRA, settings.data_path() / "polnear")]
    points = [int(p) for p in args.points.split(",")]
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"{len(order)} extra articles; points {points}", flush=True)
    rows = context_rows(settings, console=None)
    base = ModelConfig.from_pretrained(settings.base_model)
    lexical = resolve_model_path(settings.lexical_model)
    table = []
    for n in points:
        if n > len(order):
            print(f"skipping {n}: only {len(order)} extra articles", flush=True)
            continue
        kept = set(order[:n])
        subset = [r for r in rows if r.set != "extra_gold" or r.article in kept]
        run = replace(settings, name=f"context-lc-{n}", extra_gold_articles=n)
        weights, metrics = fit_context(run, subset)
        folder = args.out / str(n)
        write_model(run, base, weights, metrics, folder, lexical)
        line = {"extra_articles": n, "rows": len(subset), "threshold": metrics["threshold"]}
        for key, value in metrics["cross_validated"].items():
            if key.startswith("set: ") and key[5:] in ("team", "train_usable"):
                line[f"oof {key[5:]} macro_f1"] = round(value["context"]["macro_f1"], 4)
        for part in args.parts.split(","):
            result = subprocess.run(
                [sys.executable, "-m", "saidwho", "eval", "--gold", "eval/gold", "--part", part, "-m", str(folder), "--json"],
                capture_output=True, text=True, check=True,
            )
            metrics_ = json.loads(result.stdout)["metrics"]
            for name in ("macro_f1", "opinion_f1", "speaker_accuracy"):
                line[f"{part} {name}"] = round(metrics_[name], 4)
        table.append(line)
        print(json.dumps(line), flush=True)
    (args.out / "learning_curve.json").write_text(json.dumps(table, indent=1))


if __name__ == "__main__":
    main()
