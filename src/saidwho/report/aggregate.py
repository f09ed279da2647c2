"""The one pass over the records: each article becomes a row of counts in its group.

Memory stays flat in the number of articles. A record is reduced to one
row of integers (:data:`COLUMNS`) as it streams past and is then dropped;
a group keeps its rows in an ``array('q')`` (8 bytes a number) for the
bootstrap, which resamples articles, and sums its sources' sentence counts
by name. Only the source tables grow, with the number of distinct source
names, not with the number of articles.

What the columns count (``labelled`` sentences are body and dek sentences
with a label, as in the per-article summary):

- the three labels among the labelled sentences;
- from the article's source balance (:func:`saidwho.pipeline.summary.source_balance`,
  read from the record's ``summary`` where ``score`` wrote one, computed the
  same way where a record has none): sourced sentences whose speaker is an
  ``anonymous`` source, sourced sentences with no resolved speaker, the
  sentences of the most-quoted source, and the sources that speak at all;
- quote mode of each sourced sentence (``attribution.mode`` in the record:
  direct, mixed or indirect; records without it, such as converted gold
  files, count under none of them);
- labelled sentences with a label confidence, and of those the ones below
  :data:`LOW_CONFIDENCE`.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from saidwho.errors import UserError
from saidwho.names import is_pronoun, normalise_name
from saidwho.pipeline.summary import source_balance
from saidwho.records import GENDERS, LABELS, QUOTE_MODES, SOURCE_CATEGORIES, Article, Sentence

__all__ = [
    "ALL_GROUP",
    "COLUMNS",
    "LOW_CONFIDENCE",
    "NO_GROUP",
    "Grouping",
    "SourceDirectory",
    "Tallies",
    "article_row",
    "article_summary",
    "tally",
]

LOW_CONFIDENCE = 0.6
ALL_GROUP = "all"
NO_GROUP = "(none)"

COLUMNS: tuple[str, ...] = (
    "articles",  # 1 for each article: the denominator of per-article means
    "labelled",
    *LABELS,
    "anonymous",  # sourced sentences spoken by an anonymous source
    "unresolved",  # sourced sentences with no resolved speaker
    "top_source",  # sourced sentences of the article's most-quoted source
    "distinct_sources",  # sources that speak at least one sourced sentence
    "quote_known",  # sourced sentences whose record gives a quote mode
    *QUOTE_MODES,  # direct, mixed, indirect
    "with_confidence",  # labelled sentences with a label confidence
    "low_confidence",  # ... below LOW_CONFIDENCE
    # Who gets a voice (issue 22), from the sources' profiles where the records carry them:
    "category_known",  # sourced sentences whose speaker has a category
    *(f"category_{c}" for c in SOURCE_CATEGORIES),  # ... by that category
    "persons",  # named persons who speak
    *(f"persons_{g}" for g in GENDERS),  # ... by gender
    "person_sentences",  # sourced sentences those persons speak
    *(f"person_sentences_{g}" for g in GENDERS),
    "anonymous_sources",  # anonymous sources that speak
    "anonymous_with_reason",  # ... that the writer gives a reason for
)
COLUMN_INDEX: dict[str, int] = {name: i for i, name in enumerate(COLUMNS)}

PERIODS: tuple[str, ...] = ("year", "month", "day")
_DATE = re.compile(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_RECORD_FIELDS = frozenset({"id", "title", "url", "outlet", "published"})


# ---------------------------------------------------------------- grouping


@dataclass(frozen=True)
class Grouping:
    """How articles are put into groups (``--by``): a record field, optionally a
    date field cut to a period. ``field`` None puts every article in "all"."""

    field: str | None = None
    period: str | None = None  # year, month or day

    @classmethod
    def parse(cls, spec: str | None) -> Grouping:
        """``None``, ``outlet``, ``published:month`` (``:year``, ``:day``) or any record field."""
        if spec is None or not spec.strip():
            return cls()
        name, _, period = spec.strip().partition(":")
        if not name:
            raise UserError(f"--by {spec!r}: name a record field, for example outlet or published:month")
        if period and period not in PERIODS:
            raise UserError(f"--by {spec!r}: the part after ':' must be year, month or day, not {period!r}")
        return cls(field=name, period=period or None)

    @property
    def label(self) -> str:
        if self.field is None:
            return "all articles"
        return f"{self.field}:{self.period}" if self.period else self.field

    def key(self, article: Article) -> str:
        """The group of ``article``; :data:`NO_GROUP` where the field is missing or not a date."""
        if self.field is None:
            return ALL_GROUP
        value = _field_text(article, self.field)
        if value is None and self.field == "outlet":
            # PolNeAR-style ids name the outlet first: breitbart_2016-09-12_slug.
            prefix, underscore, _ = article.id.partition("_")
            value = prefix if underscore and prefix else None
        if value is None:
            return NO_GROUP
        if self.period is None:
            return value
        return _truncate_date(value, self.period) or NO_GROUP


def _field_text(article: Article, name: str) -> str | None:
    value: Any = getattr(article, name) if name in _RECORD_FIELDS else article.extra.get(name)
    if value is None or isinstance(value, (dict, list)):
        return None
    text = " ".join(str(value).split())
    return text or None


def _truncate_date(value: str, period: str) -> str | None:
    """"2016-09-12T10:00Z" -> "2016" / "2016-09" / "2016-09-12"; None when the value has no such part."""
    match = _DATE.match(value)
    if match is None:
        return None
    parts = [p for p in match.groups()[: PERIODS.index(period) + 1]]
    return "-".join(parts) if all(parts) else None


# ---------------------------------------------------------------- one article


def article_summary(article: Article) -> dict:
    """The article's source balance: the record's ``summary`` where ``score`` wrote
    one with per-source counts, else :func:`source_balance` (the same figures)."""
    summary = article.summary
    if isinstance(summary, dict) and isinstance(summary.get("sources"), list) and all(
        isinstance(s, dict) and isinstance(s.get("sentences"), int) for s in summary["sources"]
    ):
        return summary
    return source_balance(article)


def label_confidence(sentence: Sentence) -> float | None:
    """The sentence's ``confidence``, else the highest of its ``scores``, else None."""
    if sentence.confidence is not None:
        return float(sentence.confidence)
    if sentence.scores:
        return float(max(sentence.scores.values()))
    return None


