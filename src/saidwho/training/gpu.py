#!/usr/bin/env python3
"""Fine-tune every layer of saidwho's learned model on one GPU, from a bundle.

    python3 src/saidwho/training/gpu.py --bundle gpu_bundle --out OUT

With its siblings ``gpu_model.py`` (the model) and ``calibration.py``, loaded
by path, a file that
imports torch, numpy and safetensors only, so it
runs under a GPU machine's own Python (transformers 5, no spaCy, none of
this package's pins) without installing saidwho; it is run by path, since
importing the package would import its pipeline. The bundle
(:mod:`saidwho.training.gpu_bundle`) holds the windows ``saidwho train``
builds, as arrays, and MiniLM-L6's weights in fp16.

The model is :class:`saidwho.models.encoder.SaidwhoModel` with
``trainable_layers=6``: the same BERT layers (written out here with the same
parameter names in ``gpu_model.py``, so no transformers version matters), the same heads,
losses and sentence pooling. The embeddings stay frozen as shipped: the
stored state is then exactly what ``SaidwhoModel.from_pretrained`` reads (``top.0`` to
``top.5`` in fp16, the heads and the temperatures), and the pip encoder
supplies the embeddings at run time.

For each encoder learning rate (``--learning-rates``; by default half, once
and twice the config's ``learning_rate``): AdamW, linear
warm-up and decay, bf16 autocast on CUDA, an evaluation on the held-out
windows after each epoch, early stopping, the best state kept; all runs
share a hard wall-clock budget. The best run on the held-out windows is
temperature-scaled there and written to OUT as ``model-K-of-N.safetensors``
shards of at most 15 MiB (a lent machine returns files of at most 16 MiB),
``metrics.json`` and ``train.log``. ``--max-windows`` and ``--max-steps``
make a run small enough for a CPU test.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

# Run by path, Python puts this folder first on sys.path, where saidwho's own data.py,
# rules.py, context.py ... would shadow any package of those names that torch may import.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch.nn import functional as F  # noqa: E402


def _load_sibling(name: str):
    """The module ``name``.py of this folder, loaded by path: run on a GPU machine this
    script can neither import saidwho (see above) nor keep its folder on sys.path."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"saidwho_gpu_{name}", Path(__file__).resolve().with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


_model = _load_sibling("gpu_model")
TAGS, N_FEATURES, GpuModel = _model.TAGS, _model.N_FEATURES, _model.GpuModel
# calibration.py imports numpy only: the grid and the ECE are saidwho's own.
_calibration = _load_sibling("calibration")
fit_temperature, expected_calibration_error = _calibration.fit_temperature, _calibration.expected_calibration_error

SHARD_BYTES = 15 * 2**20
SPLITS = ("train", "heldout")


# ---------------------------------------------------------------- the bundle's windows on the device


