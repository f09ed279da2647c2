"""Fact against opinion in context: collect features, fit, cross-validate, report per genre.

    python eval/experiments/context_opinion.py collect   # runs the default model once per set, caches rows
    python eval/experiments/context_opinion.py fit       # grouped CV, prior-robust threshold, report

Sets (dev only; the eval-only articles are never read here):
- hand-annotated: the team part and the train-usable part of eval/gold;
- webis-editorials: 266 opinion pieces whose units are labelled (assumption =
  opinion, anecdote/statistics = fact, testimony = sourced), the in-context
  opinion-heavy text the issue asks for;
- CheckThat! train and dev: single sentences without context (the
  "alone" case); dev is reported, never fitted on.

Each row is one gold body sentence aligned to the model's sentence: gold
label, whether the model attributes it, and the features of
:func:`saidwho.pipeline.context.article_features`.
"""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("SAIDWHO_DATA", ROOT.parent / "shared" / "data"))
CACHE = Path(os.environ.get("CONTEXT_CACHE", "/tmp/ctx"))


def _sets():
    from saidwho.corpora import convert_corpus
    from saidwho.evaluation.goldset import load_gold, load_split

    gold = ROOT / "eval" / "gold"
    eval_only = set(load_split(gold)["eval_only"])
    team = [a for a in load_gold(gold, DATA / "polnear", "team") if a.id not in eval_only]
    return {
        "team": team,
        "train_usable": load_gold(gold, DATA / "polnear", "train_usable"),
        "webis": list(convert_corpus("webis", DATA / "webis-editorials")),
        "checkthat_train": list(convert_corpus("checkthat", DATA / "checkthat-subjectivity", split="train")),
        "checkthat_dev": list(convert_corpus("checkthat", DATA / "checkthat-subjectivity", split="dev")),
    }


def collect() -> None:
    import torch

    from saidwho import Article, load
    from saidwho.evaluation.scoring import align
    from saidwho.models.config import resolve_model_path
    from saidwho.models.subjectivity import SubjectivityClassifier
    from saidwho.pipeline.context import article_features

    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    nlp = load("default")
    lexical = SubjectivityClassifier.load(resolve_model_path("rules"))
    CACHE.mkdir(parents=True, exist_ok=True)
    for name, articles in _sets().items():
        rows = []
        inputs = (Article(id=a.id, text=a.text, title=a.title, outlet=a.outlet) for a in articles)
        for gold, pred in zip(articles, nlp.pipe(inputs)):
            indices = [i for i, s in enumerate(pred.sentences) if s.labelled and s.probabilities is not None]
            scores = lexical.predict_proba([pred.sentence_text(pred.sentences[i]) for i in indices]) if indices else []
            features = article_features(pred, {i: float(p) for i, p in zip(indices, scores)})
            index_of = {id(s): i for i, s in enumerate(pred.sentences)}
            labelled = [s for s in gold.sentences if s.label is not None]
            for g, p in zip(labelled, align(labelled, pred.sentences, gold.text)):
                if p is None or index_of[id(p)] not in features:
                    continue
                rows.append({
                    "set": name,
                    "article": gold.id,
                    "genre": gold.extra.get("genre") or ("editorial" if name == "webis" else "news"),
                    "label": g.label,
                    "alt": list(g.alt_labels),
                    "attributed": p.attribution is not None,
                    "features": features[index_of[id(p)]],
                })
        with open(CACHE / f"{name}.jsonl", "w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row) + "\n")
        print(f"{name}: {len(rows)} sentences", file=sys.stderr)


def _load(name):
    with open(CACHE / f"{name}.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def three_label_macro_f1(rows, opinion_probability, threshold):
    from sklearn.metrics import f1_score

    truth, guess = [], []
    for row, p in zip(rows, opinion_probability):
        label = "sourced_claim" if row["attributed"] else ("opinion" if p >= threshold else "reported_fact")
        truth.append(row["label"])
        guess.append(label)
    labels = ["reported_fact", "sourced_claim", "opinion"]
    f1s = f1_score(truth, guess, labels=labels, average=None, zero_division=0)
    return dict(zip(["fact_f1", "sourced_f1", "opinion_f1"], f1s)) | {"macro_f1": float(np.mean(f1s))}


def _matrix(rows):
    return np.array([r["features"] for r in rows], dtype=float), np.array([r["label"] == "opinion" for r in rows], dtype=int)


def fit_weights(rows, C=1.0, sample_weight=None):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    rows = [r for r in rows if r["label"] in ("opinion", "reported_fact")]
    X, y = _matrix(rows)
    scaler = StandardScaler().fit(X)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    model.fit((X - scaler.mean_) / scale, y)
    return model.coef_[0], float(model.intercept_[0]), scaler.mean_, scale


def predict(weights, rows):
    coef, intercept, mean, scale = weights
    X, _ = _matrix(rows)
    return 1 / (1 + np.exp(-(intercept + ((X - mean) / scale) @ coef)))


def head_only(rows):
    X, _ = _matrix(rows)
    return 1 / (1 + np.exp(-X[:, 0]))


def fit() -> None:
    from sklearn.model_selection import GroupKFold

    data = {name: _load(name) for name in ("team", "train_usable", "webis", "checkthat_train", "checkthat_dev")}
    fitted_on = data["team"] + data["train_usable"] + data["webis"] + data["checkthat_train"]
    groups = np.array([r["set"] + "/" + r["article"] for r in fitted_on])
    oof = np.zeros(len(fitted_on))
    for train_index, test_index in GroupKFold(n_splits=5).split(fitted_on, groups=groups):
        weights = fit_weights([fitted_on[i] for i in train_index])
        oof[test_index] = predict(weights, [fitted_on[i] for i in test_index])
    by_set = defaultdict(list)
    for i, row in enumerate(fitted_on):
        by_set[row["set"]].append(i)
    print("| set | sentences | head alone: macro-F1 / fact F1 / opinion F1 | context (5-fold out-of-fold) |")
    print("| --- | --- | --- | --- |")
    for name, idx in by_set.items():
        rows = [fitted_on[i] for i in idx]
        base = three_label_macro_f1(rows, head_only(rows), 0.5)
        ctx = three_label_macro_f1(rows, oof[idx], 0.5)
        print(f"| {name} | {len(rows)} | {base['macro_f1']:.3f} / {base['fact_f1']:.3f} / {base['opinion_f1']:.3f} "
              f"| {ctx['macro_f1']:.3f} / {ctx['fact_f1']:.3f} / {ctx['opinion_f1']:.3f} |")
    final = fit_weights(fitted_on)
    dev = data["checkthat_dev"]
    from sklearn.metrics import f1_score

    truth = [r["label"] == "opinion" for r in dev]
    for label, p in (("head", head_only(dev)), ("context", predict(final, dev))):
        print(f"CheckThat! dev opinion-vs-not macro-F1, {label}: {f1_score(truth, p >= 0.5, average='macro'):.3f}")
    print("coefficients:", dict(zip(__import__("saidwho.pipeline.context", fromlist=["x"]).FEATURE_NAMES, np.round(final[0], 3))))


if __name__ == "__main__":
    {"collect": collect, "fit": fit}[sys.argv[1]]()
