"""Converters from public corpora: tiny fixtures written here, plus checks on ../shared/data.

Nothing from the shared corpora is copied into the project: the fixtures
below are invented text in the upstream layouts.
"""

from __future__ import annotations

import csv
import json
import re
import time
from pathlib import Path

import pytest

from saidwho.corpora import CONVERTERS, babe, checkthat, convert_corpus, polnear, webis
from saidwho.corpora.polnear.mentions import is_pronoun_mention
from saidwho.errors import UserError
from saidwho.records import Article, Sentence
from saidwho.validate import validate_record

# ---------------------------------------------------------------- helpers


def fake_segment(text: str) -> list[Sentence]:
    """A predictable stand-in for saidwho.pipeline.segment.segment_text.

    Paragraphs are split on blank lines; the first is the headline; the others
    are split into sentences after . ! ? (and a closing quote) before a capital
    or an opening quote.
    """
    out = []
    for number, m in enumerate(re.finditer(r"\S(?:.|\n(?!\n))*", text)):
        start, end = m.start(), m.start() + len(m.group(0).rstrip())
        if number == 0:
            out.append(Sentence(start=start, end=end, kind="headline"))
            continue
        chunk = text[start:end]
        pos = 0
        for b in re.finditer(r'(?<=[.!?])["”]?(?=\s+["“A-Z])', chunk):
            out.append(Sentence(start=start + pos, end=start + b.end(), kind="body"))
            pos = b.end() + len(chunk[b.end():]) - len(chunk[b.end():].lstrip())
        out.append(Sentence(start=start + pos, end=end, kind="body"))
    return out


@pytest.fixture
def segmenter(monkeypatch):
    from saidwho.corpora.polnear import conversion

    monkeypatch.setattr(conversion, "_segment", fake_segment)


def check_invariants(article: Article) -> None:
    problems = validate_record(article.to_dict())
    assert not problems, (article.id, problems[:5])
    previous = 0
    for sentence in article.sentences:
        assert previous <= sentence.start < sentence.end <= len(article.text)
        previous = sentence.end
        text = article.text[sentence.start : sentence.end]
        assert text == text.strip(), (article.id, text)
    # the record survives a JSON round trip unchanged
    again = Article.from_dict(json.loads(json.dumps(article.to_dict())))
    assert again.to_dict() == article.to_dict()


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def sentence_with(article: Article, needle: str) -> Sentence:
    for sentence in article.sentences:
        if needle in article.text[sentence.start : sentence.end]:
            return sentence
    raise AssertionError(f"no sentence with {needle!r}")


def source_name(article: Article, sentence: Sentence) -> str | None:
    source = article.source_by_id(sentence.speaker) if sentence.speaker else None
    return source.name if source else None


# ---------------------------------------------------------------- PolNeAR fixture

A1 = (
    "Smith warns on budget\n\n"
    'Jane Smith, the senator, said on Monday that the budget "is a disaster for\n'
    'working families." She added that talks would resume.\n\n'
    'The vote passed 52-48. "We will not wait," she said. '
    "The Budget Committee said it would meet again.\n"
)

A2 = (
    "Poll shows tight race\n\n"
    "A new poll shows the race is tied. It has been widely reported that turnout will be high. "
    "Clinton, who spoke in Ohio, said the numbers were encouraging. "
    "Hillary Clinton later told reporters she was confident.\n"
)


def t_line(tid: str, kind: str, text: str, fragments: list[tuple[int, int]]) -> str:
    spans = ";".join(f"{a} {b}" for a, b in fragments)
    return f"{tid}\t{kind} {spans}\t{' '.join(text[a:b] for a, b in fragments)}"


