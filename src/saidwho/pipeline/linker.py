"""A learned speaker linker: for each attributed sentence, rank candidate speakers.

Runs between the attributor and :class:`~saidwho.pipeline.speakers.SpeakerResolver`.
The candidates of an attributed sentence are

- the rules' own choice: the attribution's mention as the resolver would
  resolve it (a name, a pronoun resolved to its antecedent, a description
  joined to a person, hearsay), one candidate;
- every other named person or organisation (spaCy entities, and the
  bare-surname mentions the resolver adds) mentioned outside quotations in
  the sentence, the three before it or the one after it, one candidate per
  entity (mentions of the same person join as the resolver joins them).

Each candidate gets cheap features (no encoder pass): its entity type, its
distance in sentences and characters from the cue, whether it sits inside the
rules' mention, whether a speech verb follows or precedes it ("X said", "said
X"), how often it was mentioned and whether it spoke before, whether its
gender agrees with a he/she mention, and the rules' mention kind and
evidence (``via``). A small scorer (a one-hidden-layer network, weights in
``linker.json``) gives each a probability of being the gold source; where an
entity beats the rules' choice by ``margin``, the sentence's attribution gets
that entity's nearest mention as its mention, so the resolver names it (a
description or pronoun then resolves to the named entity it refers to).
Everything else is left as the rules had it.

Scored by: speaker accuracy in :mod:`saidwho.evaluation.scoring`.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from saidwho.lexicon import FEMALE_PRONOUNS, GROUP_PRONOUNS, LINKER_SPEECH_FORMS, MALE_PRONOUNS
from saidwho.names import is_pronoun, names_match, normalise_name, strip_possessive
from saidwho.pipeline.attribution import write_attribution
from saidwho.pipeline.component import Component
from saidwho.pipeline.people import PersonIndex
from saidwho.pipeline.speakers import SpeakerResolver
from saidwho.records import Article, Attribution, Entity, Mention, Source

CANDIDATE_LABELS = ("PERSON", "ORG", "GPE", "NORP")
WINDOW_BEFORE = 3  # sentences before the attributed one whose entities are candidates
WINDOW_AFTER = 1
VIAS = ("verb", "according_to", "quotation", "colon", "dash", "transcript", "model", "view", "hearsay")
MENTION_KINDS = ("name", "pronoun", "description", "anonymous", "none")
SOURCE_TYPES = ("person", "organization", "document", "anonymous", "unknown", "none")
_SPEECH = "(?:" + "|".join(LINKER_SPEECH_FORMS) + ")"
_VERB_AFTER = re.compile(r"^(?:[’']s?)?\s*(?:,[^,]{0,60},\s*)?(?:has |had |have |also |then |later |recently )?" + _SPEECH + r"\b", re.IGNORECASE)
_VERB_BEFORE = re.compile(r"\b" + _SPEECH + r"\s+(?:the\s+|[A-Z][\w.’'-]*\s+){0,3}$")
_ACCORDING_BEFORE = re.compile(r"\baccording to\s+(?:the\s+)?(?:[\w.’'-]+\s+){0,3}$", re.IGNORECASE)


FEATURES = (
    ["is_rule"]
    + [f"mk_{k}" for k in MENTION_KINDS]
    + ["pron_gendered", "pron_group"]
    + [f"via_{v}" for v in VIAS]
    + [f"rtype_{t}" for t in SOURCE_TYPES]
    + ["quoted_share", "in_quote_start", "n_candidates"]
    + [f"lab_{lab}" for lab in CANDIDATE_LABELS]
    + ["d_same", "d_1", "d_2", "d_3", "d_after", "before_cue", "after_cue", "log_chars", "person_rank1", "person_rank"]
    + ["in_rule_mention", "log_count", "log_window_count", "spoke_1", "spoke_2", "spoke_3", "spoke_far"]
    + ["gender_agree", "gender_clash", "gender_known", "multiword", "possessive", "sentence_initial"]
    + ["verb_after", "verb_before", "according_before", "rule_person_other", "rule_in_window", "pronoun_not_person", "same_quote", "mention_there"]
)
_INDEX = {name: i for i, name in enumerate(FEATURES)}


@dataclass
class Candidate:
    """One candidate speaker of one attributed sentence."""

    key: str | None  # None: the rules' own choice
    mention: Entity | None  # the entity mention to use (the nearest one)
    name: str  # fullest form seen
    features: np.ndarray
    source: Source | None = None  # as a Source, for matching against gold


@dataclass
class LinkerWeights:
    """A one-hidden-layer scorer: p = sigmoid(w2 . relu(W1 (x - mean) / scale + b1) + b2)."""

    mean: np.ndarray
    scale: np.ndarray
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: float
    margin: float = 0.0

    def score(self, x: np.ndarray) -> np.ndarray:
        z = (x - self.mean) / self.scale
        h = np.maximum(z @ self.w1 + self.b1, 0.0) if self.w1.size else z
        logit = h @ self.w2 + self.b2
        return 1.0 / (1.0 + np.exp(-logit))

    def to_dict(self) -> dict:
        return {
            "features": list(FEATURES), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
            "w1": self.w1.tolist(), "b1": self.b1.tolist(), "w2": self.w2.tolist(), "b2": float(self.b2),
            "margin": float(self.margin),
        }

    @classmethod
    def from_dict(cls, data: dict) -> LinkerWeights:
        if list(data["features"]) != list(FEATURES):
            raise ValueError("linker weights were trained on other features; retrain the linker")
        n = len(FEATURES)
        w1 = np.asarray(data["w1"], dtype=np.float64).reshape(n, -1) if data["w1"] else np.zeros((0, 0))
        return cls(
            mean=np.asarray(data["mean"], dtype=np.float64), scale=np.asarray(data["scale"], dtype=np.float64),
            w1=w1, b1=np.asarray(data["b1"], dtype=np.float64), w2=np.asarray(data["w2"], dtype=np.float64),
            b2=float(data["b2"]), margin=float(data.get("margin", 0.0)),
        )

    @classmethod
    def load(cls, path: str | Path) -> LinkerWeights:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict()) + "\n", encoding="utf-8")


class SpeakerLinker(Component):
    """Pipeline component: replaces the attribution's mention where the learned
    scorer prefers another named candidate to the rules' choice."""

    name = "linker"
    reads = frozenset({"sentences", "attribution", "entities"})
    writes = frozenset({"attribution"})
    scored_by = ("speaker_accuracy",)

    def __init__(self, weights: LinkerWeights, margin: float | None = None):
        self.weights = weights
        self.margin = weights.margin if margin is None else margin

    def predict(self, article: Article) -> dict[int, Attribution]:
        changes: dict[int, Attribution] = {}
        for index, candidates in article_candidates(article).items():
            scores = self.weights.score(np.stack([c.features for c in candidates]))
            best = int(np.argmax(scores))
            rule_score = scores[0]  # the rules' choice comes first
            if best != 0 and scores[best] > rule_score + self.margin:
                changes[index] = relinked(article, article.sentences[index].attribution, candidates[best])
        return changes

    def set_annotations(self, article: Article, result: dict[int, Attribution]) -> None:
        for index, attribution in result.items():
            write_attribution(article.sentences[index], attribution)


