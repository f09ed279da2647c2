"""The learned speaker linker: training, and its ablation against the rule resolver.

    python eval/experiments/speaker_linker.py train configs/linker/linker.toml
    python eval/experiments/speaker_linker.py ablate configs/linker/linker.toml polnear:dev gold:train_usable gold:team
    python eval/experiments/speaker_linker.py crossval configs/linker/linker.toml gold:train_usable

``train`` runs the default pipeline once over each training file (cached
under the config's ``cache``), fits the candidate scorer and writes
``linker.json`` and ``linker-metrics.json`` beside it. ``ablate`` scores the
rule resolver alone and the linker before it on the same cached analyses of
each gold file (speaker accuracy over sentences both attribute, and over all
gold sourced claims). ``crossval`` trains without one part of a hand-annotated
file at a time (5 folds by article) and scores the held-out part, for files
the released linker was trained on.

Gold data is named as in the config: "polnear:SPLIT", "gold:PART" (the
project's evaluation set, parts train_usable and team only: the eval-only
part is held out) or a record file. Set SAIDWHO_DATA.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch

torch.set_num_threads(1)

from saidwho.evaluation.scoring import evaluate
from saidwho.io import read_articles
from saidwho.pipeline.linker import LinkerWeights, SpeakerLinker
from saidwho.pipeline.speakers import SpeakerResolver
from saidwho.training.linker import (
    Examples,
    LinkerConfig,
    cached_analyses,
    cached_examples,
    fit,
    gold_file,
    train_linker,
)


def resolved(analysed, linker: SpeakerLinker | None):
    """Copies of the analysed articles with speakers resolved again, with or without the linker first."""
    out = []
    resolver = SpeakerResolver()
    for a in analysed:
        a = _copy(a)
        if linker is not None:
            linker(a)
        resolver(a)
        out.append(a)
    return out


def _copy(article):
    import copy

    return copy.deepcopy(article)


def scores(gold, predictions) -> dict:
    result = evaluate(gold, predictions, bootstrap=0).to_dict()
    values = result["metrics"]
    return {k: values.get(k) for k in ("speaker_accuracy_attributed", "speaker_accuracy")}


def ablate(config: LinkerConfig, gold_paths: list[str]) -> None:
    weights = LinkerWeights.load(config.output)
    linker = SpeakerLinker(weights)
    for spec in gold_paths:
        path = gold_file(spec, config.cache)
        gold = read_articles(path)
        analysed = cached_analyses(path, config.cache, config.model)
        rules = scores(gold, resolved(analysed, None))
        learned = scores(gold, resolved(analysed, linker))
        print(json.dumps({"gold": spec, "rules": rules, "linker": learned}))


def crossval(config: LinkerConfig, held_spec: str, folds: int = 5) -> None:
    """Train on config.train minus ``held_spec``, plus the other folds of it; score each fold."""
    held_path = gold_file(held_spec, config.cache)
    held_gold = read_articles(held_path)
    held_analysed = cached_analyses(held_path, config.cache, config.model)
    base = [gold_file(p, config.cache) for p in config.train]
    base = [p for p in base if p.resolve() != held_path.resolve()]
    parts = [cached_examples(p, config.cache, config.model, start_group=10**7 * (n + 1)) for n, p in enumerate(base)]
    held_ex = cached_examples(held_path, config.cache, config.model)
    order = np.random.default_rng(config.seed).permutation(len(held_gold))
    fold_of = {int(article): k % folds for k, article in enumerate(order)}
    rule_preds, linker_preds = [], []
    for k in range(folds):
        train_mask = np.array([fold_of[int(a)] != k for a in held_ex.article], dtype=bool)
        ex = Examples(
            np.concatenate([p.x for p in parts] + [held_ex.x[train_mask]]),
            np.concatenate([p.y for p in parts] + [held_ex.y[train_mask]]),
            np.concatenate([p.group for p in parts] + [held_ex.group[train_mask]]),
            np.concatenate([p.article for p in parts] + [held_ex.article[train_mask]]),
        )
        weights = fit(ex, config.hidden, config.alpha, config.max_iter, config.seed, config.margin)
        articles = [a for n, a in enumerate(held_analysed) if fold_of[n] == k]
        rule_preds += resolved(articles, None)
        linker_preds += resolved(articles, SpeakerLinker(weights))
    print(json.dumps({"gold": held_spec, "crossval_folds": folds, "rules": scores(held_gold, rule_preds),
                      "linker": scores(held_gold, linker_preds)}))


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[0] not in ("train", "ablate", "crossval"):
        sys.exit(__doc__)
    config = LinkerConfig.load(argv[1])
    if argv[0] == "train":
        weights, metrics = train_linker(config)
        out = Path(config.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        weights.save(out)
        (out.parent / "linker-metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
        print(json.dumps(metrics))
    elif argv[0] == "ablate":
        ablate(config, argv[2:])
    else:
        crossval(config, argv[2])


if __name__ == "__main__":
    main(sys.argv[1:])