def a1_ann() -> str:
    t = A1
    said = at(t, "said")
    that = at(t, "that the budget")
    lines = [
        t_line("T1", "Source", t, [at(t, "Jane Smith")]),
        # a discontinuous cue: "said ... that"
        t_line("T2", "Cue", t, [said, (that[0], that[0] + 4)]),
        # a content span whose text runs over two lines
        t_line("T3", "Content", t, [(that[0] + 5, at(t, 'families."')[1])]),
        t_line("T4", "Attribution", t, [said]),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        t_line("T5", "Source", t, [at(t, "She")]),
        t_line("T6", "Cue", t, [at(t, "added")]),
        t_line("T7", "Content", t, [at(t, "that talks would resume")]),
        t_line("T8", "Attribution", t, [at(t, "added")]),
        "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5",
        t_line("T9", "Source", t, [(at(t, "she said")[0], at(t, "she said")[0] + 3)]),
        t_line("T10", "Cue", t, [at(t, "said", 1)]),
        t_line("T11", "Content", t, [at(t, '"We will not wait,"')]),
        t_line("T12", "Attribution", t, [at(t, "said", 1)]),
        "E3\tAttribution:T12 Content:T11 Cue:T10 Source:T9",
        t_line("T13", "Source", t, [at(t, "The Budget Committee")]),
        t_line("T14", "Cue", t, [at(t, "said", 2)]),
        t_line("T15", "Content", t, [at(t, "it would meet again")]),
        t_line("T16", "Attribution", t, [at(t, "said", 2)]),
        "E4\tAttribution:T16 Content:T15 Cue:T14 Source:T13",
        t_line("T17", "Discuss", t, [at(t, "The vote passed")]),
        "#1\tAnnotatorNotes T17\tfact or not?",
    ]
    return "\n".join(lines) + "\n"


def a1_ann_second() -> str:
    t = A1
    lines = [
        t_line("T1", "Source", t, [at(t, "Jane Smith")]),
        t_line("T2", "Cue", t, [at(t, "said")]),
        t_line("T3", "Content", t, [(at(t, "the budget")[0], at(t, 'families."')[1])]),
        t_line("T4", "Attribution", t, [at(t, "said")]),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
    ]
    return "\n".join(lines) + "\n"


def a2_ann() -> str:
    t = A2
    lines = [
        t_line("T1", "Source", t, [at(t, "A new poll")]),
        t_line("T2", "Cue", t, [at(t, "shows", 1)]),
        t_line("T3", "Content", t, [at(t, "the race is tied")]),
        t_line("T4", "Attribution", t, [at(t, "shows", 1)]),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        t_line("T5", "Cue", t, [at(t, "It has been widely reported")]),
        t_line("T6", "Content", t, [at(t, "that turnout will be high")]),
        t_line("T7", "Attribution-no-source", t, [at(t, "It has been widely reported")]),
        "E2\tAttribution-no-source:T7 Content:T6 Cue:T5",
        t_line("T8", "Source", t, [at(t, "who")]),
        t_line("T9", "Cue", t, [at(t, "said")]),
        t_line("T10", "Content", t, [at(t, "the numbers were encouraging")]),
        t_line("T11", "Attribution", t, [at(t, "said")]),
        "E3\tAttribution:T11 Content:T10 Cue:T9 Source:T8",
        t_line("T12", "Source", t, [at(t, "Hillary Clinton")]),
        t_line("T13", "Cue", t, [at(t, "told reporters")]),
        t_line("T14", "Content", t, [at(t, "she was confident")]),
        t_line("T15", "Attribution", t, [at(t, "told reporters")]),
        "E4\tAttribution:T15 Content:T14 Cue:T13 Source:T12",
    ]
    return "\n".join(lines) + "\n"


