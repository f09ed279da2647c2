"""Rule-based attribution: which sentences carry someone else's words, and the cue and speaker mention.

Reads the segmentation's quotation state and a spaCy parse of each labelled
sentence. A sentence is attributed when

- a reporting verb ("said", "told", "warned", "believes", ...) governs a
  clause or a quotation, and its subject (or "by" agent) is the speaker;
- "according to X", "in X's view", "from X's perspective" frame it;
- hearsay marks it ("reportedly", "allegedly", "reports emerged", "is said to");
- it lies mostly inside a quotation: then the speaker comes from the cue of
  the same quotation, before, inside or after the sentence, including a
  colon ("He said:") or a closing dash attribution ("— Dana Ortiz")
  (:mod:`saidwho.pipeline.quotations`, with transcript speaker tags).

The result goes to ``Sentence.attribution`` (an
:class:`~saidwho.records.Attribution`), ``cue_span`` and ``speaker_span``;
named entities of every parsed segment go to ``Sentence.entities`` for
speaker resolution.

Scored by: sourced_claim precision/recall/F1 in :mod:`saidwho.evaluation.scoring`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from saidwho.lexicon import (
    ACCOUNT_NOUNS,
    FIRST_PERSON_TOLD_VERBS,
    HEARSAY_ADVERBS,
    HEARSAY_SPEECH_FORMS,
    NAMING_VERBS,
    NEEDS_CLAUSE,
    NEEDS_QUOTE,
    REPORTING_VERBS,
    STANCE_ADJECTIVES,
    WRITER_PRONOUNS,
    XCOMP_VERBS,
)
from saidwho.pipeline.communication import (
    author_of,
    communication_noun,
    first_person_hearsay,
    judgement_verb,
    noun_content_act,
    trailing_cue_speaker,
    withheld_speech,
    withholds_speech,
)
from saidwho.pipeline.component import Component
from saidwho.pipeline.datelines import dateline_length
from saidwho.pipeline.parse import Parser, doc_entities, mention_bounds, mention_kind, mention_kind_of_text, subject_of
from saidwho.pipeline.quotations import attribute_transcript_lines, propagate_quotations
from saidwho.records import Article, Attribution, Entity, Mention, Sentence, Span

# Segments the attributor parses (named entities in headlines and captions help speakers).
PARSED_KINDS = frozenset({"body", "dek", "headline", "caption"})
# The word lists (reporting verbs and their classes, hearsay adverbs) are in saidwho.lexicon.

HEARSAY_PATTERNS = [
    re.compile(r"\b(reports?|rumou?rs?|word) (have |has )?(emerged|surfaced|circulated|suggest(ed)?|indicate[sd]?)\b", re.I),
    re.compile(
        r"\b(some|many|others|critics|observers|analysts|experts|insiders|sources|officials|people familiar)\b[^.]{0,60}"
        r"\b(" + "|".join(HEARSAY_SPEECH_FORMS) + r")\b",
        re.I,
    ),
    re.compile(r"\b(is|are|was|were) (said|reported|believed|thought|understood|alleged|rumou?red) to\b", re.I),
    re.compile(r"\bit (is|was|has been) (said|reported|claimed|alleged|understood|believed)\b", re.I),
]
VIEW_PATTERNS = [
    re.compile(r"\b(in|from) (?P<who>[\w .’'-]{2,60}?)[’']s? (view|perspective|words|opinion|estimation|telling|account)\b", re.I),
]


class RuleAttributor(Component):
    """Pipeline component: attribution by rules over quotation state and a dependency parse."""

    name = "attribute"
    reads = frozenset({"sentences", "layout", "quotes"})
    writes = frozenset({"attribution", "entities"})
    scored_by = ("sourced_claim_f1", "speaker_accuracy")

    def __init__(self, parser: Parser | None = None):
        self.parser = parser or Parser()

    # -- predict: nothing is written to the article here.
    def predict(self, article: Article) -> RuleAttributions:
        """Every sentence of a parsed kind is parsed: the labelled ones for their
        attribution, headlines and captions for their names."""
        text = article.text
        indices = [i for i, s in enumerate(article.sentences) if s.kind in PARSED_KINDS]
        docs = self.parser.parse([text[article.sentences[i].start : article.sentences[i].end] for i in indices])
        entities: list[tuple[Entity, ...]] = [() for _ in article.sentences]
        attributions: list[Attribution | None] = [None for _ in article.sentences]
        withheld = [False for _ in article.sentences]
        for i, doc in zip(indices, docs):
            sentence = article.sentences[i]
            entities[i] = doc_entities(doc, sentence.start, sentence.quotes)
            if sentence.labelled:
                quoted = _quoted_token_mask(doc, sentence.quotes.quoted_spans, sentence.start)
                attributions[i] = self._attribute_sentence(doc, sentence, quoted)
                if attributions[i] is None:
                    withheld[i] = withheld_speech(doc, quoted, self.parser.lemma)
        attribute_transcript_lines(article.sentences, attributions, text, entities)
        propagate_quotations(article.sentences, attributions, text)
        withheld = [w and a is None for w, a in zip(withheld, attributions)]
        return RuleAttributions(entities, attributions, withheld)

    def set_annotations(self, article: Article, result: RuleAttributions) -> None:
        for sentence, entities, attribution in zip(article.sentences, result.entities, result.attributions):
            sentence.entities = entities
            write_attribution(sentence, attribution)

    # -- one sentence
    def _attribute_sentence(self, doc, sentence: Sentence, quoted: list[bool]) -> Attribution | None:
        """The strongest evidence in one sentence (see :meth:`_evidence`), its
        speaker mention kept out of a dateline that opens the paragraph;
        ``quoted``: which tokens are inside a quotation."""
        attribution = self._evidence(doc, sentence, quoted)
        if attribution is not None and (sentence.layout is None or sentence.layout.first_in_paragraph):
            attribution = _outside_dateline(attribution, doc, sentence.start, dateline_length(doc.text))
        return attribution

    def _evidence(self, doc, sentence: Sentence, quoted: list[bool]) -> Attribution | None:
        """In order: "according to" with a named or pronoun source, a reporting
        verb, a communication noun with its content ("a statement saying", "his
        warnings that"), any other "according to", "in X's view", hearsay."""
        base = sentence.start
        according = _according_to(doc, quoted, base)
        if according is not None and (according.mention is None or according.mention.kind in ("name", "pronoun")):
            return according
        best = self._reporting_verb(doc, quoted, base, has_quote=sentence.quotes.quoted_share > 0 or any(quoted))
        if best is not None:
            return best
        act = noun_content_act(doc, quoted, subject_of, self.parser.lemma)
        if act is not None:
            cue, speaker = act
            return _make("verb", (base + cue.idx, base + cue.idx + len(cue.text)), speaker, doc, base, 0.85)
        if according is not None:
            # "according to a copy seen by ...": only when no speech verb names a speaker.
            return according
        return _in_view_of(doc.text, base) or _hearsay(doc, quoted, base)

    def _reporting_verb(self, doc, quoted: list[bool], base: int, has_quote: bool) -> Attribution | None:
        """The best-scored reporting verb (or stance adjective) with a content clause or quotation."""
        best: Attribution | None = None
        for tok in doc:
            if quoted[tok.i] or (tok.pos_ not in ("ADJ", "VERB", "AUX") and not _verb_tagged_as_noun(tok)):
                continue
            lemma = self.parser.lemma(tok)
            if withholds_speech(tok, lemma, self.parser.lemma):
                continue  # "did not say when", "declined to say whether": nothing passed on
            if tok.pos_ == "ADJ":
                candidate = _stance_adjective(tok, lemma, doc, base)
            else:
                candidate = _verb_attribution(tok, lemma, doc, quoted, base, has_quote, self.parser.lemma)
            if candidate is not None and (best is None or candidate.score > best.score):
                best = candidate
        return best


@dataclass
class RuleAttributions:
    """What the rule attributor predicts for each segment of an article."""

    entities: list[tuple[Entity, ...]]
    attributions: list[Attribution | None]
    # Sentences whose only speech is withheld ("has not said whether", "declined
    # to say when"): no content is passed on, so no attribution at all, the
    # learned one included (issue 21, class 8).
    withheld: list[bool] = field(default_factory=list)


def write_attribution(sentence: Sentence, attribution: Attribution | None) -> None:
    """Set a sentence's attribution and the spans FORMAT.md names (shared by every attributor)."""
    sentence.attribution = attribution
    sentence.cue_span = attribution.cue if attribution is not None else None
    sentence.speaker_span = attribution.mention_span if attribution is not None else None


def _according_to(doc, quoted: list[bool], base: int) -> Attribution | None:
    for tok in doc:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to" and not quoted[tok.i]:
            objects = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
            mention = objects[0] if objects else None
            # "according to her account", "according to the ministry's
            # statement": the possessor is the source, not the account.
            owners = [c for c in mention.children if c.dep_ == "poss"] if mention is not None else []
            if owners and mention.lower_ in ACCOUNT_NOUNS:
                mention = owners[0]
            return _make("according_to", (base + tok.idx, base + doc[tok.i + 1].idx + 2), mention, doc, base, 0.95)
    return None


def _stance_adjective(tok, lemma: str, doc, base: int) -> Attribution | None:
    """"Many Democrats are afraid that ...": the stance of the copula's subject."""
    if lemma not in STANCE_ADJECTIVES or not any(c.dep_ == "ccomp" for c in tok.children):
        return None
    subject = subject_of(tok.head) if tok.dep_ == "acomp" else None
    if subject is None:
        return None
    return _make("verb", (base + tok.idx, base + tok.idx + len(tok.text)), subject, doc, base, 0.8)


def _verb_attribution(tok, lemma: str, doc, quoted: list[bool], base: int, has_quote: bool, lemma_of) -> Attribution | None:
    """A reporting verb that governs a clause or a quotation, with its subject as the mention."""
    # A sentence ending in a colon introduces what follows ("Lopes put it simply:").
    colon_intro = tok.dep_ == "ROOT" and tok.pos_ == "VERB" and _ends_with_colon(doc)
    # "praised the volunteers as ...", "took aim at the minister for ...": a
    # judgement whose complement carries the view (communication.py).
    judgement = tok.pos_ == "VERB" and judgement_verb(tok, lemma)
    # "I was informed that ...": verbs of telling the writer (first-person hearsay below).
    speech = lemma in REPORTING_VERBS or lemma in FIRST_PERSON_TOLD_VERBS
    if (tok.pos_ not in ("VERB", "AUX") and not _verb_tagged_as_noun(tok)) or not (speech or colon_intro or judgement):
        return None
    children = list(tok.children)
    clause = [c for c in children if c.dep_ in ("ccomp", "parataxis", "xcomp") and c.pos_ in ("VERB", "AUX") and not (c.dep_ == "xcomp" and lemma not in XCOMP_VERBS)]
    if not clause:
        clause = _misparsed_that_clause(tok)
    clause_in_quote = [c for c in children if c.dep_ in ("ccomp", "parataxis") and quoted[c.i]]
    governs_quote = bool(clause_in_quote) or (has_quote and tok.dep_ in ("ROOT", "parataxis"))
    # "X said" in the middle or end of a quote, or as an aside ("..., Roberts said, ..."):
    # the verb is parataxis of the content clause.
    # "If China can build a wall, he observed this week, then ...": an aside
    # between commas that the parser made the root.
    inverted = tok.dep_ == "parataxis" or _parenthetical(tok, children)
    oprd = [c for c in children if c.dep_ in ("oprd", "dobj") and lemma in NAMING_VERBS]
    colon = _ends_with_colon(doc) and tok.dep_ == "ROOT"
    # "..., as Mr. Bown observed, ...": the main clause is the content.
    as_aside = tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in children)
    # "likened the refugees to a “vicious snake”": a quotation inside the object.
    quoted_object = any(
        quoted[t.i] for c in children if c.dep_ in ("dobj", "prep", "oprd", "attr", "advcl") for t in c.subtree
    )
    # "..., the school district announced on Tuesday.", parsed as a reduced relative clause.
    trailing = trailing_cue_speaker(tok, lemma)
    if lemma in NEEDS_CLAUSE and not (clause or clause_in_quote):
        return None
    content = clause or governs_quote or inverted or oprd or colon or as_aside or quoted_object
    if not (content or judgement or trailing is not None):
        return None
    if lemma in NEEDS_QUOTE and not (quoted_object or clause_in_quote or any(c.dep_ == "oprd" for c in children)):
        return None
    subject = trailing if trailing is not None else subject_of(tok, quoted)
    if subject is None and _verb_tagged_as_noun(tok):
        return _noun_tagged_verb_attribution(tok, doc, base)
    if subject is None and tok.dep_ in ("conj", "advcl", "xcomp"):
        subject = subject_of(tok.head)
    if subject is None and tok.dep_ == "acl" and communication_noun(tok.head):
        # "released a statement saying ...", "a letter from the board warning ...".
        subject = author_of(tok.head, subject_of, lemma_of, document_speaks=True)
    if subject is None and lemma not in {"report"}:
        return None
    if judgement and not content and subject is not None and subject.dep_ == "nsubjpass":
        return None  # "She was praised for her courage": the one praised does not speak
    if subject is not None and subject.lower_ in WRITER_PRONOUNS and not quoted[subject.i]:
        # "I can report that ...", "we believe": outside a quotation the
        # first person is the writer, who is not a source; but "I'm told
        # that ...", "I have learned that ..." pass on what someone unnamed
        # said: hearsay (ANNOTATION.md 3, anonymous hearsay).
        return first_person_hearsay(tok, lemma, subject, clause, base)
    score = 0.9 if (clause or governs_quote or inverted or trailing is not None) else 0.7
    if tok.dep_ in ("relcl", "acl") and trailing is None:
        # "Scott's relatives, who asked to see the video, watched it,
        # attorneys for the family said": a reporting verb inside a
        # relative clause describes someone; the main verb's speaker wins.
        score -= 0.1
    via = "colon" if colon and not clause else "verb"
    return _make(via, (base + tok.idx, base + tok.idx + len(tok.text)), _named_example(subject, tok), doc, base, score)