def relinked(article: Article, attribution: Attribution, candidate: Candidate) -> Attribution:
    """The attribution with the candidate's mention as its speaker mention."""
    e = candidate.mention
    assert e is not None
    end = e.start + len(strip_possessive(article.text[e.start : e.end]))
    text = article.text[e.start : end]
    return replace(attribution, mention=Mention((e.start, end), text, "name", head=(e.start, end), full=text), anonymous_phrase=None)


# ---------------------------------------------------------------- candidates and features


@dataclass
class _Mentions:
    """The article's entity mentions as the resolver sees them, with keys and genders."""

    entities: list[Entity]
    keys: list[str]
    sentence_of: list[int]
    gender: dict[str, str]
    forms: dict[str, list[str]]
    starts_by_key: dict[str, list[int]]


def _mentions(article: Article) -> _Mentions:
    text = article.text
    entities = sorted((e for s in article.sentences for e in s.entities if not e.in_quotation), key=lambda e: e.start)
    people = PersonIndex(text, entities)
    person_keys, gender = people.keys, people.gender
    starts = [s.start for s in article.sentences]
    kept, keys, sentence_of = [], [], []
    forms: dict[str, list[str]] = {}
    for e in people.entities:
        if e.label not in CANDIDATE_LABELS:
            continue
        form = strip_possessive(text[e.start : e.end])
        key = person_keys.get(e.start) if e.label == "PERSON" else None
        key = key or normalise_name(form)
        if not key or is_pronoun(form):
            continue
        kept.append(e)
        keys.append(key)
        sentence_of.append(max(0, bisect.bisect_right(starts, e.start) - 1))
        forms.setdefault(key, [])
        if form not in forms[key]:
            forms[key].append(form)
    starts_by_key: dict[str, list[int]] = {}
    for e, key in zip(kept, keys):
        starts_by_key.setdefault(key, []).append(e.start)
    return _Mentions(kept, keys, sentence_of, gender, forms, starts_by_key)


