"""Segmentation: segments with a ``kind``, body sentences with exact offsets, quotation state.

The stage takes an article's text and returns its segments in order, without
overlap. Each paragraph is first given a kind (headline, dek, byline,
dateline, caption, heading, meta or body; see :mod:`saidwho.pipeline.kinds`);
body paragraphs are split into sentences with pysbd and every sentence is
mapped back onto exact character offsets in the original string.

Quotation state is tracked over the whole text, not per sentence, because
news style reopens a quotation at each new paragraph without closing the last
one. Every sentence gets a :class:`~saidwho.records.Layout` (its paragraph,
whether it opens it, whether the line repeats an earlier headline or
caption) and a :class:`~saidwho.records.QuoteState` (whether it starts or
ends inside a quotation, its quoted share and stretches, and where its
possibly multi-paragraph quotation opened).

Scored by: sentence-boundary agreement and body-or-not accuracy in
:mod:`saidwho.evaluation.scoring`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from saidwho.pipeline.component import Component
# Paragraphs and their kinds live in kinds.py; the names are imported here too
# because callers have always found them in this module.
from saidwho.pipeline.kinds import (  # noqa: F401
    DASH_CREDIT,
    Paragraph,
    classify_paragraphs,
    is_byline,
    is_kicker,
    is_kicker_above,
    is_name_line,
    is_solicitation,
    split_paragraphs,
)
from saidwho.records import Article, Layout, QuoteState, Sentence

OPENING_DOUBLE = "“«„"
CLOSING_DOUBLE = "”»"
STRAIGHT_DOUBLE = '"'
OPENING_SINGLE = "‘"
CLOSING_SINGLE = "’"


@dataclass(frozen=True)
class Quotation:
    """One stretch of quoted text inside a paragraph.

    ``chain_open`` is the offset of the opening mark of the whole quotation,
    which for a multi-paragraph quote is in an earlier paragraph.
    """

    start: int
    end: int
    chain_open: int
    closed: bool


# ---------------------------------------------------------------- sentences


@lru_cache(maxsize=1)
def _pysbd_segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


# Where pysbd may end a sentence: terminal punctuation and line breaks.
_MAY_END = re.compile(r"[.!?…\n\r]")


def _pysbd_sentences(masked: str) -> list[str]:
    """pysbd's sentences of a paragraph, for :func:`split_sentences` to place.

    Two shortcuts, half the segmentation time: a paragraph with nowhere to
    end a sentence before its last character is one sentence (most news
    paragraphs are); and pysbd's own step that maps each sentence back onto
    the text with one regex search per sentence (a third of its time) is
    skipped, because the caller places them anyway. Measured on 1,266 texts
    (PolNeAR, Webis, the gold set): the same sentences in all but one, a
    paragraph with inline list markers ("1) ... 2) ...") that pysbd's mapping
    cut into fragments and that is now one sentence."""
    body = masked.strip()
    if not body:
        return []
    if not _MAY_END.search(body, 0, len(body) - 1):
        return [body]
    return _pysbd_segmenter().processor(masked).process()


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentences; return exact ``(start, end)`` offsets.

    pysbd returns strings; each is located in the original, in order, so the
    offsets index the untouched text. Whitespace between sentences belongs to
    no sentence. A closing quote mark that pysbd put at the head of the next
    sentence is moved back to the sentence it closes.
    """
    chunk = text[start:end]
    # pysbd never splits inside quotation marks, but a copy editor splits
    # "“Nobody came. We waited,” she said." in two: blank the marks out
    # (same length, so offsets hold) before segmenting.
    masked = re.sub(r"[“”\"«»„]", " ", chunk)
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in _pysbd_sentences(masked):
        piece = piece.strip()
        if not piece:
            continue
        found = masked.find(piece, cursor)
        if found < 0:
            continue  # as pysbd itself does with a sentence it cannot place
        spans.append([found, found + len(piece)])  # type: ignore[arg-type]
        cursor = found + len(piece)
    # Give the blanked marks back: a closing mark right after a sentence ends
    # it, an opening mark right before a sentence starts it.
    for i, span in enumerate(spans):
        limit = spans[i + 1][0] if i + 1 < len(spans) else len(chunk)
        while span[1] < limit and chunk[span[1]] in "”»\"’":
            span[1] += 1
    for i, span in enumerate(spans):
        floor = spans[i - 1][1] if i else 0
        while span[0] > floor and chunk[span[0] - 1] in "“«„\"‘":
            span[0] -= 1
    # Sentences must tile the paragraph's non-space text: extend each to the next.
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
            continue
        merged.append([s, e])
    if not merged:
        return [(start, end)] if chunk.strip() else []
    merged[0][0] = len(chunk) - len(chunk.lstrip())
    for i in range(len(merged) - 1):
        gap = chunk[merged[i][1] : merged[i + 1][0]]
        if gap.strip():
            # Text pysbd dropped: give it to the sentence before.
            merged[i][1] = merged[i + 1][0] - (len(gap) - len(gap.rstrip()))
    tail = chunk[merged[-1][1] :]
    if tail.strip():
        merged[-1][1] = len(chunk.rstrip())
    _reattach_closing_marks(chunk, merged)
    for i in range(len(merged) - 1, 0, -1):
        piece = chunk[merged[i][0] : merged[i][1]]
        # "…,” ― Name" closing a quote is part of the sentence it credits;
        # so is the cue after a quote that ends in "!" or "?" (“We won!” said
        # the mayor.): the sentence goes on in lower case.
        if DASH_CREDIT.match(piece.strip()) or (
            piece[:1].islower() and _QUESTION_OR_EXCLAMATION_QUOTE.search(chunk, 0, merged[i - 1][1])
        ) or (
            # "Del. Stacey Plaskett", "Amb. Nikki Haley": a title pysbd took for a sentence end.
            piece[:1].isupper() and _TITLE_AT_END.search(chunk, 0, merged[i - 1][1])
        ):
            merged[i - 1][1] = merged[i][1]
            del merged[i]
    return [(start + s, start + e) for s, e in merged if chunk[s:e].strip()]


