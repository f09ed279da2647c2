"""Dev experiment: how to use BABE's "Somewhat factual but also opinionated".

A frozen-encoder probe (mean-pooled all-MiniLM-L6-v2 + logistic regression)
trained on BABE (with the middle class dropped, as opinion, or as fact) plus
CheckThat! train, scored on CheckThat! dev (opinion-vs-not macro-F1). The
winner sets ``babe_somewhat`` in configs/default.toml.

    SAIDWHO_DATA=../shared/data python eval/experiments/babe_somewhat.py
"""

import os
from pathlib import Path

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from saidwho.corpora import convert_corpus
from saidwho.models.encoder import encoder_path, load_tokenizer
from saidwho.training.rules import opinion_examples

DATA = Path(os.environ.get("SAIDWHO_DATA", "../shared/data"))


@torch.inference_mode()
def embed(texts, model, tokenizer, batch=64):
    out = []
    for i in range(0, len(texts), batch):
        enc = tokenizer(texts[i : i + batch], padding=True, truncation=True, max_length=128, return_tensors="pt")
        hidden = model(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).float()
        out.append(((hidden * mask).sum(1) / mask.sum(1)).numpy())
    return np.concatenate(out)


def main():
    from transformers import AutoModel

    model = AutoModel.from_pretrained(encoder_path()).eval()
    tokenizer = load_tokenizer()
    ct_train = opinion_examples(convert_corpus("checkthat", DATA / "checkthat-subjectivity", split="train"))
    ct_dev = opinion_examples(convert_corpus("checkthat", DATA / "checkthat-subjectivity", split="dev"))
    babe = {}
    for choice in ("drop", "opinion", "fact"):
        babe[choice] = opinion_examples(convert_corpus("babe", DATA / "babe", somewhat=choice))
    cache = {}
    for texts in [ct_train[0], ct_dev[0]] + [b[0] for b in babe.values()]:
        missing = [t for t in texts if t not in cache]
        if missing:
            cache.update(zip(missing, embed(missing, model, tokenizer)))
    x_dev = np.stack([cache[t] for t in ct_dev[0]])
    for choice, (texts, labels) in babe.items():
        all_texts = texts + ct_train[0]
        y = np.array(labels + ct_train[1])
        x = np.stack([cache[t] for t in all_texts])
        clf = LogisticRegression(max_iter=3000, class_weight="balanced", C=1.0, random_state=0).fit(x, y)
        score = f1_score(ct_dev[1], clf.predict(x_dev), average="macro")
        print(f"babe_somewhat={choice:8s} train={len(y):5d} CheckThat! dev macro-F1={score:.4f}")


if __name__ == "__main__":
    main()