class Windows:
    """One split of the bundle, padded, on the device."""

    def __init__(self, data, split: str, row_of: np.ndarray, device, limit: int = 0):
        starts = data[f"{split}_window_start"]
        total = len(starts) - 1
        # A small run (tests) takes evenly spaced windows, so that every source is in it.
        chosen = np.arange(total) if not limit or limit >= total else np.linspace(0, total - 1, limit).round().astype(np.int64)
        count = len(chosen)
        flat_ids, flat_tags = data[f"{split}_ids"], data[f"{split}_tags"]
        self.lengths = (starts[chosen + 1] - starts[chosen]).astype(np.int64)
        width = int(self.lengths.max())
        ids = np.zeros((count, width), dtype=np.int64)
        tags = np.full((count, width), -100, dtype=np.int64)
        for w, original in enumerate(chosen):
            s, e = starts[original], starts[original + 1]
            ids[w, : e - s] = row_of[flat_ids[s:e].astype(np.int64)]
            tags[w, : e - s] = flat_tags[s:e]
        # The bundle lists sentences in window order; renumber the chosen windows' ones 0..count-1.
        renumber = np.full(total, -1, dtype=np.int64)
        renumber[chosen] = np.arange(count)
        sent_window = renumber[data[f"{split}_sentence_window"].astype(np.int64)]
        keep = sent_window >= 0
        self.sentence_window = sent_window[keep]
        # Sentences of window w: sentence_start[w]:sentence_start[w+1].
        self.sentence_start = np.searchsorted(self.sentence_window, np.arange(count + 1))
        put = lambda a, dtype: torch.as_tensor(np.ascontiguousarray(a), dtype=dtype, device=device)
        self.ids, self.tags = put(ids, torch.long), put(tags, torch.long)
        self.lengths_t = put(self.lengths, torch.long)
        self.sent_range = put(data[f"{split}_sentence_range"][keep].astype(np.int64), torch.long)
        self.features = put(data[f"{split}_features"][keep], torch.float32)
        self.attributed = put(data[f"{split}_attributed"][keep], torch.float32)
        self.opinion = put(data[f"{split}_opinion"][keep], torch.float32)
        self.source = data[f"{split}_source"][chosen]
        self.device = device
        self.count = count

    def batch(self, windows: np.ndarray) -> tuple[dict, dict]:
        """Inputs and targets of the windows ``windows`` (trimmed to their longest)."""
        width = int(self.lengths[windows].max())
        width = min(self.ids.shape[1], -(-width // 8) * 8)  # a multiple of 8 keeps the matrix kernels on their fast path
        sentences = np.concatenate([np.arange(self.sentence_start[w], self.sentence_start[w + 1]) for w in windows])
        local = np.repeat(np.arange(len(windows)), np.diff(self.sentence_start)[windows])
        put = lambda a: torch.as_tensor(a, dtype=torch.long).to(self.device, non_blocking=True)
        w_t, s_t = put(windows), put(sentences)
        inputs = {
            "ids": self.ids[w_t, :width], "lengths": self.lengths_t[w_t], "sent_window": put(local),
            "sent_range": self.sent_range[s_t], "features": self.features[s_t],
        }
        targets = {"attributed": self.attributed[s_t], "opinion": self.opinion[s_t], "tags": self.tags[w_t, :width]}
        return inputs, targets


def load_bundle(folder: Path, device, limit: int = 0) -> tuple[dict, dict[str, torch.Tensor], dict, dict[str, Windows]]:
    from safetensors.torch import load_file

    for name in ("bundle.json", "data.npz", "encoder.safetensors", "encoder_config.json"):
        if not (folder / name).exists():
            raise SystemExit(f"error: {folder / name}: missing (build the bundle with saidwho.training.gpu_bundle prepare)")
    meta = json.loads((folder / "bundle.json").read_text(encoding="utf-8"))
    config = json.loads((folder / "encoder_config.json").read_text(encoding="utf-8"))
    tensors = load_file(str(folder / "encoder.safetensors"))
    rows = tensors["embeddings.word_embeddings.rows"].numpy()
    row_of = np.full(config["vocab_size"], 0, dtype=np.int64)
    row_of[rows] = np.arange(len(rows))
    data = dict(np.load(folder / "data.npz"))
    splits = {split: Windows(data, split, row_of, device, limit) for split in SPLITS}
    return meta, tensors, config, splits


# ---------------------------------------------------------------- training


def loss_of(out: dict, targets: dict, args: dict) -> torch.Tensor:
    """saidwho.training.trainer._loss, without host syncs (a term without targets adds 0)."""
    def masked_bce(logits, y):
        m = (y >= 0).float()
        return (F.binary_cross_entropy_with_logits(logits.float(), y.clamp(min=0), reduction="none") * m).sum() / m.sum().clamp(min=1)

    tags = targets["tags"].reshape(-1)
    spans = F.cross_entropy(out["spans"].float().reshape(-1, len(TAGS)), tags, ignore_index=-100, reduction="sum")
    spans = spans / (tags >= 0).sum().clamp(min=1)
    return (masked_bce(out["attribution"], targets["attributed"])
            + args["subjectivity_loss_weight"] * masked_bce(out["subjectivity"], targets["opinion"])
            + args["span_loss_weight"] * spans)


def f1(y: np.ndarray, p: np.ndarray) -> float:
    tp, fp, fn = float(((p == 1) & (y == 1)).sum()), float(((p == 1) & (y == 0)).sum()), float(((p == 0) & (y == 1)).sum())
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def heldout_scores(logits: dict[str, np.ndarray]) -> dict[str, float]:
    """saidwho.training.trainer.heldout_scores (sklearn's binary and macro F1) in numpy."""
    scores = {}
    m = logits["y_attribution"] >= 0
    if m.any():
        scores["attribution_f1"] = f1(logits["y_attribution"][m], (logits["attribution"][m] > 0).astype(float))
    m = logits["y_subjectivity"] >= 0
    if m.any():
        y, p = logits["y_subjectivity"][m], (logits["subjectivity"][m] > 0).astype(float)
        scores["subjectivity_macro_f1"] = (f1(y, p) + f1(1 - y, 1 - p)) / 2
    scores["selection"] = float(np.mean(list(scores.values()))) if scores else 0.0
    return scores


@torch.no_grad()
def predict(model: GpuModel, windows: Windows, batch_size: int, autocast) -> dict[str, np.ndarray]:
    """Held-out logits and targets per sentence, plus span tag accuracy on tagged pieces."""
    model.eval()
    attr, subj, y_attr, y_subj, tag_hits, tag_total = [], [], [], [], 0, 0
    order = np.argsort(windows.lengths, kind="stable")
    for start in range(0, len(order), batch_size * 4):
        inputs, targets = windows.batch(order[start : start + batch_size * 4])
        with autocast():
            out = model(**inputs)
        attr.append(out["attribution"].float().cpu().numpy())
        subj.append(out["subjectivity"].float().cpu().numpy())
        y_attr.append(targets["attributed"].cpu().numpy())
        y_subj.append(targets["opinion"].cpu().numpy())
        tagged = targets["tags"] > 0  # span pieces: is the tag found?
        tag_hits += int((out["spans"].argmax(-1)[tagged] == targets["tags"][tagged]).sum())
        tag_total += int(tagged.sum())
    cat = lambda xs: np.concatenate(xs) if xs else np.zeros(0)
    return {"attribution": cat(attr), "subjectivity": cat(subj), "y_attribution": cat(y_attr), "y_subjectivity": cat(y_subj),
            "span_recall": tag_hits / max(tag_total, 1)}


def length_batches(lengths: np.ndarray, batch_size: int, rng: random.Random) -> list[np.ndarray]:
    """Batches of similar length (less padding) in random order, as the CPU trainer makes them."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rng.random()))
    batches = [np.asarray(order[i : i + batch_size]) for i in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    return batches


def train_one(lr: float, tensors, config, splits, meta, settings: dict, budget_s: float, device, autocast, log, max_steps: int = 0) -> dict:
    """One run at encoder learning rate ``lr``; returns its history, best score and best state."""
    args, seed = meta["training_arguments"], meta["training_arguments"]["seed"]
    random.seed(seed), np.random.seed(seed), torch.manual_seed(seed)
    model = GpuModel(tensors, config).to(device)
    layers = list(model.top.parameters())
    heads = [p for m in (model.attribution, model.subjectivity, model.spans) for p in m.parameters()]
    fused = {"fused": True} if device.type == "cuda" else {}
    optimizer = torch.optim.AdamW([{"params": layers, "lr": lr}, {"params": heads, "lr": settings["head_learning_rate"]}],
                                  weight_decay=settings["weight_decay"], **fused)
    train, rng = splits["train"], random.Random(seed)
    steps_per_epoch = math.ceil(train.count / settings["batch_size"])
    total = steps_per_epoch * settings["epochs"] if not max_steps else min(max_steps, steps_per_epoch * settings["epochs"])
    warmup = max(1, int(total * settings["warmup_fraction"]))
    schedule = lambda step: min((step + 1) / warmup, max(0.0, (total - step) / max(1, total - warmup)))
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    started, step, tokens = time.time(), 0, 0
    history, best, best_state, stale = [], -1.0, None, 0
    run = {"learning_rate": lr, "planned_steps": total}
    for epoch in range(1, settings["epochs"] + 1):
        model.train()
        running, out_of_time = None, False
        for indices in length_batches(train.lengths, settings["batch_size"], rng):
            inputs, targets = train.batch(indices)
            with autocast():
                out = model(**inputs)
            loss = loss_of(out, targets, args)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(layers + heads, 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
            tokens += int(train.lengths[indices].sum())
            if step % 50 == 0 or step == 1:
                value = loss.item()
                running = value if running is None else 0.8 * running + 0.2 * value
                log(f"  lr {lr:g} epoch {epoch} step {step}/{total} loss {running:.4f} "
                    f"{tokens / max(time.time() - started, 1e-9):.0f} tokens/s")
            if step >= total or time.time() - started > budget_s:
                out_of_time = time.time() - started > budget_s
                break
        logits = predict(model, splits["heldout"], settings["batch_size"], autocast)
        scores = heldout_scores(logits)
        entry = {"epoch": epoch, "step": step, "seconds": round(time.time() - started, 1), "loss": round(running or loss.item(), 4),
                 **{k: round(v, 4) for k, v in scores.items()}, "span_recall": round(logits["span_recall"], 4)}
        history.append(entry)
        log(f"lr {lr:g} epoch {epoch}: " + ", ".join(f"{k} {v}" for k, v in entry.items() if k != "epoch"))
        if scores["selection"] > best:
            best, stale = scores["selection"], 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items() if not k.startswith("embeddings.")}
        else:
            stale += 1
            if stale > settings["patience"]:
                log(f"lr {lr:g}: early stop, no held-out gain for {stale} epochs")
                break
        if out_of_time:
            log(f"lr {lr:g}: stopped at its time budget ({budget_s:.0f} s)")
            break
        if step >= total:
            break
    run.update({"history": history, "best_selection": round(best, 4), "steps": step, "tokens": tokens,
                "seconds": round(time.time() - started, 1), "tokens_per_s": round(tokens / max(time.time() - started, 1e-9))})
    model.load_state_dict(best_state, strict=False)
    return {"run": run, "model": model, "best": best}


def calibrate(model: GpuModel, windows: Windows, batch_size: int, autocast) -> dict:
    logits = predict(model, windows, batch_size, autocast)
    out, temperatures = {}, []
    for head, key in (("attribution", "y_attribution"), ("subjectivity", "y_subjectivity")):
        m = logits[key] >= 0
        x, y = logits[head][m].astype(np.float64), logits[key][m].astype(np.float64)
        t = fit_temperature(x, y)
        temperatures.append(t)
        out[head] = {"temperature": round(t, 4),
                     "heldout_ece_before": round(expected_calibration_error(1 / (1 + np.exp(-x)), y), 4),
                     "heldout_ece_after": round(expected_calibration_error(1 / (1 + np.exp(-x / t)), y), 4)}
    model.temperatures.copy_(torch.tensor(temperatures, device=model.temperatures.device))
    out["heldout_scores"] = {k: round(v, 4) for k, v in heldout_scores(logits).items()}
    return out


def write_shards(state: dict[str, torch.Tensor], out: Path, limit: int = SHARD_BYTES) -> list[str]:
    """``model-K-of-N.safetensors``: the state in whole tensors, each file under ``limit`` bytes."""
    from safetensors.torch import save_file

    shards: list[dict] = [{}]
    size = 0
    for name in sorted(state, key=lambda k: (not k.startswith("top."), k)):
        nbytes = state[name].numel() * state[name].element_size()
        if shards[-1] and size + nbytes > limit:
            shards.append({})
            size = 0
        shards[-1][name] = state[name]
        size += nbytes
    names = [f"model-{k}-of-{len(shards)}.safetensors" for k in range(1, len(shards) + 1)]
    for name, shard in zip(names, shards):
        save_file(shard, str(out / name))
    return names


def run_settings(args: dict, ns: argparse.Namespace) -> dict:
    """The run's settings: the bundle's training arguments, the command line's overrides."""
    lr = args["learning_rate"]
    return {
        "learning_rates": ns.learning_rates or [lr / 2, lr, lr * 2],
        "head_learning_rate": args["head_learning_rate"],
        "weight_decay": args["weight_decay"],
        "warmup_fraction": ns.warmup,
        "epochs": ns.epochs or args["epochs"],
        "batch_size": ns.batch_size or args["batch_size"],
        "patience": args["patience"],
        "time_budget_s": ns.time_budget,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--device", default="auto", help="auto (cuda if present), cuda or cpu")
    parser.add_argument("--learning-rates", type=float, nargs="+",
                        help="one run per encoder learning rate (default: half, once and twice the config's learning_rate)")
    parser.add_argument("--epochs", type=int, help="default: the config's")
    parser.add_argument("--batch-size", type=int, help="default: the config's")
    parser.add_argument("--warmup", type=float, default=0.06, help="share of the steps with a rising learning rate")
    parser.add_argument("--time-budget", type=float, default=330.0, help="seconds for everything (all runs together)")
    parser.add_argument("--max-windows", type=int, default=0, help="only N evenly spaced windows of each split (tests)")
    parser.add_argument("--max-steps", type=int, default=0, help="at most N optimiser steps per run (tests, timing)")
    ns = parser.parse_args(argv)
    device = torch.device("cuda" if ns.device == "auto" and torch.cuda.is_available() else ("cpu" if ns.device == "auto" else ns.device))
    ns.out.mkdir(parents=True, exist_ok=True)
    log_file = (ns.out / "train.log").open("w", encoding="utf-8")

    def log(line: str) -> None:
        print(line, flush=True)
        log_file.write(line + "\n")
        log_file.flush()

    wall = time.time()
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        autocast = lambda: torch.autocast("cuda", dtype=torch.bfloat16)
        log(f"device {torch.cuda.get_device_name(0)}, torch {torch.__version__}")
    else:
        autocast = lambda: torch.autocast("cpu", enabled=False)
        log(f"device cpu ({torch.get_num_threads()} threads), torch {torch.__version__}")
    meta, tensors, config, splits = load_bundle(ns.bundle, device, ns.max_windows)
    settings = run_settings(meta["training_arguments"], ns)
    log(f"bundle {ns.bundle}: {splits['train'].count} training and {splits['heldout'].count} held-out windows, "
        f"loaded in {time.time() - wall:.1f} s; settings {json.dumps(settings)}")
    runs, best = [], None
    deadline = wall + settings["time_budget_s"]

    def write(model: GpuModel, calibration: dict | None) -> list[str]:
        shards = write_shards(model.trained_state(), ns.out)
        metrics = {
            # False until the last run is done and calibrated: what a killed call leaves behind is marked so.
            "complete": calibration is not None,
            "trainable_layers": len(model.top),
            "training_arguments": meta["training_arguments"],
            "gpu": settings,
            "bundle_counts": meta["counts"],
            "windows_used": {split: splits[split].count for split in SPLITS},
            "runs": runs,
            "chosen_learning_rate": best["run"]["learning_rate"],
            "calibration": {k: v for k, v in (calibration or {}).items() if k != "heldout_scores"},
            "heldout_scores": (calibration or {}).get("heldout_scores"),
            "device": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu",
            "torch": torch.__version__,
            "wall_seconds": round(time.time() - wall, 1),
            "shards": shards,
        }
        (ns.out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
        return shards

    for number, lr in enumerate(settings["learning_rates"]):
        # Each run gets an equal share of what is left, so an early stop leaves more for the next.
        budget = max(1.0, (deadline - time.time()) / (len(settings["learning_rates"]) - number))
        result = train_one(lr, tensors, config, splits, meta, settings, budget, device, autocast, log, ns.max_steps)
        runs.append(result["run"])
        if best is None or result["best"] > best["best"]:
            best = result
            write(best["model"], None)  # the best so far, uncalibrated, in case the call is cut short
        else:
            del result
    model = best["model"]
    calibration = calibrate(model, splits["heldout"], settings["batch_size"], autocast)
    log(f"chose lr {best['run']['learning_rate']:g}; calibration {json.dumps(calibration)}")
    shards = write(model, calibration)
    metrics = json.loads((ns.out / "metrics.json").read_text(encoding="utf-8"))
    log(f"wrote {', '.join(shards)} and metrics.json to {ns.out} after {metrics['wall_seconds']} s")
    log_file.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