_EXAMPLE_MARKERS = frozenset({"like", "as", "including"})


def _named_example(subject, verb):
    """"Critics, like Senator Holt, argue ...", "Economists such as Ana Ruiz
    warned ...": a group named through one of its members speaks as that
    member (eval/ANNOTATION-NOTES.md §3, joint speakers). The parser hangs the
    example on the group or on the verb."""
    if subject is None or subject.pos_ != "NOUN" or subject.tag_ not in ("NNS", "NNPS"):
        return subject
    for holder in (subject, verb):
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ in _EXAMPLE_MARKERS and (holder is subject or prep.i < verb.i):
                named = [c for c in prep.children if c.dep_ == "pobj" and c.pos_ == "PROPN"]
                if named:
                    return named[0]
    return subject


def _outside_dateline(attribution: Attribution, doc, base: int, length: int) -> Attribution:
    """The attribution with its speaker mention cut to the words after a
    paragraph-opening dateline ("WASHINGTON -- President Obama" -> "President
    Obama"); without a mention where its head lies in the dateline: a dateline
    never names a speaker (datelines.py)."""
    mention = attribution.mention
    if not length or mention is None or mention.span is None or mention.span[0] >= base + length:
        return attribution
    head = mention.head or mention.span
    if mention.span[1] <= base + length or head[0] < base + length:
        # "BRELAND, Oct. 4 (Wire) — The Breland Water Board said": the parser
        # may give the cue two subjects; the one after the dateline speaks.
        verb = doc.char_span(attribution.cue[0] - base, attribution.cue[1] - base, alignment_mode="expand") if attribution.cue else None
        others = [c for c in verb.root.children if c.dep_ in ("nsubj", "nsubjpass") and c.idx >= length] if verb else []
        if others and others[0].i > verb.root.left_edge.i:
            return _outside_dateline(_make(attribution.via, attribution.cue, others[0], doc, base, attribution.score), doc, base, length)
        return replace(attribution, mention=None)
    span = doc.char_span(length, mention.span[1] - base, alignment_mode="expand")
    head_token = doc.char_span(head[0] - base, head[1] - base, alignment_mode="expand")
    if span is None or head_token is None or not span.text.strip():
        return replace(attribution, mention=None)
    dateline = doc.text[:length].strip()
    full = mention.full[len(dateline):].strip(" -—–―,") if mention.full and mention.full.startswith(dateline) else mention.full
    clipped = Mention((base + span.start_char, base + span.end_char), span.text, mention_kind(span, head_token.root), head=mention.head, full=full)
    return replace(attribution, mention=clipped)


