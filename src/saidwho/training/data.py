"""Training data of the learned model: corpora, held-out split, windows as ``datasets.Dataset``.

Sources (see :class:`~saidwho.training.arguments.TrainingArguments`):
PolNeAR train for attribution and spans, BABE and CheckThat! train for
subjectivity, and optionally the project's own record files (three labels,
speakers, spans). A fixed share of the training articles is held out for
early stopping and temperature scaling.

One dataset row is one window (:func:`~saidwho.models.windows.build_windows`)
with its targets; the trainer batches rows straight from the dataset
(:func:`collate_rows`).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import torch

from saidwho.errors import UserError
from saidwho.io import read_articles
from saidwho.models.encoder import TAGS
from saidwho.models.windows import Window, build_windows, collate
from saidwho.paths import gold_dir
from saidwho.records import Article
from saidwho.training.arguments import TrainingArguments

SOURCES = ("polnear", "subjectivity", "records")


# ---------------------------------------------------------------- corpora


def load_training_data(args: TrainingArguments) -> dict[str, list[Article]]:
    """The articles of each source (``polnear``, ``subjectivity``, ``records``) that the arguments ask for."""
    from saidwho.corpora import convert_corpus

    data = args.data_path()
    out: dict[str, list[Article]] = {source: [] for source in SOURCES}
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
    if args.use_webis:
        # Whole editorials: the subjectivity head learns fact from opinion inside an opinion piece.
        editorials = sorted(convert_corpus("webis", data / "webis-editorials"), key=lambda a: a.id)
        if args.webis_max_articles:
            editorials = random.Random(args.seed).sample(editorials, min(args.webis_max_articles, len(editorials)))
        out["subjectivity"] += editorials
    if args.max_subjectivity_sentences:
        rng.shuffle(out["subjectivity"])
        out["subjectivity"] = out["subjectivity"][: args.max_subjectivity_sentences]
    if args.gold_train_usable:
        from saidwho.evaluation.goldset import load_gold

        keep_out = set(args.gold_keep_out)
        out["records"] += [a for a in load_gold(gold_dir(), data / "polnear", "train_usable") if a.id not in keep_out]
    for path in args.records:
        out["records"] += read_articles(Path(path.replace("${SAIDWHO_DATA}", str(data))))
    if args.extra_gold:
        # Hand-annotated PolNeAR train articles (eval/train-extra): in-contract
        # labels in context, which replace PolNeAR's own reading of those texts.
        extra = extra_gold_articles(args.extra_gold, data / "polnear", args.extra_gold_articles, {a.id for a in out["records"]})
        ids = {a.id for a in extra}
        out["polnear"] = [a for a in out["polnear"] if a.id not in ids]
        out["records"] += extra
    return out


def extra_gold_articles(paths: list[str], polnear: Path, limit: int = 0, excluded: set[str] = frozenset()) -> list[Article]:
    """The training-only gold of ``paths`` (globs allowed; from the checkout's root), each article once.

    The files are read in turns, one article from each (the ``ann-*`` folders
    of eval/train-extra hold the draw dealt out in turns, so this is the draw's
    order, and the first N of a learning curve are a random N). An eval-only
    article is refused: extra gold is for training only."""
    import glob

    from saidwho.evaluation.goldset import load_split, load_standoff
    from saidwho.paths import checkout_root, gold_dir

    root = checkout_root() or Path.cwd()
    eval_only = set(load_split(gold_dir()).get("eval_only", [])) if (gold_dir() / "split.json").exists() else set()
    files = [f for pattern in paths for f in (sorted(glob.glob(str(root / pattern))) or [str(root / pattern)])]
    per_file = [load_standoff(path, polnear) for path in files]
    articles: list[Article] = []
    seen: set[str] = set(excluded)
    for turn in range(max((len(a) for a in per_file), default=0)):
        for path, loaded in zip(files, per_file):
            if turn < len(loaded) and loaded[turn].id not in seen:
                if loaded[turn].id in eval_only:
                    raise UserError(f"{path}: {loaded[turn].id} is eval-only (eval/gold/split.json); extra gold is for training only")
                seen.add(loaded[turn].id)
                articles.append(loaded[turn])
    return articles[:limit] if limit else articles


_SPEECH_CUE: re.Pattern | None = None


def _speech_cue_pattern() -> re.Pattern:
    from saidwho.lexicon import REPORTING_VERBS, SPEECH_CUE_IRREGULAR_FORMS

    forms = set(SPEECH_CUE_IRREGULAR_FORMS)
    for verb in REPORTING_VERBS:
        stem = verb[:-1] if verb.endswith("e") else verb
        forms.update({verb, verb + "s", verb + "es", stem + "ed", stem + "ing", verb + "d", verb[:-1] + "ied" if verb.endswith("y") else verb})
    return re.compile(r"\b(" + "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) + r")\b", re.I)


def is_speech_cue(cue: str) -> bool:
    """Whether a PolNeAR cue is a speech or reporting expression ("said", "according to",
    "told reporters", a dash or colon credit) rather than an action or stance
    ("backed", "wants", "has been critical of")."""
    global _SPEECH_CUE
    if _SPEECH_CUE is None:
        _SPEECH_CUE = _speech_cue_pattern()
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
    """(kept, held out): a seeded share of the articles, independent of their order."""
    ordered = sorted(articles, key=lambda a: a.id)
    random.Random(seed).shuffle(ordered)
    n = max(1, round(len(ordered) * fraction)) if ordered and fraction > 0 else 0
    return ordered[n:], ordered[:n]


# ---------------------------------------------------------------- windows and targets


def _sentence_targets(article: Article, window: Window, source: str) -> tuple[list[float], list[float]]:
    """Per scored sentence: attributed and opinion targets, -1 where the corpus cannot tell."""
    attributed, opinion = [], []
    for index in window.sentence_indices:
        label = article.sentences[index].label
        if source == "polnear":
            attributed.append(1.0 if label == "sourced_claim" else 0.0)
            opinion.append(-1.0)  # PolNeAR cannot tell fact from opinion
        elif source == "subjectivity":
            attributed.append(-1.0)  # a "factual" sentence may still be attributed
            opinion.append(1.0 if label == "opinion" else 0.0)
        else:  # the project's own records: all three labels
            attributed.append(1.0 if label == "sourced_claim" else 0.0)
            opinion.append(-1.0 if label == "sourced_claim" else float(label == "opinion"))
    return attributed, opinion


def _span_tags(article: Article, window: Window, source: str) -> list[int]:
    """A BIO tag per word piece for the sourced sentences' speaker and cue spans (-100: no target)."""
    if source == "subjectivity":
        return [-100] * len(window.input_ids)
    tags = [0] * len(window.input_ids)
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
    return tags


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
        article = articles[window.article_index]
        attributed, opinion = _sentence_targets(article, window, source)
        rows.append({
            "article_id": article.id,
            "source": source,
            "input_ids": window.input_ids,
            "offsets": [list(o) for o in window.offsets],
            "sentence_pieces": [list(p) for p in window.sentence_pieces],
            "features": window.features,
            "attributed": attributed,
            "opinion": opinion,
            "tags": _span_tags(article, window, source),
        })
    return Dataset.from_list(rows) if rows else None


def training_datasets(args: TrainingArguments, add: Callable[[dict[str, list[Article]]], dict[str, list[Article]]] | None = None):
    """``DatasetDict`` with ``train`` and ``heldout`` windows, as the :class:`~saidwho.training.trainer.Trainer` uses them.
    ``add``: more articles by source, given the loaded ones."""
    from datasets import DatasetDict, concatenate_datasets

    data = load_training_data(args)
    if add is not None:  # e.g. a share of a base model's own data, replayed (training.finetune)
        for source, articles in add(data).items():
            data[source] = data[source] + articles
    parts: dict[str, list] = {"train": [], "heldout": []}
    fractions = {"polnear": args.heldout_fraction, "subjectivity": args.heldout_fraction * 2, "records": args.heldout_fraction * 2}
    all_held: list[str] = []  # sources whose every article went to the held-out part
    for source in SOURCES:
        kept, held = split_heldout(data[source], fractions[source], args.seed)
        if held and not kept:
            all_held.append(f"{len(held)} {source} article(s) given, held-out share {fractions[source]:g}")
        for split, articles in (("train", kept), ("heldout", held)):
            dataset = windows_dataset(articles, source, args.max_tokens)
            if dataset is not None:
                parts[split].append(dataset)
    if not parts["train"] and all_held:
        raise UserError(
            f"no training data: {'; '.join(all_held)}: all went to the held-out part (at least one article of each "
            f"source is held out, for early stopping and calibration); give more articles, or lower heldout_fraction "
            f"(now {args.heldout_fraction:g}; records and subjectivity hold out twice that)"
        )
    return DatasetDict({split: concatenate_datasets(sets) for split, sets in parts.items() if sets})


# ---------------------------------------------------------------- batches of rows


class WindowRow(NamedTuple):
    """What :func:`~saidwho.models.windows.collate` reads of a window, taken from a dataset row."""

    input_ids: list[int]
    sentence_pieces: list[list[int]]
    features: list[list[float]]


def collate_rows(columns: dict[str, list]) -> dict[str, torch.Tensor]:
    """Model inputs of a batch given as dataset columns (``dataset[indices]``)."""
    rows = [WindowRow(*row) for row in zip(columns["input_ids"], columns["sentence_pieces"], columns["features"])]
    return collate(rows)  # type: ignore[arg-type]  # collate reads only these three fields


def collate_targets(columns: dict[str, list]) -> dict[str, torch.Tensor]:
    """Targets of a batch given as dataset columns; tags padded with -100 to the batch length."""
    length = max(len(ids) for ids in columns["input_ids"])
    tags = torch.full((len(columns["tags"]), length), -100, dtype=torch.long)
    for b, row in enumerate(columns["tags"]):
        tags[b, : len(row)] = torch.tensor(row)
    return {
        "attributed": torch.tensor([t for row in columns["attributed"] for t in row]),
        "opinion": torch.tensor([t for row in columns["opinion"] for t in row]),
        "tags": tags,
    }
