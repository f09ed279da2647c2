"""The evaluation set: stand-off join, changed-text detection, splits, agreement."""

import json

import pytest

from saidwho.evaluation.agreement import agreement
from saidwho.errors import UserError
from saidwho.evaluation.goldset import load_gold, to_standoff, write_standoff
from saidwho.records import Article, Sentence, Source
from saidwho.io import write_articles
from saidwho.validate import validate_record

TEXT = "Title here\n\nPrices rose. “It hurts,” Ana Ruiz said. It is a disgrace."


def annotated(labels=("reported_fact", "sourced_claim", "opinion"), speaker_name="Ana Ruiz") -> Article:
    spans = [(12, 24), (25, 50), (51, 67)]
    sentences = [Sentence(0, 10, "headline")]
    for (s, e), label in zip(spans, labels):
        sentences.append(Sentence(s, e, "body", label, speaker="s1" if label == "sourced_claim" else None))
    return Article(id="doc1", text=TEXT, sources=[Source("s1", speaker_name, "person")], sentences=sentences)


@pytest.fixture
def gold_dir(tmp_path):
    polnear = tmp_path / "polnear" / "dev" / "text"
    polnear.mkdir(parents=True)
    (polnear / "doc1.txt").write_text(TEXT, encoding="utf-8")
    gold = tmp_path / "gold"
    gold.mkdir()
    write_standoff(gold / "polnear.jsonl", [to_standoff(annotated(), "dev/text/doc1.txt")])
    (gold / "split.json").write_text(json.dumps({"train_usable": [], "eval_only": ["doc1"]}))
    team = annotated()
    team.id = "team1"
    write_articles(gold / "team.jsonl", [team])
    return gold, tmp_path / "polnear"


def test_standoff_keeps_no_text(gold_dir):
    gold, _ = gold_dir
    raw = (gold / "polnear.jsonl").read_text(encoding="utf-8")
    assert "Prices rose" not in raw and "text_sha256" in raw


def test_join_restores_the_record(gold_dir):
    gold, polnear = gold_dir
    articles = load_gold(gold, polnear, "all")
    assert [a.id for a in articles] == ["team1", "doc1"]
    doc = articles[1]
    assert doc.text == TEXT
    assert validate_record(doc.to_dict()) == []
    assert [s.label for s in doc.sentences] == [None, "reported_fact", "sourced_claim", "opinion"]
    assert [a.id for a in load_gold(gold, polnear, "eval_only")] == ["doc1"]
    assert load_gold(gold, polnear, "train_usable") == []


def test_changed_text_fails_loudly(gold_dir):
    gold, polnear = gold_dir
    (polnear / "dev" / "text" / "doc1.txt").write_text(TEXT.replace("rose", "fell"), encoding="utf-8")
    with pytest.raises(UserError, match="SHA-256 mismatch"):
        load_gold(gold, polnear, "polnear")


def test_missing_polnear_is_a_clear_error(gold_dir):
    gold, _ = gold_dir
    with pytest.raises(UserError, match="needs the PolNeAR texts"):
        load_gold(gold, None, "polnear")


def test_agreement_figures():
    first = annotated()
    same = annotated()
    result = agreement([first], [same])
    assert result.kappa == pytest.approx(1.0) and result.speaker_agreement == 1.0
    other = annotated(labels=("reported_fact", "sourced_claim", "reported_fact"), speaker_name="Ms. Ruiz")
    result = agreement([first], [other])
    assert result.observed == pytest.approx(2 / 3)
    # Cohen's kappa: p_o 2/3; p_e = (1/3*2/3 + 1/3*1/3 + 1/3*0) = 1/3 -> (2/3-1/3)/(1-1/3) = 0.5
    assert result.kappa == pytest.approx(0.5)
    assert result.speaker_agreement == 1.0  # "Ms. Ruiz" matches "Ana Ruiz" by surname


@pytest.mark.shared_data
def test_project_gold_set_is_complete_and_valid(shared_data):
    from pathlib import Path

    gold = Path(__file__).resolve().parents[1] / "eval" / "gold"
    articles = load_gold(gold, shared_data / "polnear", "all")
    split = json.loads((gold / "split.json").read_text())
    assert len(split["train_usable"]) == 45 and len(split["eval_only"]) == 20
    assert not set(split["train_usable"]) & set(split["eval_only"])
    polnear_ids = {a.id for a in articles if a.extra.get("corpus") == "polnear"}
    team_ids = {a.id for a in articles} - polnear_ids
    assert polnear_ids == set(split["train_usable"]) | (set(split["eval_only"]) - team_ids)
    # PolNeAR train articles train the learned models: never eval-only.
    by_id = {a.id: a for a in articles}
    assert all(by_id[i].extra.get("split") == "dev" for i in set(split["eval_only"]) & polnear_ids)
    assert len(set(split["eval_only"]) & team_ids) == 10
    assert len(articles) == 76
    for article in articles:
        assert validate_record(article.to_dict()) == [], article.id
        covered = [False] * len(article.text)
        for s in article.sentences:
            covered[s.start:s.end] = [True] * (s.end - s.start)
        uncovered = [i for i, c in enumerate(article.text) if not c.isspace() and not covered[i]]
        assert not uncovered, f"{article.id}: characters {uncovered[:5]} not in any segment"


def test_team_articles_listed_eval_only_leave_the_team_part(gold_dir):
    gold, polnear = gold_dir
    held_out = annotated()
    held_out.id = "team2"
    write_articles(gold / "team.jsonl", [load_gold(gold, polnear, "team")[0], held_out])
    (gold / "split.json").write_text(json.dumps({"train_usable": [], "eval_only": ["doc1", "team2"]}))
    assert [a.id for a in load_gold(gold, polnear, "team")] == ["team1"]
    assert [a.id for a in load_gold(gold, polnear, "eval_only")] == ["team2", "doc1"]
    assert [a.id for a in load_gold(gold, polnear, "all")] == ["team1", "team2", "doc1"]
