from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from rich.console import Console

from saidwho.errors import UserError
from saidwho.evaluation.alignment import align
from saidwho.evaluation.counts import Counts
from saidwho.evaluation.eval_report import write_eval_report
from saidwho.evaluation.results import COLUMNS
from saidwho.evaluation.scoring import evaluate
from saidwho.evaluation.tables_terminal import render_comparison, render_table
from saidwho.records import LABELS, Article, Sentence, Source

RF, SC, OP = "reported_fact", "sourced_claim", "opinion"


def build(article_id: str, parts: list[tuple[str, dict[str, Any]]], sources: list[Source] | None = None,
          sep: str = " ") -> Article:
    """An article whose text is the parts joined by ``sep``, one sentence per part."""
    text, sentences, pos = "", [], 0
    for i, (chunk, fields) in enumerate(parts):
        if i:
            text += sep
            pos += len(sep)
        sentences.append(Sentence(start=pos, end=pos + len(chunk), **{"kind": "body", **fields}))
        text += chunk
        pos += len(chunk)
    return Article(id=article_id, text=text, sources=list(sources or []), sentences=sentences)


def relabel(gold: Article, fields: list[dict[str, Any]], sources: list[Source] | None = None) -> Article:
    """A prediction with gold's text and segmentation but other sentence fields."""
    sentences = [Sentence(s.start, s.end, **{"kind": s.kind, **f}) for s, f in zip(gold.sentences, fields)]
    return Article(id=gold.id, text=gold.text, sources=list(sources or []), sentences=sentences)


def six_sentence_pair() -> tuple[Article, Article]:
    gold = build("a1", [
        ("One.", {"label": RF}),
        ("Two.", {"label": RF, "alt_labels": [SC]}),
        ("Three.", {"label": SC}),
        ("Four.", {"label": SC}),
        ("Five.", {"label": OP}),
        ("Six.", {"label": RF}),
    ])
    pred = relabel(gold, [{"label": RF}, {"label": SC}, {"label": SC}, {"label": None},
                          {"label": OP}, {"label": OP}])
    return gold, pred


# ----------------------------------------------------------------------------- alignment


def test_alignment_counts_non_space_characters_only() -> None:
    # Gold is the whole text. p1 has more characters (10) but only 2 non-space
    # ones; p2 has 5 non-space characters and wins.
    text = "Ab        cdef."
    gold = [Sentence(0, 15, label=RF)]
    p1, p2 = Sentence(0, 10, label=OP), Sentence(10, 15, label=RF)
    assert align(gold, [p1, p2], text) == [p2]
    result = evaluate([Article("x", text, sentences=gold)], [Article("x", text, sentences=[p1, p2])], bootstrap=0)
    assert result.metrics["accuracy"] == 1.0


def test_alignment_with_different_split_and_ties() -> None:
    text = "Alpha beta. Gamma delta."
    gold = [Sentence(0, 11, label=RF), Sentence(12, 24, label=SC)]
    # Prediction split after "Alp": "ha beta." (7 non-space) beats "Alp" (3).
    pred = [Sentence(0, 3, label=OP), Sentence(3, 24, label=RF)]
    assert align(gold, pred, text) == [pred[1], pred[1]]
    # A tie goes to the earlier predicted sentence, also when given out of order.
    tie = [Sentence(6, 24, label=SC), Sentence(0, 5, label=RF)]  # "Alpha" vs "beta." : 5 each
    assert align(gold[:1], tie, text) == [tie[1]]
    assert align(gold, [], text) == [None, None]


def test_unlabelled_prediction_is_null() -> None:
    gold, pred = six_sentence_pair()
    result = evaluate([gold], [pred], bootstrap=0)
    assert result.n_gold_sentences == 6
    assert result.n_aligned == 5
    assert result.strict.confusion[SC]["null"] == 1
    assert result.to_dict()["counts"]["null_sentences"] == 1