# A title abbreviation ending a piece: the name follows in the next piece.
_TITLE_AT_END = re.compile(r"(?:^|[\s(“\"])(?:Del|Amb|Ald|Supt|Insp|Cmdr|Det|Msgr|Sen|Rep|Gov|Lt|Gen|Col|Capt|Sgt|Adm|Prof|Rev|Hon|Mr|Mrs|Ms|Dr)\.$")
# A quotation closed right after "!" or "?" at the end of a sentence.
_QUESTION_OR_EXCLAMATION_QUOTE = re.compile(r"[!?][”\"’']\s*$")


def _reattach_closing_marks(chunk: str, spans: list[list[int]]) -> None:
    for i in range(1, len(spans)):
        s, e = spans[i]
        lead = chunk[s:e]
        m = re.match(r"[”’\"']+(?=\s|$)", lead)
        if m and spans[i - 1][1] <= s:
            spans[i - 1][1] = s + m.end()
            rest = s + m.end()
            while rest < e and chunk[rest].isspace():
                rest += 1
            spans[i][0] = rest


# ---------------------------------------------------------------- quotations


def find_quotations(text: str, paragraphs: list[Paragraph]) -> list[Quotation]:
    """Find quoted stretches, following quotations across paragraphs.

    A quotation still open at the end of a paragraph continues only when the
    next paragraph opens with a quote mark (news style); otherwise it is
    abandoned, so an odd number of marks cannot spill over the article.
    Single quotes count only outside double quotes and only where they cannot
    be apostrophes.
    """
    quotations: list[Quotation] = []
    carried_chain: int | None = None
    for paragraph in paragraphs:
        para = text[paragraph.start : paragraph.end]
        first = para.lstrip()[:1]
        continuing = carried_chain is not None and first in OPENING_DOUBLE + STRAIGHT_DOUBLE + OPENING_SINGLE + "'"
        chain: int | None = carried_chain if continuing else None
        open_at: int | None = None
        open_mark = ""
        carried_chain = None
        skip = False
        for i, ch in enumerate(para):
            if skip:
                skip = False
                continue
            pos = paragraph.start + i
            prev = para[i - 1] if i else " "
            nxt = para[i + 1] if i + 1 < len(para) else " "
            if ch == "'" and nxt == "'":
                # ''Like this'': two apostrophes for a double quote (some
                # newspaper archives); read as one straight double mark.
                ch, skip = STRAIGHT_DOUBLE, True
                nxt = para[i + 2] if i + 2 < len(para) else " "
            kind = _mark_role(ch, prev, nxt, open_mark)
            if kind == "open":
                if open_at is not None:
                    # A new opening inside an open quote: the close was missed.
                    quotations.append(Quotation(open_at, pos, chain if chain is not None else open_at, False))
                    chain = None
                open_at = pos
                open_mark = "single" if ch in OPENING_SINGLE + "'" else "double"
                if chain is None:
                    chain = pos
            elif kind == "close" and open_at is not None:
                quotations.append(Quotation(open_at, pos + (2 if skip else 1), chain if chain is not None else open_at, True))
                open_at, open_mark, chain = None, "", None
        if open_at is not None:
            chain_start = chain if chain is not None else open_at
            quotations.append(Quotation(open_at, paragraph.end, chain_start, False))
            carried_chain = chain_start
    return quotations