def _in_view_of(sentence_text: str, base: int) -> Attribution | None:
    """"in X's view", "from X's perspective"."""
    for pattern in VIEW_PATTERNS:
        m = pattern.search(sentence_text)
        if m:
            who = m.span("who")
            mention = Mention((base + who[0], base + who[1]), m.group("who"), mention_kind_of_text(m.group("who")))
            return Attribution("view", (base + m.start(), base + m.end()), mention, 0.8)
    return None


def _hearsay(doc, quoted: list[bool], base: int) -> Attribution | None:
    """Hearsay without an identifiable source: "reportedly", "reports emerged", "is said to"."""
    for tok in doc:
        if tok.lower_ in HEARSAY_ADVERBS and not quoted[tok.i]:
            cue = (base + tok.idx, base + tok.idx + len(tok.text))
            return Attribution("hearsay", cue, Mention(None, tok.lower_, "anonymous"), 0.85, anonymous_phrase=tok.lower_)
    for pattern in HEARSAY_PATTERNS:
        m = pattern.search(doc.text)
        if m:
            phrase = m.group(0)
            span = (base + m.start(), base + m.end())
            return Attribution("hearsay", span, Mention(span, phrase, "anonymous"), 0.8, anonymous_phrase=phrase)
    return None


def _make(via: str, cue: Span, head, doc, base: int, score: float) -> Attribution:
    """An attribution whose mention is the phrase headed by the token ``head``."""
    if head is None:
        return Attribution(via, cue, None, score)
    start_tok, end_tok = mention_bounds(head)
    span = doc[start_tok:end_tok]
    mention = Mention(
        span=(base + span.start_char, base + span.end_char),
        text=span.text,
        kind=mention_kind(span, head),
        head=(base + head.idx, base + head.idx + len(head.text)),
        full=doc[head.left_edge.i : head.right_edge.i + 1].text.strip(" ,"),
    )
    return Attribution(via, cue, mention, score)


