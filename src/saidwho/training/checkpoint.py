"""Checkpoints of a training run, so that a long CPU run can stop and go on.

``saidwho train`` writes ``OUTPUT.checkpoint.safetensors`` beside the model
folder every ``checkpoint_every`` steps and at each epoch's end, and removes
it when the folder is written; ``saidwho train --resume`` continues from it.
One safetensors file holds everything (no pickles): the tensors (the trained
weights, the best epoch's weights, the optimizer's moments, torch's random
state) and, in its metadata, a JSON document with the rest (epoch, step,
history, scheduler and optimizer settings, Python's random state at the
epoch's start, and the run's settings, which must match on resume). The file
is replaced atomically, so a kill at any moment leaves the previous
checkpoint or the new one, never half of one.

A resumed run is the run that was not interrupted: the epoch's batch order is
drawn again from the saved random state and the batches already done are
skipped, so the final weights are the same bytes (tested with a SIGKILL in
tests/test_checkpoint.py).
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from saidwho.errors import UserError

SUFFIX = ".checkpoint.safetensors"
FORMAT_VERSION = 1


def checkpoint_path(output: str | Path) -> Path:
    """Where the checkpoint of a run writing the model folder ``output`` lives."""
    output = Path(output)
    return output.with_name(output.name + SUFFIX)


@dataclass
class FitState:
    """Where a run's :meth:`~saidwho.training.trainer.Trainer.fit` stands."""

    seed: int
    epoch: int = 1  # the epoch being trained (1-based)
    step: int = 0  # batches of that epoch already done
    epoch_rng: Any = None  # random.Random state at the start of ``epoch``: the batch order
    running_loss: float = 0.0
    best_score: float = -1.0
    stale: int = 0
    finished: bool = False  # every epoch done or stopped early: only calibration is left
    history: list[dict] = field(default_factory=list)
    best_state: dict[str, torch.Tensor] | None = None

    def __post_init__(self) -> None:
        if self.epoch_rng is None:
            self.epoch_rng = random.Random(self.seed).getstate()

    def epoch_generator(self) -> random.Random:
        rng = random.Random()
        rng.setstate(self.epoch_rng)
        return rng


def _trainable(model) -> dict[str, torch.Tensor]:
    """The weights training changes (the frozen embeddings and bottom come from the base encoder)."""
    return {k: v for k, v in model.state_dict().items() if not k.startswith(("embeddings.", "bottom."))}


def save_checkpoint(path: Path, state: FitState, model, optimizer, scheduler, settings: dict) -> None:
    """Write ``path`` atomically (a temporary file, then a rename)."""
    from safetensors.torch import save_file

    tensors: dict[str, torch.Tensor] = {f"model.{k}": v.detach().contiguous() for k, v in _trainable(model).items()}
    for k, v in (state.best_state or {}).items():
        tensors[f"best.{k}"] = v.contiguous()
    optimizer_state = optimizer.state_dict()
    for index, slots in optimizer_state["state"].items():
        for name, value in slots.items():
            tensors[f"optimizer.{index}.{name}"] = torch.as_tensor(value).detach().clone().contiguous()
    tensors["rng.torch"] = torch.get_rng_state()
    version, internal, gauss = state.epoch_rng
    document = {
        "format": FORMAT_VERSION,
        "settings": settings,
        "epoch": state.epoch,
        "step": state.step,
        "epoch_rng": [version, list(internal), gauss],
        "running_loss": state.running_loss,
        "best_score": state.best_score,
        "stale": state.stale,
        "finished": state.finished,
        "history": state.history,
        "has_best": state.best_state is not None,
        "optimizer_groups": optimizer_state["param_groups"],
        "scheduler": scheduler.state_dict(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    save_file(tensors, str(temporary), metadata={"saidwho_checkpoint": json.dumps(document)})
    os.replace(temporary, path)


def load_checkpoint(path: Path, model, optimizer, scheduler, settings: dict) -> FitState:
    """Restore the model, optimizer, scheduler and torch's random state; return where the run stood."""
    from safetensors import SafetensorError, safe_open
    from safetensors.torch import load_file

    if not path.is_file():
        raise UserError(f"{path}: no checkpoint to resume from (runs write one as they train)")
    try:
        with safe_open(str(path), framework="pt") as handle:
            document = json.loads((handle.metadata() or {})["saidwho_checkpoint"])
        tensors = load_file(str(path))
    except (KeyError, ValueError, OSError, SafetensorError) as exc:
        raise UserError(f"{path}: not a readable saidwho checkpoint ({exc})") from None
    if document.get("format") != FORMAT_VERSION:
        raise UserError(f"{path}: checkpoint format {document.get('format')!r}, this saidwho reads {FORMAT_VERSION}")
    changed = sorted(k for k in set(settings) | set(document["settings"]) if settings.get(k) != document["settings"].get(k))
    if changed:
        raise UserError(f"{path}: the checkpoint was made with other settings ({', '.join(changed)}); "
                        "resume with the same config, or delete the checkpoint to start over")
    model.load_state_dict({k[len("model."):]: v for k, v in tensors.items() if k.startswith("model.")}, strict=False)
    slots: dict[int, dict[str, torch.Tensor]] = {}
    for key, value in tensors.items():
        if key.startswith("optimizer."):
            _, index, name = key.split(".", 2)
            slots.setdefault(int(index), {})[name] = value
    optimizer.load_state_dict({"state": slots, "param_groups": document["optimizer_groups"]})
    scheduler.load_state_dict(document["scheduler"])
    torch.set_rng_state(tensors["rng.torch"])
    version, internal, gauss = document["epoch_rng"]
    best = {k[len("best."):]: v for k, v in tensors.items() if k.startswith("best.")} if document["has_best"] else None
    return FitState(
        seed=settings.get("seed", 0), epoch=document["epoch"], step=document["step"],
        epoch_rng=(version, tuple(internal), gauss), running_loss=document["running_loss"],
        best_score=document["best_score"], stale=document["stale"], finished=document["finished"],
        history=document["history"], best_state=best,
    )
