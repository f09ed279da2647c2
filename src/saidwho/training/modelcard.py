"""The model card (README.md in a model folder), written by the training run."""

from __future__ import annotations

import platform
import shlex
from pathlib import Path

from saidwho.io import atomic_writer
from saidwho.models.config import ENCODER, ModelConfig

_ROWS = (
    ("polnear_dev", "sourced_claim_precision", "PolNeAR dev: sourced_claim precision"),
    ("polnear_dev", "sourced_claim_recall", "PolNeAR dev: sourced_claim recall"),
    ("polnear_dev", "sourced_claim_f1", "PolNeAR dev: sourced_claim F1"),
    ("polnear_dev", "speaker_accuracy", "PolNeAR dev: speaker accuracy (converted speakers)"),
    ("checkthat_dev", "opinion_vs_not_macro_f1", "CheckThat! dev: opinion-vs-not macro-F1"),
)


def _cell(entry: dict | None) -> str:
    if not entry or entry.get("value") is None:
        return "n/a"
    ci = entry.get("ci")
    interval = f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""
    return f"{entry['value']:.3f}{interval}"


def attribution_threshold(config: ModelConfig) -> float | None:
    """The attribution threshold of a learned model's pipeline (its attributor's setting)."""
    for spec in config.pipeline:
        if "attribution_threshold" in spec:
            return spec["attribution_threshold"]
    return None


def write_model_card(path: Path, config: ModelConfig, metrics: dict) -> None:
    args = config.training_arguments or {}
    lines = [
        f"# {config.name}: learned attribution, span and subjectivity heads",
        "",
        f"Encoder: {ENCODER}, its bottom {6 - config.trainable_layers} layers frozen as shipped,",
        f"the top {config.trainable_layers} layers fine-tuned (stored fp16 in `model.safetensors` with the heads).",
        "Heads: attribution (sentence vector + quotation-state features), BIO source/cue spans, subjectivity.",
        "Labels: sourced_claim where the calibrated attribution probability is at least "
        f"{attribution_threshold(config)}, else opinion or reported_fact by the calibrated opinion probability.",
        "",
        "## Training data (provenance)",
        "",
        "- PolNeAR (networkdynamics/PolNeAR @ c3eee83) train split: attribution and Source/Cue spans;"
        f" {metrics['polnear_train_articles']} articles after holding out {args['heldout_fraction']:.0%} for early stopping and calibration;"
        + (" only attributions whose cue is a speech or reporting expression count as sourced (ANNOTATION.md's sense)."
           if args.get("polnear_cues") == "speech" else " every attribution counts as sourced."),
        "- BABE `babe_sg2_train.csv` (Media-Bias-Group @ fb79f64), 'Somewhat factual but also opinionated': "
        f"{args['babe_somewhat']}; CheckThat! 2025 task 1 English `train_en.tsv`: subjectivity;"
        f" {metrics['subjectivity_train_sentences']} sentences after the hold-out.",
        f"- Project records: {', '.join(args['records']) or 'none'}"
        + ("; the 20 train-usable hand-annotated PolNeAR articles of eval/gold (the 10 eval-only ones are never used)."
           if args.get("gold_train_usable") else "."),
        "- Dev splits (PolNeAR dev, CheckThat! dev) are only evaluated below; no choice was made on them.",
        "",
        "## Dev results (95% bootstrap intervals over articles)",
        "",
        "| metric | this model | rule system |",
        "| --- | --- | --- |",
    ]
    dev = metrics.get("dev", {})
    for dataset, key, label in _ROWS:
        systems = dev.get(dataset, {})
        lines.append(f"| {label} | {_cell(systems.get('model', {}).get(key))} | {_cell(systems.get('rules', {}).get(key))} |")
    lines += ["", "## Calibration (temperature scaling on the held-out training data)", "",
              "| head | temperature | held-out ECE before | after | dev ECE |", "| --- | --- | --- | --- | --- |"]
    for head, values in metrics.get("calibration", {}).items():
        dev_ece = metrics.get("dev_ece", {}).get(head)
        lines.append(
            f"| {head} | {values['temperature']} | {values['heldout_ece_before']} | {values['heldout_ece_after']} | "
            f"{dev_ece if dev_ece is not None else 'n/a'} |"
        )
    lines += ["", "## Training", "", "| epoch | loss | held-out scores |", "| --- | --- | --- |"]
    for row in metrics.get("history", []):
        rest = ", ".join(f"{k} {v}" for k, v in row.items() if k not in ("epoch", "loss"))
        lines.append(f"| {row['epoch']} | {row['loss']} | {rest} |")
    lines += [
        "",
        f"Training time: {metrics['training_seconds']:.0f} s on {platform.machine()} with the CPU only"
        " (this project's machines: 2 cores), including caching the frozen layers.",
        "",
        "Reproduce: `saidwho train --config configs/default.toml --output models/" + config.name + " --force`",
        "(with `SAIDWHO_DATA` pointing at the folder holding polnear/, babe/, checkthat-subjectivity/).",
        "",
    ]
    with atomic_writer(path) as handle:
        handle.write("\n".join(lines))