# ----------------------------------------------------------------------------- label scores


def test_strict_scores_by_hand() -> None:
    gold, pred = six_sentence_pair()
    r = evaluate([gold], [pred], bootstrap=0)
    # Confusion: RF -> RF, SC, OP; SC -> SC, null; OP -> OP.
    assert r.strict.confusion == {
        RF: {RF: 1, SC: 1, OP: 1, "null": 0},
        SC: {RF: 0, SC: 1, OP: 0, "null": 1},
        OP: {RF: 0, SC: 0, OP: 1, "null": 0},
    }
    assert r.metrics["accuracy"] == pytest.approx(3 / 6)
    pc = r.strict.per_class
    assert (pc[RF].precision, pc[RF].recall, pc[RF].f1) == pytest.approx((1.0, 1 / 3, 0.5))
    assert (pc[SC].precision, pc[SC].recall, pc[SC].f1) == pytest.approx((0.5, 0.5, 0.5))
    assert (pc[OP].precision, pc[OP].recall, pc[OP].f1) == pytest.approx((0.5, 1.0, 2 / 3))
    assert (pc[SC].support, pc[SC].predicted) == (2, 2)
    assert r.metrics["macro_f1"] == pytest.approx((0.5 + 0.5 + 2 / 3) / 3)  # 5/9


def test_lenient_accepts_alt_labels() -> None:
    gold, pred = six_sentence_pair()
    r = evaluate([gold], [pred], bootstrap=0)
    # Sentence 2 (gold RF, alt SC, predicted SC) now counts as RF and is no
    # false positive for SC.
    assert r.metrics["lenient_accuracy"] == pytest.approx(4 / 6)
    pc = r.lenient.per_class
    assert pc[RF].f1 == pytest.approx(0.8)  # tp 2, fp 0, fn 1
    assert pc[SC].precision == pytest.approx(1.0)
    assert pc[SC].f1 == pytest.approx(2 / 3)  # tp 1, fp 0, fn 1
    assert r.metrics["lenient_macro_f1"] == pytest.approx((0.8 + 2 / 3 + 2 / 3) / 3)
    # Strict is unchanged by alt_labels.
    assert r.metrics["accuracy"] == pytest.approx(0.5)


def test_label_metrics_are_sklearns() -> None:
    # Scoring computes every label metric from counts (sklearn is not a runtime
    # dependency of eval); here they are checked, to the last bit, against
    # sklearn on the aligned (gold, predicted) label pairs, strict and lenient.
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    gold, pred = six_sentence_pair()
    gold2 = build("a2", [("A.", {"label": OP}), ("B.", {"label": OP}), ("C.", {"label": SC})])
    pred2 = relabel(gold2, [{"label": RF}, {"label": OP}, {"label": SC}])
    r = evaluate([gold, gold2], [pred, pred2], bootstrap=0)
    for prefix, scores in (("", r.strict), ("lenient_", r.lenient)):
        pairs = [(g, p) for g in LABELS for p in COLUMNS for _ in range(scores.confusion[g][p])]
        assert len(pairs) == scores.n == 9 and {p for _, p in pairs} > {RF, SC, OP}
        y_true, y_pred = [g for g, _ in pairs], [p for _, p in pairs]
        precision, recall, f1, _ = precision_recall_fscore_support(
            y_true, y_pred, labels=list(LABELS), average=None, zero_division=0
        )
        assert r.metrics[f"{prefix}accuracy"] == scores.accuracy == float(accuracy_score(y_true, y_pred))
        assert r.metrics[f"{prefix}macro_f1"] == scores.macro_f1 == float(np.mean(f1))
        for k, label in enumerate(LABELS):
            got = scores.per_class[label]
            assert (got.precision, got.recall, got.f1) == (float(precision[k]), float(recall[k]), float(f1[k]))
            assert r.metrics[f"{prefix}{label}_f1"] == float(f1[k])


