"""Training the learned model: ``saidwho train --config configs/default.toml``.

:class:`Trainer` (SetFit style) runs over ``datasets.Dataset`` windows
(:func:`~saidwho.training.data.training_datasets`) in clear steps:

1. :meth:`~Trainer.load_data`: the ``train`` and ``heldout`` windows;
2. :meth:`~Trainer.cache_frozen_layers`: the frozen bottom of the encoder runs
   once over every window and its output is kept, so each epoch trains only
   the top layers and the heads (minutes on two CPU cores);
3. :meth:`~Trainer.fit`: epochs with early stopping on the held-out windows;
4. :meth:`~Trainer.calibrate`: a temperature per head on the held-out windows;
5. :meth:`~Trainer.save`: weights, ``config.json`` (a
   :class:`~saidwho.models.config.ModelConfig`), ``metrics.json`` and
   :meth:`~Trainer.card`, the model card (with dev results unless skipped).

:func:`train` runs them all for the command line.
"""

from __future__ import annotations

import random
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
from torch import nn

from saidwho.errors import Interrupted, UserError
from saidwho.models.config import ModelConfig, neural_pipeline, refuse_existing_model_folder, write_model_folder
from saidwho.models.encoder import TAGS, SaidwhoModel
from saidwho.training.arguments import TrainingArguments
from saidwho.training.checkpoint import FitState, checkpoint_path, load_checkpoint, save_checkpoint
from saidwho.training.calibration import expected_calibration_error, fit_temperature
from saidwho.training.data import (
    SOURCES,
    collate_rows,
    collate_targets,
    training_datasets,
)
from saidwho.training.dev import evaluate_on_dev
from saidwho.training.modelcard import write_model_card

__all__ = ["Trainer", "TrainingArguments", "cache_bottom", "heldout_scores", "predict_logits", "train"]


# ---------------------------------------------------------------- steps on batches of rows


def _batch(columns: dict[str, list], hidden: list[torch.Tensor], model: SaidwhoModel) -> tuple[dict, dict]:
    """Inputs (with the cached frozen-layer output as ``hidden``) and targets of a batch of dataset rows."""
    inputs = collate_rows(columns)
    length = inputs["input_ids"].shape[1]
    stacked = torch.zeros(len(hidden), length, model.top[0].output.dense.out_features)
    for b, h in enumerate(hidden):
        stacked[b, : h.shape[0]] = h.float()
    inputs["hidden"] = stacked
    return inputs, collate_targets(columns)


def _forward(model: SaidwhoModel, inputs: dict) -> dict[str, torch.Tensor]:
    hidden = model.encode_top(inputs["hidden"], inputs["attention_mask"])
    return model.heads(hidden, inputs["pool"], inputs["features"])


def _loss(out: dict, targets: dict, args: TrainingArguments) -> torch.Tensor:
    bce = nn.functional.binary_cross_entropy_with_logits
    loss = out["attribution"].new_zeros(())
    mask = targets["attributed"] >= 0
    if mask.any():
        loss = loss + bce(out["attribution"][mask], targets["attributed"][mask])
    mask = targets["opinion"] >= 0
    if mask.any():
        loss = loss + args.subjectivity_loss_weight * bce(out["subjectivity"][mask], targets["opinion"][mask])
    if (targets["tags"] >= 0).any():
        loss = loss + args.span_loss_weight * nn.functional.cross_entropy(
            out["spans"].reshape(-1, len(TAGS)), targets["tags"].reshape(-1), ignore_index=-100
        )
    return loss


@torch.inference_mode()
def cache_bottom(model: SaidwhoModel, input_ids: list[list[int]], batch_size: int, progress=None) -> list[torch.Tensor]:
    """The frozen layers' output (fp16) for each window's word pieces, in the order given;
    run in batches of similar length."""
    order = sorted(range(len(input_ids)), key=lambda i: len(input_ids[i]))
    hidden: list[torch.Tensor] = [torch.empty(0)] * len(input_ids)
    for start in range(0, len(order), batch_size * 2):
        chunk = order[start : start + batch_size * 2]
        ids = [input_ids[i] for i in chunk]
        inputs = collate_rows({"input_ids": ids, "sentence_pieces": [[]] * len(ids), "features": [[]] * len(ids)})
        out = model.encode_bottom(inputs["input_ids"], inputs["attention_mask"])
        for b, i in enumerate(chunk):
            hidden[i] = out[b, : len(input_ids[i])].to(torch.float16).clone()
        if progress:
            progress(len(chunk))
    return hidden