# ---------------------------------------------------------------- helpers


def _quoted_token_mask(doc, quoted_spans: tuple[Span, ...], base: int) -> list[bool]:
    """True for tokens inside a quotation: from the segmentation's quotation
    state (which follows quotes across sentences), else between the marks
    inside this sentence."""
    if quoted_spans:
        return [any(lo <= base + tok.idx < hi for lo, hi in quoted_spans) for tok in doc]
    mask = [False] * len(doc)
    inside = False
    for tok in doc:
        if tok.text in ("“", "«", "„"):
            inside = True
            continue
        if tok.text in ("”", "»"):
            inside = False
            continue
        if tok.text == '"':
            inside = not inside
            continue
        mask[tok.i] = inside
    return mask


def _misparsed_that_clause(verb) -> list:
    """The content clause of "warned for decades that stadiums rarely pay" or
    "told staff in a memo that the airline was ...", which the small parser
    hangs as a relative clause on the nearest noun. Counted when "that" comes
    before the clause's own subject (a relative "that" is its subject)."""
    for tok in verb.subtree:
        if tok.i <= verb.i or tok.dep_ != "relcl" or tok.pos_ not in ("VERB", "AUX"):
            continue
        that = [c for c in tok.children if c.lower_ == "that" and c.dep_ in ("mark", "dobj")]
        subject = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in ("that", "which", "who")]
        if that and subject and that[0].i < subject[0].i and tok.head.i - verb.i <= 6:
            return [tok]
    return []


