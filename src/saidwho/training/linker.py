"""Training the speaker linker (:mod:`saidwho.pipeline.linker`).

1. The default pipeline's attributor runs once over each training corpus; its
   working state (entities, attributions, quotation state) is cached as JSON
   lines beside the predictions (:func:`cached_analyses`), so the linker can be
   trained and evaluated without running the encoder again.
2. For every sentence that gold and system both attribute, the candidates
   (:func:`saidwho.pipeline.linker.article_candidates`) get the label "names the
   gold source" by the scorer's own rule (:func:`saidwho.names.names_match`).
3. A small network (one hidden layer) is fit with scikit-learn and written as
   plain JSON (``linker.json``).

Run: ``python eval/experiments/speaker_linker.py train configs/linker/linker.toml``.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import tomllib

from saidwho.evaluation.alignment import align
from saidwho.io import read_articles, write_articles
from saidwho.names import names_match
from saidwho.pipeline.linker import (
    FEATURES,
    LinkerWeights,
    article_candidates,
)
from saidwho.records import (
    LABELLED_KINDS,
    Article,
    Attribution,
    Entity,
    Layout,
    Mention,
    QuoteState,
)


@dataclass
class LinkerConfig:
    """configs/linker/linker.toml."""

    # Gold data: "polnear:SPLIT" (converted from $SAIDWHO_DATA/polnear), "gold:PART" (eval/gold,
    # train_usable or team; never eval_only), or a record file.
    train: list[str] = field(default_factory=list)
    cache: str = "/tmp/linker"  # where predictions and working state are cached
    model: str = "default"  # the pipeline whose attributor produces the candidates
    hidden: int = 16  # hidden units; 0 gives logistic regression
    alpha: float = 1e-3
    max_iter: int = 300
    margin: float = 0.0
    seed: int = 0
    output: str = "models/minilm-v2-hybrid-linker/linker.json"

    @classmethod
    def load(cls, path: str | Path) -> LinkerConfig:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"{path}: unknown setting(s) {', '.join(sorted(unknown))}")
        return cls(**data)


# ---------------------------------------------------------------- cached analyses


def gold_file(spec: str, cache: str | Path) -> Path:
    """The gold record file a data spec names, written into the cache once for "polnear:" and "gold:" specs."""
    from saidwho.paths import default_polnear_dir, gold_dir

    kind, _, name = spec.partition(":")
    if kind not in ("polnear", "gold") or not name:
        return Path(spec)
    cache = Path(cache)
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"{kind}-{name}.jsonl"
    if path.exists():
        return path
    polnear = default_polnear_dir()
    if kind == "polnear":
        from saidwho.corpora.polnear import convert

        write_articles(path, convert(polnear, name))
    else:
        from saidwho.evaluation.goldset import load_gold

        if name not in ("train_usable", "team"):
            raise ValueError(f"{spec}: only the train_usable and team parts may be used")
        write_articles(path, load_gold(gold_dir(), polnear, name))
    return path



def state_of(article: Article) -> dict:
    """The working state of an analysed article that speaker resolution reads."""
    out = []
    for s in article.sentences:
        a = s.attribution
        d: dict = {
            "entities": [[e.start, e.end, e.label, e.in_quotation] for e in s.entities],
            "quotes": {
                "in_quote_start": s.quotes.in_quote_start, "in_quote_end": s.quotes.in_quote_end,
                "quoted_share": s.quotes.quoted_share, "quote_open": s.quotes.quote_open,
                "quoted_spans": [list(x) for x in s.quotes.quoted_spans],
            },
            "layout": [s.layout.paragraph, s.layout.first_in_paragraph, s.layout.duplicate] if s.layout else None,
            "attribution": None,
        }
        if a is not None:
            m = a.mention
            d["attribution"] = {
                "via": a.via, "cue": list(a.cue) if a.cue else None, "score": a.score,
                "anonymous_phrase": a.anonymous_phrase, "mode": a.mode,
                "mention": None if m is None else {
                    "span": list(m.span) if m.span else None, "text": m.text, "kind": m.kind,
                    "head": list(m.head) if m.head else None, "full": m.full,
                },
            }
        out.append(d)
    return {"id": article.id, "sentences": out}


def with_state(article: Article, state: dict) -> Article:
    """A prediction record with its cached working state restored (in place)."""
    assert state["id"] == article.id and len(state["sentences"]) == len(article.sentences)
    for s, d in zip(article.sentences, state["sentences"]):
        s.entities = tuple(Entity(int(a), int(b), str(lab), bool(q)) for a, b, lab, q in d["entities"])
        q = d["quotes"]
        s.quotes = QuoteState(q["in_quote_start"], q["in_quote_end"], q["quoted_share"], q["quote_open"],
                              tuple(tuple(x) for x in q["quoted_spans"]))
        s.layout = Layout(*d["layout"]) if d["layout"] else None
        a = d["attribution"]
        if a is None:
            s.attribution = None
            continue
        m = a["mention"]
        mention = None if m is None else Mention(
            tuple(m["span"]) if m["span"] else None, m["text"], m["kind"], tuple(m["head"]) if m["head"] else None, m["full"],
        )
        s.attribution = Attribution(a["via"], tuple(a["cue"]) if a["cue"] else None, mention, a["score"], a["anonymous_phrase"], a["mode"])
    return article


def cached_analyses(gold_path: str | Path, cache: str | Path, model: str = "default") -> list[Article]:
    """The pipeline's analyses of a gold file's texts with working state, run once and cached."""
    cache = Path(cache)
    cache.mkdir(parents=True, exist_ok=True)
    stem = Path(gold_path).stem
    pred_path = cache / f"pred-{stem}.jsonl"
    state_path = Path(str(pred_path) + ".state.jsonl")
    if not (pred_path.exists() and state_path.exists()):
        import saidwho

        nlp = saidwho.load(model)
        analysed = list(nlp.pipe(read_articles(gold_path), batch_size=8))
        with state_path.open("w", encoding="utf-8") as handle:
            for article in analysed:
                handle.write(json.dumps(state_of(article)) + "\n")
        write_articles(pred_path, analysed)
    states = [json.loads(line) for line in state_path.open(encoding="utf-8")]
    return [with_state(a, s) for a, s in zip(read_articles(pred_path), states)]


# ---------------------------------------------------------------- examples


@dataclass
class Examples:
    x: np.ndarray
    y: np.ndarray
    group: np.ndarray  # one group per (article, sentence)
    article: np.ndarray  # article number, for folds


def examples(gold: list[Article], analysed: list[Article], start_group: int = 0) -> Examples:
    """Candidates of every sentence that gold (with a speaker) and system both attribute."""
    by_id = {a.id: a for a in analysed}
    xs, ys, groups, arts = [], [], [], []
    group = start_group
    for number, g in enumerate(gold):
        p = by_id.get(g.id)
        if p is None:
            continue
        candidates = article_candidates(p)
        index_of = {id(s): i for i, s in enumerate(p.sentences)}
        labelled = [s for s in g.sentences if s.kind in LABELLED_KINDS and s.label is not None]
        for gs, ps in zip(labelled, align(labelled, p.sentences, g.text)):
            if gs.label != "sourced_claim" or gs.speaker is None or ps is None or ps.label != "sourced_claim":
                continue
            gold_source = g.source_by_id(gs.speaker)
            cands = candidates.get(index_of[id(ps)])
            if gold_source is None or not cands:
                continue
            for c in cands:
                xs.append(c.features)
                ys.append(1.0 if names_match(c.source, gold_source) else 0.0)
                groups.append(group)
                arts.append(number)
            group += 1
    n = len(FEATURES)
    return Examples(
        np.asarray(xs, dtype=np.float64).reshape(-1, n), np.asarray(ys), np.asarray(groups), np.asarray(arts),
    )


def cached_examples(gold_path: str | Path, cache: str | Path, model: str = "default", start_group: int = 0) -> Examples:
    """:func:`examples` of a gold file, cached as .npz beside its analyses (keyed by the feature list)."""
    import hashlib

    digest = hashlib.sha256(" ".join(FEATURES).encode()).hexdigest()[:10]
    path = Path(cache) / f"examples-{Path(gold_path).stem}-{digest}.npz"
    if not path.exists():
        ex = examples(read_articles(gold_path), cached_analyses(gold_path, cache, model))
        np.savez(path, x=ex.x, y=ex.y, group=ex.group, article=ex.article)
    data = np.load(path)
    return Examples(data["x"], data["y"], data["group"] + start_group, data["article"])


def fit(ex: Examples, hidden: int = 16, alpha: float = 1e-3, max_iter: int = 300, seed: int = 0, margin: float = 0.0) -> LinkerWeights:
    """Pointwise binary fit of the candidate scorer."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    mean = ex.x.mean(axis=0)
    scale = ex.x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = (ex.x - mean) / scale
    if hidden <= 0:
        clf = LogisticRegression(C=1.0 / max(alpha, 1e-6), max_iter=max_iter * 10).fit(z, ex.y)
        return LinkerWeights(mean, scale, np.zeros((0, 0)), np.zeros(0), clf.coef_[0], float(clf.intercept_[0]), margin)
    clf = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=alpha, max_iter=max_iter, random_state=seed,
                        early_stopping=False).fit(z, ex.y)
    return LinkerWeights(mean, scale, clf.coefs_[0], clf.intercepts_[0], clf.coefs_[1][:, 0], float(clf.intercepts_[1][0]), margin)


