"""Train the context opinion component (:mod:`saidwho.pipeline.context`) on top of a base model.

    saidwho train-context --config configs/context.toml

The base model runs once over each training set; every gold body sentence
aligned to a model sentence gives one row: the features of
:func:`~saidwho.pipeline.context.article_features`, the gold label and
whether the model attributes it. A logistic regression learns opinion
against fact from the unattributed-or-not rows whose gold label is one of
the two. Grouped cross-validation over articles gives out-of-fold
probabilities, from which two things are read:

- the decision threshold, chosen to hold up under a shifting class prior:
  the one whose worst macro-F1 over opinion shares ``priors`` (the rows
  reweighted to each share) is highest (CheckThat! train has 36% opinion,
  its dev 52%);
- per-set and per-genre results, the honest estimate for the model card
  (every row is scored by a model that did not see its article).

The final weights are fitted on all rows, with the threshold folded into the
intercept, and written with a new model folder whose config is the base
model's with ``context_opinion`` before the labeler.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from saidwho.errors import UserError
from saidwho.models.config import ModelConfig, resolve_model_path, write_model_folder
from saidwho.pipeline.context import FEATURE_NAMES, ContextWeights, article_features
from saidwho.records import Article
from saidwho.training.arguments import TomlArguments
from saidwho.training.data import extra_gold_articles
from saidwho.training.modelcard import write_context_card

LABELS = ("reported_fact", "sourced_claim", "opinion")


@dataclass
class ContextArguments(TomlArguments):
    """Settings of a context-opinion training run (``configs/context.toml``)."""

    name: str = "minilm-v2-hybrid-context"
    base_model: str = "minilm-v2-hybrid"
    lexical_model: str = "rules-v1"  # the sentence-only TF-IDF classifier's folder
    data: str = "${SAIDWHO_DATA}"
    gold_parts: list[str] = field(default_factory=lambda: ["team", "train_usable"])
    # Gold articles the base model was trained on: its opinion scores there are
    # overconfident, and a context model fitted on them would learn to trust them.
    exclude: list[str] = field(default_factory=list)
    # Training-only hand-annotated PolNeAR articles (stand-off files, paths from
    # the checkout's root; eval/train-extra/ann-*/polnear.jsonl): never in an
    # evaluation part. An article in several files is taken from the first.
    extra_gold: list[str] = field(default_factory=list)
    extra_gold_articles: int = 0  # 0: all; N: the first N (file order), for a learning curve
    use_webis: bool = True
    use_checkthat_train: bool = True
    C: float = 1.0
    priors: list[float] = field(default_factory=lambda: [0.3, 0.4, 0.5, 0.6])
    folds: int = 5
    max_articles_per_set: int = 0  # 0: all (a small number for smoke runs)


@dataclass
class Row:
    set: str
    article: str
    genre: str
    label: str
    attributed: bool
    features: list[float]


def training_sets(args: ContextArguments) -> dict[str, list[Article]]:
    """The gold articles of each training set, by name (never the eval-only part)."""
    from saidwho.corpora import convert_corpus
    from saidwho.evaluation.goldset import load_gold
    from saidwho.paths import gold_dir

    data = args.data_path()
    if "eval_only" in args.gold_parts or "all" in args.gold_parts:
        raise UserError("gold_parts: the eval-only articles are never trained on (use team, train_usable)")
    excluded = set(args.exclude)
    sets: dict[str, list[Article]] = {
        part: [a for a in load_gold(gold_dir(), data / "polnear", part) if a.id not in excluded] for part in args.gold_parts
    }
    if args.extra_gold:
        already = excluded | {a.id for part in sets.values() for a in part}
        sets["extra_gold"] = extra_gold_articles(args.extra_gold, data / "polnear", args.extra_gold_articles, already)
    if args.use_webis:
        sets["webis"] = list(convert_corpus("webis", data / "webis-editorials"))
    if args.use_checkthat_train:
        sets["checkthat_train"] = list(convert_corpus("checkthat", data / "checkthat-subjectivity", split="train"))
    if args.max_articles_per_set:
        sets = {name: articles[: args.max_articles_per_set] for name, articles in sets.items()}
    return sets


def genre_of(article: Article, set_name: str) -> str:
    if set_name == "webis":
        return "editorial (webis)"
    if set_name.startswith("checkthat"):
        return "single sentence (CheckThat!)"
    return article.extra.get("genre") or "news"


def collect_rows(pipeline, lexical, articles: list[Article], set_name: str, progress=None) -> list[Row]:
    """Run the base pipeline and pair each gold body sentence with its model features."""
    from saidwho.evaluation.alignment import align

    rows: list[Row] = []
    for gold, pred in zip(articles, pipeline.pipe(articles)):  # pipe copies each article (text and metadata)
        indices = [i for i, s in enumerate(pred.sentences) if s.labelled and s.probabilities is not None]
        scores = lexical.predict_proba([pred.sentence_text(pred.sentences[i]) for i in indices]) if indices else []
        features = article_features(pred, {i: float(p) for i, p in zip(indices, scores)})
        index_of = {id(s): i for i, s in enumerate(pred.sentences)}
        labelled = [s for s in gold.sentences if s.label is not None]
        for g, p in zip(labelled, align(labelled, pred.sentences, gold.text)):
            if p is not None and index_of[id(p)] in features:
                rows.append(Row(set_name, gold.id, genre_of(gold, set_name), g.label, p.attribution is not None, features[index_of[id(p)]]))
        if progress is not None:
            progress()
    return rows


def _matrix(rows: list[Row]) -> tuple[np.ndarray, np.ndarray]:
    return np.array([r.features for r in rows], dtype=float).reshape(-1, len(FEATURE_NAMES)), np.array(
        [r.label == "opinion" for r in rows], dtype=int
    )


def fit_weights(rows: list[Row], C: float) -> ContextWeights:
    """Logistic regression on standardised features, balanced classes, threshold 0.5 (unfolded)."""
    from sklearn.linear_model import LogisticRegression

    rows = [r for r in rows if r.label in ("opinion", "reported_fact")]
    X, y = _matrix(rows)
    if len(set(y.tolist())) < 2:
        raise UserError("context training needs both opinion and reported_fact sentences")
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    model.fit((X - mean) / scale, y)
    return ContextWeights(model.coef_[0].tolist(), float(model.intercept_[0]), mean.tolist(), scale.tolist())


def probabilities(weights: ContextWeights, rows: list[Row]) -> np.ndarray:
    return np.array([weights.probability(r.features) for r in rows])


def out_of_fold(rows: list[Row], C: float, folds: int) -> np.ndarray:
    """Each row's probability from a model fitted without its article (grouped K-fold)."""
    from sklearn.model_selection import GroupKFold

    groups = np.array([f"{r.set}/{r.article}" for r in rows])
    result = np.zeros(len(rows))
    for train_index, test_index in GroupKFold(n_splits=folds).split(np.zeros(len(rows)), groups=groups):
        weights = fit_weights([rows[i] for i in train_index], C)
        result[test_index] = probabilities(weights, [rows[i] for i in test_index])
    return result