def _verb_tagged_as_noun(tok) -> bool:
    """"..., the former doctor maintains.": a present-tense reporting verb the
    tagger took for a noun, as the root of a sentence with a content clause."""
    return tok.pos_ == "NOUN" and tok.dep_ == "ROOT" and tok.lower_.endswith("s") and any(c.dep_ == "ccomp" for c in tok.children)


def _noun_tagged_verb_attribution(tok, doc, base: int) -> Attribution | None:
    """The speaker of a verb tagged as a noun: the words after the last comma
    before it, which the parser hung on it as modifiers ("the bank's chief economist")."""
    comma = max((c.i for c in tok.children if c.dep_ == "punct" and c.i < tok.i), default=-1)
    left = [c for c in tok.children if comma < c.i < tok.i and c.dep_ not in ("punct", "ccomp")]
    if not left or left[-1].i != tok.i - 1:
        return None
    span = doc[min(c.left_edge.i for c in left) : tok.i]
    head = doc[tok.i - 1]
    mention = Mention(
        (base + span.start_char, base + span.end_char), span.text, mention_kind(span, head),
        head=(base + head.idx, base + head.idx + len(head.text)), full=span.text,
    )
    return Attribution("verb", (base + tok.idx, base + tok.idx + len(tok.text)), mention, 0.9)


def _parenthetical(tok, children) -> bool:
    """A subject and verb set off by commas inside the sentence (", he observed this week,")."""
    subjects = [c for c in children if c.dep_ == "nsubj" and c.i < tok.i]
    if not subjects or subjects[0].left_edge.i == 0:
        return False
    doc = tok.doc
    return doc[subjects[0].left_edge.i - 1].text == "," and any(t.text == "," for t in doc[tok.i + 1 : tok.i + 5])


def _ends_with_colon(doc) -> bool:
    return doc.text.rstrip().endswith(":")
