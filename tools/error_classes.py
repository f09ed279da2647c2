"""Counts of three error classes (issue 21, part 2) in gold parts and in predictions.

    SAIDWHO_DATA=../shared/data python tools/error_classes.py \\
        --gold-part team=PRED_TEAM.jsonl --gold-part train_usable=PRED_TRAIN.jsonl \\
        [--records DEV.jsonl ...]

PRED_*.jsonl are a model's predictions on that part (``saidwho eval --gold
eval/gold --part P -m M --save-predictions PRED.jsonl``). Three classes:

1. Communication acts without a reporting verb in the main clause ("released a
   statement saying", "fired off tweets:", "called Y “Z”", "praised Y as",
   "continued his warnings that", "took aim at Y for", a trailing ", the
   district announced on Tuesday."). Found by regular expressions over the
   gold sentence text (quotations blanked), independent of the rules that
   attribute them.
2. First-person hearsay outside quotations ("I'm told", "I have learned that").
3. Datelines named as sources: predicted sources whose name is, or starts
   with, the all-caps place of a paragraph-opening dateline, in the
   predictions and in any ``--records`` file.

For classes 1 and 2, per pattern: gold sourced claims it matches, how many the
model labels sourced_claim and how many with the gold speaker (the scorer's
name rule); and gold sentences of another label it matches that the model
labels sourced_claim (false positives, counted unless sourced_claim is among
the gold alt_labels). Prints JSON.
"""

from __future__ import annotations

import argparse
import collections
import json
import re

from saidwho.evaluation.alignment import align
from saidwho.evaluation.goldset import load_gold
from saidwho.io import read_articles
from saidwho.names import names_match
from saidwho.paths import default_polnear_dir, gold_dir
from saidwho.records import Article

_COMM_NOUNS = (
    r"statements?|tweets?|posts?|postings?|releases?|messages?|letters?|e-?mails?|memos?|notes?|videos?|speech(?:es)?"
    r"|remarks|comments?|interviews?|op-eds?|warnings?|claims?|assertions?|arguments?|allegations?|accusations?"
    r"|complaints?|insistence|promises?|pledges?|vows?|threats?|announcements?|appeals?|pleas?|calls?|criticism"
    r"|predictions?|contention|suggestions?|concerns?"
)
CLASS_PATTERNS = {
    "communication_noun": re.compile(
        rf"\b(?:{_COMM_NOUNS})\b[^.;]{{0,30}}?(?:\b(?:saying|stating|calling|warning|urging|claiming|arguing|declaring"
        rf"|insisting|noting|accusing|demanding|announcing|that)\b|:)",
        re.I,
    ),
    "fired_off": re.compile(r"\bfir(?:ed|es|ing|e) off\b", re.I),
    "called_quote": re.compile(r"\bcall(?:ed|s|ing)\b[^.;“”\"]{1,60}[“\"‘]", re.I),
    "verdict_as_for": re.compile(
        r"\b(?:prais|hail|laud|describ|denounc|condemn|criticiz|criticis|slamm|blast|blam|fault|chastis|chid|rebuk"
        r"|accus|credit|dismiss|brand|label|portray|paint|mock|assail|applaud|commend|lambast|castigat|scold)"
        r"(?:ed|es|s|ing|e)?\b[^.;]{1,60}?\b(?:as|for)\b",
        re.I,
    ),
    "continued_noun": re.compile(
        rf"\b(?:continu|repeat|renew|reiterat|voic|express|echo|issu|made|make|doubl\w* down on)(?:ed|es|s|ing|e)?\s+"
        rf"(?:his|her|its|their|the|a|an)\s+(?:\w+\s+)?(?:{_COMM_NOUNS})\b",
        re.I,
    ),
    "took_aim": re.compile(r"\b(?:took|take|takes|taking) aim at\b|\b(?:hit|hits|hitting|lashed|lashes|lashing) out at\b", re.I),
    "trailing_cue": re.compile(
        r",\s+[^,“”\"]{2,60}?\s(?:announced|said|confirmed|reported|disclosed|revealed|stated)"
        r"(?:\s+(?:on|last|this|late|early|in)\b[^,.“”\"]{0,25})?[.”\"]*\s*$",
    ),
}
HEARSAY_PATTERN = re.compile(
    r"\b(?:I|[Ww]e)(?:'m| am| was| were|'ve been| have been|’m|’ve been| are|'re|’re) (?:told|informed|briefed)\b"
    r"|\b(?:I|[Ww]e) (?:have |'ve |’ve )?(?:learned|learnt|heard|hear)\b"
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
# An all-caps place at the start of a paragraph, then a date, an agency in
# parentheses or a dash (ANNOTATION.md 1: part of the first body sentence).
_DATELINE_PLACE = re.compile(r"(?m)^[ \t]*([A-Z][A-Z'’.-]+(?:[ ]+[A-Z][A-Z'’.-]+){0,3})(?=,|\s*\(|\s*[-—–―])")


def unquoted(text: str) -> str:
    """The text with quoted stretches blanked (offsets kept)."""
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), text)


