"""A pipeline saved as a model folder that :func:`~saidwho.pipeline.registry.load` builds again.

The folder is self-contained: the learned model's weights (which a config
may take from another folder, ``../minilm-v2/model.safetensors``) are copied
in, and each component writes the files it reads with its
``save_pretrained``, which returns the settings that point at them. So the
folder can go anywhere, and gives the records the pipeline gives.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from saidwho.models.config import CARD_NAME, METRICS_NAME, WEIGHTS_NAME, ModelConfig, write_model_folder
from saidwho.pipeline.component import Component


def save_model_folder(components: Sequence[Component], config: ModelConfig, source: Path, output: Path) -> Path:
    """Write ``components`` (built from ``config``, whose folder is ``source``) as a model folder at ``output``."""
    if len(components) != len(config.pipeline):
        raise ValueError(
            f"the pipeline has {len(components)} components but its config lists {len(config.pipeline)}: "
            "a pipeline changed after loading cannot be saved"
        )
    specs: list[dict[str, Any]] = []

    def files(staging: Path) -> None:
        if config.kind == "neural":
            shutil.copyfile(config.weights_path(source), staging / WEIGHTS_NAME)
        for component, spec in zip(components, config.pipeline):
            settings = {**spec, **component.save_pretrained(staging)}
            specs.append({key: value for key, value in settings.items() if value is not None})
        if (source / CARD_NAME).exists():
            shutil.copyfile(source / CARD_NAME, staging / CARD_NAME)

    def saved_config() -> ModelConfig:
        # Written after the files: it lists the settings the components returned.
        weights = WEIGHTS_NAME if config.kind == "neural" else config.weights
        return replace(config, pipeline=specs, weights=weights)

    metrics_path = source / METRICS_NAME
    metrics = json.loads(metrics_path.read_text(encoding="utf-8")) if metrics_path.exists() else None
    write_model_folder(output, saved_config, files, metrics=metrics)
    return output
