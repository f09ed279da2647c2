"""Segmentation: segments with a ``kind``, body sentences with exact offsets, quotation state.

The stage takes an article's text and returns its segments in order, without
overlap. Each paragraph is first given a kind (headline, dek, byline,
dateline, caption, heading, meta or body); body paragraphs are split into
sentences with pysbd and every sentence is mapped back onto exact character
offsets in the original string.

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
from saidwho.records import Article, Layout, QuoteState, Sentence, trim_span

OPENING_DOUBLE = "“«„"
CLOSING_DOUBLE = "”»"
STRAIGHT_DOUBLE = '"'
OPENING_SINGLE = "‘"
CLOSING_SINGLE = "’"

_WORD = re.compile(r"[A-Za-z][\w'’.-]*")


@dataclass
class Paragraph:
    start: int
    end: int
    kind: str = "body"
    duplicate: bool = False


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


# ---------------------------------------------------------------- paragraphs


def split_paragraphs(text: str) -> list[Paragraph]:
    """Split into paragraphs: blank lines separate; single newlines too, unless hard-wrapped.

    A block whose lines mostly run long and stop without sentence-final
    punctuation is a hard-wrapped paragraph and stays whole; otherwise every
    line is its own paragraph (scraped news puts one paragraph per line).
    """
    paragraphs: list[Paragraph] = []
    for block in re.finditer(r"\S(?:.|\n(?![ \t]*\n))*", text):
        lines = [m for m in re.finditer(r"[^\n]+", block.group(0)) if m.group(0).strip()]
        if len(lines) >= 3 and _looks_hard_wrapped([m.group(0) for m in lines]):
            paragraphs.append(Paragraph(*trim_span(text, block.start(), block.end())))
            continue
        for line in lines:
            paragraphs.append(Paragraph(*trim_span(text, block.start() + line.start(), block.start() + line.end())))
    return _attach_dash_credits(text, paragraphs)


_DASH_CREDIT = re.compile(r"^[—–―-]\s*[A-Z][\w.’'-]*(\s+[\w.,’'-]+){0,8}\s*\.?$")


def _attach_dash_credits(text: str, paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A line that is only "— Name" after a closing quote credits that quote: it
    belongs to the quote's paragraph (and sentence), not a paragraph of its own."""
    merged: list[Paragraph] = []
    for paragraph in paragraphs:
        line = text[paragraph.start : paragraph.end]
        if merged and _DASH_CREDIT.match(line) and text[merged[-1].start : merged[-1].end].rstrip().endswith(("”", '"', "»")):
            merged[-1].end = paragraph.end
            continue
        merged.append(paragraph)
    return merged


def _looks_hard_wrapped(lines: list[str]) -> bool:
    body = lines[:-1]
    wrapped = sum(1 for line in body if 40 <= len(line) <= 100 and not line.rstrip().endswith((".", "!", "?", ":", "”", '"')))
    return wrapped >= 0.6 * len(body)


# ---------------------------------------------------------------- kinds

