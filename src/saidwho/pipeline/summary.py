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
- where sources carry profiles (issue 22): each source's ``title``,
  ``category`` and ``gender``; ``category_sentences`` (sourced sentences by
  the speaker's category), ``gender_persons`` and ``gender_sentences`` (the
  persons who speak, and their sentences, by gender), ``anonymous_sources``
  and ``anonymous_with_reason`` (anonymous sources that speak, and of them
  those the writer gives a reason for).
"""

from __future__ import annotations

from collections import Counter

from saidwho.pipeline.component import Component
from saidwho.records import GENDERS, LABELS, SOURCE_CATEGORIES, Article


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
                **({"title": src.profile.title, "category": src.profile.category, "gender": src.profile.gender}
                   if src.profile is not None else {}),
            }
            for src in sorted(article.sources, key=lambda x: (-per_source.get(x.id, 0), first.get(x.id, 1 << 30)))
        ],
        "unresolved": n_sourced - sum(per_source.values()),
        "anonymous_share": _share(anonymous, n_sourced),
        "top_source_share": _share(max(per_source.values(), default=0), n_sourced),
        **profile_balance(article, per_source),
    }


def profile_balance(article: Article, per_source: Counter) -> dict:
    """Who gets a voice (issue 22), where the sources carry profiles: sourced
    sentences by source category, the persons who speak (and their sentences)
    by gender, and the anonymous sources that speak with and without a reason."""
    speaking = [src for src in article.sources if per_source.get(src.id) and src.profile is not None]
    if not any(src.profile is not None for src in article.sources):
        return {}
    persons = [src for src in speaking if src.type == "person"]
    anonymous = [src for src in speaking if src.type == "anonymous"]
    return {
        "category_sentences": {c: sum(per_source[s.id] for s in speaking if s.profile.category == c) for c in SOURCE_CATEGORIES},
        "gender_persons": {g: sum(1 for s in persons if (s.profile.gender or "unknown") == g) for g in GENDERS},
        "gender_sentences": {g: sum(per_source[s.id] for s in persons if (s.profile.gender or "unknown") == g) for g in GENDERS},
        "anonymous_sources": len(anonymous),
        "anonymous_with_reason": sum(1 for s in anonymous if s.profile.anonymity_reason),
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