def article_candidates(article: Article, rule: tuple[list[Source], list[str | None]] | None = None) -> dict[int, list[Candidate]]:
    """For each attributed labelled sentence (by index), its candidates, the rules' choice first."""
    attributed = [i for i, s in enumerate(article.sentences) if s.labelled and s.attribution is not None]
    if not attributed:
        return {}
    sources, speakers = rule if rule is not None else SpeakerResolver().predict(article)
    by_id = {s.id: s for s in sources}
    mentions = _mentions(article)
    text = article.text
    keys_of = {s.id: {normalise_name(s.name)} | {normalise_name(x) for x in s.aliases} for s in sources}
    spoke: list[tuple[int, set[str]]] = [(i, keys_of[sp]) for i, sp in enumerate(speakers) if sp is not None and sp in by_id]
    out: dict[int, list[Candidate]] = {}
    for i in attributed:
        sentence = article.sentences[i]
        a = sentence.attribution
        rule_source = by_id.get(speakers[i]) if speakers[i] else None
        context = _context_features(a, rule_source, sentence, text)
        # Entities in the window, grouped by key; the nearest mention represents each.
        lo, hi = i - WINDOW_BEFORE, i + WINDOW_AFTER
        groups: dict[str, list[int]] = {}
        for n, (e, s_index) in enumerate(zip(mentions.entities, mentions.sentence_of)):
            if lo <= s_index <= hi:
                groups.setdefault(mentions.keys[n], []).append(n)
        cue = a.cue[0] if a.cue else sentence.start
        rule = Candidate(None, None, rule_source.name if rule_source else "", _rule_vector(context, len(groups)), rule_source)
        candidates = [rule]
        person_order = sorted(
            (k for k, ns in groups.items() if mentions.entities[ns[0]].label == "PERSON"),
            key=lambda k: min(abs(mentions.entities[n].start - cue) for n in groups[k]),
        )
        rule_distance = None
        for key, ns in groups.items():
            label = mentions.entities[ns[0]].label
            typ = "person" if label == "PERSON" else "organization"
            forms = mentions.forms[key]
            source = Source("c", max(forms, key=len), typ, [f for f in forms])
            nearest = min(ns, key=lambda n: (abs(mentions.entities[n].start - cue), -mentions.entities[n].start))
            features = _candidate_vector(
                context, len(groups), article, i, a, mentions, key, ns, nearest, person_order, spoke, rule_source,
            )
            if rule_source is not None and names_match(source, rule_source):
                # The rules already chose this one: its mention's features describe the rules' choice.
                distance = abs(mentions.entities[nearest].start - cue)
                if rule_distance is None or distance < rule_distance:
                    rule_distance = distance
                    features[_INDEX["is_rule"]] = 1.0
                    features[_INDEX["rule_in_window"]] = 1.0
                    features[_INDEX["rule_person_other"]] = 0.0
                    rule.features = features
                continue
            candidates.append(Candidate(key, mentions.entities[nearest], source.name, features, source))
        out[i] = candidates
    return out


def _context_features(a: Attribution, rule_source: Source | None, sentence, text: str) -> dict[str, float]:
    f: dict[str, float] = {}
    m = a.mention
    if m is None or m.span is None:
        kind = "anonymous" if a.anonymous_phrase else "none"
    else:
        kind = m.kind if m.kind in MENTION_KINDS else "description"
        if is_pronoun((m.text or text[m.span[0] : m.span[1]]).strip()):
            kind = "pronoun"
    f[f"mk_{kind}"] = 1.0
    if kind == "pronoun":
        word = (m.text or text[m.span[0] : m.span[1]]).strip().lower()
        f["pron_gendered"] = float(word in MALE_PRONOUNS | FEMALE_PRONOUNS)
        f["pron_group"] = float(word in GROUP_PRONOUNS)
    if a.via in VIAS:
        f[f"via_{a.via}"] = 1.0
    rtype = rule_source.type if rule_source is not None else "none"
    f[f"rtype_{rtype if rtype in SOURCE_TYPES else 'unknown'}"] = 1.0
    f["quoted_share"] = float(sentence.quotes.quoted_share)
    f["in_quote_start"] = float(sentence.quotes.in_quote_start)
    return f


