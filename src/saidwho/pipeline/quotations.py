"""Attribution beyond one sentence's parse, run by the rule attributor after
each sentence has its own: sentences inside a quotation take the cue of their
quotation (before, inside or after them, or a closing dash credit
"― Dana Ortiz"), and every sentence of a transcript paragraph ("WALLACE: ...")
its speaker tag.
"""

from __future__ import annotations

import re
from collections import Counter

from saidwho.records import Attribution, Entity, Mention, Sentence

QUOTE_MARKS = "“”\"«»„"


def propagate_quotations(sentences: list[Sentence], attributions: list[Attribution | None], text: str) -> None:
    """Give sentences that lie inside a quotation the attribution of that quotation.

    Sentences are grouped by the opening mark of their quotation (which
    for a multi-paragraph quote sits in an earlier paragraph); the cue is
    searched in the group, then in the sentence just before (a colon or
    an introducing "said") and just after (a closing "she said" or "— Name").
    """
    groups: dict[int, list[int]] = {}
    for i, s in enumerate(sentences):
        if not s.labelled:
            continue
        q = s.quotes.quote_open
        if q is not None and (s.quotes.quoted_share >= 0.5 or s.quotes.in_quote_start):
            groups.setdefault(q, []).append(i)
        elif q is not None and attributions[i] is not None:
            groups.setdefault(q, []).append(i)
    for members in groups.values():
        donors = _quotation_donors(sentences, attributions, text, members)
        for i in members:
            s = sentences[i]
            mostly_quoted = s.quotes.quoted_share >= 0.5 or s.quotes.in_quote_start
            if attributions[i] is not None or not mostly_quoted:
                continue
            if donors:
                donor = min(donors, key=lambda d: abs(d - i))
                attributions[i] = attributions[donor].with_via("quotation", 0.85)
            else:
                attributions[i] = Attribution("quotation", None, None, 0.6)


def _quotation_donors(sentences: list[Sentence], attributions: list[Attribution | None], text: str, members: list[int]) -> list[int]:
    """The sentences whose attribution names the speaker of one quotation."""
    donors = [i for i in members if attributions[i] is not None and attributions[i].mention_span is not None]
    first, last = members[0], members[-1]
    if donors:
        return donors
    # A closing dash credit ("...” ― Dana Ortiz") names the speaker
    # outright; it goes before a cue in a neighbouring sentence.
    dash = _dash_attribution(text, sentences[last])
    if dash is not None:
        attributions[last] = dash
        return [last]
    for j in (first - 1, last + 1):
        if 0 <= j < len(sentences) and sentences[j].labelled:
            a = attributions[j]
            if a is not None and a.mention_span is not None and a.via in ("verb", "colon"):
                return [j]
    # "X said the talks had failed. [Paragraph] “We came ...": the
    # speaker named just before, within the previous paragraph.
    paragraph = _paragraph(sentences[first], 0)
    for j in range(first - 2, max(-1, first - 4), -1):
        if _paragraph(sentences[j], -9) < paragraph - 1 or not sentences[j].labelled:
            break
        a = attributions[j]
        if a is not None and a.mention_span is not None and a.via in ("verb", "colon", "quotation"):
            return [j]
    return []


def _paragraph(sentence: Sentence, default: int) -> int:
    return sentence.layout.paragraph if sentence.layout is not None else default


def _first_in_paragraph(sentence: Sentence) -> bool:
    return sentence.layout is not None and sentence.layout.first_in_paragraph


# "PENCE: I think that's why ..." — a transcript line: a speaker tag in
# capitals and a colon opening a paragraph. Interviews print the name in title
# case ("Achterberg: ..."), which counts when the same tag opens two or more
# paragraphs, and Q&A pieces use "Q:" and "A:".
_TRANSCRIPT_TAG = re.compile(r"[\"“]?(?P<tag>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2})(?P<colon>:)\s")
_NAME_TAG = re.compile(r"(?P<tag>[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+){0,2})(?P<colon>:)\s")
_QA_TAG = re.compile(r"(?P<tag>Q|A|Question|Answer)(?P<colon>:)\s")
_NOT_SPEAKER_TAGS = frozenset(
    {"UPDATE", "UPDATED", "CORRECTION", "CLARIFICATION", "NOTE", "EDITOR'S NOTE", "EDITOR’S NOTE", "WATCH",
     "READ MORE", "RELATED", "VIDEO", "PHOTO", "PHOTOS", "ADVERTISEMENT", "SOURCE", "SOURCES", "BREAKING",
     "BREAKING NEWS"}
)


