"""Counts of error classes 4-8 of issue 21 in predicted records (and, for class 8, against gold).

    SAIDWHO_DATA=../shared/data python tools/speaker_classes.py PRED.jsonl [PRED.jsonl ...] \\
        [--gold-part train_usable]

Each PRED.jsonl is a model's records (``saidwho score`` or ``saidwho eval ...
--save-predictions``). What is counted, per file, over the sources table a
reader sees and the sentences:

4. person sources named with a title ("Superintendent Karen Whitfield"), named
   by a title alone ("the Governor", "Mr."), or by a span cut before its head
   ("A former");
5. organisation sources named by a generic word ("the company", "the union");
6. person sources named by an indefinite description ("a district employee"),
   which the guideline makes anonymous unless they speak on record for a named
   body, and anonymous sources that do ("analysts at Carver Securities");
7. sources named by a party word alone ("Democrat", "The Republican");
8. sentences labelled sourced_claim whose only speech is withheld ("did not
   say whether", "declined to comment"), found by a regular expression over the
   sentence with quotations blanked; with ``--gold-part``, also the gold labels
   of the matching sentences.

The patterns are independent of the resolver's code paths (they read the
output), so the counts show what changed for a reader. Prints JSON.
"""

from __future__ import annotations

import argparse
import collections
import json
import re

from saidwho.io import read_articles
from saidwho.lexicon import CUT_SPAN_ENDINGS, GENERIC_ORG_HEADS, INDEFINITE_DETERMINERS, ON_RECORD_HEADS
from saidwho.names import split_title, title_words
from saidwho.records import Article

QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
WITHHELD = re.compile(
    r"\b(did not|didn['’]t|does not|doesn['’]t|has not|hasn['’]t|have not|haven['’]t|had not|would not|wouldn['’]t|"
    r"could not|couldn['’]t|will not|won['’]t|never|declined to|refused to)\s+(\w+\s+)?"
    r"(say|said|comment|commented|explain|explained|specify|disclose|elaborate|respond|reveal|confirm)\b",
    re.I,
)
PARTY_WORDS = {"democrat", "republican", "democratic", "conservative", "liberal", "independent", "libertarian"}


def source_classes(article: Article) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    spoken = {s.speaker for s in article.sentences if s.speaker}
    for source in article.sources:
        if source.id not in spoken:
            continue
        name, words = source.name, source.name.lower().split()
        if source.type == "person" and split_title(name)[0]:
            counts["4 person named with a title"] += 1
        if title_words(name):
            counts["4 named by a title alone"] += 1
        if words and words[-1] in CUT_SPAN_ENDINGS:
            counts["4 named by a cut span"] += 1
        bare = [w for w in words if w not in ("the", "a", "an")]
        if source.type == "organization" and len(bare) == 1 and bare[0] in GENERIC_ORG_HEADS:
            counts["5 organisation named by a generic word"] += 1
        on_record = any(w.strip(".,") in ON_RECORD_HEADS for w in words) and re.search(r"\b(for|at|of|with)\b", name)
        if source.type == "person" and words and words[0] in INDEFINITE_DETERMINERS and not on_record:
            counts["6 person named by an indefinite description"] += 1
        if source.type == "anonymous" and on_record and re.search(r"\b(for|at|of|with) (the )?[A-Z]", name):
            counts["6 anonymous speaking for a named body"] += 1
        if bare and len(bare) == 1 and bare[0].strip(".,") in PARTY_WORDS:
            counts["7 named by a party word alone"] += 1
    return counts


def withheld_sentences(article: Article) -> list[tuple[str, str]]:
    """(sentence id, predicted label) of sentences whose unquoted text withholds speech."""
    out = []
    for i, sentence in enumerate(article.sentences):
        if sentence.label is None:
            continue
        text = QUOTED.sub(" ", article.sentence_text(sentence))
        if WITHHELD.search(text):
            out.append((f"{article.id}:{sentence.start}", sentence.label))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("predictions", nargs="+")
    parser.add_argument("--gold-part", default=None, help="a part of eval/gold whose gold labels to show for class 8")
    args = parser.parse_args()
    gold_labels: dict[str, str] = {}
    if args.gold_part:
        from saidwho.evaluation.goldset import load_gold
        from saidwho.paths import default_polnear_dir, gold_dir

        for article in load_gold(gold_dir(), default_polnear_dir(), args.gold_part):
            for sentence in article.sentences:
                if sentence.label:
                    gold_labels[f"{article.id}:{sentence.start}"] = sentence.label
    report = {}
    for path in args.predictions:
        articles = list(read_articles(path))
        counts: collections.Counter = collections.Counter()
        for article in articles:
            counts += source_classes(article)
        withheld = [w for a in articles for w in withheld_sentences(a)]
        counts["8 withheld speech labelled sourced_claim"] = sum(1 for _, label in withheld if label == "sourced_claim")
        counts["8 withheld speech sentences"] = len(withheld)
        if gold_labels:
            counts["8 withheld speech, gold sourced_claim"] = sum(1 for key, _ in withheld if gold_labels.get(key) == "sourced_claim")
            counts["8 withheld speech, predicted label = gold"] = sum(1 for key, label in withheld if gold_labels.get(key) == label)
        report[path] = dict(sorted(counts.items()))
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
