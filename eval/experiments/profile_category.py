"""Would a learned model place sources in categories better than the profile rules? (issue 22, session 8)

    SAIDWHO_DATA=../shared/data python eval/experiments/profile_category.py

Over the four profile dev sets of docs/profiles.md (the team build set, the
political build set, the first political held-out set and the old sealed set,
all read while writing the rules; the second held-out set is never touched
here), every gold source with a profile that a predicted source matches gives
one row: its gold category, the rules' category, and two kinds of features:

- ``rules``: the rules' category and the source type, with the words of the
  title, affiliation, aliases, a "who" clause and (for groups, organisations
  and documents) the name, and a few flags (headline, mentions, political
  words, the article marking the surname as a politician);
- ``embedding``: the rules' category and type, with the mean-pooled
  all-MiniLM-L6-v2 embedding of the name, the title and the sentences of the
  first mention and the first sourced sentence.

A logistic regression is scored out of fold (10 folds grouped by article).
The rules were written on these articles, so their figure is optimistic and
the comparison favours them; a learned model would have to win clearly here.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import numpy as np


def _rows():
    import saidwho
    from saidwho.evaluation.goldset import attach_profiles, load_gold
    from saidwho.evaluation.tally import _matching_source
    from saidwho.pipeline import profiles as P
    from saidwho.pipeline import roles as R
    from saidwho.records import Article
    from saidwho.training.data import extra_gold_articles

    polnear = Path(os.environ["SAIDWHO_DATA"]) / "polnear"
    extra = extra_gold_articles(["eval/train-extra/ann-h[1-7]/*.jsonl"], polnear)
    sets = {
        "team": load_gold("eval/gold", str(polnear), "team"),
        "sealed": load_gold("eval/gold", str(polnear), "train_usable"),
        "political build": attach_profiles(Path("eval/train-extra"), list(extra)),
    }
    extra = extra_gold_articles(["eval/train-extra/ann-h[1-7]/*.jsonl"], polnear)  # fresh copies: profiles attach in place
    sets["first held-out"] = attach_profiles(Path("eval/train-extra/profiles/test"), extra)
    nlp = saidwho.load("default")
    rows = []
    for set_name, articles in sets.items():
        for gold in articles:
            if not any(s.profile for s in gold.sources):
                continue
            predicted = nlp(Article(id=gold.id, text=gold.text, title=gold.title))
            political = len(P._POLITICAL_WORDS.findall(predicted.text))
            surnames = P.politician_surnames(predicted.text)
            for gs in gold.sources:
                ps = _matching_source(predicted, gs) if gs.profile else None
                if ps is None:
                    continue
                profile, where = ps.profile, R.mentions_of(predicted, ps)
                words = " ".join(filter(None, [profile.title, profile.affiliation, ps.name if ps.type != "person" else "",
                                               R.who_clause(predicted.text, where.proper), *ps.aliases]))
                features = {f"rule={profile.category}": 1, f"type={ps.type}": 1, "political": min(political, 20) / 20,
                            "headline": float(P._in_headline(predicted.text, ps)), "mentions": min(len(where.names), 10) / 10,
                            "has_title": float(profile.title is not None),
                            "surname_politician": float(bool(ps.name.split()) and ps.name.split()[-1] in surnames)}
                features.update({f"w={w}": 1 for w in re.findall(r"[a-z][a-z-]+", words.lower())})
                anchor = (where.speaker_spans or where.names or [(0, 0)])[0][0]
                first = (where.names or [(anchor, anchor)])[0][0]
                sentences = [s for s in predicted.sentences if s.start <= first < s.end or s.start <= anchor < s.end]
                context = f"{ps.name}. {profile.title or ''}. " + " ".join(predicted.text[s.start : s.end] for s in sentences)
                rows.append((set_name, gold.id, gs.profile.category, profile.category, features, context))
    return rows


def _embed(texts: list[str]) -> np.ndarray:
    import torch
    from transformers import AutoModel, AutoTokenizer

    from saidwho.models.pieces import encoder_path

    tokenizer, encoder = AutoTokenizer.from_pretrained(encoder_path()), AutoModel.from_pretrained(encoder_path()).eval()
    out = []
    for i in range(0, len(texts), 32):
        batch = tokenizer(texts[i : i + 32], padding=True, truncation=True, max_length=128, return_tensors="pt")
        with torch.no_grad():
            hidden = encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        out.append(torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1).numpy())
    return np.vstack(out)


def main() -> int:
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    rows = _rows()
    sets = np.array([r[0] for r in rows])
    groups = [r[1] for r in rows]
    gold = np.array([r[2] for r in rows])
    rules = np.array([r[3] for r in rows])
    print(f"{len(rows)} sources; rules (written on these articles): {(gold == rules).mean():.3f}")
    sparse = DictVectorizer().fit_transform([r[4] for r in rows])
    base = DictVectorizer().fit_transform([{k: v for k, v in r[4].items() if k.startswith(("rule=", "type="))} for r in rows])
    embedded = hstack([csr_matrix(_embed([r[5] for r in rows])), base]).tocsr()
    for name, matrix in (("rules features", sparse), ("embedding + rule category", embedded)):
        for c in (0.3, 1.0, 3.0):
            predicted = np.empty(len(rows), dtype=object)
            for train, test in GroupKFold(n_splits=10).split(matrix, gold, groups):
                predicted[test] = LogisticRegression(C=c, max_iter=3000).fit(matrix[train], gold[train]).predict(matrix[test])
            per_set = ", ".join(f"{s} {(gold[sets == s] == predicted[sets == s]).mean():.3f}" for s in dict.fromkeys(sets))
            print(f"{name}, C={c}: out of fold {(gold == predicted).mean():.3f} ({per_set})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