def write(path: Path, content: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(content)
    return path


@pytest.fixture
def polnear_root(tmp_path: Path) -> Path:
    """Upstream layout: ROOT/data/{train,dev}/{text,attributions}/ and data/metadata.tsv."""
    data = tmp_path / "PolNeAR" / "data"
    write(data / "train" / "text" / "nyt_2016-01-01_smith.txt", A1)
    write(data / "train" / "attributions" / "nyt_2016-01-01_smith_ef2d.ann", a1_ann_second())
    write(data / "train" / "attributions" / "nyt_2016-01-01_smith_4b22.ann", a1_ann())
    write(data / "dev" / "text" / "politico_2016-10-01_poll.txt", A2)
    write(data / "dev" / "attributions" / "politico_2016-10-01_poll_5fec.ann", a2_ann())
    write(
        data / "metadata.tsv",
        "compartment\tfilename\tlevel\tannotators\tpublisher\tpublication_date\tauthor\ttitle\n"
        'train\tnyt_2016-01-01_smith\t3\t4b22|ef2d\tnyt\t2016-01-01\tA. Writer\tSmith warns on "budget"\n',
    )
    return tmp_path / "PolNeAR"


# ---------------------------------------------------------------- PolNeAR: parsing


def test_parse_ann_multiline_discontinuous_and_roles():
    spans, attributions = polnear.parse_ann(a1_ann(), "a1.ann")
    assert spans["T3"].text.count("\n") == 1  # the span text went on over the next line
    assert polnear.span_text(A1, spans["T3"].fragments) == spans["T3"].text
    assert len(spans["T2"].fragments) == 2
    assert polnear.span_text(A1, spans["T2"].fragments) == "said that"
    assert spans["T17"].type == "Discuss"
    assert [a.id for a in attributions] == ["E1", "E2", "E3", "E4"]
    first = attributions[0]
    assert A1[first.source[0][0] : first.source[0][1]] == "Jane Smith"
    assert len(first.cue) == 2


def test_parse_ann_content2_counts_as_content():
    text = "He said A and B."
    ann = "\n".join(
        [
            t_line("T1", "Source", text, [(0, 2)]),
            t_line("T2", "Cue", text, [(3, 7)]),
            t_line("T3", "Content", text, [(8, 9)]),
            t_line("T4", "Content", text, [(14, 15)]),
            t_line("T5", "Attribution", text, [(3, 7)]),
            "E1\tAttribution:T5 Cue:T2 Source:T1 Content:T3 Content2:T4",
        ]
    )
    _, (attr,) = polnear.parse_ann(ann)
    assert attr.content == [(8, 9), (14, 15)]


@pytest.mark.parametrize(
    "bad",
    ["T1\tSource 5\tx", "E1\tAttribution:T4 Source:T9", "just some text before any annotation"],
)
def test_parse_ann_errors_name_file_and_line(bad):
    with pytest.raises(UserError, match=r"^x\.ann:1: "):
        polnear.parse_ann(bad + "\n", "x.ann")


# ---------------------------------------------------------------- PolNeAR: conversion


def test_polnear_converts_both_splits_with_metadata(polnear_root, segmenter):
    articles = list(polnear.convert(polnear_root))
    assert [a.id for a in articles] == ["nyt_2016-01-01_smith", "politico_2016-10-01_poll"]
    a1, a2 = articles
    for article in articles:
        check_invariants(article)
        assert article.extra["corpus"] == "polnear"
        assert "reported_fact" in article.extra["label_scope"]
    assert a1.text == A1
    assert (a1.title, a1.outlet, a1.published) == ('Smith warns on "budget"', "New York Times", "2016-01-01")
    assert (a1.extra["split"], a2.extra["split"]) == ("train", "dev")
    assert a2.title is None and a2.outlet is None  # not in metadata.tsv


def test_polnear_annotator_rule_smallest_code(polnear_root, segmenter):
    a1 = next(polnear.convert(polnear_root, split="train"))
    assert a1.extra["annotator"] == "4b22"
    other = next(polnear.convert(polnear_root, split="train", annotator="ef2d"))
    assert other.extra["annotator"] == "ef2d"
    assert polnear.choose_annotator(["ef2d", "4e07", "d473"]) == "4e07"
    assert polnear.count_attributions(polnear_root, "train") == 4
    assert polnear.count_attributions(polnear_root, "train", annotators="all") == 5
    assert polnear.count_attributions(polnear_root, "dev") == 4


def test_polnear_labels_speakers_and_pronouns(polnear_root, segmenter):
    a1 = next(polnear.convert(polnear_root, split="train"))
    t = a1.text
    headline = a1.sentences[0]
    assert headline.kind == "headline" and headline.label is None

    first = sentence_with(a1, "Jane Smith, the senator")
    assert first.label == "sourced_claim"
    assert source_name(a1, first) == "Jane Smith"
    assert t[first.speaker_span[0] : first.speaker_span[1]] == "Jane Smith"
    assert t[first.cue_span[0] : first.cue_span[1]] == "said"

    added = sentence_with(a1, "She added")
    assert added.label == "sourced_claim" and source_name(a1, added) == "Jane Smith"
    assert t[added.speaker_span[0] : added.speaker_span[1]] == "She"

    fact = sentence_with(a1, "The vote passed")
    assert (fact.label, fact.alt_labels, fact.speaker) == ("reported_fact", ["opinion"], None)

    quote = sentence_with(a1, "We will not wait")
    assert source_name(a1, quote) == "Jane Smith"

    committee = sentence_with(a1, "Budget Committee")
    assert source_name(a1, committee) == "The Budget Committee"

    index = {id(s): i for i, s in enumerate(a1.sentences)}
    assert a1.extra["pronoun_speaker_sentences"] == [index[id(added)], index[id(quote)]]
    types = {s.name: s.type for s in a1.sources}
    assert types == {"Jane Smith": "person", "The Budget Committee": "organization"}
    for source in a1.sources:
        assert not any(is_pronoun_mention(alias) for alias in source.aliases)


def test_polnear_no_source_relative_pronoun_and_surname(polnear_root, segmenter):
    a2 = next(polnear.convert(polnear_root, split="dev"))
    poll = sentence_with(a2, "A new poll")
    assert source_name(a2, poll) == "A new poll"
    hearsay = sentence_with(a2, "widely reported")
    assert (hearsay.label, hearsay.speaker, hearsay.alt_labels) == ("sourced_claim", None, ["reported_fact"])
    assert a2.extra["no_source_sentences"] == [a2.sentences.index(hearsay)]
    who = sentence_with(a2, "who spoke in Ohio")
    told = sentence_with(a2, "told reporters")
    assert source_name(a2, who) == source_name(a2, told) == "Hillary Clinton"
    clinton = a2.source_by_id(told.speaker)
    assert clinton.type == "person" and "Clinton" in clinton.aliases
    assert {s.name: s.type for s in a2.sources}["A new poll"] == "document"


def test_polnear_overlap_picks_the_attribution_with_most_content(tmp_path, segmenter):
    text = "Title\n\nAnn said it was fine. Bob said it was late and over budget and badly run.\n"
    # one Content span runs from the first sentence into the second, but the
    # second sentence holds most of Bob's content
    bob_content = (at(text, "it was late")[0], at(text, "badly run")[1])
    ann = "\n".join(
        [
            t_line("T1", "Source", text, [at(text, "Ann")]),
            t_line("T2", "Cue", text, [at(text, "said")]),
            t_line("T3", "Content", text, [(at(text, "it was fine")[0], at(text, "Bob")[1])]),
            t_line("T4", "Attribution", text, [at(text, "said")]),
            "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
            t_line("T5", "Source", text, [at(text, "Bob")]),
            t_line("T6", "Cue", text, [at(text, "said", 1)]),
            t_line("T7", "Content", text, [bob_content]),
            t_line("T8", "Attribution", text, [at(text, "said", 1)]),
            "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5",
        ]
    )
    split = tmp_path / "train"
    write(split / "text" / "x.txt", text)
    write(split / "attributions" / "x_aaaa.ann", ann + "\n")
    (article,) = polnear.convert(split, check_offsets=False)
    second = sentence_with(article, "Bob said")
    assert source_name(article, second) == "Bob"


def test_polnear_layouts(polnear_root, segmenter):
    data = polnear_root / "data"
    ids_root = polnear.article_ids(polnear_root)
    assert polnear.article_ids(data) == ids_root
    # one split folder: its name is the split, metadata comes from the parent
    (a2,) = polnear.convert(data / "dev")
    assert a2.extra["split"] == "dev"
    (a1,) = polnear.convert(data / "train")
    assert a1.title == 'Smith warns on "budget"'
    assert [a.extra["split"] for a in polnear.convert(data, split="dev,train")] == ["dev", "train"]
    with pytest.raises(UserError, match="'test'"):
        polnear.convert(data, split="test")
    with pytest.raises(UserError, match="not a PolNeAR folder"):
        polnear.convert(polnear_root.parent / "PolNeAR" / "data" / "train" / "text")


def test_polnear_bad_input(tmp_path, polnear_root, segmenter):
    data = polnear_root / "data"
    write(data / "dev" / "text" / "orphan.txt", "No annotations\n")
    with pytest.raises(UserError, match="orphan.txt: no attributions/orphan_CODE.ann"):
        polnear.convert(data)
    (data / "dev" / "text" / "orphan.txt").unlink()
    # an offset that does not match the stored span text
    ann = data / "dev" / "attributions" / "politico_2016-10-01_poll_5fec.ann"
    write(ann, ann.read_text(encoding="utf-8").replace("A new poll", "A old poll", 1))
    with pytest.raises(UserError, match=r"_5fec\.ann:1: span T1 text 'A old poll' does not match"):
        list(polnear.convert(data, split="dev"))
    # a text that is not UTF-8: one line naming the file and line
    text = data / "dev" / "text" / "politico_2016-10-01_poll.txt"
    text.write_bytes(text.read_bytes().replace(b"\n", b"\n\xff", 1))
    with pytest.raises(UserError, match=r"politico_2016-10-01_poll\.txt:2: not valid UTF-8 \(byte 0xff"):
        list(polnear.convert(data, split="dev"))


def test_source_types():
    cases = {
        "Republican presidential candidate Donald Trump": ("Donald Trump", "person"),
        "Hicks, his campaign spokeswoman,": ("Hicks", "person"),
        "Secretary of State John Kerry": ("John Kerry", "person"),
        "Trump’s": ("Trump", "person"),
        "The Clinton campaign": ("The Clinton campaign", "organization"),
        "The New York Times": ("The New York Times", "organization"),
        "CNN": ("CNN", "organization"),
        "a source close to the campaign": ("a source close to the campaign", "anonymous"),
        "officials": ("officials", "anonymous"),
        "critics": ("critics", "anonymous"),
        "some": ("some", "anonymous"),
        "reports": ("reports", "anonymous"),
        "the report": ("the report", "document"),
        "A new poll": ("A new poll", "document"),
        "the senator": ("the senator", "unknown"),
        "The GOP nominee": ("The GOP nominee", "unknown"),
        "A spokeswoman for Hillary Clinton": ("A spokeswoman for Hillary Clinton", "unknown"),
        # A named person described with a hearsay word is that person.
        "Erin Murphy, a former Clinton aide who went to Burma": ("Erin Murphy", "person"),
        "Jorge Castañeda, a harsh critic of the president": ("Jorge Castañeda", "person"),
        "Clinton aides": ("Clinton aides", "anonymous"),
    }
    for mention, expected in cases.items():
        assert polnear.analyse_mention(mention) == expected, mention


def test_polnear_uses_the_real_segmenter(polnear_root):
    pytest.importorskip("saidwho.pipeline.segment")
    for article in polnear.convert(polnear_root):
        check_invariants(article)
        assert any(s.label == "sourced_claim" for s in article.sentences)


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
def test_shared_polnear_counts(shared_data):
    src = shared_data / "polnear"
    assert len(polnear.article_ids(src, "train")) == 840
    assert len(polnear.article_ids(src, "dev")) == 84
    # every annotator's file counted (16 train articles have several)
    assert polnear.count_attributions(src, "train", annotators="all") == 22501
    # one file per article, the documented rule (smallest annotator code)
    assert polnear.count_attributions(src, "train") == 19868
    assert polnear.count_attributions(src, "dev") == 2193


@pytest.mark.shared_data
def test_shared_polnear_dev_records(shared_data):
    started = time.time()
    articles = list(polnear.convert(shared_data / "polnear", split="dev"))
    assert len(articles) == 84
    labels = {"sourced_claim": 0, "reported_fact": 0}
    for article in articles:
        check_invariants(article)
        for sentence in article.sentences:
            if sentence.label in labels:
                labels[sentence.label] += 1
    assert labels["sourced_claim"] > labels["reported_fact"] > 0
    assert time.time() - started < 60


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