def opinion_vs_fact_f1(y: np.ndarray, p: np.ndarray, threshold: float, sample_weight: np.ndarray | None = None) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y, p >= threshold, average="macro", sample_weight=sample_weight, zero_division=0))


def robust_threshold(y: np.ndarray, p: np.ndarray, priors: Iterable[float]) -> tuple[float, dict[str, float]]:
    """The threshold whose worst macro-F1 over the given opinion shares is highest."""
    priors = list(priors)
    positives = max(int(y.sum()), 1)
    negatives = max(int(len(y) - y.sum()), 1)
    weightings = [np.where(y == 1, prior / positives, (1 - prior) / negatives) for prior in priors]
    best, best_worst = 0.5, -1.0
    for threshold in np.round(np.arange(0.2, 0.81, 0.02), 2):
        worst = min(opinion_vs_fact_f1(y, p, threshold, w) for w in weightings)
        if worst > best_worst + 1e-9:
            best, best_worst = float(threshold), worst
    per_prior = {f"{prior:.2f}": opinion_vs_fact_f1(y, p, best, w) for prior, w in zip(priors, weightings)}
    return best, per_prior


def three_label_f1(rows: list[Row], opinion: np.ndarray, threshold: float) -> dict[str, float]:
    """Sentence-level three-label F1s when attribution is the model's and opinion decides the rest."""
    from sklearn.metrics import f1_score

    truth = [r.label for r in rows]
    guess = ["sourced_claim" if r.attributed else ("opinion" if p >= threshold else "reported_fact") for r, p in zip(rows, opinion)]
    scores = f1_score(truth, guess, labels=list(LABELS), average=None, zero_division=0)
    out = {f"{label}_f1": float(v) for label, v in zip(LABELS, scores)}
    out["macro_f1"] = float(np.mean(scores))
    out["sentences"] = len(rows)
    return out


def head_probability(rows: list[Row]) -> np.ndarray:
    head = FEATURE_NAMES.index("head_logit")
    return np.array([1 / (1 + math.exp(-r.features[head])) for r in rows])