def test_scoring_runs_without_sklearn() -> None:
    # sklearn is the tests' reference, not a dependency of saidwho eval (about a second to import).
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from saidwho.evaluation.scoring import evaluate\n"
        "from saidwho.records import Article, Sentence\n"
        "a = Article(id='a', text='One.', sentences=[Sentence(0, 4, kind='body', label='opinion')])\n"
        "r = evaluate([a], [a], bootstrap=10)\n"
        "print(r.metrics['accuracy'], 'sklearn' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1.0", "False"]


def counts_of(confusion: dict[tuple[str, str], int], **scalars: int) -> Counts:
    """Counts whose strict and lenient confusions both hold ``confusion`` ((gold, predicted) -> n)."""
    cm = np.zeros((len(LABELS), len(COLUMNS)), dtype=np.int64)
    for (g, p), n in confusion.items():
        cm[LABELS.index(g), COLUMNS.index(p)] = n
    return Counts(strict=cm, lenient=cm.copy(), **scalars)


def test_counts_add_up_to_the_totals() -> None:
    a = counts_of({(RF, RF): 2, (SC, "null"): 1}, speaker_n=1, kind_n=3, kind_correct=2)
    b = counts_of({(RF, RF): 1, (OP, SC): 1}, speaker_n=2, speaker_correct=1, boundary_n=2, boundary_correct=2)
    total = a + b
    assert total == counts_of({(RF, RF): 3, (SC, "null"): 1, (OP, SC): 1}, speaker_n=3, speaker_correct=1,
                              kind_n=3, kind_correct=2, boundary_n=2, boundary_correct=2)
    assert sum([a, b], Counts()) == total
    assert total != a
    # Stacked counts resampled with weights are the same sums: [a, b] once each, then b twice.
    weights = np.array([[1.0, 1.0], [0.0, 2.0]])
    resampled = Counts.from_rows(weights @ Counts.stack([a, b]).rows())
    assert resampled.metrics()["accuracy"].tolist() == pytest.approx([float(total.values()["accuracy"]),
                                                                       float((b + b).values()["accuracy"])])
    assert resampled.speaker_n.tolist() == [3.0, 4.0]


def test_evaluate_totals_are_the_sum_of_article_counts() -> None:
    gold, pred = six_sentence_pair()
    gold2 = build("a2", [("A.", {"label": OP}), ("B.", {"label": OP}), ("C.", {"label": SC})])
    pred2 = relabel(gold2, [{"label": RF}, {"label": OP}, {"label": SC}])
    one, two, both = (evaluate(g, p, bootstrap=0) for g, p in
                      (([gold], [pred]), ([gold2], [pred2]), ([gold, gold2], [pred, pred2])))
    for label in LABELS:
        for column in COLUMNS:
            assert both.strict.confusion[label][column] == (one.strict.confusion[label][column]
                                                            + two.strict.confusion[label][column])
    assert both.kind.n == one.kind.n + two.kind.n and both.boundary.correct == one.boundary.correct + two.boundary.correct


def test_metric_from_counts_matches_sklearn_by_hand() -> None:
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    y_true = [RF, RF, RF, SC, SC, OP, OP]
    y_pred = [RF, SC, "null", SC, OP, OP, RF]
    counts = counts_of({(t, p): sum(1 for a, b in zip(y_true, y_pred) if (a, b) == (t, p))
                        for t, p in zip(y_true, y_pred)})
    values = counts.values()
    precision, recall, f1, _ = precision_recall_fscore_support(y_true, y_pred, labels=list(LABELS), zero_division=0)
    for k, label in enumerate(LABELS):
        assert values[f"{label}_precision"] == pytest.approx(precision[k])
        assert values[f"{label}_recall"] == pytest.approx(recall[k])
        assert values[f"{label}_f1"] == pytest.approx(f1[k])
    assert values["accuracy"] == pytest.approx(accuracy_score(y_true, y_pred))
    assert values["macro_f1"] == pytest.approx(f1_score(y_true, y_pred, labels=list(LABELS), average="macro",
                                                        zero_division=0))
    # No gold speaker, segment or body sentence: undefined rather than 0.
    assert values["speaker_accuracy"] is None and values["boundary_agreement"] is None


