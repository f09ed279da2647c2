"""The model card (README.md in a model folder), written by the training run."""

from __future__ import annotations

import platform
from pathlib import Path

from saidwho.io import atomic_writer
from saidwho.models.config import ModelConfig

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
        f"Encoder: {config.encoder}, its bottom {6 - config.trainable_layers} layers frozen as shipped,",
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
