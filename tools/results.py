"""The results table of README.md: every system on every dev set, with 95% intervals.

    SAIDWHO_DATA=../shared/data python tools/results.py rules minilm-v1 minilm-v2 > out/results.md

Dev sets: PolNeAR dev (converted), CheckThat! dev (converted), and the
project's evaluation set (team articles; eval-only PolNeAR articles). The
learned models' subjectivity head is also scored alone on CheckThat! dev
(opinion probability >= 0.5).
"""

import os
import sys
from pathlib import Path

from sklearn.metrics import f1_score

from saidwho.corpora import convert_corpus
from saidwho.evaluation.scoring import evaluate
from saidwho.evaluation.goldset import load_gold
from saidwho.pipeline import load

DATA = Path(os.environ.get("SAIDWHO_DATA", "../shared/data"))
ROOT = Path(__file__).resolve().parents[1]
METRICS = [
    ("sourced_claim_precision", "sourced P"),
    ("sourced_claim_recall", "sourced R"),
    ("sourced_claim_f1", "sourced F1"),
    ("speaker_accuracy", "speaker acc."),
    ("accuracy", "accuracy"),
    ("macro_f1", "macro-F1"),
    ("opinion_vs_not_macro_f1", "opinion-vs-not macro-F1"),
]


def cell(result, key):
    value = result.metrics.get(key)
    if value is None:
        return "n/a"
    ci = result.ci.get(key)
    return f"{value:.3f} [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else f"{value:.3f}"


def main(systems):
    sets = {
        "PolNeAR dev (84 articles)": list(convert_corpus("polnear", DATA / "polnear", split="dev")),
        "CheckThat! dev (462 sentences)": list(convert_corpus("checkthat", DATA / "checkthat-subjectivity", split="dev")),
        "team articles (6)": load_gold(ROOT / "eval" / "gold", DATA / "polnear", "team"),
        "eval-only PolNeAR articles (10)": load_gold(ROOT / "eval" / "gold", DATA / "polnear", "eval_only"),
    }
    rows = []
    head_alone = {}
    for system in systems:
        pipeline = load(system)
        for name, gold in sets.items():
            pred = list(pipeline.pipe(gold))  # pipe copies each article (text and metadata, the title too)
            rows.append((name, system, evaluate(gold, pred, bootstrap=1000, seed=0)))
            if name.startswith("CheckThat") and pipeline.config.kind == "neural":
                # The learned subjectivity head alone (the rule system's TF-IDF head is reported elsewhere).
                truth, guess = [], []
                for g, p in zip(gold, pred):
                    labelled = [s for s in p.sentences if s.probabilities is not None]
                    if labelled:
                        truth.append(next(s for s in g.sentences if s.label).label == "opinion")
                        guess.append(labelled[0].probabilities.opinion >= 0.5)
                head_alone[system] = f1_score(truth, guess, average="macro")
        print(f"done: {system}", file=sys.stderr)
    print("| data | system | " + " | ".join(label for _, label in METRICS) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in METRICS) + " |")
    for name, system, result in rows:
        print(f"| {name} | {system} | " + " | ".join(cell(result, key) for key, _ in METRICS) + " |")
    for system, value in head_alone.items():
        print(f"\nCheckThat! dev, {system} subjectivity head alone (p >= 0.5): macro-F1 {value:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["rules"])
