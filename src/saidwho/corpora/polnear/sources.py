"""An article's PolNeAR Source mentions grouped into speakers, with pronouns resolved."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from saidwho.corpora.polnear.brat import PolnearAttribution, span_text
from saidwho.corpora.polnear.mentions import analyse_mention, grouping_key, is_pronoun_mention, person_name, strip_possessive
from saidwho.lexicon import (
    FIRST_PERSON,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    RELATIVE_PRONOUNS,
    SECOND_PERSON,
    THING_PRONOUNS,
)
from saidwho.names import name_tokens
from saidwho.records import Source


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    attr_index: int


@dataclass
class _Cluster:
    id: str
    type: str
    forms: list[str] = field(default_factory=list)
    cores: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    last_tokens: set[str] = field(default_factory=set)
    first_tokens: set[str] = field(default_factory=set)
    count: int = 0
    first: int = -1

    def add(self, form: str, key: str, position: int, core: str) -> None:
        if self.first < 0 or position < self.first:
            self.first = position
        if form not in self.forms:
            self.forms.append(form)
        if core not in self.cores:
            self.cores.append(core)
        self.keys.add(key)
        self.count += 1
        toks = key.split()
        if len(toks) >= 2:
            self.last_tokens.add(toks[-1])
            self.first_tokens.add(toks[0])


class PolnearSpeakers:
    """Groups a PolNeAR article's Source mentions into sources and resolves pronouns.

    Works on the gold Source spans; the pipeline's speaker step is
    :class:`saidwho.pipeline.speakers.SpeakerResolver`.
    """

    def __init__(self, text: str, attributions: list[PolnearAttribution]):
        self.text = text
        self.attributions = attributions
        self.clusters: list[_Cluster] = []
        # attribution index -> (cluster or None, reached through a pronoun)
        self.resolved: dict[int, tuple[_Cluster | None, bool]] = {}
        self.named: list[tuple[int, _Cluster]] = []  # (mention start, cluster), sorted
        mentions = []
        for index, attr in enumerate(attributions):
            if attr.source:
                a, b = attr.source[0][0], attr.source[-1][1]
                mentions.append(_Mention(a, b, span_text(text, attr.source), index))
        mentions.sort(key=lambda m: (m.start, m.attr_index))
        self.pronouns: list[_Mention] = []
        names: list[_Mention] = []
        for m in mentions:
            (self.pronouns if is_pronoun_mention(m.text) else names).append(m)
        self._cluster_names(names)
        self.named.sort(key=lambda item: item[0])
        self._named_starts = [s for s, _ in self.named]
        for m in self.pronouns:
            self._resolve(m.attr_index, set())
        self.sources = self._build_sources()

    # -- names

    def _cluster_names(self, names: list[_Mention]) -> None:
        by_key: dict[str, _Cluster] = {}
        singles: list[tuple[_Mention, str, str, str]] = []
        for m in names:
            form = strip_possessive(m.text.strip().strip(",;:"))
            core, kind = analyse_mention(m.text)
            key = grouping_key(core, kind)
            if kind == "person" and len(key.split()) == 1:
                singles.append((m, form, core, key))
                continue
            cluster = by_key.get(key)
            if cluster is None and kind == "person":
                cluster = self._match_full_name(key)
            if cluster is None:
                cluster = self._new_cluster(kind)
            cluster.add(form, key, m.start, core)
            by_key[key] = cluster
            self._set(m, cluster)
        for m, form, core, key in singles:
            cluster = by_key.get(key)
            if cluster is None:
                cluster = self._match_single(key, m.start)
            if cluster is None:
                cluster = self._new_cluster("person")
            cluster.add(form, key, m.start, core)
            by_key.setdefault(key, cluster)
            self._set(m, cluster)

    def _new_cluster(self, kind: str) -> _Cluster:
        cluster = _Cluster(id="", type=kind)
        self.clusters.append(cluster)
        return cluster

    def _set(self, m: _Mention, cluster: _Cluster) -> None:
        self.resolved[m.attr_index] = (cluster, False)
        self.named.append((m.start, cluster))

    def _match_full_name(self, key: str) -> _Cluster | None:
        """"Donald J. Trump" joins "Donald Trump": same first and last token."""
        toks = key.split()
        if len(toks) < 2:
            return None
        for cluster in self.clusters:
            if cluster.type != "person":
                continue
            for other in cluster.keys:
                o = other.split()
                if len(o) >= 2 and o[0] == toks[0] and o[-1] == toks[-1]:
                    return cluster
        return None

    def _match_single(self, token: str, position: int) -> _Cluster | None:
        """A one-word person name joins a fuller name with that surname (or first name)."""
        for attr in ("last_tokens", "first_tokens"):
            candidates = [c for c in self.clusters if c.type == "person" and token in getattr(c, attr)]
            if not candidates:
                continue
            if len(candidates) == 1:
                return candidates[0]
            before = [(s, c) for s, c in self.named if s < position and c in candidates]
            if before:
                return max(before, key=lambda item: item[0])[1]
            return max(candidates, key=lambda c: c.count)
        return None

    # -- pronouns

    def _resolve(self, index: int, seen: set[int]) -> tuple[_Cluster | None, bool]:
        if index in self.resolved:
            return self.resolved[index]
        if index in seen:
            return (None, True)
        seen.add(index)
        attr = self.attributions[index]
        start, end = attr.source[0][0], attr.source[-1][1]
        word = span_text(self.text, attr.source).strip().strip(".,;:!?\"'“”‘’").lower()
        cluster: _Cluster | None = None
        if word in SECOND_PERSON:
            # "you" as a Source is generic or the addressee: left unresolved.
            self.resolved[index] = (None, True)
            return self.resolved[index]
        if word in FIRST_PERSON:
            outer = self._enclosing(index, start, end)
            if outer is not None and self.attributions[outer].source:
                cluster = self._resolve(outer, seen)[0]
        if cluster is None and word in RELATIVE_PRONOUNS:
            cluster = self._antecedent(start, word)
        if cluster is None:
            cluster = self._preceding(start, word)
        self.resolved[index] = (cluster, True)
        return self.resolved[index]

    def _enclosing(self, index: int, start: int, end: int) -> int | None:
        best = None
        best_len = None
        for other, attr in enumerate(self.attributions):
            if other == index:
                continue
            for a, b in attr.content:
                if a <= start and end <= b:
                    if best_len is None or b - a < best_len:
                        best, best_len = other, b - a
        return best

    _NAME_BEFORE = re.compile(
        r"((?:(?:[A-Z][\w’'.-]*|of|the|de|van|von)\s+)*[A-Z][\w’'.-]*)\s*,?\s*$"
    )

    def _antecedent(self, start: int, word: str) -> _Cluster | None:
        window = self.text[max(0, start - 80) : start]
        m = self._NAME_BEFORE.search(window)
        if not m:
            return None
        form = strip_possessive(m.group(1).strip())
        if is_pronoun_mention(form):
            return None
        core, kind = analyse_mention(form)
        allowed = {"person", "organization"} if word in {"who", "whom", "whose"} else {"organization", "document"}
        if kind not in allowed:
            return None
        key = grouping_key(core, kind)
        for cluster in self.clusters:
            if key in cluster.keys:
                cluster.add(form, key, start, core)
                return cluster
        cluster = None
        if kind == "person":
            cluster = self._match_full_name(key) if len(key.split()) > 1 else self._match_single(key, start)
        if cluster is None:
            cluster = self._new_cluster(kind)
        cluster.add(form, key, start, core)
        return cluster

    def _preceding(self, start: int, word: str) -> _Cluster | None:
        if word in PERSON_PRONOUNS:
            fits = {"person"}
        elif word in PLURAL_PRONOUNS:
            fits = {"organization", "anonymous", "unknown"}
        elif word in THING_PRONOUNS:
            fits = {"organization", "document"}
        else:
            fits = set()
        i = bisect.bisect_left(self._named_starts, start)
        before = self.named[:i]
        for _, cluster in reversed(before):
            if cluster.type in fits:
                return cluster
        if before:
            return before[-1][1]
        if i < len(self.named):
            return self.named[i][1]
        return None

    def speaker_of(self, index: int) -> tuple[str | None, bool]:
        cluster, via_pronoun = self.resolved.get(index, (None, False))
        return (cluster.id if cluster else None), via_pronoun

    # -- output

    def _fuller_name(self, single: str) -> str | None:
        """The most frequent "First Last" the article writes for a one-word name, if any."""
        token = single.split()[-1]
        pattern = re.compile(r"((?:(?:[A-Z][\w’'-]*|[A-Z]\.)\s+){1,3})" + re.escape(token) + r"\b")
        counts: Counter = Counter()
        first: dict[str, int] = {}
        for m in pattern.finditer(self.text):
            name = person_name(m.group(0))
            if name and len(name.split()) >= 2 and name.split()[-1] == token:
                counts[name] += 1
                first.setdefault(name, m.start())
        if not counts:
            return None
        return max(counts, key=lambda n: (counts[n], -first[n]))

    def _build_sources(self) -> list[Source]:
        used = sorted((c for c in self.clusters if c.forms), key=lambda c: c.first)
        sources = []
        for number, cluster in enumerate(used, start=1):
            cluster.id = f"s{number}"
            forms = cluster.cores if cluster.type == "person" else cluster.forms
            name = max(forms, key=lambda f: (len(name_tokens(f)), -len(f), -forms.index(f)))
            if cluster.type == "person" and len(name_tokens(name)) == 1:
                fuller = self._fuller_name(name)
                if fuller:
                    cluster.cores.append(name)
                    name = fuller
            aliases = []
            for form in cluster.forms + cluster.cores:
                if form != name and form not in aliases and not is_pronoun_mention(form):
                    aliases.append(form)
            sources.append(Source(id=cluster.id, name=name, type=cluster.type, aliases=aliases))
        return sources
