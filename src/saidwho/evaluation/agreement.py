"""Inter-annotator agreement between two annotations of the same articles.

- Cohen's kappa on the three labels over the first annotation's labelled
  sentences, each aligned with the second annotation's sentence covering most
  of its non-space characters (the scorer's alignment); strict labels, and a
  lenient observed agreement that accepts either side's ``alt_labels``.
- Speaker agreement: over sentences both annotators call ``sourced_claim``,
  the share whose sources match by the scorer's name rule.
- Boundary agreement and body-or-not agreement as in :mod:`saidwho.evaluation.scoring`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from saidwho.evaluation.alignment import align
from saidwho.evaluation.scoring import evaluate
from saidwho.names import names_match
from saidwho.records import LABELS, Article


@dataclass
class Agreement:
    articles: int
    sentences: int
    observed: float
    observed_lenient: float
    kappa: float
    speaker_pairs: int
    speaker_agreement: float | None
    boundary_agreement: float | None
    body_or_not_agreement: float | None
    label_counts_first: dict
    label_counts_second: dict

    def to_dict(self) -> dict:
        return asdict(self)


def agreement(first: list[Article], second: list[Article]) -> Agreement:
    from sklearn.metrics import cohen_kappa_score

    by_id = {a.id: a for a in first}
    pairs_first: list[str] = []
    pairs_second: list[str] = []
    lenient_hits = 0
    speaker_pairs = speaker_hits = 0
    matched_first = []
    for other in second:
        mine = by_id.get(other.id)
        if mine is None:
            continue
        matched_first.append(mine)
        sources_a = {s.id: s for s in mine.sources}
        sources_b = {s.id: s for s in other.sources}
        labelled_b = [s for s in other.sentences if s.label]
        for sentence, aligned in zip(mine.sentences, align(mine.sentences, labelled_b, mine.text)):
            if not sentence.label:
                continue
            label_b = aligned.label if aligned is not None else "none"
            pairs_first.append(sentence.label)
            pairs_second.append(label_b)
            accepted_a = {sentence.label, *sentence.alt_labels}
            accepted_b = {label_b, *(aligned.alt_labels if aligned is not None else [])}
            lenient_hits += bool(accepted_a & accepted_b)
            if sentence.label == "sourced_claim" and label_b == "sourced_claim" and sentence.speaker and aligned.speaker:
                speaker_pairs += 1
                speaker_hits += names_match(sources_b.get(aligned.speaker), sources_a.get(sentence.speaker))
    n = len(pairs_first)
    scored = evaluate(matched_first, [a for a in second if a.id in by_id], bootstrap=0) if matched_first else None
    return Agreement(
        articles=len(matched_first),
        sentences=n,
        observed=sum(a == b for a, b in zip(pairs_first, pairs_second)) / n if n else 0.0,
        observed_lenient=lenient_hits / n if n else 0.0,
        kappa=float(cohen_kappa_score(pairs_first, pairs_second, labels=list(LABELS))) if n else 0.0,
        speaker_pairs=speaker_pairs,
        speaker_agreement=speaker_hits / speaker_pairs if speaker_pairs else None,
        boundary_agreement=scored.metrics.get("boundary_agreement") if scored else None,
        body_or_not_agreement=scored.metrics.get("kind_accuracy") if scored else None,
        label_counts_first={label: pairs_first.count(label) for label in LABELS},
        label_counts_second={label: pairs_second.count(label) for label in LABELS},
    )
