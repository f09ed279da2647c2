"""The learned attributors: the model's attribution, spans and opinion probability.

:class:`NeuralAttributor` runs the learned model (:mod:`saidwho.models.encoder`,
in torch or as an ONNX graph, :mod:`saidwho.models.graph`) over windows of sentences (:mod:`saidwho.models.windows`) and writes, per
labelled sentence, the attribution from the learned source and cue spans and
the calibrated :class:`~saidwho.records.Probabilities`. spaCy's named
entities go to ``Sentence.entities`` (names matter and the encoder is uncased).

:class:`LearnedScorer` followed by :class:`RulesOverModel` is the hybrid:
the rules first, the model where they find nothing (see their docs).

Scored by: sourced_claim F1 and speaker accuracy in :mod:`saidwho.evaluation.scoring`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from saidwho.models.config import ModelConfig
from saidwho.models.windows import build_windows, collate_arrays, decode_spans
from saidwho.pipeline.attribution import (
    RuleAttributions,
    RuleAttributor,
    write_attribution,
)
from saidwho.pipeline.component import Component
from saidwho.pipeline.parse import Parser, doc_entities, mention_kind_of_text
from saidwho.pipeline.progress import step as progress_step
from saidwho.pipeline.progress import timed as progress_timed
from saidwho.records import (
    Article,
    Attribution,
    Entity,
    Mention,
    Probabilities,
    Sentence,
    Span,
)

# Segments whose named entities are tagged (the rule attributor parses the same kinds).
ENTITY_KINDS = frozenset({"body", "dek", "headline", "caption"})


@dataclass(frozen=True)
class SentencePrediction:
    p_attributed: float
    p_opinion: float
    source: Span | None
    cue: Span | None


@dataclass
class NeuralPredictions:
    """The model's output for one article: per labelled sentence (by index), and entities per segment."""

    sentences: dict[int, SentencePrediction]
    entities: list[tuple[Entity, ...]]


class NeuralAttributor(Component):
    """Pipeline component: attribution, spans and opinion probability from the learned model."""

    name = "attribute"
    reads = frozenset({"sentences", "layout", "quotes"})
    writes = frozenset({"attribution", "entities", "probabilities"})
    scored_by = ("sourced_claim_f1", "speaker_accuracy")

    def __init__(self, scorer: Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]], config: ModelConfig, parser: Parser | None = None, threshold: float = 0.5):
        # scorer: collated windows in, p_attributed / p_opinion per sentence and
        # span tags per word piece out (TorchScorer or GraphScorer).
        self.scorer = scorer
        self.max_tokens = config.max_tokens
        self.threshold = threshold
        self.parser = parser or Parser()

    def predict_batch(self, articles: Sequence[Article]) -> list[NeuralPredictions]:
        sentences = self.predict_sentences(articles)
        return [NeuralPredictions(s, self._entities(a)) for s, a in zip(sentences, articles)]

    def predict(self, article: Article) -> NeuralPredictions:
        return self.predict_batch([article])[0]

    def set_annotations(self, article: Article, result: NeuralPredictions) -> None:
        entities = _set_entities(article, result.entities)
        for index, sentence in enumerate(article.sentences):
            sentence.attribution = None
            prediction = result.sentences.get(index)
            if prediction is not None:
                _apply(article, sentence, prediction, prediction.p_attributed >= self.threshold, entities)

    def predict_sentences(self, articles: Sequence[Article]) -> list[dict[int, SentencePrediction]]:
        """The model alone (no entities): per article, each labelled sentence's prediction by index."""
        with progress_timed("tokenizing"):
            windows = build_windows(list(articles), self.max_tokens)
        results: list[dict[int, SentencePrediction]] = [{} for _ in articles]
        with progress_step("encoding", sum(len(w.sentence_indices) for w in windows)) as advance:
            for window in windows:
                # One window per call, never a batch: the int8 graph quantises
                # its activations with scales taken over the whole input
                # tensor, so a window batched with others (or with padding)
                # would get scores that depend on its neighbours in the run.
                # Alone, a window's scores depend on its own text only, at the
                # same speed (no padding to pay for; docs/determinism.md).
                out = self.scorer(collate_arrays([window]))
                p_attr = out["p_attributed"].tolist()
                p_subj = out["p_opinion"].tolist()
                tags = out["tags"][0].tolist()
                sources = decode_spans(tags, window.offsets, "SRC")
                cues = decode_spans(tags, window.offsets, "CUE")
                article = articles[window.article_index]
                for row, index in enumerate(window.sentence_indices):
                    sentence = article.sentences[index]
                    results[window.article_index][index] = SentencePrediction(
                        p_attr[row], p_subj[row], _nearest(sources, sentence), _nearest(cues, sentence)
                    )
                advance(len(window.sentence_indices))
        return results

    def _entities(self, article: Article) -> list[tuple[Entity, ...]]:
        tagged = [i for i, s in enumerate(article.sentences) if s.kind in ENTITY_KINDS]
        docs = self.parser.entities_only([article.sentence_text(article.sentences[i]) for i in tagged])
        entities: list[tuple[Entity, ...]] = [() for _ in article.sentences]
        for i, doc in zip(tagged, docs):
            sentence = article.sentences[i]
            entities[i] = doc_entities(doc, sentence.start, sentence.quotes)
        return entities