def article_row(article: Article, summary: dict | None = None) -> tuple[int, ...]:
    """The article's counts, in :data:`COLUMNS` order."""
    summary = summary if summary is not None else article_summary(article)
    labelled = [s for s in article.sentences if s.labelled and s.label in LABELS]
    labels = Counter(s.label for s in labelled)
    sourced = [s for s in labelled if s.label == "sourced_claim"]
    modes = Counter(s.attribution.mode for s in sourced if s.attribution is not None and s.attribution.mode in QUOTE_MODES)
    confidences = [c for c in map(label_confidence, labelled) if c is not None]
    speaking = [s["sentences"] for s in summary["sources"] if s["sentences"] > 0]
    anonymous = sum(s["sentences"] for s in summary["sources"] if s.get("type") == "anonymous")
    values = {
        "articles": 1,
        "labelled": len(labelled),
        **{label: labels[label] for label in LABELS},
        "anonymous": anonymous,
        "unresolved": int(summary.get("unresolved", 0)),
        "top_source": max(speaking, default=0),
        "distinct_sources": len(speaking),
        "quote_known": sum(modes.values()),
        **{mode: modes[mode] for mode in QUOTE_MODES},
        "with_confidence": len(confidences),
        "low_confidence": sum(c < LOW_CONFIDENCE for c in confidences),
        **_profile_values(summary),
    }
    return tuple(values[name] for name in COLUMNS)


