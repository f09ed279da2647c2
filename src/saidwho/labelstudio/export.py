"""Records -> Label Studio tasks (a JSON list, for Label Studio's task import).

Each task carries the article in ``data`` (``text``, ``article_id``, the
metadata and the record's ``sources``, so that the import can keep source ids,
types and aliases) and the record's labels, speakers and cues as regions of
``configs/labelstudio.xml``:

- a ``label`` region per labelled sentence (with ``score``: the sentence's
  confidence, where the record has one) and its ``alt_labels`` choices;
- a read-only ``segment`` region per segment that is not a body sentence
  (a dek gets both: it is labelled too);
- a ``mention`` region per speaker or cue span, linked to its sentence by a
  relation; a Speaker region carries the source type and, where the mention
  is not the canonical name (a pronoun, a surname), that name;
- a sentence whose speaker has no span gets the name in ``sentence_speaker``.

As ``predictions`` (pre-annotation: the annotator corrects it) the regions
come with the model version and the prediction's ``score``, the mean sentence
confidence (Label Studio sorts and filters tasks by it); as ``annotations``
they are taken as finished work (a gold set moved into Label Studio).

Which articles to label first (``--select uncertain:N``): the N with the
highest mean sentence uncertainty, where a sentence's uncertainty is
``1 - confidence`` (the probability of the label the model chose, or the
highest of its ``scores``). A mean, not a sum, so that long articles do not
win by length; 1 - max probability rather than entropy because it is what
the records carry for every model (``confidence``) and reads as "how likely
the model is wrong".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saidwho.errors import UserError
from saidwho.io import atomic_writer
from saidwho.labelstudio import config as ls
from saidwho.labelstudio.offsets import OffsetMap
from saidwho.records import Article, Sentence, Span

__all__ = [
    "EXPORT_MODES", "article_to_task", "article_uncertainty", "export_tasks", "is_scored",
    "parse_select", "select_uncertain",
]

EXPORT_MODES: tuple[str, ...] = ("predictions", "annotations")


# ---------------------------------------------------------------- choosing articles


def sentence_uncertainty(sentence: Sentence) -> float | None:
    """1 - the probability of the chosen label; None where the record has neither confidence nor scores."""
    if sentence.confidence is not None:
        return 1.0 - float(sentence.confidence)
    if sentence.scores:
        return 1.0 - max(float(p) for p in sentence.scores.values())
    return None


def article_uncertainty(article: Article) -> float | None:
    """Mean uncertainty over the labelled sentences that have one; None where none has."""
    values = [u for s in article.sentences if s.labelled and s.label for u in [sentence_uncertainty(s)] if u is not None]
    return sum(values) / len(values) if values else None


def select_uncertain(articles: list[Article], count: int) -> list[Article]:
    """The ``count`` articles the model is least sure of, most uncertain first (ties by id).

    Every article must carry confidences: choosing among some would quietly
    skip the others.
    """
    scored: list[tuple[float, str, Article]] = []
    for article in articles:
        uncertainty = article_uncertainty(article)
        if uncertainty is None:
            raise UserError(
                f"article {article.id!r} has no sentence confidences: --select uncertain needs scored records "
                "(score them with saidwho score, or give unlabelled records and --model)"
            )
        scored.append((uncertainty, article.id, article))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [article for _, _, article in scored[:count]]


_SELECT = re.compile(r"uncertain:(\d+)")


def parse_select(text: str) -> int:
    """``uncertain:N`` -> N (the only selection there is)."""
    match = _SELECT.fullmatch(text.strip())
    if not match or int(match.group(1)) < 1:
        raise UserError(f"--select must be uncertain:N with N at least 1, not {text!r}")
    return int(match.group(1))


def is_scored(article: Article) -> bool:
    """Whether any sentence has a label (an unscored record has none, or no sentences)."""
    return any(s.label for s in article.sentences)


# ---------------------------------------------------------------- regions


@dataclass
class _Regions:
    """The result list of one task under construction, with mention regions shared between sentences."""

    article: Article
    offsets: OffsetMap
    with_scores: bool
    results: list[dict[str, Any]] = field(default_factory=list)
    mention_ids: dict[tuple[str, Span, str | None], str] = field(default_factory=dict)

    def region(self, region_id: str, control: str, span: Span, value: str, *, score: float | None = None,
               readonly: bool = False) -> None:
        result = self._result(region_id, control, "labels", span, labels=[value])
        if score is not None and self.with_scores:
            result["score"] = round(float(score), 4)
        if readonly:
            result["readonly"] = True
        self.results.append(result)

    def per_region(self, region_id: str, control: str, span: Span, kind: str, **value: Any) -> None:
        """A per-region TextArea or Choices result: same id and span as its region."""
        self.results.append(self._result(region_id, control, kind, span, **value))

    def relate(self, sentence_id: str, mention_id: str) -> None:
        self.results.append({"from_id": sentence_id, "to_id": mention_id, "type": "relation", "direction": "right", "labels": []})

    def mention(self, role: str, span: Span, source_id: str | None) -> tuple[str, bool]:
        """The id of the mention region for ``span`` (new or shared) and whether it is new.

        Sentences that name the same mention share its region; a Speaker span
        given for two different sources (a record's mistake) gets a region each.
        """
        key = (role, span, source_id)
        if key in self.mention_ids:
            return self.mention_ids[key], False
        region_id = f"m{len(self.mention_ids) + 1}"
        self.mention_ids[key] = region_id
        self.region(region_id, ls.MENTION, span, role)
        return region_id, True

    def _result(self, region_id: str, control: str, kind: str, span: Span, **value: Any) -> dict[str, Any]:
        start, end = span
        return {
            "id": region_id, "from_name": control, "to_name": ls.TEXT, "type": kind,
            "value": {"start": self.offsets.to_js(start), "end": self.offsets.to_js(end),
                      "text": self.article.text[start:end], **value},
        }


def article_results(article: Article, *, with_scores: bool = True) -> list[dict[str, Any]]:
    """The record's segments, labels, speakers and cues as Label Studio results."""
    regions = _Regions(article, OffsetMap(article.text), with_scores)
    for index, sentence in enumerate(article.sentences):
        span = (sentence.start, sentence.end)
        if sentence.kind != "body":
            regions.region(f"k{index}", ls.SEGMENT, span, sentence.kind, readonly=True)
        if not (sentence.labelled and sentence.label):
            continue  # not a sentence to label, or not labelled yet
        sentence_id = f"s{index}"
        regions.region(sentence_id, ls.LABEL, span, sentence.label, score=sentence.confidence)
        if sentence.alt_labels:
            regions.per_region(sentence_id, ls.ALT_LABELS, span, "choices", choices=list(sentence.alt_labels))
        source = article.source_by_id(sentence.speaker) if sentence.speaker else None
        if source is not None and sentence.speaker_span:
            mention_id, new = regions.mention(ls.SPEAKER, sentence.speaker_span, source.id)
            regions.relate(sentence_id, mention_id)
            if new:
                mention_text = article.text[sentence.speaker_span[0] : sentence.speaker_span[1]]
                if mention_text.strip() != source.name:
                    regions.per_region(mention_id, ls.SPEAKER_NAME, sentence.speaker_span, "textarea", text=[source.name])
                regions.per_region(mention_id, ls.SPEAKER_TYPE, sentence.speaker_span, "choices", choices=[source.type])
        elif source is not None:
            regions.per_region(sentence_id, ls.SENTENCE_SPEAKER, span, "textarea", text=[source.name])
        if sentence.cue_span:
            cue_id, _ = regions.mention(ls.CUE, sentence.cue_span, None)
            regions.relate(sentence_id, cue_id)
    return regions.results


# ---------------------------------------------------------------- tasks


def article_to_task(article: Article, *, mode: str = "predictions", model_version: str | None = None) -> dict[str, Any]:
    """One Label Studio task: the article in ``data`` and its regions as a prediction or an annotation."""
    if mode not in EXPORT_MODES:
        raise UserError(f"--as must be predictions or annotations, not {mode!r}")
    data: dict[str, Any] = {"text": article.text, "article_id": article.id, "title": article.title or article.id}
    for key in ("url", "outlet", "published"):
        if getattr(article, key) is not None:
            data[key] = getattr(article, key)
    data["sources"] = [s.to_dict() for s in article.sources]
    task: dict[str, Any] = {"data": data}
    if not is_scored(article) and not any(s.kind != "body" for s in article.sentences):
        return task  # nothing to pre-annotate: the annotator starts from the text
    if mode == "annotations":
        task["annotations"] = [{"result": article_results(article, with_scores=False), "ground_truth": False}]
        return task
    confidences = [float(s.confidence) for s in article.sentences if s.labelled and s.label and s.confidence is not None]
    prediction: dict[str, Any] = {"model_version": model_version or "saidwho", "result": article_results(article)}
    if confidences:
        prediction["score"] = round(sum(confidences) / len(confidences), 4)
    task["predictions"] = [prediction]
    return task


def export_tasks(articles: Iterable[Article], path: str | Path, *, mode: str = "predictions",
                 model_version: str | None = None) -> int:
    """Write the tasks as one JSON list, atomically; returns how many."""
    tasks = [article_to_task(a, mode=mode, model_version=model_version) for a in articles]
    with atomic_writer(path) as handle:
        json.dump(tasks, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    return len(tasks)
