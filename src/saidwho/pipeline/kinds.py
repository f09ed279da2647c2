"""Paragraphs and their kinds: headline, dek, byline, dateline, caption, heading, meta or body.

The first half of segmentation (:mod:`saidwho.pipeline.segment` does the
rest: sentences, offsets, quotation state). An article's text is split into
paragraphs, and each paragraph is given a kind from its form and its place:
the headline first, then page furniture told apart from the body (bylines
with job titles, section labels above the headline, requests to the reader,
dates, captions, the dek over a byline).

Scored by: body-or-not accuracy in :mod:`saidwho.evaluation.scoring`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from saidwho.lexicon import NAME_PARTICLES
from saidwho.records import trim_span


@dataclass
class Paragraph:
    start: int
    end: int
    kind: str = "body"
    duplicate: bool = False


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


DASH_CREDIT = re.compile(r"^[—–―-]\s*[A-Z][\w.’'-]*(\s+[\w.,’'-]+){0,8}\s*\.?$")


def _attach_dash_credits(text: str, paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A line that is only "— Name" after a closing quote credits that quote: it
    belongs to the quote's paragraph (and sentence), not a paragraph of its own."""
    merged: list[Paragraph] = []
    for paragraph in paragraphs:
        line = text[paragraph.start : paragraph.end]
        if merged and DASH_CREDIT.match(line) and text[merged[-1].start : merged[-1].end].rstrip().endswith(("”", '"', "»")):
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
# same kinds (see ingest_html.py, which lays an HTML page out as headline, dek,
# byline, body).

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
    if not 1 <= len(tokens) <= 5 or tokens[-1].lower() in NAME_PARTICLES:
        return False
    return all(_NAME_TOKEN.match(t) or t in NAME_PARTICLES for t in tokens)


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
    words, one sentence (no sentence end inside), no full stop at the end, no
    colon at the end (a lead-in to a quotation: "The mayor put it simply:")
    and no quotation credit ("― Name")."""
    words = line.split()
    return (
        "\n" not in line
        and 4 <= len(words) <= 30
        and not line.rstrip().endswith((".", ":"))
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
