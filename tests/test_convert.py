"""Converters from public corpora (PolNeAR: tests/test_polnear.py): tiny fixtures written here, plus checks on ../shared/data.

Nothing from the shared corpora is copied into the project: the fixtures
below are invented text in the upstream layouts.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from corpus_helpers import check_invariants, write

from saidwho.corpora import CONVERTERS, babe, checkthat, convert_corpus, webis
from saidwho.errors import UserError

# ---------------------------------------------------------------- BABE

BABE_ROWS = [
    ["text", "news_link", "outlet", "topic", "type", "label_bias", "label_opinion", "biased_words"],
    ['The plan is a "golden opportunity," he said.', "https://x.example/1", "Outlet A", "tax", "left",
     "Biased", "Entirely factual", "[]"],
    ["Their rhetoric is red-eyed nonsense. \n", "https://x.example/2", "Outlet B", "tax", "right",
     "Biased", "Expresses writer’s opinion", "['red-eyed']"],
    ["The bill passed, to the dismay of many.", "https://x.example/3", "Outlet A", "tax", "left",
     "Non-biased", "Somewhat factual but also opinionated", "[]"],
    ["Nobody agreed on this one.", "https://x.example/4", "Outlet C", "tax", "center",
     "No agreement", "No agreement", "[]"],
]


def write_babe(path: Path, delimiter: str = ";") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(BABE_ROWS)
    return path


def test_babe_default_drops_somewhat_and_no_agreement(tmp_path):
    path = write_babe(tmp_path / "babe" / "babe_sg2_train.csv")
    assert '"The plan is a ""golden opportunity,"" he said."' in path.read_text(encoding="utf-8")
    articles = list(babe.convert(tmp_path / "babe"))
    assert [a.id for a in articles] == ["babe-0001", "babe-0002"]
    fact, opinion = articles
    assert fact.text == 'The plan is a "golden opportunity," he said.'
    assert (fact.sentences[0].label, fact.sentences[0].alt_labels) == ("reported_fact", ["sourced_claim"])
    assert (fact.url, fact.outlet, fact.extra["corpus"]) == ("https://x.example/1", "Outlet A", "babe")
    assert opinion.text == "Their rhetoric is red-eyed nonsense. \n"
    only = opinion.sentences[0]
    assert (only.kind, only.label, only.start, only.end) == ("body", "opinion", 0, len("Their rhetoric is red-eyed nonsense."))
    for article in articles:
        check_invariants(article)


@pytest.mark.parametrize(
    "somewhat, expected",
    [("opinion", ("opinion", ["reported_fact"])), ("fact", ("reported_fact", ["opinion", "sourced_claim"]))],
)
def test_babe_somewhat_option(tmp_path, somewhat, expected):
    path = write_babe(tmp_path / "babe_sg2_train.csv")
    articles = {a.id: a for a in babe.convert(path, somewhat=somewhat)}
    assert sorted(articles) == ["babe-0001", "babe-0002", "babe-0003"]
    third = articles["babe-0003"].sentences[0]
    assert (third.label, third.alt_labels) == expected
    with pytest.raises(UserError, match="somewhat must be one of"):
        babe.convert(path, somewhat="maybe")


def test_babe_upstream_layout_and_errors(tmp_path):
    repo = tmp_path / "repo"
    write_babe(repo / "data" / "final_labels_SG2.csv")
    write(repo / "data" / "unrelated.csv", "a;b\n1;2\n")
    assert len(list(babe.convert(repo))) == 2
    # comma-separated works too
    comma = write_babe(tmp_path / "comma" / "labels.csv", delimiter=",")
    assert len(list(babe.convert(comma))) == 2
    write_babe(tmp_path / "two" / "x.csv")
    write_babe(tmp_path / "two" / "y.csv")
    with pytest.raises(UserError, match="several BABE-like CSV"):
        babe.convert(tmp_path / "two")
    (tmp_path / "nothing").mkdir()
    with pytest.raises(UserError, match="no BABE CSV here"):
        babe.convert(tmp_path / "nothing")
    with pytest.raises(UserError, match="not a BABE file"):
        babe.convert(repo / "data" / "unrelated.csv")


# ---------------------------------------------------------------- CheckThat!

CT_TRAIN = (
    "sentence_id\tsentence\tlabel\tsolved_conflict\n"
    'a1\tGone are the days when "they led the world\tSUBJ\tTrue\n'
    "a2\tThe trend is expected to reverse next month.\tOBJ\tFalse\n"
    "a3\tUnlabelled row.\t\tFalse\n"
)
CT_DEV = "sentence_id\tsentence\tlabel\nb1\t The minister said the talks failed. \tOBJ\n"


def test_checkthat_labels_and_quote_none(tmp_path):
    folder = tmp_path / "ct"
    write(folder / "train_en.tsv", CT_TRAIN)
    write(folder / "dev_en.tsv", CT_DEV)
    articles = list(checkthat.convert(folder))
    assert [(a.id, a.extra["split"]) for a in articles] == [("a1", "train"), ("a2", "train"), ("b1", "dev")]
    subj, obj, dev = articles
    assert subj.text == 'Gone are the days when "they led the world'  # a bare quote mark stays
    assert subj.sentences[0].label == "opinion"
    assert (obj.sentences[0].label, obj.sentences[0].alt_labels) == ("reported_fact", ["sourced_claim"])
    assert dev.text[dev.sentences[0].start : dev.sentences[0].end] == "The minister said the talks failed."
    for article in articles:
        check_invariants(article)
    assert [a.id for a in checkthat.convert(folder, split="dev")] == ["b1"]
    assert [a.id for a in checkthat.convert(folder / "dev_en.tsv")] == ["b1"]


def test_checkthat_upstream_layout_and_errors(tmp_path):
    nested = tmp_path / "repo" / "task1" / "data" / "english"
    write(nested / "train_en.tsv", CT_TRAIN)
    assert len(list(checkthat.convert(tmp_path / "repo"))) == 2  # dev absent: train alone
    with pytest.raises(UserError, match="no dev_test_en.tsv"):
        checkthat.convert(tmp_path / "repo", split="dev_test")
    write(tmp_path / "bad" / "train_en.tsv", "id\ttext\n1\tx\n")
    with pytest.raises(UserError, match="expected a tab-separated header"):
        checkthat.convert(tmp_path / "bad")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="no train_en.tsv or dev_en.tsv"):
        checkthat.convert(tmp_path / "empty")


# ---------------------------------------------------------------- Webis editorials

WEBIS = {
    "paragraphs": [
        [{"number": 1, "text": "A crucial juncture.", "label": "title"}],
        [
            {"number": 2, "text": "On Thursday, the conference will convene", "label": "anecdote"},
            {"number": 3, "text": ".", "label": "no-unit"},
            {"number": 4, "text": " This comes at a crucial juncture", "label": "assumption"},
            {"number": 5, "text": ",", "label": "no-unit"},
            {"number": 6, "text": "but", "label": "no-unit"},
            {"number": 7, "text": '"we are ready," the minister said', "label": "testimony"},
            {"number": 8, "text": ".", "label": "no-unit"},
        ],
        [],
        [
            {"number": 9, "text": "Violence is wrong", "label": "common-ground"},
            {"number": 10, "text": ";", "label": "no-unit"},
            {"number": 11, "text": "attacks rose 40 percent", "label": "statistics"},
            {"number": 12, "text": ".", "label": "no-unit"},
            {"number": 13, "text": "Merry Christmas!", "label": "other"},
        ],
    ]
}

WEBIS_TEXT = (
    "A crucial juncture.\n\n"
    "On Thursday, the conference will convene. This comes at a crucial juncture, but "
    '"we are ready," the minister said.\n\n'
    "Violence is wrong; attacks rose 40 percent. Merry Christmas!"
)


def test_webis_rebuilds_text_and_maps_labels(tmp_path):
    root = tmp_path / "COLING-20"
    write(root / "data-source" / "aljazeera" / "006-juncture.json", json.dumps(WEBIS))
    (article,) = webis.convert(root)
    assert article.text == WEBIS_TEXT
    assert (article.id, article.outlet, article.title) == (
        "webis-aljazeera-006-juncture", "Al Jazeera", "A crucial juncture.")
    got = [(article.text[s.start : s.end], s.kind, s.label, s.alt_labels) for s in article.sentences]
    assert got == [
        ("A crucial juncture.", "headline", None, []),
        ("On Thursday, the conference will convene.", "body", "reported_fact", []),
        ("This comes at a crucial juncture", "body", "opinion", []),
        ('"we are ready," the minister said.', "body", "sourced_claim", []),
        ("Violence is wrong", "body", "reported_fact", ["opinion"]),
        ("attacks rose 40 percent.", "body", "reported_fact", []),
    ]
    assert all(s.speaker is None for s in article.sentences)
    assert article.extra["unit_labels"] == ["title", "anecdote", "assumption", "testimony", "common-ground",
                                            "statistics"]
    check_invariants(article)
    (with_other,) = webis.convert(root / "data-source", other="opinion")
    last = with_other.sentences[-1]
    assert (with_other.text[last.start : last.end], last.label, last.alt_labels) == (
        "Merry Christmas!", "opinion", ["reported_fact"])
    check_invariants(with_other)


def test_webis_layouts_and_errors(tmp_path):
    outlet = tmp_path / "data-source" / "guardian"
    path = write(outlet / "1-x.json", json.dumps(WEBIS))
    assert [a.outlet for a in webis.convert(outlet)] == ["The Guardian"]
    assert [a.id for a in webis.convert(path)] == ["webis-guardian-1-x"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="no Webis editorials here"):
        webis.convert(tmp_path / "empty")
    write(outlet / "2-bad.json", '{"paragraphs": 3}')
    with pytest.raises(UserError, match="2-bad.json: expected an object with a 'paragraphs' list"):
        list(webis.convert(outlet))
    with pytest.raises(UserError, match="other must be one of"):
        webis.convert(outlet, other="keep")
    (outlet / "2-bad.json").write_bytes(b'{"paragraphs":\n ["caf\xe9"]}')
    with pytest.raises(UserError, match=r"2-bad\.json:2: not valid UTF-8 \(byte 0xe9 at offset 21\)"):
        list(webis.convert(outlet))


# ---------------------------------------------------------------- registry


def test_registry_and_errors(tmp_path):
    assert set(CONVERTERS) == {"polnear", "babe", "checkthat", "webis"}
    with pytest.raises(UserError, match="unknown corpus 'parc'"):
        convert_corpus("parc", tmp_path)
    with pytest.raises(UserError, match="no such file or folder"):
        convert_corpus("babe", tmp_path / "missing")
    write_babe(tmp_path / "babe_sg2_train.csv")
    with pytest.raises(UserError, match="babe: option 'split' does not apply"):
        convert_corpus("babe", tmp_path, split="train")
    assert len(list(convert_corpus("babe", tmp_path, somewhat=None))) == 2  # None options are ignored
    with pytest.raises(UserError, match="not a PolNeAR folder"):
        convert_corpus("polnear", tmp_path)


# ---------------------------------------------------------------- the real corpora (../shared/data)


@pytest.mark.shared_data
def test_shared_babe_checkthat_webis_counts(shared_data):
    assert len(list(babe.convert(shared_data / "babe"))) == 1935  # 1,251 factual + 684 opinion
    assert len(list(babe.convert(shared_data / "babe", somewhat="opinion"))) == 2745
    ct = list(checkthat.convert(shared_data / "checkthat-subjectivity"))
    assert sum(a.extra["split"] == "train" for a in ct) == 830
    assert sum(a.extra["split"] == "dev" for a in ct) == 462
    editorials = list(webis.convert(shared_data / "webis-editorials"))
    assert len(editorials) == 266
    for article in list(babe.convert(shared_data / "babe")) + ct + editorials:
        check_invariants(article)