def report(rows: list[Row], oof: np.ndarray, threshold: float) -> dict[str, dict]:
    """Head alone (at 0.5) against the context model (out of fold, at its threshold), per set and genre."""
    head = head_probability(rows)
    out: dict[str, dict] = {}
    for key in ("set", "genre"):
        groups: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(rows):
            groups[getattr(row, key)].append(i)
        for name, idx in sorted(groups.items()):
            subset = [rows[i] for i in idx]
            out[f"{key}: {name}"] = {
                "head": three_label_f1(subset, head[idx], 0.5),
                "context": three_label_f1(subset, oof[idx], threshold),
            }
    return out


def context_rows(args: ContextArguments, console=None) -> list[Row]:
    """Run the base model over every training set and return the rows that teach the component."""
    from saidwho.models.subjectivity import SubjectivityClassifier
    from saidwho.pipeline.registry import load

    base_config = ModelConfig.from_pretrained(args.base_model)
    if any(spec["component"] == "context_opinion" for spec in base_config.pipeline):
        raise UserError(f"{args.base_model}: already has a context_opinion component")
    pipeline = load(args.base_model)
    lexical = SubjectivityClassifier.from_pretrained(resolve_model_path(args.lexical_model))
    rows: list[Row] = []
    for name, articles in training_sets(args).items():
        if console is not None:
            console.print(f"running {args.base_model} on {name} ({len(articles)} articles)")
        rows += collect_rows(pipeline, lexical, articles, name)
    # The component leaves a lone sentence alone (no context), so those rows teach it nothing.
    alone = FEATURE_NAMES.index("alone")
    return [r for r in rows if not r.features[alone]]


def fit_context(args: ContextArguments, rows: list[Row]) -> tuple[ContextWeights, dict]:
    """Cross-validate, pick the threshold and fit on ``rows``: the weights and the run's metrics."""
    decided = [r for r in rows if r.label in ("opinion", "reported_fact")]
    oof_decided = out_of_fold(decided, args.C, args.folds)
    y = _matrix(decided)[1]
    threshold, per_prior = robust_threshold(y, oof_decided, args.priors)
    # Out-of-fold probabilities for every row (sourced gold rows too, for the three-label table).
    oof = out_of_fold(rows, args.C, args.folds)
    weights = fit_weights(rows, args.C)
    weights.intercept -= math.log(threshold / (1 - threshold))  # the labeler's 0.5 becomes this threshold
    weights.note = f"trained on top of {args.base_model}; threshold {threshold} folded into the intercept"
    metrics = {
        "threshold": threshold,
        "worst_prior_macro_f1": min(per_prior.values()),
        "opinion_vs_fact_macro_f1_by_prior": per_prior,
        "cross_validated": report(rows, oof, threshold),
        "rows": len(rows),
        "coefficients": dict(zip(FEATURE_NAMES, weights.coef)),
    }
    return weights, metrics


def train_context(args: ContextArguments, output: Path, console=None) -> dict:
    """Collect rows, cross-validate, pick the threshold, fit, and write the model folder."""
    rows = context_rows(args, console)
    weights, metrics = fit_context(args, rows)
    write_model(args, ModelConfig.from_pretrained(args.base_model), weights, metrics, output, resolve_model_path(args.lexical_model))
    return metrics


def write_model(args: ContextArguments, base: ModelConfig, weights: ContextWeights, metrics: dict, output: Path, lexical_path: Path) -> None:
    """The base model's pipeline with the context component before the labeler,
    as a new model folder (written atomically, like every model folder): the
    base's weights and the lexical classifier are referenced, relative to ``output``."""
    import os

    base_path = resolve_model_path(args.base_model)
    pipeline = []
    for spec in base.pipeline:
        if spec["component"] == "labeler":
            pipeline.append({"component": "context_opinion", "lexical": os.path.relpath(lexical_path, output)})
        pipeline.append(dict(spec))
    weights_path = base.weights
    if weights_path is not None:
        weights_path = os.path.relpath(base_path / weights_path, output)
    config = ModelConfig(**{**asdict(base), "name": args.name, "pipeline": pipeline, "weights": weights_path,
                            "note": f"{args.base_model} with the context opinion component (configs/context.toml): "
                                    "the opinion probability revised by the sentence's paragraph and article"})
    config.training_arguments = {"base": base.training_arguments, "context": asdict(args)}
    write_model_folder(output, config, weights.save_pretrained, metrics=metrics,
                       card=lambda path, _: write_context_card(path, config, metrics, args.base_model))