def _profile_values(summary: dict) -> dict[str, int]:
    """The profile counts of a summary (all 0 for records without profiles)."""
    categories = summary.get("category_sentences") or {}
    persons = summary.get("gender_persons") or {}
    sentences = summary.get("gender_sentences") or {}
    return {
        "category_known": sum(int(categories.get(c, 0)) for c in SOURCE_CATEGORIES),
        **{f"category_{c}": int(categories.get(c, 0)) for c in SOURCE_CATEGORIES},
        "persons": sum(int(persons.get(g, 0)) for g in GENDERS),
        **{f"persons_{g}": int(persons.get(g, 0)) for g in GENDERS},
        "person_sentences": sum(int(sentences.get(g, 0)) for g in GENDERS),
        **{f"person_sentences_{g}": int(sentences.get(g, 0)) for g in GENDERS},
        "anonymous_sources": int(summary.get("anonymous_sources", 0)),
        "anonymous_with_reason": int(summary.get("anonymous_with_reason", 0)),
    }


# ---------------------------------------------------------------- sources across articles


@lru_cache(maxsize=1 << 16)
def _name_key(text: str) -> str:
    """Cached: a corpus names the same few sources again and again, and title stripping is slow.

    One middle initial is dropped ("Donald J. Trump" is "Donald Trump",
    measured on scored PolNeAR: the two were separate rows of one outlet's
    top sources); two are kept, so "George H. W. Bush" stays apart from
    "George W. Bush"."""
    key = normalise_name(text) or " ".join(text.casefold().split())
    words = key.split()
    middle = [i for i in range(1, len(words) - 1) if len(words[i]) == 1]
    if len(words) >= 3 and len(middle) == 1:
        del words[middle[0]]
        key = " ".join(words)
    return key


def _names_a_person_or_body(alias: str) -> bool:
    """Aliases that may join sources across articles: names, not descriptions.

    "the deputy minister" or "a spokeswoman" describe different people in
    different articles, and would chain unrelated sources into one.
    """
    first = next((c for c in alias if c.isalpha()), "")
    return first.isupper() and not is_pronoun(alias)


@dataclass
class SourceDirectory:
    """Sources merged across articles by name and alias.

    Keys are names normalised by :func:`saidwho.names.normalise_name` (case,
    whitespace, punctuation, accents, titles: "Sen. Bernie Sanders" and
    "Bernie Sanders" are one key). A source's name and its name-like
    aliases of two or more words join one entry (union-find), so "Donald
    Trump" with the alias "Donald J. Trump" in one article and "Donald J.
    Trump" in another are one source. One-word keys ("Trump", "Clinton")
    name several people in a corpus; such a key joins an entry only where
    every source that uses it belongs to that same entry, and otherwise
    stays an entry of its own.
    """

    parent: dict[str, str] = field(default_factory=dict)
    claims: dict[str, set[str]] = field(default_factory=dict)  # one-word key -> multi-word keys of the sources using it
    spellings: dict[str, Counter] = field(default_factory=dict)  # key -> the names written, weighted by sentences
    types: dict[str, Counter] = field(default_factory=dict)

    def add(self, name: str, aliases: Iterable[str], source_type: str, sentences: int) -> str:
        """Record one article's source; returns its key (resolve it with :meth:`resolve` at the end)."""
        key = _name_key(name)
        keys = {key} | {_name_key(a) for a in aliases if _names_a_person_or_body(a)}
        keys.discard("")
        long_keys = sorted(k for k in keys if " " in k)
        for other in long_keys[1:]:
            self._union(long_keys[0], other)
        for short in (k for k in keys if " " not in k):
            if long_keys:
                self.claims.setdefault(short, set()).add(long_keys[0])
        self.parent.setdefault(key, key)
        self.spellings.setdefault(key, Counter())[" ".join(name.split())] += max(sentences, 1)
        self.types.setdefault(key, Counter())[source_type] += max(sentences, 1)
        return key

    def _find(self, key: str) -> str:
        root = self.parent.setdefault(key, key)
        while root != self.parent[root]:
            root = self.parent[root]
        while key != root:  # path compression
            self.parent[key], key = root, self.parent[key]
        return root

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def resolve(self, key: str) -> str:
        """The entry ``key`` belongs to once every article has been read."""
        if " " in key:
            return self._find(key)
        owners = {self._find(k) for k in self.claims.get(key, ())}
        # A one-word key that no multi-word entry uses, or several do, stays apart.
        return owners.pop() if len(owners) == 1 else key

    def describe(self, keys: Iterable[str]) -> tuple[str, str]:
        """(name, type) shown for an entry made of ``keys``: the spelling and type
        written most often, preferring a name of two or more words that is not
        all capitals ("Carla Ruiz Montes" over "RUIZ MONTES" and "Montes")."""
        spellings: Counter = Counter()
        types: Counter = Counter()
        for key in keys:
            spellings.update(self.spellings.get(key, {}))
            types.update(self.types.get(key, {}))
        ranked = sorted(spellings.items(), key=lambda item: (" " not in item[0], item[0].isupper(), -item[1], item[0]))
        name = ranked[0][0] if ranked else "?"
        kind = max(sorted(types), key=lambda t: types[t]) if types else "unknown"
        return name, kind


