"""The PolNeAR converter (saidwho.corpora.polnear): tiny fixtures written here, plus checks on ../shared/data.

Nothing from the shared corpus is copied into the project: the fixtures
below are invented text in the upstream layout.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from corpus_helpers import check_invariants, write

from saidwho.corpora import polnear
from saidwho.corpora.polnear.mentions import is_pronoun_mention
from saidwho.errors import UserError
from saidwho.records import Article, Sentence

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


# ---------------------------------------------------------------- the real corpus (../shared/data)


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