@torch.inference_mode()
def predict_logits(model: SaidwhoModel, dataset, hidden: list[torch.Tensor], batch_size: int) -> dict[str, np.ndarray]:
    """Attribution and subjectivity logits of every sentence of ``dataset`` (may be None), with its targets."""
    model.eval()
    attr, subj, y_attr, y_subj = [], [], [], []
    for start in range(0, len(dataset) if dataset is not None else 0, batch_size * 2):
        stop = start + batch_size * 2
        inputs, targets = _batch(dataset[start:stop], hidden[start:stop], model)
        out = _forward(model, inputs)
        attr.append(out["attribution"].numpy())
        subj.append(out["subjectivity"].numpy())
        y_attr.append(targets["attributed"].numpy())
        y_subj.append(targets["opinion"].numpy())
    cat = lambda xs: np.concatenate(xs) if xs else np.zeros(0)
    return {"attribution": cat(attr), "subjectivity": cat(subj), "y_attribution": cat(y_attr), "y_subjectivity": cat(y_subj)}


def heldout_scores(logits: dict[str, np.ndarray]) -> dict[str, float]:
    from sklearn.metrics import f1_score

    scores = {}
    mask = logits["y_attribution"] >= 0
    if mask.any():
        scores["attribution_f1"] = float(f1_score(logits["y_attribution"][mask], logits["attribution"][mask] > 0))
    mask = logits["y_subjectivity"] >= 0
    if mask.any():
        scores["subjectivity_macro_f1"] = float(
            f1_score(logits["y_subjectivity"][mask], logits["subjectivity"][mask] > 0, average="macro")
        )
    scores["selection"] = float(np.mean(list(scores.values()))) if scores else 0.0
    return scores


def _progress(console):
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[info]}"),
               TimeElapsedColumn(), TimeRemainingColumn())
    return Progress(*columns, console=console)


def build_optimizer(args: TrainingArguments, model: SaidwhoModel, windows: int) -> tuple[torch.optim.Optimizer, torch.optim.lr_scheduler.LRScheduler, list[nn.Parameter]]:
    """AdamW over the top layers and the heads (two learning rates) with a one-cycle schedule over every step of the run."""
    top_params = list(model.top.parameters())
    head_params = [p for m in (model.attribution, model.subjectivity, model.spans) for p in m.parameters()]
    optimizer = torch.optim.AdamW(
        [{"params": top_params, "lr": args.learning_rate}, {"params": head_params, "lr": args.head_learning_rate}],
        weight_decay=args.weight_decay,
    )
    steps_per_epoch = (windows + args.batch_size - 1) // args.batch_size
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=[args.learning_rate, args.head_learning_rate], total_steps=steps_per_epoch * args.epochs, pct_start=0.1
    )
    return optimizer, scheduler, top_params + head_params


# ---------------------------------------------------------------- the trainer