# ---------------------------------------------------------------- groups


@dataclass
class GroupTally:
    """One group's per-article rows and its sources' counts (by directory key)."""

    rows: array = field(default_factory=lambda: array("q"))
    source_sentences: Counter = field(default_factory=Counter)
    source_articles: Counter = field(default_factory=Counter)

    @property
    def articles(self) -> int:
        return len(self.rows) // len(COLUMNS)

    def matrix(self) -> np.ndarray:
        """The rows as an (articles x columns) integer array."""
        return np.frombuffer(self.rows, dtype=np.int64).reshape(-1, len(COLUMNS)) if self.rows else np.zeros((0, len(COLUMNS)), np.int64)


@dataclass(frozen=True)
class SourceCount:
    name: str
    type: str
    sentences: int  # sourced sentences the source speaks, over the group's articles
    articles: int  # articles in which it speaks


@dataclass
class Tallies:
    """Everything the report is computed from, after one pass over the records."""

    grouping: Grouping
    groups: dict[str, GroupTally] = field(default_factory=dict)
    directory: SourceDirectory = field(default_factory=SourceDirectory)

    def add(self, article: Article) -> None:
        summary = article_summary(article)
        group = self.groups.setdefault(self.grouping.key(article), GroupTally())
        group.rows.extend(article_row(article, summary))
        by_id = {s.id: s for s in article.sources}
        seen: set[str] = set()
        for entry in summary["sources"]:
            if entry["sentences"] <= 0:
                continue
            source = by_id.get(entry.get("id"))
            aliases = source.aliases if source is not None else []
            key = self.directory.add(str(entry.get("name") or "?"), aliases, str(entry.get("type", "unknown")), entry["sentences"])
            group.source_sentences[key] += entry["sentences"]
            if key not in seen:
                seen.add(key)
                group.source_articles[key] += 1

    def group_names(self) -> list[str]:
        """Groups in name order (dates sort in time order), "(none)" last."""
        return sorted(self.groups, key=lambda name: (name == NO_GROUP, name))

    def top_sources(self, group: str, k: int) -> list[SourceCount]:
        """The ``k`` sources that speak the most sourced sentences in ``group``, merged by name and alias."""
        tally = self.groups[group]
        merged_sentences: Counter = Counter()
        merged_articles: Counter = Counter()
        members: dict[str, list[str]] = {}
        for key, sentences in tally.source_sentences.items():
            entry = self.directory.resolve(key)
            merged_sentences[entry] += sentences
            merged_articles[entry] += tally.source_articles[key]
            members.setdefault(entry, []).append(key)
        named = []
        for entry, sentences in merged_sentences.items():
            name, kind = self.directory.describe(members[entry])
            named.append(SourceCount(name, kind, sentences, min(merged_articles[entry], tally.articles)))
        named.sort(key=lambda s: (-s.sentences, -s.articles, s.name.casefold()))
        return named[: max(k, 0)]


def tally(articles: Iterable[Article], grouping: Grouping) -> Tallies:
    """Read ``articles`` once (any iterable: records are not kept) into per-group tallies."""
    tallies = Tallies(grouping)
    for article in articles:
        tallies.add(article)
    return tallies
