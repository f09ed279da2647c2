"""Speaker outcomes and label confusions of a model on parts of eval/gold, by error type.

    SAIDWHO_DATA=../shared/data python tools/error_table.py --part team,train_usable [-m default]

Speaker outcomes count gold sourced claims with a speaker: correct (the
scorer's name rule), attribution missed, attributed with no speaker, or a
wrong speaker of the same or another source type. Label confusions count a
gold label given another label that is not among the gold's alt_labels.
Prints JSON.
"""

from __future__ import annotations

import argparse
import collections
import json

from saidwho.evaluation.goldset import load_gold
from saidwho.evaluation.alignment import align
from saidwho.names import names_match
from saidwho.paths import default_polnear_dir, gold_dir
from saidwho.pipeline import load
from saidwho.records import Article


def error_table(gold: list[Article], predictions: list[Article]) -> dict[str, collections.Counter]:
    speakers: collections.Counter = collections.Counter()
    labels: collections.Counter = collections.Counter()
    for g, p in zip(gold, predictions):
        gold_sources = {s.id: s for s in g.sources}
        pred_sources = {s.id: s for s in p.sources}
        labelled = [s for s in g.sentences if s.label]
        for gs, ps in zip(labelled, align(labelled, [s for s in p.sentences if s.label], g.text)):
            given = ps.label if ps is not None else None
            if given != gs.label and given not in gs.alt_labels:
                labels[f"{gs.label} labelled {given}"] += 1
            if gs.label != "sourced_claim" or not gs.speaker:
                continue
            if ps is None or ps.label != "sourced_claim":
                speakers["attribution missed"] += 1
            elif not ps.speaker:
                speakers["attributed, no speaker"] += 1
            elif names_match(pred_sources[ps.speaker], gold_sources[gs.speaker]):
                speakers["correct"] += 1
            else:
                same = pred_sources[ps.speaker].type == gold_sources[gs.speaker].type
                speakers["wrong speaker, " + ("same type" if same else "other type")] += 1
    return {"speakers": speakers, "labels": labels}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", default="team,train_usable", help="comma-separated parts of eval/gold")
    parser.add_argument("-m", "--model", default="default")
    args = parser.parse_args()
    gold = [a for part in args.part.split(",") for a in load_gold(gold_dir(), default_polnear_dir(), part)]
    predictions = list(load(args.model).pipe(gold))  # pipe copies each article (text and metadata)
    print(json.dumps(error_table(gold, predictions), indent=1))


if __name__ == "__main__":
    main()