# ----------------------------------------------------------------------------- speakers


RUIZ = Source("s1", "Carla Ruiz Montes", "person", ["Ms. Ruiz Montes"])
MINISTRY = Source("s2", "Ministry of Finance", "organization")


def test_speaker_accuracy() -> None:
    gold = build("sp", [
        ("'We will act,' Ruiz Montes said.", {"label": SC, "speaker": "s1"}),
        ("'Soon,' she said.", {"label": SC, "speaker": "s1"}),
        ("The ministry said it agreed.", {"label": SC, "speaker": "s2"}),
        ("The ministry said costs rose.", {"label": SC, "speaker": "s2"}),
        ("Sources said talks stalled.", {"label": SC, "speaker": None}),  # no gold speaker: not counted
        ("Costs rose.", {"label": RF}),
    ], sources=[RUIZ, MINISTRY])
    pred_sources = [
        Source("p1", "Minister Montes", "person"),  # surname rule
        Source("p2", "she", "person"),  # pronoun: never matches
        Source("p3", "the Ministry of Finance", "organization"),  # article stripped
    ]
    pred = relabel(gold, [
        {"label": SC, "speaker": "p1"},
        {"label": SC, "speaker": "p2"},
        {"label": SC, "speaker": "p3"},
        {"label": RF},  # wrong label: the speaker cannot be right
        {"label": SC, "speaker": "p3"},
        {"label": RF},
    ], sources=pred_sources)
    r = evaluate([gold], [pred], bootstrap=0)
    assert (r.speaker.n, r.speaker.correct) == (4, 2)
    assert r.metrics["speaker_accuracy"] == pytest.approx(0.5)
    assert r.per_article[0].speaker.value == pytest.approx(0.5)


def test_speaker_id_missing_from_prediction_sources_is_wrong() -> None:
    gold = build("sp", [("'Yes,' Ruiz Montes said.", {"label": SC, "speaker": "s1"})], sources=[RUIZ])
    pred = relabel(gold, [{"label": SC, "speaker": "nowhere"}], sources=[])
    r = evaluate([gold], [pred], bootstrap=0)
    assert (r.speaker.n, r.speaker.correct) == (1, 0)


# ----------------------------------------------------------------------------- kinds and boundaries


def test_body_or_not_accuracy() -> None:
    gold = build("k", [
        ("Big News", {"kind": "headline"}),
        ("It happened.", {"label": RF}),
        ("Then more.", {"label": RF}),
        ("A photo (AP)", {"kind": "caption"}),
        ("Summary line", {"kind": "dek", "label": RF}),
    ])
    pred = Article("k", gold.text, sentences=[
        Sentence(gold.sentences[0].start, gold.sentences[0].end, kind="body", label=RF),  # wrong
        Sentence(gold.sentences[1].start, gold.sentences[2].end, kind="body", label=RF),  # covers both: right
        Sentence(gold.sentences[3].start, gold.sentences[3].end, kind="meta"),  # both not body: right
        # the dek has no predicted segment: wrong
    ])
    r = evaluate([gold], [pred], bootstrap=0)
    assert (r.kind.n, r.kind.correct) == (5, 3)
    assert r.metrics["kind_accuracy"] == pytest.approx(3 / 5)
    assert r.kind_unaligned == 1
    assert r.kind_confusion["headline"] == {"body": 1}
    assert r.kind_confusion["dek"] == {"none": 1}