def ranking_accuracy(weights: LinkerWeights, ex: Examples) -> dict[str, float]:
    """Per sentence: the rules' choice right, the linker's choice right, a right candidate present."""
    scores = weights.score(ex.x) if len(ex.x) else np.zeros(0)
    rule = linker = oracle = total = 0
    for g in np.unique(ex.group):
        rows = np.flatnonzero(ex.group == g)
        s, y = scores[rows], ex.y[rows]
        best = int(np.argmax(s))
        choice = best if best != 0 and s[best] > s[0] + weights.margin else 0
        total += 1
        rule += int(y[0] > 0)
        linker += int(y[choice] > 0)
        oracle += int(y.max() > 0)
    return {"sentences": total, "rules": rule / max(1, total), "linker": linker / max(1, total), "oracle": oracle / max(1, total)}


def train_linker(config: LinkerConfig, log=print) -> tuple[LinkerWeights, dict]:
    random.seed(config.seed)
    np.random.seed(config.seed)
    parts = []
    start = time.time()
    for spec in config.train:
        path = gold_file(spec, config.cache)
        ex = cached_examples(path, config.cache, config.model, start_group=(len(parts) + 1) * 10**7)
        log(f"{path}: {len(np.unique(ex.article))} articles with sentences to link, {len(np.unique(ex.group))} sentences, {len(ex.y)} candidates")
        parts.append(ex)
    ex = Examples(np.concatenate([p.x for p in parts]), np.concatenate([p.y for p in parts]),
                  np.concatenate([p.group for p in parts]), np.concatenate([p.article for p in parts]))
    weights = fit(ex, config.hidden, config.alpha, config.max_iter, config.seed, config.margin)
    metrics = {"train": ranking_accuracy(weights, ex), "seconds": round(time.time() - start, 1)}
    return weights, metrics