def write_context_card(path: Path, config: ModelConfig, metrics: dict, base_model: str) -> None:
    """The card of a model with the context opinion component: data, threshold, cross-validated table."""
    args = (config.training_arguments or {}).get("context", {})
    lines = [
        f"# {config.name}: {base_model} with opinion decided in context",
        "",
        f"The pipeline of `{base_model}` with the `context_opinion` component before the labeler: a logistic",
        "regression over the sentence's own opinion logit, a sentence-only TF-IDF score, its paragraph's and article's",
        "mean opinion probability, genre markers and sentence markers (`saidwho.pipeline.context`). Its weights are",
        "a few numbers in `context_opinion.json`; the encoder and heads are the base model's.",
        "",
        "## Training data",
        "",
        f"- eval/gold parts {', '.join(args.get('gold_parts', []))} (hand-annotated to ANNOTATION.md; never the eval-only part);",
        "- webis-editorials (webis-de/COLING-20 @ 5b90e85): units in their editorials, assumption = opinion,"
        " anecdote/statistics = fact, testimony = sourced;" if args.get("use_webis") else "- no webis-editorials;",
        "- CheckThat! 2025 task 1 English train (single sentences, no context)." if args.get("use_checkthat_train") else "- no CheckThat! train.",
        "",
        f"Threshold {metrics['threshold']}: the one whose worst opinion-vs-fact macro-F1 over opinion shares "
        f"{', '.join(metrics['opinion_vs_fact_macro_f1_by_prior'])} is highest, on out-of-fold probabilities;"
        f" worst {metrics['worst_prior_macro_f1']:.3f}.",
        "",
        f"## Cross-validated results ({args.get('folds', 5)}-fold, grouped by article; every sentence scored by a model that did not see its article)",
        "",
        "Sentence-level F1 against the gold labels of aligned sentences, attribution as the base model decides it;"
        " head = the base model's opinion probability at 0.5.",
        "",
        "| group | sentences | macro-F1 head | macro-F1 context | fact F1 head | fact F1 context | opinion F1 head | opinion F1 context |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for group, values in metrics["cross_validated"].items():
        head, context = values["head"], values["context"]
        lines.append(
            f"| {group} | {head['sentences']} | {head['macro_f1']:.3f} | {context['macro_f1']:.3f} | {head['reported_fact_f1']:.3f} | "
            f"{context['reported_fact_f1']:.3f} | {head['opinion_f1']:.3f} | {context['opinion_f1']:.3f} |"
        )
    lines += ["", f"Reproduce: `saidwho train-context --config configs/context.toml --output models/{config.name} --force`", ""]
    with atomic_writer(path) as handle:
        handle.write("\n".join(lines))


def write_finetune_card(path: Path, config: ModelConfig, metrics: dict, folder: Path) -> None:
    """The card of a model fine-tuned from another (``init_from``): the base, the added data, the run.
    ``folder``: where the model is written, as the user gave it (the card's eval command names it)."""
    args = config.training_arguments or {}
    corpora = [name for key, name in (("use_polnear", "PolNeAR train"), ("use_babe", "BABE"), ("use_checkthat", "CheckThat! train"), ("use_webis", "webis editorials")) if args.get(key)]
    lines = [
        f"# {config.name}: fine-tuned from {args.get('init_from')}",
        "",
        f"Starts from the trained weights of `{args.get('init_from')}` and keeps its pipeline",
        f"({', '.join(c['component'] for c in config.pipeline)}; runtime {config.runtime}"
        + (f", {config.quantize}" if config.quantize else "") + "). Only the weights are new.",
        "",
        "## Added data",
        "",
        f"- Records: {', '.join(args.get('records', [])) or 'none'}: {metrics.get('records_train_articles', 0)} articles,"
        f" {metrics.get('records_train_windows', 0)} training windows (after the hold-out).",
        f"- Replayed from the base's own training data: {args.get('replay', 0):.0%} of the mix by labelled sentences"
        f" ({metrics.get('polnear_train_articles', 0)} PolNeAR articles, {metrics.get('subjectivity_train_sentences', 0)} subjectivity windows in training).",
        f"- Corpora switched on in the config: {', '.join(corpora) or 'none'}.",
        "",
        "## Training",
        "",
        "| epoch | loss | held-out scores |",
        "| --- | --- | --- |",
    ]
    for row in metrics.get("history", []):
        rest = ", ".join(f"{k} {v}" for k, v in row.items() if k not in ("epoch", "loss"))
        lines.append(f"| {row['epoch']} | {row['loss']} | {rest} |")
    dev = metrics.get("dev", {})
    if dev:
        lines += ["", "## Dev results (95% bootstrap intervals over articles)", "", "| metric | this model | rule system |", "| --- | --- | --- |"]
        for dataset, key, label in _ROWS:
            systems = dev.get(dataset, {})
            lines.append(f"| {label} | {_cell(systems.get('model', {}).get(key))} | {_cell(systems.get('rules', {}).get(key))} |")
    lines += [
        "",
        f"Training time: {metrics['training_seconds']:.0f} s on {platform.machine()} with the CPU only.",
        "",
        # The folder, not the name: a name is looked up among the shipped models only.
        f"Compare with the base on your held-out records: `{shlex.join(['saidwho', 'eval', 'HELDOUT.jsonl', '-m', str(args.get('init_from')), '-m', str(folder)])}`.",
        "",
    ]
    with atomic_writer(path) as handle:
        handle.write("\n".join(lines))