def class_counts(gold: list[Article], predictions: list[Article]) -> dict[str, dict[str, int]]:
    by_id = {p.id: p for p in predictions}
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    patterns = dict(CLASS_PATTERNS, first_person_hearsay=HEARSAY_PATTERN)
    any_class = "class1_any"  # each sentence once, whichever class-1 patterns match it
    for g in gold:
        p = by_id.get(g.id)
        if p is None:
            continue
        labelled = [s for s in g.sentences if s.label]
        aligned = align(labelled, [s for s in p.sentences if s.label], g.text)
        for gs, ps in zip(labelled, aligned):
            text = unquoted(g.text[gs.start : gs.end])
            predicted = ps.label if ps is not None else None
            matched = [name for name, pattern in patterns.items() if pattern.search(text)]
            if any(name in CLASS_PATTERNS for name in matched):
                matched.append(any_class)
            for name in matched:
                tally = counts[name]
                if gs.label == "sourced_claim":
                    tally["gold_sourced"] += 1
                    tally["predicted_sourced"] += predicted == "sourced_claim"
                    gold_source = g.source_by_id(gs.speaker) if gs.speaker else None
                    right = (
                        predicted == "sourced_claim" and gold_source is not None and ps.speaker is not None
                        and names_match(p.source_by_id(ps.speaker), gold_source)
                    )
                    tally["speaker_correct"] += right
                else:
                    tally["gold_other"] += 1
                    tally["false_sourced"] += predicted == "sourced_claim" and "sourced_claim" not in gs.alt_labels
    return {name: dict(counts[name]) for name in sorted(counts)}


def dateline_sources(articles: list[Article]) -> dict[str, object]:
    """Predicted sources named by a paragraph-opening dateline place, and the sentences they got."""
    found = []
    for a in articles:
        places = {m.group(1) for m in _DATELINE_PLACE.finditer(a.text)}
        if not places:
            continue
        spoken = collections.Counter(s.speaker for s in a.sentences if s.speaker)
        for source in a.sources:
            if any(source.name == place or source.name.startswith(place + " ") for place in places):
                found.append({"article": a.id, "name": source.name, "sentences": spoken[source.id]})
    return {"sources": len(found), "sentences": sum(f["sentences"] for f in found), "list": found}


def hearsay_predictions(articles: list[Article]) -> dict[str, int]:
    """Sentences of scored records with first-person hearsay outside quotations,
    and how many are sourced claims of an anonymous source (no gold needed)."""
    found = anonymous = 0
    for a in articles:
        for s in a.sentences:
            if s.label is None or not HEARSAY_PATTERN.search(unquoted(a.text[s.start : s.end])):
                continue
            found += 1
            source = a.source_by_id(s.speaker) if s.speaker else None
            anonymous += s.label == "sourced_claim" and source is not None and source.type == "anonymous"
    return {"sentences": found, "sourced_anonymous": anonymous}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold-part", action="append", default=[], help="PART=PREDICTIONS.jsonl (repeatable)")
    parser.add_argument("--records", action="append", default=[], help="Other scored records to search for dateline sources")
    args = parser.parse_args()
    out: dict[str, object] = {}
    for spec in args.gold_part:
        part, _, path = spec.partition("=")
        predictions = read_articles(path)
        gold = load_gold(gold_dir(), default_polnear_dir(), part)
        out[part] = {"classes": class_counts(gold, predictions), "datelines": dateline_sources(predictions)}
    for path in args.records:
        articles = read_articles(path)
        out[path] = {"datelines": dateline_sources(articles), "first_person_hearsay": hearsay_predictions(articles)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
