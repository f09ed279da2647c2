"""A training run on a lent GPU machine: the bundle it reads and the import of what it returns.

The GPU machine has torch and transformers 5 but neither spaCy nor this
package's pins, and only 64 MiB of files travel to it. So the windows are
built here, exactly as ``saidwho train`` builds them
(:func:`~saidwho.training.data.training_datasets`), and travel as arrays:

- ``data.npz``: per split (``train``, ``heldout``) the word-piece ids of every
  window (uint16, concatenated, with ``{split}_window_start``), the BIO tag per
  piece (int8, -100 = no target), the source of each window, and per scored
  sentence its window, piece range, quotation features and targets
  (int8, -1 = the corpus cannot tell);
- ``encoder.safetensors`` + ``encoder_config.json``: MiniLM-L6 in fp16 (fp32 is
  87 MiB and would not travel). The embeddings stay frozen, so only the rows of
  the word-embedding matrix that the windows use travel, with their ids;
- ``bundle.json``: the training arguments (a ``saidwho train`` config's) and counts.

:mod:`saidwho.training.gpu` (with its model, :mod:`saidwho.training.gpu_model`: files
that import only torch, numpy and safetensors) trains on it and writes the trained state in shards of at most
16 MiB; :func:`import_run` merges them into a model folder here.

``python -m saidwho.training.gpu_bundle prepare --config configs/gpu.toml --bundle gpu_bundle``
``python -m saidwho.training.gpu_bundle import RETURNED_FOLDER models/minilm-v3-gpu``
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from saidwho.errors import UserError

BUNDLE_FORMAT = 1
SPLITS = ("train", "heldout")
SOURCE_CODES = ("polnear", "subjectivity", "records")  # data.SOURCES, by index
# The encoder's default model as shipped: its pipeline is copied into the imported folder.
PIPELINE_FROM = "minilm-v4-hybrid-context-int8"


# ---------------------------------------------------------------- prepare (here, on CPU)


def windows_arrays(dataset, split: str) -> dict[str, np.ndarray]:
    """A windows dataset (:func:`~saidwho.training.data.windows_dataset` rows) as flat arrays."""
    ids, tags, starts, sources = [], [], [0], []
    sent_window, sent_range, features, attributed, opinion = [], [], [], [], []
    for w, row in enumerate(dataset):
        ids += row["input_ids"]
        tags += row["tags"]
        starts.append(len(ids))
        sources.append(SOURCE_CODES.index(row["source"]))
        for (s, e), f, a, o in zip(row["sentence_pieces"], row["features"], row["attributed"], row["opinion"]):
            sent_window.append(w)
            sent_range.append((s, e))
            features.append(f)
            attributed.append(a)
            opinion.append(o)
    if ids and max(ids) >= 2**16:
        raise ValueError("word-piece id over 65535: the bundle stores ids as uint16")
    return {
        f"{split}_ids": np.asarray(ids, dtype=np.uint16),
        f"{split}_tags": np.asarray(tags, dtype=np.int8),
        f"{split}_window_start": np.asarray(starts, dtype=np.int64),
        f"{split}_source": np.asarray(sources, dtype=np.uint8),
        f"{split}_sentence_window": np.asarray(sent_window, dtype=np.int32),
        f"{split}_sentence_range": np.asarray(sent_range, dtype=np.int16).reshape(-1, 2),
        f"{split}_features": np.asarray(features, dtype=np.float32).reshape(-1, 5),
        f"{split}_attributed": np.asarray(attributed, dtype=np.int8),
        f"{split}_opinion": np.asarray(opinion, dtype=np.int8),
    }


def encoder_tensors(used_ids: np.ndarray, dtype=None) -> tuple[dict, dict]:
    """MiniLM's weights for the bundle (fp16 unless ``dtype``; of the word embeddings
    only the rows in ``used_ids``, with their ids) and its config."""
    import torch

    dtype = dtype or torch.float16
    from safetensors.torch import load_file

    from saidwho.models.pieces import encoder_path

    folder = Path(encoder_path())
    state = load_file(str(folder / "model.safetensors"))
    out = {}
    for name, tensor in state.items():
        name = name.removeprefix("bert.")  # some exports prefix the names
        if name.startswith("pooler.") or name.endswith("position_ids"):
            continue  # the sentence vectors are pooled by the heads, not BERT's pooler
        if name == "embeddings.word_embeddings.weight":
            out["embeddings.word_embeddings.rows"] = torch.from_numpy(used_ids.astype(np.int64))
            tensor = tensor[torch.from_numpy(used_ids.astype(np.int64))]
        out[name] = tensor.to(dtype).contiguous()
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    return out, config


def prepare(config: str | Path, bundle: str | Path, *, force: bool = False, console=None) -> dict:
    """Build the bundle folder from a GPU config. Returns ``bundle.json``'s content."""
    from rich.console import Console
    from safetensors.torch import save_file

    from saidwho.io import atomic_directory
    from saidwho.training.data import training_datasets

    from saidwho.training.arguments import TrainingArguments

    console = console or Console(stderr=True)
    args = TrainingArguments.from_toml(config)
    bundle = Path(bundle)
    if bundle.exists() and any(bundle.iterdir()) and not force:
        raise UserError(f"{bundle}: bundle folder exists; pass --force to overwrite it")
    started = time.time()
    console.print(f"building the training windows of {config} (as saidwho train does) ...")
    splits = training_datasets(args)
    if "train" not in splits:
        raise UserError("no training data: enable a corpus or give records")
    arrays: dict[str, np.ndarray] = {}
    counts: dict[str, dict] = {}
    for split in SPLITS:
        if split not in splits:
            raise UserError(f"{config}: no {split} windows (heldout_fraction must be > 0 for early stopping)")
        arrays.update(windows_arrays(splits[split], split))
        sources = arrays[f"{split}_source"]
        counts[split] = {
            "windows": int(len(sources)),
            "pieces": int(len(arrays[f"{split}_ids"])),
            "sentences": int(len(arrays[f"{split}_attributed"])),
            "articles": len(set(splits[split]["article_id"])),
            **{f"{name}_windows": int((sources == code).sum()) for code, name in enumerate(SOURCE_CODES)},
        }
    used = np.unique(np.concatenate([arrays[f"{split}_ids"] for split in SPLITS]))
    tensors, encoder_config = encoder_tensors(used)
    meta = {
        "format": BUNDLE_FORMAT,
        "config": str(config),
        "training_arguments": asdict(args),
        "counts": counts,
        "vocabulary_rows": int(len(used)),
        "prepare_seconds": 0.0,
    }
    with atomic_directory(bundle) as staging:
        np.savez_compressed(staging / "data.npz", **arrays)
        save_file(tensors, str(staging / "encoder.safetensors"))
        (staging / "encoder_config.json").write_text(json.dumps(encoder_config, indent=2) + "\n", encoding="utf-8")
        meta["prepare_seconds"] = round(time.time() - started, 1)
        meta["bytes"] = {p.name: p.stat().st_size for p in sorted(staging.iterdir())}
        (staging / "bundle.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    total = sum(meta["bytes"].values()) + len(json.dumps(meta))
    console.print(f"wrote {bundle}: {counts['train']['windows']} training and {counts['heldout']['windows']} held-out windows, "
                  f"{total / 2**20:.1f} MiB in {meta['prepare_seconds']:.0f} s")
    return meta


# ---------------------------------------------------------------- import (here, after the GPU run)


SHARD_PREFIX = "model-"  # the GPU script's shards: model-1-of-2.safetensors, ...


def merge_shards(folder: Path) -> dict:
    """The trained state from the GPU script's shards in ``folder`` (each name once)."""
    from safetensors.torch import load_file

    shards = sorted(folder.glob(f"{SHARD_PREFIX}*-of-*.safetensors"))
    if not shards:
        raise UserError(f"{folder}: no {SHARD_PREFIX}N-of-M.safetensors shards (is this the GPU run's output?)")
    expected = int(shards[0].stem.rsplit("-of-", 1)[1])
    if len(shards) != expected:
        raise UserError(f"{folder}: {len(shards)} of {expected} weight shards")
    state: dict = {}
    for shard in shards:
        part = load_file(str(shard))
        twice = sorted(set(part) & set(state))
        if twice:
            raise UserError(f"{shard}: {twice[0]} is in two shards")
        state.update(part)
    return state


def _pipeline_for(output: Path) -> list[dict]:
    """The shipped default's pipeline, its references to other model folders
    (``../rules-v1``, ``../minilm-v2-hybrid-context``) made relative to ``output``."""
    from saidwho.models.config import ModelConfig, resolve_model_path
    from saidwho.training.finetune import pipeline_pointing_at

    base = resolve_model_path(PIPELINE_FROM)
    return pipeline_pointing_at(base, ModelConfig.from_pretrained(base).pipeline, output)


def import_run(returned: str | Path, output: str | Path, *, force: bool = False, console=None) -> Path:
    """A model folder (torch weights, the shipped default's pipeline, run as int8
    ONNX like the default) from the files the GPU run returned."""
    from rich.console import Console
    from safetensors.torch import save_file

    from saidwho.models.config import WEIGHTS_NAME, ModelConfig, refuse_existing_model_folder, write_model_folder
    from saidwho.models.encoder import SaidwhoModel

    console = console or Console(stderr=True)
    returned, output = Path(returned), Path(output)
    if not returned.is_dir():
        raise UserError(f"{returned}: no such folder")
    refuse_existing_model_folder(output, force)
    metrics_path = returned / "metrics.json"
    if not metrics_path.exists():
        raise UserError(f"{metrics_path}: missing (is this the GPU run's output?)")
    metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
    if not metrics.get("complete", False):
        console.print(f"[yellow]warning:[/] {metrics_path} says the run did not finish: the weights are the best run's so far, "
                      "uncalibrated (temperatures 1)")
    state = merge_shards(returned)
    layers = metrics["trainable_layers"]
    model = SaidwhoModel(trainable_layers=layers)
    model.load_trained_state(state)  # refuses shards that lack a stored tensor
    extra = sorted(set(state) - set(model.trained_state()))
    if extra:
        raise UserError(f"{returned}: weights hold {extra[0]}, which this model does not store")
    pipeline = _pipeline_for(output)
    config = ModelConfig(
        name=output.name, kind="neural", pipeline=pipeline,
        note=f"all {layers} MiniLM layers fine-tuned on a GPU (saidwho.training.gpu); pipeline of {PIPELINE_FROM}",
        trainable_layers=layers, max_tokens=metrics["training_arguments"]["max_tokens"],
        runtime="onnx", quantize="int8", training_arguments={**metrics["training_arguments"], "gpu": metrics.get("gpu")},
    )

    def files(staging: Path) -> None:
        save_file(state, str(staging / WEIGHTS_NAME))
        for name in ("train.log",):
            if (returned / name).exists():
                shutil.copyfile(returned / name, staging / name)

    write_model_folder(output, config, files, metrics=metrics)
    console.print(f"wrote {output} ({layers} layers, {(output / WEIGHTS_NAME).stat().st_size / 2**20:.1f} MiB of weights)")
    return output


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m saidwho.training.gpu_bundle", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("prepare", help="build the bundle the GPU script trains on")
    p.add_argument("--config", default="configs/gpu.toml")
    p.add_argument("--bundle", default="gpu_bundle")
    p.add_argument("--force", action="store_true")
    i = commands.add_parser("import", help="a model folder from the GPU run's returned files")
    i.add_argument("returned")
    i.add_argument("output")
    i.add_argument("--force", action="store_true")
    ns = parser.parse_args(argv)
    try:
        if ns.command == "prepare":
            prepare(ns.config, ns.bundle, force=ns.force)
        else:
            import_run(ns.returned, ns.output, force=ns.force)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
