"""Train the rule system's one learned part: the subjectivity classifier.

Data: BABE (writer's opinion against factual) and CheckThat! train (SUBJ/OBJ),
through the converters. CheckThat! dev is held out and reported; nothing is
tuned on it. The model folder gets ``config.json`` (a
:class:`~saidwho.models.config.ModelConfig` of kind ``rules``), the classifier
files and a model card.
"""

from __future__ import annotations

import time
from pathlib import Path

from sklearn.metrics import f1_score

from saidwho.io import atomic_writer
from saidwho.models.config import ModelConfig, refuse_existing_model_folder, write_model_folder
from saidwho.models.subjectivity import SubjectivityArguments, SubjectivityClassifier


def opinion_examples(articles) -> tuple[list[str], list[int]]:
    """(sentence text, 1 if opinion) for every labelled sentence of converted records."""
    texts, labels = [], []
    for article in articles:
        for sentence in article.sentences:
            if sentence.label is None:
                continue
            texts.append(article.sentence_text(sentence))
            labels.append(1 if sentence.label == "opinion" else 0)
    return texts, labels


def train_rule_model(data: Path, output: Path, *, somewhat: str = "drop", force: bool = False, args: SubjectivityArguments | None = None) -> dict:
    from saidwho.corpora import convert_corpus

    refuse_existing_model_folder(output, force)
    started = time.time()
    babe = list(convert_corpus("babe", data / "babe", somewhat=somewhat))
    checkthat_train = list(convert_corpus("checkthat", data / "checkthat-subjectivity", split="train"))
    checkthat_dev = list(convert_corpus("checkthat", data / "checkthat-subjectivity", split="dev"))
    texts, labels = opinion_examples(babe + checkthat_train)
    dev_texts, dev_labels = opinion_examples(checkthat_dev)
    classifier = SubjectivityClassifier.fit(texts, labels, args)
    predicted = (classifier.predict_proba(dev_texts) >= classifier.args.threshold).astype(int)
    metrics = {
        "train_sentences": len(texts),
        "train_opinion_share": round(sum(labels) / max(1, len(labels)), 4),
        "checkthat_dev_sentences": len(dev_texts),
        "checkthat_dev_macro_f1": round(float(f1_score(dev_labels, predicted, average="macro")), 4),
        "babe_somewhat": somewhat,
        "train_seconds": round(time.time() - started, 1),
    }
    config = ModelConfig.rules(output.name, opinion_threshold=classifier.args.threshold)
    write_model_folder(output, config, classifier.save_pretrained, metrics=metrics, card=write_rules_card)
    return metrics


def write_rules_card(path: Path, metrics: dict) -> None:
    with atomic_writer(path) as handle:
        handle.write(
            f"""# rules-v1: the rule-based reference system

Attribution and speakers by rules (quotation state, reporting verbs and
phrases, the subject of the cue in a spaCy parse, pronouns resolved to the
last compatible named mention); the writer's opinion by a TF-IDF +
logistic-regression classifier. Offline, a few articles per second on two cores.

## Subjectivity classifier

- Training data: BABE `babe_sg2_train.csv` ("Expresses writer's opinion" → opinion,
  "Entirely factual" → not; "Somewhat factual but also opinionated": {metrics['babe_somewhat']};
  "No agreement" dropped) and CheckThat! 2025 English `train_en.tsv` (SUBJ → opinion).
- {metrics['train_sentences']} training sentences, {metrics['train_opinion_share']:.1%} opinion.
- Held out: CheckThat! `dev_en.tsv` ({metrics['checkthat_dev_sentences']} sentences), not used for any choice.

| metric | value |
| --- | --- |
| CheckThat! dev macro-F1 (opinion vs not) | {metrics['checkthat_dev_macro_f1']:.4f} |
| training time on 2 CPU cores | {metrics['train_seconds']} s |

Reproduce: `saidwho train-rules --data ../shared/data --output models/rules-v1 --force`.
The corpora are not redistributed here; only the fitted weights are.
"""
        )