_BYLINE = re.compile(r"^(by|By|BY)\s+[A-Z][\w.'’-]*(\s+[\w.'’&-]+){0,10}\s*\.?$")
_AGENCY_LINE = re.compile(
    r"^(\(?(Associated Press|Reuters|AFP|AP|Bloomberg|Staff Writer|Staff Reporter|[A-Z][\w ]{0,40} (Correspondent|Reporter|Writer|Editor))\)?\.?)$"
)
_DATELINE = re.compile(r"^[A-Z][A-Z.,'’ -]{1,40}(\s*\([^)]{1,40}\))?\s*[-—–:]+\s*$")
_CREDIT_END = re.compile(
    r"\((?:[^()]{0,60}(?:/|Photo|Images|Getty|AP|Reuters|AFP|EPA|Pool|Courtesy|Credit|via)[^()]{0,60})\)\s*\.?$"
)
_CAPTION_START = re.compile(r"^(Photo|Image|Picture|Video|Caption|PHOTO|IMAGE)\s*(:|—|-|by)\s*", re.I)
_BARE_CREDIT = re.compile(r"^[A-Z][\w .&'’-]{0,40}/[A-Z][\w .&'’-]{0,40}\.?$")
_META_PATTERNS = [
    re.compile(r"^\d{1,2}:\d{2}(:\d{2})?\s*([ap]\.?m\.?)?\.?$", re.I),  # 0:00, 5:45 p.m.
    re.compile(r"^(Updated|Published|Posted|Last updated|Modified)\b.{0,80}$", re.I),
    re.compile(r"^(Advertisement|Advert|Sponsored|Share|Share this|Share this article|Subscribe|Sign up|Follow us|Comments?|Read more|Read the rest here|Continue reading|Related|More from|Click here)\b.{0,60}$", re.I),
    re.compile(r"^[_*=~\-–—·•.\s]+$"),  # rules like "___."
    re.compile(r"^<[^>]+>(\s*<[^>]+>)*\s*\.?$"),  # embedded tags like <tweet .../>
    re.compile(
        r"^((Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*,?\s+)?((Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\w*\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\w*\s+\d{4}|\d{4}-\d{2}-\d{2})([ ,T]+[\d:]+\s*([ap]\.?m\.?)?\s*\w{0,4})?\.?$",
        re.I,
    ),
    re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}([ ,T]+[\d:]+\s*([ap]\.?m\.?)?\s*[A-Z]{0,4})?\.?$", re.I),  # 7/31/2023
    re.compile(r"^(Correction Appended|Editor[’']s note:?)\.?$", re.I),
    re.compile(r"^@\w+\.?$"),
]
_SMALL_WORDS = {"a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "by", "with", "vs", "vs.", "from", "as", "is"}


def classify_paragraphs(text: str, paragraphs: list[Paragraph]) -> None:
    """Give every paragraph its kind, in place; mark repeated headline and caption lines."""
    lines = [text[p.start : p.end] for p in paragraphs]
    # A kicker (section label) above the headline moves the headline down one line.
    first = 1 if len(paragraphs) > 2 and is_kicker_above(lines[0], lines[1]) else 0
    seen: dict[str, str] = {}
    for index, paragraph in enumerate(paragraphs):
        line = lines[index]
        if index < first:
            paragraph.kind = "meta"
        else:
            paragraph.kind = _kind_of_line(line, index - first, len(paragraphs) - first)
        key = _normalise_line(line)
        if key in seen and seen[key] in {"headline", "caption"}:
            paragraph.kind = seen[key]
            paragraph.duplicate = True
        elif paragraph.kind in {"headline", "caption"}:
            seen.setdefault(key, paragraph.kind)
    _mark_header(lines, paragraphs, first)


def _normalise_line(line: str) -> str:
    return re.sub(r"[\W_]+", " ", line).strip().lower()


def _kind_of_line(line: str, index: int, count: int) -> str:
    """The kind of one line from its text and its place (``index`` counts from
    the headline, ``count`` the paragraphs from it on); the dek and a bare-name
    byline are found later, from their neighbours (:func:`_mark_header`)."""
    words = line.split()
    n_words = len(words)
    if index == 0 and count > 1 and n_words <= 30 and "\n" not in line:
        return "headline"
    if any(p.match(line) for p in _META_PATTERNS) or is_solicitation(line):
        return "meta"
    if is_byline(line):
        return "byline"
    if _DATELINE.match(line):
        return "dateline"
    if _CREDIT_END.search(line) or _CAPTION_START.match(line) or (_BARE_CREDIT.match(line) and n_words <= 6):
        return "caption"
    if index > 0 and _looks_like_heading(line, words):
        return "heading"
    return "body"


# ---------------------------------------------------------------- page furniture
#
# Lines that a news page carries around the article: bylines with job titles,
# section labels above the headline, and requests to the reader (tips,
# newsletters, follow us). They are told apart by their form, not by their
# wording on one site, so that an HTML page and its plain-text copy get the
# same kinds (see ingest.py, which lays an HTML page out as headline, dek,
# byline, body).

# Particles inside personal names ("Jan de Vries", "Omar al Rashid").
_NAME_PARTICLES = frozenset(
    "van von de der den da das do dos du del della di la le al el bin ibn ter ten y".split()
)
# Words of a journalist's job title ("Business Reporter", "Staff Writer", "Bureau Chief").
_ROLE_WORDS = re.compile(
    r"\b(?:reporter|correspondent|writer|editor|columnist|contributor|journalist|producer|"
    r"analyst|critic|photographer|staff|bureau|desk|intern)s?\b",
    re.I,
)
# "By", "Written by", ... opening a byline.
_BY = re.compile(r"^(?:By|BY|by|(?:Written|Reporting|Reported|Words|Story|Text|Analysis) by)\s+(?=\S)")
# What separates names and titles in a byline: commas, "and", "&", bars, dots, dashes.
_BYLINE_SEPARATOR = re.compile(r"\s*(?:,|\||·|•)\s*(?:and\s+|&\s+)?|\s+(?:and|&|[–—-])\s+")
_NAME_TOKEN = re.compile(r"^(?:[A-Z][\w.'’-]*|[A-Z]\.)$")
_TITLE_TOKEN = re.compile(r"^[A-Za-z][\w.'’&-]*$")


def _chunk_is_name(chunk: str) -> bool:
    tokens = chunk.split()
    if not 1 <= len(tokens) <= 5 or tokens[-1].lower() in _NAME_PARTICLES:
        return False
    return all(_NAME_TOKEN.match(t) or t in _NAME_PARTICLES for t in tokens)


def _chunk_is_title(chunk: str) -> bool:
    tokens = chunk.split()
    return 1 <= len(tokens) <= 6 and all(_TITLE_TOKEN.match(t) for t in tokens) and bool(_ROLE_WORDS.search(chunk))


def _byline_chunks(rest: str) -> list[str] | None:
    rest = rest.strip().rstrip(".").strip()
    if not rest or any(c in rest for c in "“”\"?!;:()"):
        return None
    chunks = [c for c in _BYLINE_SEPARATOR.split(rest)]
    if any(not c.strip() for c in chunks):
        return None
    return [c.strip() for c in chunks]


def is_byline(line: str) -> bool:
    """Whether a line is a byline: "By NAME", "By NAME and NAME", "By NAME,
    TITLE", "By NAME, TITLE, and NAME", "NAME, TITLE", "NAME | TITLE" (a
    title is a few words naming a newsroom job: reporter, correspondent,
    editor, ...), or an agency or job line on its own ("Staff Writer")."""
    words = line.split()
    if len(words) <= 12 and (_BYLINE.match(line) or _AGENCY_LINE.match(line)):
        return True
    if len(words) > 20 or "\n" in line:
        return False
    by = _BY.match(line)
    chunks = _byline_chunks(line[by.end() :] if by else line)
    if not chunks or not _chunk_is_name(chunks[0]):
        return False
    if not all(_chunk_is_name(c) or _chunk_is_title(c) for c in chunks):
        return False
    if by:
        return True
    # Without "By", a full name needs a job title or a bar beside it:
    # "Elena Novak, Business Reporter", "Elena Novak | Northfield Courier".
    if len(chunks[0].split()) < 2 or len(chunks) < 2:
        return False
    return "|" in line or any(_chunk_is_title(c) for c in chunks[1:])


def is_name_line(line: str) -> bool:
    """A line that is only one or more personal names ("Elena Novak", "Ana
    Ruiz and Tom Berg"): a byline where it stands in the page header.

    Each name must open with a common first name (the table pronoun
    resolution uses), since short Title Case lines in a header are as often
    column names ("Economic Scene", "The Upshot")."""
    from saidwho.pipeline.people import first_name_genders

    if line.rstrip().endswith((".", "!", "?")) or line.isupper():
        return False
    chunks = _byline_chunks(line)
    if not chunks or len(chunks) > 4:
        return False
    known = first_name_genders()
    return all(_chunk_is_name(c) and len(c.split()) >= 2 and c.split()[0].lower() in known for c in chunks)


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A line that asks the reader for something: a tip, a sign-up, a follow.
_SOLICITATIONS = [
    # "Have a news tip?", "Got a story we should look into?", "Know something we don't?"
    re.compile(
        r"^(?:(?:Have|Got|Do you have)\s+(?:a|any)\s+(?:news\s+)?(?:tips?|story|stories)|Know something)\b[^.?!]{0,60}\?"
        r"(?:\s.{0,160})?$",
        re.I,
    ),
    # "Sign up for our daily briefing ...", "Subscribe to ...", "Follow us on ...", "Send us your tips".
    re.compile(
        r"^(?:Sign up|Subscribe|Register|Follow us|Follow (?:our|the)\b.{0,40}\bon|Send us|Tell us|Share your|"
        r"Get (?:our|the)\b.{0,60}\b(?:newsletter|briefing|app|alerts)|Join (?:our|the)\b.{0,60}\b(?:newsletter|mailing list|channel|community)|"
        r"Download (?:our|the)\b.{0,40}\bapp)\b.{0,160}$",
        re.I,
    ),
    # "Tips? Email ...", "News tips: ..."
    re.compile(r"^(?:News )?tips?\s*[?:]", re.I),
]
# Words of a line that gives a contact address to write to.
_CONTACT_WORDS = re.compile(r"\b(?:e-?mail|contact|write to|reach|send|tips?|message|newsroom|newsletter|signal|whatsapp)\b", re.I)


def is_solicitation(line: str) -> bool:
    """Whether a line asks the reader for a tip, a sign-up or a follow, or
    gives a contact address ("Email tips@example.org"): page furniture."""
    if len(line.split()) > 40 or "\n" in line:
        return False
    if any(p.match(line) for p in _SOLICITATIONS):
        return True
    return bool(_EMAIL.search(line)) and len(line.split()) <= 25 and bool(_CONTACT_WORDS.search(line))


# A section label: one to three capitalised words, or a short trail of them ("World › Europe").
_KICKER_PART = re.compile(r"^(?:[A-Z][\w’'&-]*|&)(?:\s+(?:[A-Z][\w’'&-]*|&|and|of|the))?(?:\s+[A-Z][\w’'&-]*)?$")


def is_kicker_above(line: str, headline: str) -> bool:
    """Whether ``line``, standing right above ``headline``, is a kicker (a
    section label: one to four capitalised words, no digits, no sentence
    punctuation, or a short trail of them) and ``headline`` reads as the
    headline under it."""
    return is_kicker(line) and _headline_after_kicker(headline)


def is_kicker(line: str) -> bool:
    """Whether a line has the form of a kicker (see :func:`is_kicker_above`)."""
    if len(line) > 40 or "\n" in line or any(c.isdigit() for c in line):
        return False
    parts = [p.strip() for p in re.split(r"\s*[|›»/>•·]\s*", line.strip())]
    return 1 <= len(parts) <= 3 and all(_KICKER_PART.match(p) for p in parts) and len(line.split()) <= 4


def _headline_after_kicker(line: str) -> bool:
    """The line under a kicker reads as a headline: one line of four to thirty
    words, one sentence (no sentence end inside), no full stop at the end and
    no quotation credit ("― Name")."""
    words = line.split()
    return (
        "\n" not in line
        and 4 <= len(words) <= 30
        and not line.rstrip().endswith(".")
        and not _SENTENCE_INSIDE.search(line)
        and not re.search(r"\s[―—–-]\s*[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*\s*$", line)
    )


# A sentence end inside a line: "... fear. He ...".
_SENTENCE_INSIDE = re.compile(r"[.!?][”\"’']?\s+[“\"‘']?[A-Z]")


def _mark_header(lines: list[str], paragraphs: list[Paragraph], first: int) -> None:
    """The page header under the headline: a dek followed by a byline, and
    a byline that is only a name. Lines of page furniture between them
    (dates, section labels) are skipped."""
    if first >= len(paragraphs) or paragraphs[first].kind != "headline":
        return
    header = [i for i in range(first + 1, min(len(paragraphs), first + 6)) if paragraphs[i].kind != "meta"]
    if not header:
        return
    candidates = header[:2]
    for position, i in enumerate(candidates):
        if paragraphs[i].kind in {"body", "heading"} and is_name_line(lines[i]) and i + 1 < len(paragraphs):
            paragraphs[i].kind = "byline"
        if paragraphs[i].kind == "byline":
            if position == 1:
                dek = candidates[0]
                if paragraphs[dek].kind in {"body", "heading"} and len(lines[dek].split()) <= 45:
                    paragraphs[dek].kind = "dek"
            return
        if paragraphs[i].kind not in {"body", "heading"}:
            return


def _looks_like_heading(line: str, words: list[str]) -> bool:
    if not 1 <= len(words) <= 8 or any(c in line for c in "“”\"?!;:,"):
        return False
    stripped = line.rstrip(".")
    if stripped.endswith((".", "?", "!")):
        return False
    if stripped.isupper() and len(stripped) >= 4:
        return True
    content = [w for w in words if w.lower().strip(".") not in _SMALL_WORDS]
    if not content:
        return False
    capitalised = sum(1 for w in content if w[:1].isupper())
    # A heading is short and Title Cased; a short sentence ("Refugees.") is one word.
    return len(words) >= 2 and capitalised == len(content)


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
        if _DASH_CREDIT.match(piece.strip()) or (
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