def _speaker_tag(text: str, sentence: Sentence) -> re.Match | None:
    for pattern in (_QA_TAG, _TRANSCRIPT_TAG, _NAME_TAG):
        m = pattern.match(text, sentence.start)
        if m and m.group("tag").upper() not in _NOT_SPEAKER_TAGS:
            return m
    return None


def attribute_transcript_lines(
    sentences: list[Sentence], attributions: list[Attribution | None], text: str, entities: list[tuple[Entity, ...]]
) -> None:
    """Every sentence of a paragraph opened by a speaker tag ("WALLACE: ...") is
    that speaker's, questions and set-ups included (eval/ANNOTATION-NOTES.md).
    Tags count only where two or more paragraphs open with one, so a lone
    "WASHINGTON:" is not a speaker; a title-case tag only where it opens two
    or more paragraphs itself. In a Q&A, "A:" is the interviewee (the person
    the introduction names most) and "Q:" the writer's own question, left to
    the other rules (ANNOTATION-NOTES.md §7: the writer is never a source)."""
    tags: dict[int, re.Match] = {}
    for i, sentence in enumerate(sentences):
        if sentence.labelled and _first_in_paragraph(sentence):
            m = _speaker_tag(text, sentence)
            if m is not None:
                tags[i] = m
    repeated = {tag for tag, n in Counter(m.group("tag") for m in tags.values()).items() if n >= 2}
    tags = {i: m for i, m in tags.items() if m.re is not _NAME_TAG or m.group("tag") in repeated}
    if len(tags) < 2:
        return
    interviewee = None
    if any(m.re is _QA_TAG for m in tags.values()):
        interviewee = _interviewee(sentences, entities, text, before=min(tags))
    current: re.Match | None = None
    for i, sentence in enumerate(sentences):
        if _first_in_paragraph(sentence):
            m = tags.get(i)
            if m is not None:
                current = m
            elif current is not None and not text[sentence.start : sentence.start + 1] in "\"“":
                # An answer may run over several paragraphs; news style reopens
                # the quotation on each. A paragraph without that mark ends it.
                current = None
        if current is None or not sentence.labelled:
            continue
        if current.re is _QA_TAG:
            if current.group("tag") in ("A", "Answer") and interviewee is not None:
                attributions[i] = Attribution("transcript", current.span("colon"), interviewee, 0.9)
            continue
        attributions[i] = Attribution("transcript", current.span("colon"), Mention(current.span("tag"), current.group("tag"), "name"), 0.9)


def _interviewee(sentences: list[Sentence], entities: list[tuple[Entity, ...]], text: str, before: int) -> Mention | None:
    """The person a Q&A's introduction names most often (its fullest form), leaving out the byline's names."""
    bylined = {w.strip(".,") for s in sentences[:before] if s.kind == "byline" for w in text[s.start : s.end].split()}
    counts: Counter[str] = Counter()
    fullest: dict[str, Entity] = {}
    for i in range(before):
        for entity in entities[i]:
            name = text[entity.start : entity.end]
            surname = name.split()[-1]
            if entity.label != "PERSON" or entity.in_quotation or surname in bylined:
                continue
            counts[surname] += 1
            if surname not in fullest or entity.end - entity.start > fullest[surname].end - fullest[surname].start:
                fullest[surname] = entity
    if not counts:
        return None
    surname = max(counts, key=lambda k: (counts[k], -fullest[k].start))
    entity = fullest[surname]
    return Mention((entity.start, entity.end), text[entity.start : entity.end], "name")


_DASH_NAME = re.compile(r"[—–―-]\s*(?P<name>[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]*){0,4}?)\.?(\s*,[^“”\"]{0,60})?\s*\.?\s*$")


def _dash_attribution(text: str, sentence: Sentence) -> Attribution | None:
    """A closing dash attribution: ``“...” — Dana Ortiz``."""
    tail = text[sentence.start : sentence.end]
    m = _DASH_NAME.search(tail)
    if not m or not any(c in tail[: m.start()] for c in QUOTE_MARKS):
        return None
    name = m.group("name")
    if name.endswith(".") and len(name.split()[-1]) > 2:
        name = name[:-1]  # the sentence's full stop, not an initial's
    start = sentence.start + m.start("name")
    end = start + len(name)
    return Attribution("dash", (sentence.start + m.start(), start), Mention((start, end), name, "name"), 0.85)