class Trainer:
    """Trains :class:`~saidwho.models.encoder.SaidwhoModel` on windows datasets.

    ``Trainer(args).train()`` loads the data (unless datasets are given), builds
    the model, caches the frozen layers, fits and calibrates; ``save(folder)``
    then writes the model folder.
    """

    def __init__(self, args: TrainingArguments, *, train_dataset=None, eval_dataset=None, model: SaidwhoModel | None = None, console=None):
        from rich.console import Console

        self.args = args
        self.train_dataset = train_dataset
        self.eval_dataset = eval_dataset  # the held-out windows (early stopping, calibration); may be None
        self.model = model
        self.console = console or Console(stderr=True)
        self.history: list[dict] = []
        self.calibration: dict[str, dict] = {}
        self.training_seconds = 0.0
        self._hidden: dict[str, list[torch.Tensor]] = {"train": [], "heldout": []}
        self.checkpoint: Path | None = None  # where fit() saves its state (None: nowhere)
        self.resume = False  # continue from ``checkpoint``

    def train(self) -> Trainer:
        """All steps up to a trained, calibrated model (in ``self.model``)."""
        started = time.time()
        self.seed()
        self.load_data()
        if self.model is None:
            self.model = self._initial_model()
        self.cache_frozen_layers()
        self.fit()
        self.calibrate()
        self.training_seconds = round(time.time() - started, 1)
        return self

    def _initial_model(self) -> SaidwhoModel:
        """The bare encoder with new heads, or the ``init_from`` model's trained weights (fp32)."""
        if not self.args.init_from:
            return SaidwhoModel(trainable_layers=self.args.trainable_layers)
        from saidwho.training.finetune import resolve_base

        base = resolve_base(self.args.init_from)
        if base.config.trainable_layers != self.args.trainable_layers:
            # The stored weights are the base's top layers: the split must be the base's.
            self.args.trainable_layers = base.config.trainable_layers
        self.console.print(f"starting from {base.config.name} ({base.path})")
        return SaidwhoModel.from_pretrained(base.path, base.config, quantize=False)

    def seed(self) -> None:
        torch.set_grad_enabled(True)  # a pipeline loaded earlier in the process may have turned it off
        random.seed(self.args.seed)
        np.random.seed(self.args.seed)
        torch.manual_seed(self.args.seed)
        if self.args.threads:
            torch.set_num_threads(self.args.threads)

    def load_data(self) -> None:
        """The ``train`` and ``heldout`` windows (:func:`training_datasets`) unless given."""
        self.console.print(f"[bold]saidwho train[/] {self.args.name}: loading data from {self.args.data_path()}")
        if self.train_dataset is None:
            from saidwho.training.finetune import replay_from_base

            splits = training_datasets(self.args, add=replay_from_base(self.args))
            if "train" not in splits:
                raise UserError("no training data: enable a corpus or give records")
            self.train_dataset, self.eval_dataset = splits["train"], splits.get("heldout")
        sources = list(self.train_dataset["source"])
        counts = {source: sources.count(source) for source in SOURCES}
        self.console.print(
            f"{len(self.train_dataset)} training windows ({counts['polnear']} PolNeAR, {counts['subjectivity']} subjectivity, "
            f"{counts['records']} records); held out {self._heldout_size()} windows"
        )

    def _heldout_size(self) -> int:
        return len(self.eval_dataset) if self.eval_dataset is not None else 0

    def cache_frozen_layers(self) -> None:
        """Run the frozen layers once over the training and held-out windows."""
        input_ids = list(self.train_dataset["input_ids"])
        if self.eval_dataset is not None:
            input_ids += list(self.eval_dataset["input_ids"])
        with _progress(self.console) as progress:
            task = progress.add_task("caching frozen layers", total=len(input_ids), info="")
            hidden = cache_bottom(self.model, input_ids, self.args.batch_size, lambda n: progress.advance(task, n))
        size = len(self.train_dataset)
        self._hidden = {"train": hidden[:size], "heldout": hidden[size:]}

    def predict_heldout(self) -> dict[str, np.ndarray]:
        return predict_logits(self.model, self.eval_dataset, self._hidden["heldout"], self.args.batch_size)

    def fit(self) -> list[dict]:
        """Epochs over the training windows; keeps the state with the best held-out score
        and stops after ``patience`` epochs without a gain. Returns the history.

        With ``self.checkpoint`` set, the run's state is saved there every
        ``checkpoint_every`` steps and at each epoch's end; with ``self.resume``
        it first continues from that file (:mod:`saidwho.training.checkpoint`)."""
        args = self.args
        optimizer, scheduler, params = build_optimizer(args, self.model, len(self.train_dataset))
        state = FitState(seed=args.seed)
        if self.resume:
            state = load_checkpoint(self.checkpoint, self.model, optimizer, scheduler, self._settings())
            self.console.print(f"resuming from {self.checkpoint}: epoch {state.epoch}, step {state.step}")
        while not state.finished and state.epoch <= args.epochs:
            epoch = state.epoch
            loss = self._epoch(state, optimizer, scheduler, params)
            scores = heldout_scores(self.predict_heldout())
            state.history.append({"epoch": epoch, "loss": round(loss, 4), **{k: round(v, 4) for k, v in scores.items()}})
            self.console.print(f"epoch {epoch}: loss {loss:.3f}, held-out " + ", ".join(f"{k} {v:.4f}" for k, v in scores.items()))
            if scores["selection"] > state.best_score:
                state.best_score, state.stale = scores["selection"], 0
                state.best_state = {k: v.detach().clone() for k, v in self.model.state_dict().items() if not k.startswith(("embeddings.", "bottom."))}
            else:
                state.stale += 1
                if state.stale > args.patience:
                    self.console.print(f"early stop: no held-out gain for {state.stale} epochs")
                    state.finished = True
            state.epoch, state.step = epoch + 1, 0
            state.finished = state.finished or state.epoch > args.epochs
            self._save_checkpoint(state, optimizer, scheduler)
        self.history = state.history
        if state.best_state is not None:
            self.model.load_state_dict(state.best_state, strict=False)
        return self.history

    def _settings(self) -> dict:
        """The run's settings as a checkpoint records them (a resume must use the same)."""
        return {k: v for k, v in asdict(self.args).items() if k != "threads"}

    def _save_checkpoint(self, state: FitState, optimizer, scheduler) -> None:
        if self.checkpoint is not None:
            save_checkpoint(self.checkpoint, state, self.model, optimizer, scheduler, self._settings())

    def _epoch(self, state: FitState, optimizer, scheduler, params: list[nn.Parameter]) -> float:
        """One pass over the training windows (from ``state.step`` on); returns the running loss."""
        args, model, dataset, hidden = self.args, self.model, self.train_dataset, self._hidden["train"]
        model.train()
        # Batches of similar length (less padding), in random order; the order is
        # drawn from the epoch's saved random state, so a resumed epoch has it too.
        rng = state.epoch_generator()
        lengths = [len(ids) for ids in dataset["input_ids"]]
        order = sorted(range(len(dataset)), key=lambda i: (lengths[i], rng.random()))
        batches = [order[i : i + args.batch_size] for i in range(0, len(order), args.batch_size)]
        rng.shuffle(batches)
        every = args.checkpoint_every
        with _progress(self.console) as progress:
            task = progress.add_task(f"epoch {state.epoch}/{args.epochs}", total=len(batches), info="", completed=state.step)
            for step in range(state.step + 1, len(batches) + 1):
                indices = batches[step - 1]
                inputs, targets = _batch(dataset[indices], [hidden[i] for i in indices], model)
                loss = _loss(_forward(model, inputs), targets, args)
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, 1.0)
                optimizer.step()
                scheduler.step()
                state.running_loss = 0.95 * state.running_loss + 0.05 * loss.item() if step > 1 else loss.item()
                state.step = step
                progress.update(task, advance=1, info=f"loss {state.running_loss:.3f}")
                if every and step % every == 0 and step < len(batches):
                    self._save_checkpoint(state, optimizer, scheduler)
        state.epoch_rng = rng.getstate()  # the next epoch draws on from here, as an uninterrupted run does
        return state.running_loss

    def calibrate(self) -> dict[str, dict]:
        """A temperature per head fitted on the held-out windows (stored in the model), with ECE before and after."""
        logits = self.predict_heldout()
        temperatures = []
        for head, key in (("attribution", "y_attribution"), ("subjectivity", "y_subjectivity")):
            mask = logits[key] >= 0
            t = fit_temperature(logits[head][mask], logits[key][mask])
            temperatures.append(t)
            raw = 1 / (1 + np.exp(-logits[head][mask]))
            scaled = 1 / (1 + np.exp(-logits[head][mask] / t))
            self.calibration[head] = {
                "temperature": round(t, 4),
                "heldout_ece_before": round(expected_calibration_error(raw, logits[key][mask]), 4),
                "heldout_ece_after": round(expected_calibration_error(scaled, logits[key][mask]), 4),
            }
        self.model.temperatures.copy_(torch.tensor(temperatures))
        return self.calibration

    def model_config(self, name: str, output: Path | None = None) -> ModelConfig:
        args = self.args
        if args.init_from:
            from saidwho.training.finetune import fine_tuned_config, resolve_base

            return fine_tuned_config(resolve_base(args.init_from), name, output or Path(name), asdict(args))
        return ModelConfig(
            name=name, kind="neural", pipeline=neural_pipeline(), trainable_layers=args.trainable_layers,
            max_tokens=args.max_tokens, training_arguments=asdict(args),
        )

    def metrics(self) -> dict:
        """What ``metrics.json`` records of the run (dev results are added by :meth:`save`)."""
        dataset = self.train_dataset
        sources = list(dataset["source"])
        polnear = {a for a, source in zip(dataset["article_id"], sources) if source == "polnear"}
        return {
            "history": self.history,
            "calibration": self.calibration,
            "training_seconds": self.training_seconds,
            "train_windows": len(dataset),
            "heldout_windows": self._heldout_size(),
            "polnear_train_articles": len(polnear),
            "subjectivity_train_sentences": sources.count("subjectivity"),
            "records_train_windows": sources.count("records"),
            "records_train_articles": len({a for a, source in zip(dataset["article_id"], sources) if source == "records"}),
        }

    def save(self, output: Path, *, evaluate_dev: bool = True) -> dict:
        """Write the model folder: weights, config, metrics (with dev results) and the card. Returns the metrics."""
        output = Path(output)
        config = self.model_config(output.name, output)

        def metrics(staging: Path) -> dict:
            measured = self.metrics()
            if evaluate_dev:
                self.console.print("evaluating on dev splits for the model card ...")
                measured["dev"], measured["dev_ece"] = evaluate_on_dev(staging, self.args, self.console)
            return measured

        written = write_model_folder(
            output, config, self.model.save_pretrained, metrics=metrics,
            card=lambda path, measured: self.card(path, config, measured, output),
        )
        self.console.print(f"wrote {output} in {self.training_seconds:.0f} s of training")
        return written

    def card(self, path: Path, config: ModelConfig, metrics: dict, output: Path) -> None:
        """The model card at ``path`` (``README.md`` of the staged folder;
        ``output``: where the folder goes, as the user gave it)."""
        if self.args.init_from:
            from saidwho.training.modelcard import write_finetune_card

            write_finetune_card(path, config, metrics, output)
        else:
            write_model_card(path, config, metrics)


