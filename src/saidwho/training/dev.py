"""Dev-split evaluation of a freshly trained model, for its model card.

PolNeAR dev and CheckThat! dev are only evaluated (the model beside the rule
system, with 95% bootstrap intervals); no training choice is made on them.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np

from saidwho.records import Article
from saidwho.training.arguments import TrainingArguments
from saidwho.training.calibration import expected_calibration_error

DEV_METRICS = ("sourced_claim_precision", "sourced_claim_recall", "sourced_claim_f1", "speaker_accuracy",
               "opinion_vs_not_macro_f1", "accuracy", "macro_f1")


class DevResults(NamedTuple):
    """``scores[dev set][system][metric] = {"value", "ci"}``; ``ece[head]``: the model's dev ECE."""

    scores: dict
    ece: dict


def dev_sets(args: TrainingArguments) -> dict[str, list[Article]]:
    from saidwho.corpora import convert_corpus

    data = args.data_path()
    sets = {}
    if (data / "polnear").exists():
        sets["polnear_dev"] = list(convert_corpus("polnear", data / "polnear", split="dev"))
    if (data / "checkthat-subjectivity").exists():
        sets["checkthat_dev"] = list(convert_corpus("checkthat", data / "checkthat-subjectivity", split="dev"))
    return sets


def evaluate_on_dev(model_dir: Path, args: TrainingArguments, console) -> DevResults:
    """PolNeAR dev and CheckThat! dev: the new model beside the rule system, with 95% intervals."""
    from saidwho.evaluation.scoring import evaluate
    from saidwho.pipeline import load

    sets = dev_sets(args)
    results: dict = {}
    ece: dict = {}
    for system, path in (("model", str(model_dir)), ("rules", "rules")):
        pipeline = load(path)
        for name, gold in sets.items():
            # The article as saidwho eval gives it (title included): the pipeline copies it.
            pred = [pipeline(article) for article in gold]
            scored = evaluate(gold, pred, bootstrap=1000, seed=0)
            if system == "model":
                head, label = ("attribution", "sourced_claim") if name == "polnear_dev" else ("subjectivity", "opinion")
                ece[head] = round(_dev_ece(gold, pred, label), 4)
            results.setdefault(name, {})[system] = {
                k: {"value": scored.metrics.get(k), "ci": scored.ci.get(k)} for k in DEV_METRICS
            }
            console.print(f"{system} on {name}: " + ", ".join(
                f"{k} {scored.metrics[k]:.3f}" for k in ("sourced_claim_f1", "opinion_vs_not_macro_f1") if scored.metrics.get(k) is not None
            ))
    return DevResults(results, ece)


def _dev_ece(gold: list[Article], pred: list[Article], label: str) -> float:
    """ECE of the predicted probability of ``label`` against gold, over aligned labelled sentences."""
    from saidwho.evaluation.alignment import align

    by_id = {a.id: a for a in pred}
    probabilities, outcomes = [], []
    for article in gold:
        other = by_id[article.id]
        labelled = [s for s in other.sentences if s.label]
        for g, p in zip(article.sentences, align(article.sentences, labelled, article.text)):
            if g.label and p is not None and p.scores:
                probabilities.append(p.scores[label])
                outcomes.append(1.0 if g.label == label else 0.0)
    return expected_calibration_error(np.array(probabilities), np.array(outcomes))