def test_boundary_agreement_trims_whitespace() -> None:
    gold = build("b", [("One two.", {"label": RF}), ("Three four.", {"label": RF}), ("Five.", {"label": RF})])
    # gold offsets: [0,8) [9,20) [21,26)
    pred = Article("b", gold.text, sentences=[
        Sentence(0, 9, label=RF),  # "One two. ": same after trimming
        Sentence(9, 15, label=RF),  # "Three " : split differently
        Sentence(15, 26, label=RF),  # "four. Five." : covers all of "Five." but is longer
    ])
    r = evaluate([gold], [pred], bootstrap=0)
    assert (r.boundary.n, r.boundary.correct) == (3, 1)
    assert r.metrics["boundary_agreement"] == pytest.approx(1 / 3)
    # Labels are all right regardless of the split ("Three four." aligns with
    # "four. Five." by 5 non-space characters against 5 -> earlier "Three ").
    assert r.metrics["accuracy"] == 1.0


# ----------------------------------------------------------------------------- articles and bootstrap


def test_missing_prediction_article_scores_null() -> None:
    gold, pred = six_sentence_pair()
    other = build("a2", [("X.", {"label": RF}), ("Y.", {"label": OP})])
    stray = build("zz", [("Q.", {"label": RF})])
    r = evaluate([gold, other], [pred, stray], bootstrap=0)
    assert r.missing_articles == ["a2"]
    assert r.extra_articles == ["zz"]
    assert r.n_gold_sentences == 8
    assert r.metrics["accuracy"] == pytest.approx(3 / 8)
    assert r.strict.confusion[RF]["null"] == 1 and r.strict.confusion[OP]["null"] == 1
    assert any("a2" in w for w in r.warnings)
    row = r.per_article[1]
    assert (row.id, row.has_prediction, row.n_sentences, row.n_aligned, row.accuracy) == ("a2", False, 2, 0, 0.0)
    assert row.sourced_claim_f1 is None  # no sourced claim in gold or prediction


def test_per_article_breakdown() -> None:
    gold, pred = six_sentence_pair()
    r = evaluate([gold], [pred], bootstrap=0)
    row = r.per_article[0]
    assert (row.n_sentences, row.n_aligned) == (6, 5)
    assert row.accuracy == pytest.approx(0.5)
    assert row.sourced_claim_f1 == pytest.approx(0.5)
    assert row.speaker.n == 0 and row.speaker.value is None


def many_articles() -> tuple[list[Article], list[Article]]:
    golds, preds = [], []
    labels = [RF, SC, OP]
    for i in range(12):
        parts = [(f"Sentence {j} of {i}.", {"label": labels[(i + j) % 3]}) for j in range(5)]
        gold = build(f"m{i}", parts)
        # Article i gets its first i % 5 sentences wrong.
        fields = [{"label": labels[(i + j + (1 if j < i % 5 else 0)) % 3]} for j in range(5)]
        golds.append(gold)
        preds.append(relabel(gold, fields))
    return golds, preds


def test_bootstrap_ci_contains_estimate_and_is_deterministic() -> None:
    golds, preds = many_articles()
    a = evaluate(golds, preds, bootstrap=300, seed=7)
    b = evaluate(golds, preds, bootstrap=300, seed=7)
    c = evaluate(golds, preds, bootstrap=300, seed=8)
    # 0,1,2,3,4,0,1,2,3,4,0,1 wrong out of 5 each: 21 wrong of 60.
    assert a.metrics["accuracy"] == pytest.approx(39 / 60)
    for key in ("accuracy", "macro_f1", "sourced_claim_precision", "sourced_claim_recall", "sourced_claim_f1",
                "boundary_agreement"):
        lo, hi = a.ci[key]
        assert lo <= a.metrics[key] <= hi, key
    lo, hi = a.ci["accuracy"]
    assert lo < hi  # articles differ, so the interval has width
    assert a.ci == b.ci
    assert a.ci["accuracy"] != c.ci["accuracy"]
    # Boundaries all agree in every resample.
    assert a.ci["boundary_agreement"] == (1.0, 1.0)
    # No gold speaker anywhere: no interval rather than a made-up one.
    assert a.ci["speaker_accuracy"] is None and a.metrics["speaker_accuracy"] is None


