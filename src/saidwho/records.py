"""The one record type that flows through the whole pipeline.

Follows ../shared/FORMAT.md exactly: an :class:`Article` holds the text as
analysed, its ``sources`` and its ``sentences`` (segments with a ``kind``).
Offsets are Python ``str`` indices into ``Article.text``.

Pipeline stages pass typed working state to later stages on each sentence:
its place in the text (:class:`Layout`), its quotation state
(:class:`QuoteState`), named entities (:class:`Entity`), the attribution
(:class:`Attribution` with its :class:`Mention`) and the model's
probabilities (:class:`Probabilities`). Of that state only the attribution is
written to JSONL (an optional field documented in docs/format-extensions.md),
so a record stays the documented contract.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from typing import Any

LABELS: tuple[str, ...] = ("reported_fact", "sourced_claim", "opinion")
KINDS: tuple[str, ...] = ("headline", "dek", "byline", "dateline", "caption", "heading", "meta", "body")
LABELLED_KINDS: frozenset[str] = frozenset({"body", "dek"})
SOURCE_TYPES: tuple[str, ...] = ("person", "organization", "document", "anonymous", "unknown")
# A source's category in its profile (docs/annotation.md section 5).
SOURCE_CATEGORIES: tuple[str, ...] = ("official", "politician", "expert", "business", "advocacy", "media", "citizen", "other")
GENDERS: tuple[str, ...] = ("female", "male", "unknown")
PROFILE_FIELDS: tuple[str, ...] = (
    "title", "affiliation", "affiliation_id", "category", "gender", "gender_evidence",
    "anonymity_reason", "anonymity_reason_span", "party",
)
MENTION_KINDS: tuple[str, ...] = ("name", "pronoun", "description", "anonymous")
QUOTE_MODES: tuple[str, ...] = ("direct", "mixed", "indirect")

Span = tuple[int, int]


def _span(value: Any) -> Span | None:
    return None if value is None else (int(value[0]), int(value[1]))


def trim_span(text: str, start: int, end: int) -> Span:
    """``[start, end)`` clipped to ``text`` and without leading or trailing
    whitespace; empty (start == end) where the range holds only whitespace."""
    start = max(start, 0)
    end = min(end, len(text))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# ---------------------------------------------------------------- stage state


@dataclass(frozen=True)
class Layout:
    """Where a segment sits: its paragraph (index) and whether it opens it."""

    paragraph: int
    first_in_paragraph: bool
    duplicate: bool = False  # the line repeats an earlier headline or caption (scraped pages)


@dataclass(frozen=True)
class QuoteState:
    """Quotation state of a sentence, tracked over the whole text (see segment.py)."""

    in_quote_start: bool = False  # starts inside a quotation opened before it
    in_quote_end: bool = False  # a quotation is still open at its end
    quoted_share: float = 0.0  # share of its non-space characters inside quotation marks
    quote_open: int | None = None  # offset of the mark that opened its (possibly multi-paragraph) quotation
    quoted_spans: tuple[Span, ...] = ()  # the quoted stretches within it, absolute offsets

    @property
    def mode(self) -> str:
        """direct (at least half quoted), mixed (some quoted text) or indirect (none)."""
        if self.quoted_share >= 0.5:
            return "direct"
        return "mixed" if self.quoted_share > 0 else "indirect"

    def covers(self, offset: int) -> bool:
        return any(lo <= offset < hi for lo, hi in self.quoted_spans)


@dataclass(frozen=True)
class Entity:
    """A named entity (spaCy label) with absolute offsets."""

    start: int
    end: int
    label: str  # PERSON, ORG, GPE, NORP, ...
    in_quotation: bool = False  # entities inside a quotation are never its speaker
    subject: bool = False  # the main clause's subject (from the parse; False where none ran)


@dataclass(frozen=True)
class Mention:
    """Who an attribution names, as written in the text."""

    span: Span | None
    text: str | None
    kind: str | None  # one of MENTION_KINDS
    head: Span | None = None  # the head word of the mention
    full: str | None = None  # the whole phrase, clauses included ("officials who asked not to be named")


@dataclass(frozen=True)
class Attribution:
    """Why a sentence counts as sourced: the cue, the speaker mention, how sure.

    ``via`` says which evidence fired: verb, according_to, view, hearsay,
    quotation, colon, dash, transcript (rules) or model (the learned spans).
    """

    via: str
    cue: Span | None
    mention: Mention | None
    score: float
    anonymous_phrase: str | None = None  # hearsay: the phrase that names an anonymous source
    # direct / mixed / indirect: read from a record, or else set from the quotation
    # state of the sentence it is attached to (see Sentence.__setattr__)
    mode: str | None = None

    @property
    def mention_span(self) -> Span | None:
        return self.mention.span if self.mention else None

    def with_via(self, via: str, score: float) -> Attribution:
        return replace(self, via=via, score=score)


@dataclass(frozen=True)
class Probabilities:
    """The calibrated probabilities a label is chosen from."""

    attributed: float
    opinion: float


@dataclass
class SourceProfile:
    """Who a source is, as far as the article says (docs/annotation.md section 5)."""

    title: str | None = None
    affiliation: str | None = None
    affiliation_id: str | None = None  # the affiliated organisation's own source id
    category: str = "other"
    gender: str | None = None  # persons only: female, male or unknown
    gender_evidence: list[str] = field(default_factory=list)
    anonymity_reason: str | None = None  # anonymous sources only
    anonymity_reason_span: Span | None = None
    party: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in PROFILE_FIELDS}
        data["gender_evidence"] = list(self.gender_evidence)
        data["anonymity_reason_span"] = list(self.anonymity_reason_span) if self.anonymity_reason_span else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceProfile:
        span = data.get("anonymity_reason_span")
        return cls(
            title=data.get("title"), affiliation=data.get("affiliation"), affiliation_id=data.get("affiliation_id"),
            category=str(data.get("category") or "other"), gender=data.get("gender"),
            gender_evidence=[str(e) for e in data.get("gender_evidence") or []],
            anonymity_reason=data.get("anonymity_reason"), anonymity_reason_span=(int(span[0]), int(span[1])) if span else None,
            party=data.get("party"),
        )


@dataclass
class Source:
    id: str
    name: str
    type: str = "unknown"
    aliases: list[str] = field(default_factory=list)
    profile: SourceProfile | None = None  # set by the source profiler, or by profile gold

    def to_dict(self) -> dict[str, Any]:
        data = {"id": self.id, "name": self.name, "type": self.type, "aliases": list(self.aliases)}
        if self.profile is not None:
            data.update(self.profile.to_dict())
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        return cls(
            id=str(data["id"]),
            name=str(data.get("name", "")),
            type=str(data.get("type", "unknown")),
            aliases=[str(a) for a in data.get("aliases") or []],
            profile=SourceProfile.from_dict(data) if "category" in data else None,
        )


@dataclass
class Sentence:
    start: int
    end: int
    kind: str = "body"
    label: str | None = None
    alt_labels: list[str] = field(default_factory=list)
    speaker: str | None = None
    speaker_span: Span | None = None
    cue_span: Span | None = None
    confidence: float | None = None
    scores: dict[str, float] | None = None
    # Working state of the pipeline stages (see the module doc); compared
    # and printed never, serialised only as the attribution.
    layout: Layout | None = field(default=None, compare=False, repr=False)
    quotes: QuoteState = field(default_factory=QuoteState, compare=False, repr=False)
    entities: tuple[Entity, ...] = field(default=(), compare=False, repr=False)
    attribution: Attribution | None = field(default=None, compare=False, repr=False)
    probabilities: Probabilities | None = field(default=None, compare=False, repr=False)

    def __setattr__(self, name: str, value: Any) -> None:
        # An attribution without a mode takes the sentence's quote mode when it
        # is attached, and follows a later quotation state, so that
        # ``sentence.attribution.mode`` is always the mode ``to_dict`` writes.
        if name == "attribution":
            derived = value is not None and value.mode is None
            if derived:
                value = replace(value, mode=self.quotes.mode)
            object.__setattr__(self, "_mode_from_quotes", derived)
        elif name == "quotes" and self.__dict__.get("_mode_from_quotes") and self.attribution is not None:
            object.__setattr__(self, "attribution", replace(self.attribution, mode=value.mode))
        object.__setattr__(self, name, value)

    @property
    def labelled(self) -> bool:
        return self.kind in LABELLED_KINDS

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end}
        if text is not None:
            out["text"] = text[self.start : self.end]
        out.update(
            kind=self.kind,
            label=self.label,
            alt_labels=list(self.alt_labels),
            speaker=self.speaker,
            speaker_span=list(self.speaker_span) if self.speaker_span else None,
            cue_span=list(self.cue_span) if self.cue_span else None,
        )
        if self.confidence is not None:
            out["confidence"] = round(float(self.confidence), 4)
        if self.scores is not None:
            out["scores"] = {k: round(float(v), 4) for k, v in self.scores.items()}
        if self.attribution is not None and self.label == "sourced_claim":
            out["attribution"] = self._attribution_dict()
        return out

    def _attribution_dict(self) -> dict[str, Any]:
        a = self.attribution
        assert a is not None
        return {
            "via": a.via,
            "mode": a.mode,  # set for every attached attribution (see __setattr__)
            "cue_span": list(a.cue) if a.cue else None,
            "source_span": list(a.mention.span) if a.mention and a.mention.span else None,
            "confidence": round(float(a.score), 4),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sentence:
        sentence = cls(
            start=int(data["start"]),
            end=int(data["end"]),
            kind=str(data.get("kind", "body")),
            label=data.get("label"),
            alt_labels=list(data.get("alt_labels") or []),
            speaker=data.get("speaker"),
            speaker_span=_span(data.get("speaker_span")),
            cue_span=_span(data.get("cue_span")),
            confidence=data.get("confidence"),
            scores=data.get("scores"),
        )
        attribution = data.get("attribution")
        if isinstance(attribution, dict):
            source = _span(attribution.get("source_span"))
            sentence.attribution = Attribution(
                via=str(attribution.get("via", "")),
                cue=_span(attribution.get("cue_span")),
                mention=Mention(source, None, None) if source else None,
                score=float(attribution.get("confidence", 0.0)),
                mode=attribution.get("mode"),
            )
        return sentence


@dataclass
class Article:
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    sources: list[Source] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    summary: dict[str, Any] | None = None
    # Fields a record carried that FORMAT.md does not name (for example a
    # converter's provenance); kept so that a round trip loses nothing.
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def unanalysed_copy(self) -> Article:
        """The article as input to the pipeline: text and metadata, no sentences,
        sources or summary (a pipeline reads only these and never changes its input)."""
        return Article(
            id=self.id, text=self.text, title=self.title, url=self.url, outlet=self.outlet,
            published=self.published, extra=copy.deepcopy(self.extra),
        )

    def sentence_text(self, sentence: Sentence) -> str:
        return self.text[sentence.start : sentence.end]

    def source_by_id(self, source_id: str) -> Source | None:
        for source in self.sources:
            if source.id == source_id:
                return source
        return None

    def to_dict(self, include_sentence_text: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "text": self.text}
        for key in ("title", "url", "outlet", "published"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out.update(self.extra)
        out["sources"] = [s.to_dict() for s in self.sources]
        out["sentences"] = [
            s.to_dict(self.text if include_sentence_text else None) for s in self.sentences
        ]
        if self.summary is not None:
            out["summary"] = self.summary
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        known = {"id", "text", "title", "url", "outlet", "published", "sources", "sentences", "summary"}
        return cls(
            id=str(data["id"]),
            text=data["text"],
            title=data.get("title"),
            url=data.get("url"),
            outlet=data.get("outlet"),
            published=data.get("published"),
            sources=[Source.from_dict(s) for s in data.get("sources") or []],
            sentences=[Sentence.from_dict(s) for s in data.get("sentences") or []],
            summary=data.get("summary"),
            extra={k: v for k, v in data.items() if k not in known},
        )
