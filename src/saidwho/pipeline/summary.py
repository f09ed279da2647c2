"""Source balance: the article-level report derived from labels and speakers (never annotated).

Figures (written under ``summary`` in each record):

- ``label_share``: share of each label among the labelled (body and dek) sentences.
- ``sources``: per source its id, name, type, ``sentences`` (sourced sentences
  it speaks), ``direct_quotes`` (of those, sentences with text in quotation
  marks) and ``first_offset`` (where it first speaks, a character offset).
- ``anonymous_share``: share of sourced sentences whose speaker is anonymous
  (sourced sentences with no resolved speaker are counted as ``unresolved``).
- ``top_source_share``: share of sourced sentences held by the most-quoted source.
- ``sourced_sentences``, ``labelled_sentences``: the denominators.
"""

from __future__ import annotations

from collections import Counter

from saidwho.pipeline.component import Component
from saidwho.records import LABELS, Article


def source_balance(article: Article) -> dict:
    labelled = [s for s in article.sentences if s.labelled and s.label]
    sourced = [s for s in labelled if s.label == "sourced_claim"]
    label_counts = Counter(s.label for s in labelled)
    per_source = Counter(s.speaker for s in sourced if s.speaker)
    quotes = Counter(s.speaker for s in sourced if s.speaker and s.quotes.quoted_share > 0)
    first: dict[str, int] = {}
    for s in sourced:
        if s.speaker and s.speaker not in first:
            first[s.speaker] = s.start
    types = {src.id: src.type for src in article.sources}
    anonymous = sum(n for sid, n in per_source.items() if types.get(sid) == "anonymous")
    n_sourced = len(sourced)
    return {
        "labelled_sentences": len(labelled),
        "sourced_sentences": n_sourced,
        "label_share": {label: _share(label_counts[label], len(labelled)) for label in LABELS},
        "sources": [
            {
                "id": src.id,
                "name": src.name,
                "type": src.type,
                "sentences": per_source.get(src.id, 0),
                "direct_quotes": quotes.get(src.id, 0),
                "first_offset": first.get(src.id),
            }
            for src in sorted(article.sources, key=lambda x: (-per_source.get(x.id, 0), first.get(x.id, 1 << 30)))
        ],
        "unresolved": n_sourced - sum(per_source.values()),
        "anonymous_share": _share(anonymous, n_sourced),
        "top_source_share": _share(max(per_source.values(), default=0), n_sourced),
    }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


class SourceBalance(Component):
    """Pipeline component: writes ``article.summary``."""

    name = "summary"
    reads = frozenset({"labels", "sources", "quotes"})
    writes = frozenset({"summary"})
    scored_by = ()

    def predict(self, article: Article) -> dict:
        return source_balance(article)

    def set_annotations(self, article: Article, summary: dict) -> None:
        article.summary = summary
