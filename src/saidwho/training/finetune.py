"""Fine-tuning from a shipped model (``init_from``): its weights, its pipeline, some of its data replayed.

A user with a few hundred annotated sentences should not start from the bare
encoder, nor lose the rules' speakers: training starts from the base model's
trained weights, and the new model folder keeps the base's pipeline (hybrid
rules, context opinion, runtime), pointing at the base's other files. A
``replay`` share of the base's own training data is mixed in, so that a few
user articles do not make the model forget what it knew.
"""

from __future__ import annotations

import dataclasses
import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from saidwho.errors import UserError
from saidwho.models.config import ModelConfig, resolve_model_path
from saidwho.records import Article


@dataclass(frozen=True)
class BaseModel:
    """The model a fine-tuning run starts from."""

    name: str  # as the user gave it
    path: Path  # its folder
    config: ModelConfig

    @property
    def weights_folder(self) -> Path:
        """The folder that trained the weights (a variant points at another folder's)."""
        return self.config.weights_path(self.path).parent

    def training_arguments(self):
        """The arguments the weights were trained with (None when not recorded)."""
        from saidwho.training.arguments import TrainingArguments

        recorded = ModelConfig.from_pretrained(self.weights_folder).training_arguments or {}
        known = {f.name for f in dataclasses.fields(TrainingArguments)}
        if not recorded or not {"use_polnear", "seed"} <= set(recorded):
            return None
        return TrainingArguments(**{k: v for k, v in recorded.items() if k in known})


def resolve_base(init_from: str) -> BaseModel:
    path = resolve_model_path(init_from).resolve()
    config = ModelConfig.from_pretrained(init_from)  # by name: an alias brings how it runs (the default: onnx, int8)
    if config.kind != "neural":
        raise UserError(f"--init-from {init_from}: a learned model is needed (this one is of kind {config.kind!r})")
    return BaseModel(init_from, path, config)


def replay_from_base(args):
    """For :func:`~saidwho.training.data.training_datasets`: the base's replayed
    articles given the loaded ones (None without ``init_from`` or ``replay``)."""
    if not args.init_from or not args.replay:
        return None
    base = resolve_base(args.init_from)
    return lambda data: replayed_articles(base, data["records"], args.replay, args.seed)


def replayed_articles(base: BaseModel, user_articles: list[Article], share: float, seed: int) -> dict[str, list[Article]]:
    """Articles of the base's training data, drawn at random, whose labelled
    sentences make up ``share`` of the mix with the user's (by source)."""
    if not 0 <= share < 1:
        raise UserError(f"replay must be at least 0 and below 1, not {share}")
    if share == 0:
        return {}
    original = base.training_arguments()
    if original is None:
        raise UserError(f"{base.name}: its training data is not recorded in its config, so nothing can be replayed (set replay = 0)")
    from saidwho.training.data import load_training_data

    pool = [(source, a) for source, articles in load_training_data(original).items() for a in articles]
    random.Random(seed).shuffle(pool)
    wanted = share / (1 - share) * sum(_labelled(a) for a in user_articles)
    chosen: dict[str, list[Article]] = {}
    taken = 0
    for source, article in pool:
        if taken >= wanted:
            break
        chosen.setdefault(source, []).append(article)
        taken += _labelled(article)
    return chosen


def _labelled(article: Article) -> int:
    return sum(1 for s in article.sentences if s.label)


def pipeline_pointing_at(folder: Path, pipeline: list[dict[str, Any]], output: Path) -> list[dict[str, Any]]:
    """The pipeline of the model folder ``folder`` for a new folder at ``output``:
    every setting that names a file of ``folder`` points at it from ``output``."""
    output = Path(output).resolve()
    moved_pipeline = []
    for settings in pipeline:
        moved = dict(settings)
        for key, value in settings.items():
            if key != "component" and isinstance(value, str) and (folder / value).exists():
                moved[key] = os.path.relpath((folder / value).resolve(), output)
        if moved["component"] == "context_opinion" and "weights" not in moved:
            moved["weights"] = os.path.relpath(folder.resolve(), output)  # the base keeps them in its own folder
        moved_pipeline.append(moved)
    return moved_pipeline


def fine_tuned_config(base: BaseModel, name: str, output: Path, training_arguments: dict[str, Any]) -> ModelConfig:
    """The base's config for the new folder: its own weights, the base's
    pipeline with every file setting pointed at the base's files from ``output``."""
    pipeline = pipeline_pointing_at(base.path, base.config.pipeline, output)
    return dataclasses.replace(
        base.config, name=name, pipeline=pipeline, weights=None, training_arguments=training_arguments,
        note=f"fine-tuned from {base.config.name} on the user's records (saidwho train --init-from)",
    )
