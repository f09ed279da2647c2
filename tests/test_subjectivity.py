"""The subjectivity classifier scores without scikit-learn, as scikit-learn would."""

from __future__ import annotations

import numpy as np
import pytest

from saidwho.models.subjectivity import SubjectivityArguments, SubjectivityClassifier

TRAIN = [
    ("The plan is a disgrace and voters deserve better.", 1),
    ("Frankly, this is the worst budget in a decade.", 1),
    ("It is shameful that the council wasted the money.", 1),
    ("We should all be outraged by this decision.", 1),
    ("The council approved the budget on Monday.", 0),
    ("The bridge will reopen in March, the agency said.", 0),
    ("Turnout was 54 percent, up from 48 percent.", 0),
    ("The company reported revenue of $3 billion.", 0),
] * 2


def test_scores_equal_scikit_learns_vectorizer_and_survive_a_round_trip(tmp_path):
    texts, labels = zip(*TRAIN)
    classifier = SubjectivityClassifier.fit(list(texts), list(labels), SubjectivityArguments(min_df=1))
    from sklearn.feature_extraction.text import TfidfVectorizer

    reference = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True, lowercase=True).fit(texts)
    probe = ["The budget is a disgrace, frankly.", "The the the council council", "", "Ünïcode café — 3 x", "voters deserve better better"]
    logits = reference.transform(probe) @ classifier.coef + classifier.intercept
    expected = 1 / (1 + np.exp(-np.asarray(logits, dtype=np.float64)))
    assert classifier.predict_proba(probe) == pytest.approx(expected, abs=1e-6)
    classifier.save_pretrained(tmp_path)
    again = SubjectivityClassifier.from_pretrained(tmp_path)
    assert again.predict_proba(probe) == pytest.approx(expected, abs=1e-6)
    # It learned something: an opinion outscores a report.
    opinion, report = again.predict_proba(["This is a disgrace.", "The council approved it on Monday."])
    assert opinion > report