def test_no_bootstrap_gives_no_intervals() -> None:
    golds, preds = many_articles()
    r = evaluate(golds, preds, bootstrap=0)
    assert all(v is None for v in r.ci.values())


def test_bad_input_is_user_error() -> None:
    gold, pred = six_sentence_pair()
    with pytest.raises(UserError):
        evaluate([], [pred])
    with pytest.raises(UserError):
        evaluate([gold, gold], [pred])
    with pytest.raises(UserError):
        evaluate([gold], [pred, pred])
    bad = build("bad", [("X.", {"label": "fact"})])
    with pytest.raises(UserError):
        evaluate([bad], [])


# ----------------------------------------------------------------------------- output


def test_to_dict_is_json_ready() -> None:
    golds, preds = many_articles()
    d = evaluate(golds, preds, bootstrap=50).to_dict()
    assert set(d) == {"counts", "metrics", "ci", "bootstrap", "strict", "lenient", "speaker", "segment_kind",
                      "boundary", "per_article", "gold_digest", "warnings"}
    assert d["counts"]["gold_sentences"] == 60 and d["counts"]["aligned_sentences"] == 60
    assert json.loads(json.dumps(d)) == d


def test_write_report(tmp_path: Path) -> None:
    gold, pred = six_sentence_pair()
    r = evaluate([gold], [pred], bootstrap=20)
    md, js = write_eval_report(r, tmp_path / "out")
    assert md == tmp_path / "out" / "report.md" and md.exists() and js.exists()
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["metrics"]["accuracy"] == pytest.approx(0.5)
    text = md.read_text(encoding="utf-8")
    assert "Per article" in text and "| a1 | yes | 6 | 5 | 0.500 |" in text
    assert "| Macro-F1 | 0.556 |" in text

    r2 = evaluate([gold], [relabel(gold, [{"label": RF}] * 6)], bootstrap=20)
    write_eval_report({"base": r, "other": r2}, tmp_path / "cmp")
    data = json.loads((tmp_path / "cmp" / "report.json").read_text(encoding="utf-8"))
    assert set(data["systems"]) == {"base", "other"}
    assert data["systems"]["other"]["metrics"]["accuracy"] == pytest.approx(3 / 6)
    assert "| Metric | base | other |" in (tmp_path / "cmp" / "report.md").read_text(encoding="utf-8")
    assert not list((tmp_path / "cmp").glob("*.part"))  # no leftovers from the atomic writes


def test_render_table_and_comparison() -> None:
    gold, pred = six_sentence_pair()
    r = evaluate([gold], [pred], bootstrap=20)
    r2 = evaluate([gold], [relabel(gold, [{"label": RF}] * 6)], bootstrap=20)
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None)
    render_table(r, console, title="dev set", per_article=True)
    render_comparison({"base": r, "other": r2}, console)
    text = out.getvalue()
    assert "dev set" in text and "Macro-F1" in text and "0.556" in text
    assert "base" in text and "other" in text
    assert "different gold data" not in text
    other_gold = build("a1", [("Only.", {"label": RF})])
    render_comparison({"base": r, "x": evaluate([other_gold], [], bootstrap=0)}, console)
    assert "different gold data" in out.getvalue()


def test_opinion_vs_not_macro_f1_by_hand() -> None:
    gold, pred = six_sentence_pair()
    r = evaluate([gold], [pred], bootstrap=0)
    # Opinion: TP 1 (Five), FP 1 (Six), FN 0 -> F1 2/3; not-opinion: TN 4, FP 1, FN 0 -> 8/9.
    assert r.metrics["opinion_vs_not_macro_f1"] == pytest.approx((2 / 3 + 8 / 9) / 2)