def train(args: TrainingArguments, output: Path, *, force: bool = False, console=None, evaluate_dev: bool = True,
          resume: bool = False) -> dict:
    """Train a model with ``args`` and write it to ``output`` (what ``saidwho train`` runs). Returns the metrics.

    The run checkpoints to ``OUTPUT.checkpoint.safetensors`` (removed once the
    folder is written); ``resume=True`` continues from it. A checkpoint left by
    an interrupted run is never silently overwritten."""
    output = Path(output)
    refuse_existing_model_folder(output, force)
    checkpoint = checkpoint_path(output)
    if resume and not checkpoint.is_file():
        raise UserError(f"{checkpoint}: no checkpoint to resume from (runs write one as they train)")
    if not resume and checkpoint.is_file():
        raise UserError(f"{checkpoint}: an interrupted run's checkpoint; add --resume to continue it, or delete it to start over")
    trainer = Trainer(args, console=console)
    trainer.checkpoint, trainer.resume = checkpoint, resume
    try:
        trainer.train()
    except KeyboardInterrupt:
        if checkpoint.is_file():
            raise Interrupted(f"interrupted; {checkpoint} holds the run's last checkpoint: run the same command with --resume to continue") from None
        raise Interrupted("interrupted before the first checkpoint; nothing to resume") from None
    written = trainer.save(output, evaluate_dev=evaluate_dev)
    checkpoint.unlink(missing_ok=True)
    return written