def _mark_role(ch: str, prev: str, nxt: str, open_mark: str) -> str | None:
    if ch in OPENING_DOUBLE:
        return "open" if open_mark != "double" else "close" if ch == "„" else "open"
    if ch in CLOSING_DOUBLE:
        if open_mark == "double" or (open_mark == "single" and not prev.isspace()):
            return "close"  # (‘Like this,” she said: mismatched marks still close)
        # ”Like this”: a closing mark typed at a word start, with nothing
        # open, opens (common in pasted reader comments).
        return "open" if open_mark == "" and (prev.isspace() or prev in "([{—–-:") and nxt.isalnum() else None
    if ch == STRAIGHT_DOUBLE:
        if open_mark == "double":
            return "close"
        if open_mark == "single" and not prev.isspace() and not nxt.isalnum():
            # 'Like this," she said: the writer mismatched the marks; this
            # closes the quotation instead of leaving it open to the paragraph end.
            return "close"
        # Opening: at a word start. A straight mark glued to a word's end with
        # nothing open is a stray close (odd count); ignore it.
        return "open" if (prev.isspace() or prev in "([{—–-:") and not nxt.isspace() else None
    if open_mark == "double":
        return None  # single marks inside a double quotation are nested quotes
    if ch in OPENING_SINGLE or ch == "'":
        if open_mark == "single":
            return "close" if not nxt.isalnum() and ch != OPENING_SINGLE else None
        return "open" if (prev.isspace() or prev in "([{—–-:") and nxt.isalpha() else None
    if ch == CLOSING_SINGLE:
        # ’ is mostly an apostrophe; it closes only an open single quote and only before a non-letter.
        return "close" if open_mark == "single" and not nxt.isalnum() else None
    return None


def quotation_state(text: str, sentence: Sentence, quotations: list[Quotation]) -> QuoteState:
    first = sentence.start
    while first < sentence.end and text[first].isspace():
        first += 1
    inside = 0
    total = sum(1 for c in text[sentence.start : sentence.end] if not c.isspace())
    in_start = False
    in_end = False
    quote_open: int | None = None
    spans: list[tuple[int, int]] = []
    for q in quotations:
        if q.end <= sentence.start or q.start >= sentence.end:
            continue
        lo, hi = max(q.start, sentence.start), min(q.end, sentence.end)
        spans.append((lo, hi))
        inside += sum(1 for c in text[lo:hi] if not c.isspace())
        if q.start < first or (q.start == first and q.chain_open < q.start):
            in_start = True
        if q.end > sentence.end or (not q.closed and q.end >= sentence.end):
            in_end = True
        if quote_open is None:
            quote_open = q.chain_open
    return QuoteState(
        in_quote_start=in_start,
        in_quote_end=in_end,
        quoted_share=(inside / total) if total else 0.0,
        quote_open=quote_open,
        quoted_spans=tuple(spans),
    )


# ---------------------------------------------------------------- the stage


def segment_text(text: str) -> list[Sentence]:
    """Segments of ``text`` in order: non-body paragraphs whole, body paragraphs as sentences."""
    paragraphs = split_paragraphs(text)
    classify_paragraphs(text, paragraphs)
    quotations = find_quotations(text, [p for p in paragraphs if p.kind in {"body", "dek"}])
    sentences: list[Sentence] = []
    for index, paragraph in enumerate(paragraphs):
        if paragraph.kind in {"body", "dek"} and not paragraph.duplicate:
            spans = split_sentences(text, paragraph.start, paragraph.end)
        else:
            spans = [(paragraph.start, paragraph.end)]
        for number, (start, end) in enumerate(spans):
            sentence = Sentence(start=start, end=end, kind=paragraph.kind)
            sentence.layout = Layout(paragraph=index, first_in_paragraph=number == 0, duplicate=paragraph.duplicate)
            sentence.quotes = quotation_state(text, sentence, quotations)
            sentences.append(sentence)
    return sentences


def annotate_existing(article: Article) -> None:
    """Give sentences that came from a file (gold or training records) the
    paragraph and quotation state the segmenter would give them, keeping
    their offsets and kinds."""
    paragraphs = split_paragraphs(article.text)
    quotations = find_quotations(article.text, paragraphs)
    p_index = 0
    previous_paragraph = -1
    for sentence in article.sentences:
        while p_index + 1 < len(paragraphs) and paragraphs[p_index].end <= sentence.start:
            p_index += 1
        sentence.layout = Layout(paragraph=p_index, first_in_paragraph=p_index != previous_paragraph)
        sentence.quotes = quotation_state(article.text, sentence, quotations)
        previous_paragraph = p_index


class Segmenter(Component):
    """Pipeline component: fills ``article.sentences`` with unlabelled segments."""

    name = "segment"
    reads = frozenset({"text"})
    writes = frozenset({"sentences", "layout", "quotes"})
    scored_by = ("boundary_agreement", "kind_accuracy")

    def predict(self, article: Article) -> list[Sentence]:
        return segment_text(article.text)

    def set_annotations(self, article: Article, sentences: list[Sentence]) -> None:
        article.sentences = sentences
