"""One gold article against its prediction: alignment, counts and per-article scores.

:func:`tally_article` aligns the gold article's labelled sentences with the
predicted labelled ones (labels, speakers) and its segments with predicted
segments of any kind (kinds, boundaries), and returns what the article adds
to the evaluation: its :class:`~saidwho.evaluation.counts.Counts`, its
labels, its segment confusion and its row of the per-article table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from saidwho.errors import UserError
from saidwho.evaluation.alignment import align
from saidwho.evaluation.counts import Counts, empty_confusion, maybe_float
from saidwho.evaluation.results import COLUMNS, NO_SEGMENT, NULL, ArticleScores, Ratio
from saidwho.lexicon import QUANTIFIERS
from saidwho.names import names_match
from saidwho.records import LABELLED_KINDS, LABELS, SOURCE_CATEGORIES, Article, Sentence, trim_span

__all__ = ["ArticleTally", "Segments", "Warn", "tally_article"]

Warn = Callable[[str], None]


@dataclass
class Segments:
    """Segment kinds and boundaries of one gold article."""

    kind: Ratio = field(default_factory=Ratio)
    boundary: Ratio = field(default_factory=Ratio)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # gold kind -> predicted kind -> count
    unaligned: int = 0


@dataclass
class ArticleTally:
    """What one gold article contributes to the result."""

    counts: Counts
    segments: Segments
    bad_labels: int  # aligned predictions with a label outside LABELS, scored as null
    scores: ArticleScores


def _gold_labelled(g: Article) -> list[Sentence]:
    """The gold sentences that carry a label (body or dek), checked against LABELS."""
    labelled = [s for s in g.sentences if s.kind in LABELLED_KINDS and s.label is not None]
    for s in labelled:
        if s.label not in LABELS:
            raise UserError(
                f"gold: article {g.id!r}, sentence at {s.start}: label {s.label!r} is not one of "
                + ", ".join(LABELS)
            )
    return labelled


def _aligned_labels(gold: Sequence[Sentence], aligned: Sequence[Sentence | None]) -> tuple[list[tuple[str, str, str]], int]:
    """(gold, strict, lenient) label per gold sentence, and how many predictions had an unknown label."""
    labels: list[tuple[str, str, str]] = []
    bad = 0
    for gs, ps in zip(gold, aligned):
        predicted = NULL if ps is None else ps.label
        if predicted not in COLUMNS:
            bad += 1
            predicted = NULL
        lenient = gs.label if predicted in gs.alt_labels else predicted
        assert gs.label is not None and predicted is not None and lenient is not None
        labels.append((gs.label, predicted, lenient))
    return labels, bad


def _confusions(labels: Sequence[tuple[str, str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """Strict and lenient confusion matrices of (gold, strict, lenient) labels."""
    strict, lenient = empty_confusion(), empty_confusion()
    for gold, predicted, lenient_predicted in labels:
        strict[LABELS.index(gold), COLUMNS.index(predicted)] += 1
        lenient[LABELS.index(gold), COLUMNS.index(lenient_predicted)] += 1
    return strict, lenient


def _speaker_ratio(g: Article, p: Article | None, gold: Sequence[Sentence], aligned: Sequence[Sentence | None],
                   warn: Warn) -> tuple[Ratio, Ratio]:
    """Gold sourced claims with a speaker whose aligned prediction names a matching
    source: over all of them, and over those the prediction attributes too."""
    speaker, attributed = Ratio(), Ratio()
    for gs, ps in zip(gold, aligned):
        if gs.label != "sourced_claim" or gs.speaker is None:
            continue
        gold_source = g.source_by_id(gs.speaker)
        if gold_source is None:
            warn(f"{g.id}: gold speaker {gs.speaker!r} at {gs.start} is not in the article's sources; skipped")
            continue
        speaker.n += 1
        both = ps is not None and p is not None and ps.label == "sourced_claim"
        attributed.n += both
        if both and ps.speaker is not None and names_match(p.source_by_id(ps.speaker), gold_source):
            speaker.correct += 1
            attributed.correct += 1
    return speaker, attributed


def normalise_title(title: str | None) -> str:
    """A title as the profile scorer compares it: case, punctuation, leading
    articles and abbreviations ("Gov." = "governor") do not count."""
    from saidwho.names import expand_title_abbreviations

    words = re.findall(r"[\w'’-]+", (title or "").lower())
    while words and words[0] in QUANTIFIERS | {"his", "her", "their", "its"}:
        words = words[1:]
    return " ".join(expand_title_abbreviations(words))


def titles_share_head(gold: str | None, predicted: str | None) -> bool:
    """The lenient title match: both none, or the same head word (the last, after
    normalisation) with one title's words all in the other ("spokesman" and
    "Vatican spokesman", "former director" and "former NIH director"; not
    "director" and "editor"). Annotators differ most on modifiers like these."""
    a, b = normalise_title(gold).split(), normalise_title(predicted).split()
    if not a or not b:
        return not a and not b
    return a[-1] == b[-1] and (set(a) <= set(b) or set(b) <= set(a))


def _matching_source(p: Article, gold):
    """The predicted source a gold source is: the one of the same name, else the first the speaker rule matches."""
    from saidwho.names import normalise_name

    matches = [s for s in p.sources if names_match(s, gold)]
    same = [s for s in matches if normalise_name(s.name) == normalise_name(gold.name)]
    return (same or matches or [None])[0]


def _profile_counts(g: Article, p: Article | None) -> dict[str, Any]:
    """Profile fields of the gold sources that carry one, against the predicted source each matches."""
    out: dict[str, Any] = {"category_gold": np.zeros(len(SOURCE_CATEGORIES), dtype=int), "gender_gold": np.zeros(2, dtype=int)}
    keys = ("profile_n", "profile_matched", "title_correct", "title_head_correct", "category_correct", "gender_n", "gender_correct",
            "gender_covered", "reason_n", "reason_tp", "reason_fp", "reason_fn")
    out.update({k: 0 for k in keys})
    for gold in g.sources:
        if gold.profile is None:
            continue
        out["profile_n"] += 1
        pred = _matching_source(p, gold) if p is not None else None
        if pred is None:
            continue
        gp, pp = gold.profile, pred.profile
        out["profile_matched"] += 1
        out["title_correct"] += normalise_title(gp.title) == normalise_title(pp.title if pp else None)
        out["title_head_correct"] += titles_share_head(gp.title, pp.title if pp else None)
        out["category_correct"] += pp is not None and pp.category == gp.category
        if gp.category in SOURCE_CATEGORIES:
            out["category_gold"][SOURCE_CATEGORIES.index(gp.category)] += 1
        if gold.type == "person" and gp.gender in ("female", "male"):
            out["gender_n"] += 1
            out["gender_gold"][("female", "male").index(gp.gender)] += 1
            out["gender_correct"] += pp is not None and pp.gender == gp.gender
            out["gender_covered"] += pp is not None and pp.gender in ("female", "male")
        if gold.type == "anonymous":
            out["reason_n"] += 1
            found, given = pp is not None and pp.anonymity_reason is not None, gp.anonymity_reason is not None
            out["reason_tp"] += found and given
            out["reason_fp"] += found and not given
            out["reason_fn"] += given and not found
    return out


def _segments(g: Article, pred_all: Sequence[Sentence]) -> Segments:
    """Segment kinds and boundaries, against predicted segments of any kind."""
    out = Segments()
    for gs, ps in zip(g.sentences, align(g.sentences, pred_all, g.text)):
        out.kind.n += 1
        row = out.confusion.setdefault(gs.kind, {})
        pred_kind = NO_SEGMENT if ps is None else ps.kind
        row[pred_kind] = row.get(pred_kind, 0) + 1
        if ps is None:
            out.unaligned += 1
        elif (gs.kind in LABELLED_KINDS) == (ps.kind in LABELLED_KINDS):
            out.kind.correct += 1
        if gs.kind == "body":
            out.boundary.n += 1
            if ps is not None and trim_span(g.text, gs.start, gs.end) == trim_span(g.text, ps.start, ps.end):
                out.boundary.correct += 1
    return out


def _article_scores(g: Article, p: Article | None, counts: Counts, speaker: Ratio) -> ArticleScores:
    metrics = counts.metrics()
    sc = LABELS.index("sourced_claim")
    sc_seen = counts.strict[sc].sum() + counts.strict[:, sc].sum() > 0
    return ArticleScores(
        id=g.id,
        has_prediction=p is not None,
        n_sentences=int(counts.strict.sum()),
        n_aligned=int(counts.strict[:, : len(LABELS)].sum()),
        accuracy=maybe_float(metrics["accuracy"]),
        sourced_claim_f1=maybe_float(metrics["sourced_claim_f1"]) if sc_seen else None,
        speaker=speaker,
    )


def tally_article(g: Article, p: Article | None, warn: Warn) -> ArticleTally:
    """Align one gold article with its prediction (None: missing) and count."""
    if p is not None and p.text != g.text:
        warn(f"{g.id}: predicted text differs from gold text; offsets are read against the gold text")
    pred_all = list(p.sentences) if p is not None else []
    gold_labelled = _gold_labelled(g)
    aligned = align(gold_labelled, [s for s in pred_all if s.label is not None], g.text)
    labels, bad_labels = _aligned_labels(gold_labelled, aligned)
    speaker, attributed = _speaker_ratio(g, p, gold_labelled, aligned, warn)
    segments = _segments(g, pred_all)
    counts = Counts(
        *_confusions(labels),
        speaker_n=speaker.n,
        speaker_correct=speaker.correct,
        kind_n=segments.kind.n,
        kind_correct=segments.kind.correct,
        boundary_n=segments.boundary.n,
        boundary_correct=segments.boundary.correct,
        speaker_attributed_n=attributed.n,
        speaker_attributed_correct=attributed.correct,
        **_profile_counts(g, p),
    )
    return ArticleTally(counts, segments, bad_labels, _article_scores(g, p, counts, speaker))
