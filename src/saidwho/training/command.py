"""``saidwho train``, ``saidwho train-context`` and ``saidwho train-rules``: the commands (registered in :mod:`saidwho.cli`).

Each checks that the model folder can be written before any training starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

__all__ = ["train_command", "train_context_command", "train_rules"]

err = Console(stderr=True)


def train_command(
    config: Path = typer.Option(Path("configs/default.toml"), "--config", "-c", help="TOML file of training arguments."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Model folder (default: models/NAME from the config)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing model folder."),
    skip_dev: bool = typer.Option(False, "--skip-dev", help="Do not evaluate on the dev splits for the model card."),
    init_from: Optional[str] = typer.Option(None, "--init-from", help="Start from this model's weights and keep its pipeline (a name such as default, or a folder); overrides the config's init_from."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run from OUTPUT.checkpoint.safetensors (same config)."),
) -> None:
    """Train the learned model (attribution, spans, subjectivity) and write models/NAME with its card."""
    from saidwho.io import check_writable
    from saidwho.models.config import refuse_existing_model_folder
    from saidwho.training.arguments import TrainingArguments
    from saidwho.training.trainer import train

    args = TrainingArguments.from_toml(config)
    if init_from is not None:
        args.init_from = init_from
    if args.init_from:
        from saidwho.training.finetune import resolve_base

        resolve_base(args.init_from)  # an unknown or rule-only base stops the run before any data loads
    target = output or Path("models") / args.name
    refuse_existing_model_folder(target, force)
    check_writable(target)  # before the training, not after it
    train(args, target, force=force, console=err, evaluate_dev=not skip_dev, resume=resume)


def train_context_command(
    config: Path = typer.Option(Path("configs/context.toml"), "--config", "-c", help="TOML file of context training arguments."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Model folder (default: models/NAME from the config)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing model folder."),
) -> None:
    """Train the context opinion component on top of a base model and write models/NAME with its card."""
    from saidwho.io import check_writable
    from saidwho.models.config import refuse_existing_model_folder
    from saidwho.training.context import ContextArguments, train_context

    args = ContextArguments.from_toml(config)
    target = output or Path("models") / args.name
    refuse_existing_model_folder(target, force)
    check_writable(target)  # before the training, not after it
    metrics = train_context(args, target, console=err)
    err.print(f"threshold {metrics['threshold']}, worst-prior opinion-vs-fact macro-F1 {metrics['worst_prior_macro_f1']:.3f}; wrote {target}")


def train_rules(
    data: Path = typer.Option(..., "--data", help="Folder holding babe/ and checkthat-subjectivity/ (for example ../shared/data)."),
    output: Path = typer.Option(Path("models/rules-v1"), "-o", "--output", help="Model folder to write."),
    somewhat: str = typer.Option("drop", "--somewhat", help="BABE 'somewhat factual but also opinionated': opinion, fact or drop."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing model folder."),
) -> None:
    """Train the rule system's subjectivity classifier (TF-IDF + logistic regression)."""
    from saidwho.io import check_writable
    from saidwho.training.rules import train_rule_model

    check_writable(output)  # before the training, not after it

    metrics = train_rule_model(data, output, somewhat=somewhat, force=force)
    for key, value in metrics.items():
        err.print(f"{key}: {value}")
