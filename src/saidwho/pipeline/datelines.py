"""Datelines that open a paragraph ("WASHINGTON —", "VALMORA, March 3 (Saidwho Wire) —").

ANNOTATION.md 1 keeps such a dateline inside the first body sentence. It
names where the story was filed and which agency filed it, never who said
anything (issue 21, part 2, class 3): the rule attributor and the speaker
resolver leave its words out of speaker mentions and source names, and the
rest of the sentence is labelled as usual.
"""

from __future__ import annotations

import re

from saidwho.records import Sentence, Span

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# An all-caps place of one to four words ("WASHINGTON", "NEW YORK", "ST. PAUL"),
# then optionally a state or country ("Calif.", "Ukraine", "D.C."), a date
# ("March 3", "Oct. 23") and an agency in parentheses, then a dash. A colon
# alone does not end a dateline: "PENCE: ..." is a transcript's speaker tag.
DATELINE = re.compile(
    r"[ \t]*(?P<place>[A-Z][A-Z'’.&-]*[A-Z.](?:[ ]+[A-Z][A-Z'’.&-]*[A-Z.]){0,3})"
    r"(?:,[ ]+(?:[A-Z][a-z]+\.?|[A-Z]\.[A-Z]\.)(?:[ ][A-Z][a-z]+\.?)?(?=[ ,(]))?"
    rf"(?:,?[ ]+{_MONTH}[ ]+\d{{1,2}}(?:,[ ]+\d{{4}})?)?"
    r"(?:[ ]*\((?P<agency>[^()\n]{2,40})\))?"
    r"[ ]*(?:--|[—–―-])[ ]*"
)


def dateline_length(text: str, start: int = 0) -> int:
    """How many characters from ``start`` a paragraph-opening dateline takes,
    the dash and the spaces after it included; 0 where none opens there."""
    m = DATELINE.match(text, start)
    if m is None or sum(c.isalpha() for c in m.group("place")) < 2:
        return 0
    return m.end() - start


def dateline_spans(text: str, sentences: list[Sentence]) -> list[Span]:
    """The datelines that open the article's paragraphs (a sentence that begins a paragraph)."""
    spans = []
    for sentence in sentences:
        if sentence.layout is not None and not sentence.layout.first_in_paragraph:
            continue
        length = dateline_length(text, sentence.start)
        if length and sentence.start + length < sentence.end:
            spans.append((sentence.start, sentence.start + length))
    return spans