def _vector(values: dict[str, float]) -> np.ndarray:
    x = np.zeros(len(FEATURES), dtype=np.float64)
    for name, value in values.items():
        x[_INDEX[name]] = value
    return x


def _rule_vector(context: dict[str, float], n_candidates: int) -> np.ndarray:
    return _vector({**context, "is_rule": 1.0, "n_candidates": math.log1p(n_candidates)})


def _candidate_vector(context, n_candidates, article, i, a, mentions: _Mentions, key, ns, nearest, person_order, spoke, rule_source) -> np.ndarray:
    text = article.text
    e = mentions.entities[nearest]
    s_index = mentions.sentence_of[nearest]
    sentence = article.sentences[i]
    cue = a.cue[0] if a.cue else sentence.start
    f = dict(context)
    f["n_candidates"] = math.log1p(n_candidates)
    f[f"lab_{e.label}"] = 1.0
    distance = i - s_index
    f["d_same" if distance == 0 else "d_after" if distance < 0 else "d_1" if distance == 1 else "d_2" if distance == 2 else "d_3"] = 1.0
    if distance == 0:
        f["before_cue" if e.start < cue else "after_cue"] = 1.0
    f["log_chars"] = math.log1p(abs(e.start - cue)) / 8.0
    if key in person_order:
        rank = person_order.index(key) + 1
        f["person_rank1"] = float(rank == 1)
        f["person_rank"] = math.log(rank)
    m = a.mention
    if m is not None and m.span is not None and m.span[0] <= e.start and e.end <= m.span[1]:
        f["in_rule_mention"] = 1.0
    before = bisect.bisect_left(mentions.starts_by_key[key], sentence.end)
    f["log_count"] = math.log1p(before)
    f["log_window_count"] = math.log1p(len(ns))
    last_spoke = None
    for j, keys in spoke:
        if j >= i:
            break
        if key in keys:
            last_spoke = j
    if last_spoke is not None:
        gap = i - last_spoke
        f["spoke_1" if gap == 1 else "spoke_2" if gap == 2 else "spoke_3" if gap == 3 else "spoke_far"] = 1.0
    gender = mentions.gender.get(key)
    if gender is not None:
        f["gender_known"] = 1.0
    if m is not None and m.span is not None:
        word = (m.text or text[m.span[0] : m.span[1]]).strip().lower()
        wanted = "m" if word in MALE_PRONOUNS else "f" if word in FEMALE_PRONOUNS else None
        if wanted and gender:
            f["gender_agree" if gender == wanted else "gender_clash"] = 1.0
        if wanted and e.label != "PERSON":
            f["pronoun_not_person"] = 1.0
    f["multiword"] = float(len(key.split()) > 1)
    after = text[e.end : e.end + 90]
    f["possessive"] = float(after[:2] in ("'s", "’s"))
    f["sentence_initial"] = float(e.start - article.sentences[s_index].start <= 2)
    f["verb_after"] = float(bool(_VERB_AFTER.match(after)))
    before_text = text[max(0, e.start - 40) : e.start]
    f["verb_before"] = float(bool(_VERB_BEFORE.search(before_text)))
    f["according_before"] = float(bool(_ACCORDING_BEFORE.search(before_text)))
    f["rule_person_other"] = float(rule_source is not None and rule_source.type == "person" and e.label == "PERSON")
    there = article.sentences[s_index]
    # The same quotation runs through both sentences (its cue may stand in either).
    f["same_quote"] = float(distance != 0 and there.quotes.quote_open is not None and there.quotes.quote_open == sentence.quotes.quote_open)
    # The parse made it the speaker mention of its own sentence's attribution.
    other = there.attribution.mention if there.attribution is not None and distance != 0 else None
    f["mention_there"] = float(other is not None and other.span is not None and other.span[0] <= e.start and e.end <= other.span[1])
    return _vector(f)