class LearnedScorer(Component):
    """Pipeline component: the learned model's half of the hybrid.

    PolNeAR, which the model learns attribution from, attributes more than
    ANNOTATION.md does (beliefs, intentions, some actions), while the rules
    follow ANNOTATION.md closely but miss cues they do not know. So the hybrid
    trusts the rules first and the model only where it is confident. This
    half writes every labelled sentence's calibrated probabilities, and the
    learned attribution (source and cue spans) where the model is confident
    (``threshold``); :class:`RulesOverModel` then puts the rules first. Two
    stages, not one, so the pipeline can run this half (onnxruntime, outside
    the GIL) on the next batch while the rules parse the current one
    (``runs_ahead``).
    """

    name = "encode"
    reads = frozenset({"sentences", "layout", "quotes"})
    writes = frozenset({"probabilities", "attribution"})
    scored_by = ("sourced_claim_f1",)
    runs_ahead = True

    def __init__(self, neural: NeuralAttributor, threshold: float):
        self.neural = neural
        self.threshold = threshold

    def predict_batch(self, articles: Sequence[Article]) -> list[dict[int, SentencePrediction]]:
        return self.neural.predict_sentences(articles)

    def predict(self, article: Article) -> dict[int, SentencePrediction]:
        return self.predict_batch([article])[0]

    def set_annotations(self, article: Article, result: dict[int, SentencePrediction]) -> None:
        for index, sentence in enumerate(article.sentences):
            prediction = result.get(index)
            if prediction is None:
                continue
            # Entities come with the parse, later: the span is snapped to them there.
            _apply(article, sentence, prediction, prediction.p_attributed >= self.threshold, [])


class RulesOverModel(Component):
    """Pipeline component: the rules' half of the hybrid, over the learned half's record.

    A sentence the rules attribute is sourced, with the rules' speaker; one
    they do not keeps the learned attribution only where the model was
    confident, its span widened to a named entity the parse found. Every
    sentence is parsed: parsing only those the model points at loses names
    introduced elsewhere (docs/experiments.md, "Parse only what needs it").
    """

    name = "attribute"
    reads = frozenset({"sentences", "layout", "quotes", "probabilities", "attribution"})
    writes = frozenset({"attribution", "entities", "probabilities"})
    scored_by = ("sourced_claim_f1", "speaker_accuracy")

    def __init__(self, rules: RuleAttributor, threshold: float):
        self.rules = rules
        self.threshold = threshold

    def predict(self, article: Article) -> RuleAttributions:
        return self.rules.predict(article)

    def set_annotations(self, article: Article, result: RuleAttributions) -> None:
        learned = [(s.attribution, s.probabilities) for s in article.sentences]
        self.rules.set_annotations(article, result)
        entities = article_entities(article)
        withheld = result.withheld or [False] * len(article.sentences)
        for sentence, (model_attribution, probabilities), no_content in zip(article.sentences, learned, withheld):
            if probabilities is None:
                continue
            rule = sentence.attribution
            if no_content:
                continue  # "has not said whether ...": no claim, whatever the model reads (class 8)
            if rule is not None:
                # Agreeing evidence: the rule's confidence or the model's, whichever is higher.
                sentence.probabilities = Probabilities(max(probabilities.attributed, rule.score), probabilities.opinion)
            elif model_attribution is not None:
                write_attribution(sentence, _snapped(article, model_attribution, entities))
            # Not attributed: the model's probability stays as it is; the
            # labeler brings the sourced score below the decision line
            # (labels.decision_scores), for every pipeline alike.


def _set_entities(article: Article, entities: list[tuple[Entity, ...]]) -> list[Entity]:
    for sentence, found in zip(article.sentences, entities):
        sentence.entities = found
    return article_entities(article)


def article_entities(article: Article) -> list[Entity]:
    """Every sentence's named entities, once per article (for snapping learned spans)."""
    return [e for s in article.sentences for e in s.entities]


def _apply(article: Article, sentence: Sentence, prediction: SentencePrediction, attributed: bool, entities: list[Entity]) -> None:
    """Write the model's probabilities, and its attribution (learned spans) where ``attributed``."""
    sentence.probabilities = Probabilities(prediction.p_attributed, prediction.p_opinion)
    if not attributed:
        write_attribution(sentence, None)
        return
    mention = None
    if prediction.source is not None:
        text = article.text[prediction.source[0] : prediction.source[1]]
        mention = Mention(prediction.source, text, mention_kind_of_text(text))
    write_attribution(sentence, _snapped(article, Attribution("model", prediction.cue, mention, prediction.p_attributed), entities))


def _snapped(article: Article, attribution: Attribution, entities: list[Entity]) -> Attribution:
    """The learned attribution with its speaker span widened to a named entity it overlaps."""
    if attribution.mention is None or not entities:
        return attribution
    span = _snap_to_entity(attribution.mention.span, entities)
    if span == attribution.mention.span:
        return attribution
    text = article.text[span[0] : span[1]]
    return replace(attribution, mention=Mention(span, text, mention_kind_of_text(text)))


def _nearest(spans: list[Span], sentence: Sentence) -> Span | None:
    """The span inside the sentence, else the nearest one in the window."""
    if not spans:
        return None

    def distance(span):
        if span[1] > sentence.start and span[0] < sentence.end:
            return 0
        return min(abs(span[0] - sentence.end), abs(sentence.start - span[1]))

    return min(spans, key=distance)


def _snap_to_entity(span: Span, entities: list[Entity]) -> Span:
    """Widen a learned span to a PERSON or ORG entity it overlaps (cased names from spaCy)."""
    for e in entities:
        if e.label in ("PERSON", "ORG") and e.start < span[1] and span[0] < e.end:
            return (min(e.start, span[0]), max(e.end, span[1]))
    return span
