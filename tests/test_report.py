"""The corpus report (saidwho report): exact figures on hand-built records, the bootstrap,
grouping, comparisons, reading errors, escaping, flat memory, and the page in headless Chromium."""

from __future__ import annotations

import gc
import json
import os
import re
import select
import subprocess
import time
import tracemalloc
import weakref
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from saidwho.errors import UserError
from saidwho.evaluation import bootstrap as bootstrap_module
from saidwho.evaluation.bootstrap import resampled_sums
from saidwho.io import dumps_article
from saidwho.pipeline.summary import source_balance
from saidwho.records import Article, Attribution, Sentence, Source
from saidwho.report.aggregate import (
    COLUMNS,
    Grouping,
    SourceDirectory,
    article_row,
    tally,
)
from saidwho.report.build import (
    MIN_ARTICLES_TO_COMPARE,
    NO_CLEAR_DIFFERENCE,
    build_report,
    corpus_report,
)
from saidwho.report.cells import estimate_cell
from saidwho.report.command import render, report
from saidwho.report.render_markdown import md_text

HOSTILE_SOURCE = "<script>document.title='pwned'</script>"
HOSTILE_OUTLET = '<img src=x onerror="document.title=\'pwned\'">'
MATH_SOURCE = "Cost $x^2$ Inc"


# ---------------------------------------------------------------- hand-built records


def make_article(article_id: str, body: list[tuple], *, sources: list[Source] = (), summary: bool = True, **metadata) -> Article:
    """A scored article: a headline, then one body sentence per ``(label, speaker, confidence, mode)``."""
    pieces, sentences, offset = [], [], 0

    def add(text: str) -> tuple[int, int]:
        nonlocal offset
        start = offset
        pieces.append(text + " ")
        offset += len(text) + 1
        return start, start + len(text)

    start, end = add("A headline.")
    sentences.append(Sentence(start, end, "headline"))
    for number, (label, speaker, confidence, mode) in enumerate(body):
        start, end = add(f"Sentence {number}.")
        sentence = Sentence(start, end, "body", label, speaker=speaker, confidence=confidence)
        if mode is not None:
            sentence.attribution = Attribution(via="verb", cue=None, mention=None, score=0.9, mode=mode)
        sentences.append(sentence)
    article = Article(id=article_id, text="".join(pieces), sources=list(sources), sentences=sentences, **metadata)
    if summary:
        article.summary = source_balance(article)
    return article


def alpha_articles() -> list[Article]:
    """Two articles of outlet Alpha with known counts (see test_figures_are_exact_pooled_shares)."""
    first = make_article(
        "alpha-1",
        [
            ("reported_fact", None, 0.9, None),
            ("sourced_claim", "s1", 0.95, "direct"),
            ("sourced_claim", "s2", 0.55, "indirect"),
            ("sourced_claim", None, 0.8, "mixed"),
            ("opinion", None, 0.5, None),
        ],
        sources=[Source("s1", "Carla Ruiz Montes", "person", ["Ms. Ruiz Montes", "the deputy minister"]),
                 Source("s2", "officials", "anonymous")],
        outlet="Alpha", published="2016-09-12",
    )
    second = make_article(
        "alpha-2",
        [
            ("sourced_claim", "s1", 0.9, "direct"),
            ("sourced_claim", "s1", 0.9, "direct"),
            ("sourced_claim", "s2", 0.7, "indirect"),
            ("reported_fact", None, 0.65, None),
        ],
        sources=[Source("s1", "RUIZ  MONTES", "person"), Source("s2", "Hendrik Bos", "person", ["Bos"])],
        outlet="Alpha", published="2016-10-03T08:00:00Z",
        summary=False,  # a record without a summary: computed the same way
    )
    return [first, second]


def beta_article() -> Article:
    """No outlet field: the group comes from the id prefix; no confidences."""
    return make_article(
        "beta_2016-10-01_slug",
        [("sourced_claim", "s1", None, None), ("opinion", None, None, None)],
        sources=[Source("s1", "the deputy minister", "person")],
    )


def write_jsonl(path: Path, articles: list[Article]) -> Path:
    path.write_text("".join(dumps_article(a) + "\n" for a in articles), encoding="utf-8")
    return path


def row_dict(article: Article) -> dict[str, int]:
    return dict(zip(COLUMNS, article_row(article)))


# ---------------------------------------------------------------- aggregation


def test_article_row_counts_labels_sources_quotes_and_confidence():
    first, second = alpha_articles()
    # These records have no source profiles: every profile count is 0 (test_profiles covers them).
    assert _without_profile_counts(row_dict(first)) == {
        "articles": 1, "labelled": 5, "reported_fact": 1, "sourced_claim": 3, "opinion": 1,
        "anonymous": 1, "unresolved": 1, "top_source": 1, "distinct_sources": 2,
        "quote_known": 3, "direct": 1, "mixed": 1, "indirect": 1, "with_confidence": 5, "low_confidence": 2,
    }
    assert _without_profile_counts(row_dict(second)) == {
        "articles": 1, "labelled": 4, "reported_fact": 1, "sourced_claim": 3, "opinion": 0,
        "anonymous": 0, "unresolved": 0, "top_source": 2, "distinct_sources": 2,
        "quote_known": 3, "direct": 2, "mixed": 0, "indirect": 1, "with_confidence": 4, "low_confidence": 0,
    }


def _without_profile_counts(row: dict) -> dict:
    profile = {k: v for k, v in row.items() if k.startswith(("category_", "persons", "person_sentences", "anonymous_"))}
    assert set(profile.values()) == {0}, profile
    return {k: v for k, v in row.items() if k not in profile}


def test_figures_are_exact_pooled_shares(tmp_path):
    path = write_jsonl(tmp_path / "scored.jsonl", [*alpha_articles(), beta_article()])
    result = corpus_report([path], by="outlet", resamples=200)
    assert [g.name for g in result.groups] == ["Alpha", "beta"]
    alpha = result.groups[0]
    expected = {
        "reported_fact": Fraction(2, 9), "sourced_claim": Fraction(6, 9), "opinion": Fraction(1, 9),
        "anonymous": Fraction(1, 6), "unresolved": Fraction(1, 6), "top_source": Fraction(3, 6),
        "distinct_sources": Fraction(4, 2), "direct": Fraction(3, 6), "mixed": Fraction(1, 6),
        "indirect": Fraction(2, 6), "low_confidence": Fraction(2, 9),
    }
    for key, share in expected.items():
        estimate = alpha.estimates[key]
        assert Fraction(estimate.numerator, estimate.denominator) == share, key
        assert estimate.value == pytest.approx(float(share)), key
        assert estimate.low <= estimate.value <= estimate.high, key
    assert (alpha.articles, alpha.labelled_sentences, alpha.sourced_sentences) == (2, 9, 6)
    beta = result.groups[1]
    assert beta.estimates["opinion"].value == 0.5
    assert beta.estimates["low_confidence"].value is None  # no sentence has a confidence
    assert beta.estimates["direct"].value is None  # no quote mode in the record
    assert estimate_cell(beta.estimates["low_confidence"], _metric("low_confidence")) == "–"


def _metric(key):
    from saidwho.report.build import METRIC_BY_KEY

    return METRIC_BY_KEY[key]


def test_top_sources_merge_by_name_and_alias_across_articles(tmp_path):
    path = write_jsonl(tmp_path / "scored.jsonl", [*alpha_articles(), beta_article()])
    alpha, beta = corpus_report([path], by="outlet", resamples=0).groups
    assert [(s.name, s.type, s.sentences, s.articles) for s in alpha.top_sources] == [
        ("Carla Ruiz Montes", "person", 3, 2),  # "RUIZ  MONTES" joins through the alias "Ms. Ruiz Montes"
        ("Hendrik Bos", "person", 1, 1),
        ("officials", "anonymous", 1, 1),
    ]
    # "the deputy minister" is a description alias of Carla Ruiz Montes, not a name: it does not join.
    assert [(s.name, s.sentences) for s in beta.top_sources] == [("the deputy minister", 1)]
    assert len(corpus_report([path], by="outlet", resamples=0, top=1).groups[0].top_sources) == 1


def test_one_word_names_join_only_an_entry_they_name_unambiguously():
    directory = SourceDirectory()
    directory.add("Dana Ortiz", ["Ortiz"], "person", 2)
    directory.add("Luis Ortiz", ["Mr. Ortiz"], "person", 1)
    ortiz = directory.add("Ortiz", [], "person", 1)
    directory.add("Hendrik Bos", ["Bos"], "person", 1)
    bos = directory.add("Bos", [], "person", 1)
    assert directory.resolve(ortiz) == "ortiz"  # two people use it: stays apart
    assert directory.resolve(bos) == directory.resolve("hendrik bos")
    directory.add("Donald Trump", ["Donald J. Trump"], "person", 1)
    later = directory.add("Donald J. Trump", [], "person", 1)
    assert directory.resolve(later) == directory.resolve("donald trump")


# ---------------------------------------------------------------- grouping


def test_grouping_by_outlet_field_id_prefix_or_none():
    by_outlet = Grouping.parse("outlet")
    assert by_outlet.key(make_article("x_1", [], outlet="Breitbart")) == "Breitbart"
    assert by_outlet.key(make_article("breitbart_2016-09-12_slug", [])) == "breitbart"
    assert by_outlet.key(make_article("noprefix", [])) == "(none)"
    assert Grouping.parse(None).key(make_article("a", [])) == "all"


def test_grouping_by_date_period_and_any_field():
    dates = {"a": "2016-09-12", "b": "2016-09-30T10:00:00Z", "c": "2016-10-01", "d": "September 2016", "e": None}
    articles = [make_article(k, [("opinion", None, None, None)], published=v, extra={"corpus": "polnear"} if k < "c" else {})
                for k, v in dates.items()]
    keys = lambda spec: [Grouping.parse(spec).key(a) for a in articles]
    assert keys("published:month") == ["2016-09", "2016-09", "2016-10", "(none)", "(none)"]
    assert keys("published:year") == ["2016", "2016", "2016", "(none)", "(none)"]
    assert keys("published:day") == ["2016-09-12", "2016-09-30", "2016-10-01", "(none)", "(none)"]
    assert keys("corpus") == ["polnear", "polnear", "(none)", "(none)", "(none)"]
    result = build_report(articles, grouping=Grouping.parse("published:month"), resamples=10)
    assert [(g.name, g.articles) for g in result.groups] == [("2016-09", 2), ("2016-10", 1), ("(none)", 2)]
    for bad in ("published:week", ":month"):
        with pytest.raises(UserError, match="--by"):
            Grouping.parse(bad)


# ---------------------------------------------------------------- bootstrap


def varied_articles(count: int, outlet: str = "Alpha", opinion_every: int = 3, start: int = 0) -> list[Article]:
    """Articles whose opinion counts vary (so that intervals have width)."""
    articles = []
    for i in range(start, start + count):
        body = [("opinion", None, 0.9, None)] * (i % opinion_every) + [("reported_fact", None, 0.7, None)] * (1 + i % 2)
        articles.append(make_article(f"{outlet}-{i}", body, outlet=outlet))
    return articles


def test_bootstrap_is_reproducible_with_a_seed_and_matches_a_plain_resampling():
    articles = varied_articles(30)
    first = build_report(articles, seed=3, resamples=500).to_dict()
    assert build_report(articles, seed=3, resamples=500).to_dict() == first
    assert build_report(articles, seed=4, resamples=500).to_dict() != first
    opinion = first["groups"][0]["figures"]["opinion"]
    assert opinion["low"] < opinion["value"] < opinion["high"]
    # The same draws one resample at a time with the same generator.
    rows = tally(articles, Grouping()).groups["all"].matrix()
    rng = np.random.default_rng(3)
    shares = []
    for _ in range(500):
        sums = rows[rng.integers(0, len(rows), size=len(rows))].sum(axis=0)
        shares.append(sums[COLUMNS.index("opinion")] / sums[COLUMNS.index("labelled")])
    low, high = np.percentile(shares, [2.5, 97.5])
    assert (opinion["low"], opinion["high"]) == (round(low, 4), round(high, 4))


def test_resampling_in_chunks_gives_the_same_sums(monkeypatch):
    rows = np.arange(60, dtype=np.int64).reshape(20, 3)
    whole = resampled_sums(rows, 50, np.random.default_rng(0))
    monkeypatch.setattr(bootstrap_module, "MAX_CELLS", 7)
    assert np.array_equal(resampled_sums(rows, 50, np.random.default_rng(0)), whole)


def test_no_bootstrap_gives_no_intervals_and_no_findings():
    result = build_report(varied_articles(12) + varied_articles(12, "Beta", opinion_every=2), grouping=Grouping.parse("outlet"), resamples=0)
    assert result.groups[0].estimates["opinion"].low is None
    assert {d.verdict for d in result.differences} == {"not measured"}


# ---------------------------------------------------------------- comparisons


def constant_articles(count: int, outlet: str, opinions: int, facts: int) -> list[Article]:
    body = [("opinion", None, 0.9, None)] * opinions + [("reported_fact", None, 0.9, None)] * facts
    return [make_article(f"{outlet}-{i}", body, outlet=outlet) for i in range(count)]


def test_two_groups_one_clear_difference_and_no_clear_difference():
    articles = constant_articles(12, "Alpha", 3, 1) + constant_articles(12, "Beta", 0, 4)
    result = build_report(articles, grouping=Grouping.parse("outlet"), resamples=200)
    assert result.comparison == "pair"
    opinion = next(d for d in result.differences if d.metric == "opinion")
    assert (opinion.group, opinion.against, opinion.value, opinion.verdict) == ("Alpha", "Beta", 0.75, "higher")
    assert opinion.clear

    same = varied_articles(12, "Alpha") + varied_articles(12, "Beta")
    result = build_report(same, grouping=Grouping.parse("outlet"), resamples=500)
    opinion = next(d for d in result.differences if d.metric == "opinion")
    assert opinion.value == 0 and opinion.low < 0 < opinion.high
    assert opinion.verdict == NO_CLEAR_DIFFERENCE and not opinion.clear
    markdown = render(result, "markdown")
    row = next(line for line in markdown.splitlines() if line.startswith("| opinion |"))
    assert row.endswith("| no clear difference |") and "higher" not in row


def test_three_groups_each_against_the_rest_and_small_groups_not_compared():
    articles = constant_articles(12, "Alpha", 3, 1) + constant_articles(12, "Beta", 0, 4) + constant_articles(12, "Gamma", 0, 4)
    result = build_report(articles, grouping=Grouping.parse("outlet"), resamples=200)
    from saidwho.report.build import COMPARED_METRICS

    assert result.comparison == "each_vs_rest" and len(result.differences) == 3 * len(COMPARED_METRICS)
    opinion = {d.group: d for d in result.differences if d.metric == "opinion"}
    assert opinion["Alpha"].against == "the rest" and opinion["Alpha"].value == 0.75 and opinion["Alpha"].verdict == "higher"
    assert opinion["Beta"].verdict == "lower"
    small = build_report(constant_articles(MIN_ARTICLES_TO_COMPARE - 1, "Alpha", 3, 1) + constant_articles(12, "Beta", 0, 4),
                         grouping=Grouping.parse("outlet"), resamples=200)
    # (no article has a sourced sentence or a profile: the anonymous and profile shares are not measured at all)
    measured = {"reported_fact", "sourced_claim", "opinion"}
    assert {d.verdict for d in small.differences if d.metric in measured} == {f"too few articles (under {MIN_ARTICLES_TO_COMPARE})"}
    assert {d.verdict for d in small.differences if d.metric not in measured} == {"not measured"}
    assert not any(d.clear for d in small.differences)


# ---------------------------------------------------------------- reading and errors


def test_missing_file_bad_json_and_unscored_records_are_user_errors(tmp_path):
    with pytest.raises(UserError, match="no such file"):
        corpus_report([tmp_path / "missing.jsonl"])
    bad = tmp_path / "bad.jsonl"
    bad.write_text(dumps_article(beta_article()) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(UserError, match=rf"^{bad}:2: bad JSON"):
        corpus_report([bad])
    unscored = tmp_path / "unscored.jsonl"
    unscored.write_text('\n{"id": "a", "text": "Some text."}\n', encoding="utf-8")
    with pytest.raises(UserError, match=rf"^{unscored}:2: not a scored record"):
        corpus_report([unscored])
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(UserError, match="no records"):
        corpus_report([empty])


def test_report_and_score_read_files_alike(tmp_path):
    # One reader serves both commands: the same broken file, the same message.
    from saidwho.ingest import load_inputs

    def message(read):
        with pytest.raises(UserError) as info:
            list(read())
        return str(info.value)

    not_utf8 = tmp_path / "latin1.jsonl"
    not_utf8.write_bytes(dumps_article(beta_article()).encode() + b"\n" + '{"id": "caf\xe9"}\n'.encode("latin-1"))
    not_parquet = tmp_path / "fake.parquet"
    not_parquet.write_bytes(b"not a parquet file")
    empty = tmp_path / "blank.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    bad_json = tmp_path / "bad.jsonl"
    bad_json.write_text("{not json\n", encoding="utf-8")
    for path, expected in ((not_utf8, f"{not_utf8}:2: not valid UTF-8"), (not_parquet, f"{not_parquet}: not a readable Parquet file"),
                           (empty, f"{empty}: no records in this file"), (bad_json, f"{bad_json}:1: bad JSON")):
        by_report = message(lambda: corpus_report([path]))
        assert by_report.startswith(expected)
        assert message(lambda: load_inputs([str(path)])) == by_report


def call_report(paths, **options):
    """The typer command called as a function (its defaults are typer.Option objects)."""
    values = {"by": None, "output": None, "seed": 0, "top": 10, "bootstrap": 100, **options}
    report(paths=[Path(p) for p in paths], **values)


def test_unknown_report_suffix_fails_before_reading(tmp_path):
    with pytest.raises(UserError, match=r"unknown report format '\.txt'.*\.html, \.md or \.json"):
        call_report([tmp_path / "missing.jsonl"], output=tmp_path / "report.txt")
    with pytest.raises(UserError, match="--by"):
        call_report([tmp_path / "missing.jsonl"], by="published:week")


def test_parquet_records_give_the_same_report(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from saidwho.batch.tables import record_columns

    articles = [*alpha_articles(), beta_article()]
    jsonl = write_jsonl(tmp_path / "scored.jsonl", articles)
    parquet = tmp_path / "scored.parquet"
    pq.write_table(pa.Table.from_pylist([{"id": a.id, "text": a.text, **record_columns(a)} for a in articles]), parquet)
    from_jsonl = corpus_report([jsonl], by="outlet", resamples=100).to_dict()
    from_parquet = corpus_report([parquet], by="outlet", resamples=100).to_dict()
    assert {**from_jsonl, "inputs": None} == {**from_parquet, "inputs": None}
    plain = tmp_path / "plain.parquet"
    pq.write_table(pa.Table.from_pylist([{"id": "a", "text": "x"}]), plain)
    with pytest.raises(UserError, match="no column 'saidwho_record'"):
        corpus_report([plain])


def test_command_writes_each_format_atomically_and_markdown_to_stdout(tmp_path, capsys):
    path = write_jsonl(tmp_path / "scored.jsonl", [*alpha_articles(), beta_article()])
    for name in ("report.html", "report.md", "report.json"):
        call_report([path], by="outlet", output=tmp_path / name)
    assert not list(tmp_path.glob(".*.part"))
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [g["name"] for g in data["groups"]] == ["Alpha", "beta"]
    assert data["bootstrap"] == {"resamples": 100, "seed": 0, "confidence": 0.95, "over": "articles"}
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    capsys.readouterr()
    call_report([path], by="outlet")
    out = capsys.readouterr().out
    assert out == (tmp_path / "report.md").read_text(encoding="utf-8").replace(str(tmp_path / "report.md"), "")
    with pytest.raises(UserError, match="does not exist"):
        call_report([path], output=tmp_path / "no-such-folder" / "report.md")


def test_command_runs_through_a_typer_app(tmp_path):
    import typer
    from typer.testing import CliRunner

    app = typer.Typer()
    app.command("report")(report)
    app.command("other")(lambda: None)  # two commands: typer keeps the subcommand name
    path = write_jsonl(tmp_path / "scored.jsonl", [*alpha_articles(), beta_article()])
    result = CliRunner().invoke(app, ["report", str(path), "--by", "outlet", "--bootstrap", "50", "-o", str(tmp_path / "r.md")])
    assert result.exit_code == 0, result.output
    assert "| Alpha | 2 | 9 |" in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_markdown_and_json_carry_the_same_numbers(tmp_path):
    path = write_jsonl(tmp_path / "scored.jsonl", [*alpha_articles(), beta_article()])
    result = corpus_report([path], by="outlet", resamples=200)
    markdown = render(result, "markdown")
    data = json.loads(render(result, "json"))
    alpha = data["groups"][0]["figures"]["opinion"]
    cell = f"{alpha['value']:.1%} [{alpha['low'] * 100:.1f}, {alpha['high'] * 100:.1f}]"
    assert cell in markdown
    assert estimate_cell(result.groups[0].estimates["opinion"], _metric("opinion")) == cell


# ---------------------------------------------------------------- escaping


def hostile_report(resamples: int = 100):
    articles = []
    for i in range(12):
        articles.append(make_article(
            f"h-{i}",
            [("sourced_claim", "s1", 0.9, "direct"), ("sourced_claim", "s2", 0.4, "indirect"), ("opinion", None, 0.8, None)],
            sources=[Source("s1", HOSTILE_SOURCE, "person"), Source("s2", MATH_SOURCE, "organization")],
            outlet=HOSTILE_OUTLET if i % 2 else "Plain | *Outlet*",
        ))
    return build_report(articles, grouping=Grouping.parse("outlet"), resamples=resamples, inputs=("in<put>.jsonl",))


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)


def test_html_report_escapes_record_text_in_tables_and_charts():
    page = render(hostile_report(), "html")
    collector = TagCollector()
    collector.feed(page)
    assert "script" not in collector.tags and "img" not in collector.tags
    assert not [name for name, _ in collector.attrs if name.startswith("on")]
    assert collector.tags.count("svg") == 4  # labels, anonymous, differences, sources
    escaped = "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;"
    assert escaped in page  # the tables
    svg_text = "".join(page[m.start():page.index("</svg>", m.start())] for m in re.finditer("<svg", page))
    assert "&lt;script&gt;" in svg_text and "<script" not in svg_text  # matplotlib's text
    assert "&lt;img src=x onerror=" in svg_text and "$x^2$" in svg_text  # no math mode either
    assert "in&lt;put&gt;.jsonl" in page
    assert "default-src 'none'" in page  # no network, no script, even if escaping failed
    assert "http://" not in page and "https://" not in page
    assert not [value for name, value in collector.attrs if name in ("src", "href", "xlink:href") and not (value or "").startswith("#")]


def test_markdown_report_escapes_record_text():
    markdown = render(hostile_report(), "markdown")
    assert "<script" not in markdown and "<img" not in markdown
    assert md_text(HOSTILE_SOURCE) in markdown
    assert "Plain \\| \\*Outlet\\*" in markdown  # a pipe cannot break the table
    # The two sources tie on sentences and articles: the name breaks the tie ("<" sorts before "c").
    top = json.loads(render(hostile_report(), "json"))["groups"][1]["top_sources"]
    assert [s["name"] for s in top] == [HOSTILE_SOURCE, MATH_SOURCE]


# ---------------------------------------------------------------- memory stays flat


def synthetic_records(count: int, tracker: list | None = None):
    """Fresh records, as from a file; with ``tracker``, checks that earlier records were dropped."""
    sources = [{"id": f"s{k}", "name": f"Person Number{k}", "type": "person", "aliases": [f"Number{k}"]} for k in range(5)]
    for i in range(count):
        text = " ".join(f"Sentence {k} of article {i} with some words in it." for k in range(6))
        sentences, offset = [], 0
        for k in range(6):
            end = text.index(".", offset) + 1
            label = ("reported_fact", "sourced_claim", "opinion")[k % 3]
            sentences.append({"start": offset, "end": end, "kind": "body", "label": label,
                              "speaker": f"s{k % 5}" if label == "sourced_claim" else None, "confidence": 0.5 + (k % 5) / 10})
            offset = end + 1
        article = Article.from_dict({"id": f"x_{i}", "text": text, "outlet": f"Outlet{i % 3}", "sources": sources, "sentences": sentences})
        if tracker is not None:  # records hold no reference cycles: a dropped one is freed at once
            assert all(ref() is None for ref in tracker[:-1]), "an earlier record is still held"
            tracker.append(weakref.ref(article))
        yield article


def test_records_are_not_kept():
    tracker: list = []
    tallies = tally(synthetic_records(50, tracker), Grouping.parse("outlet"))
    assert sum(group.articles for group in tallies.groups.values()) == 50


def _peak(count: int) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        tally(synthetic_records(count), Grouping.parse("outlet"))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_grows_only_by_the_per_article_rows():
    small, large = _peak(200), _peak(2000)
    row_bytes = len(COLUMNS) * 8
    # 1,800 more articles cost about their rows (twice over while the array grows), not their records (several KB each).
    assert large - small < 1800 * row_bytes * 6, (small, large)


# ---------------------------------------------------------------- headless Chromium


class DevTools:
    """A page in headless Chromium, driven over --remote-debugging-pipe (no package, no download)."""

    def __init__(self, chromium: str, profile: Path):
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def pipes_on_3_and_4():  # the child's fds 3 and 4, inheritable (dup2 onto itself would keep close-on-exec)
            read_copy, write_copy = os.dup(to_browser_read), os.dup(from_browser_write)
            os.dup2(read_copy, 3)
            os.dup2(write_copy, 4)

        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", "--remote-debugging-pipe",
             "--window-size=1280,1000", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=pipes_on_3_and_4, close_fds=False,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        self.session: str | None = None

    def _read(self, wanted, timeout: float = 60) -> dict | None:
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                message = json.loads(raw)
                if wanted(message):
                    return message
                self.events.append(message)
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            if select.select([self._from_browser], [], [], left)[0]:
                chunk = os.read(self._from_browser, 1 << 16)
                if not chunk:
                    raise EOFError("Chromium closed its DevTools pipe")
                self._buffer += chunk

    def call(self, method: str, params: dict | None = None, *, session: bool = True) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        number = self._next_id
        reply = self._read(lambda m: m.get("id") == number)
        assert reply is not None and "error" not in reply, reply
        return reply["result"]

    def open(self, url: str) -> None:
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")
        self.call("Page.navigate", {"url": url})
        assert self._read(lambda m: m.get("method") == "Page.loadEventFired") is not None
        self._read(lambda m: False, timeout=0.5)  # late console and CSP messages

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})["result"]["value"]

    def errors(self) -> list[str]:
        found = []
        for event in self.events:
            params = event.get("params", {})
            if event.get("method") == "Runtime.exceptionThrown":
                found.append(str(params["exceptionDetails"]))
            elif event.get("method") == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
                found.append(str(params.get("args")))
            elif event.get("method") == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                found.append(params["entry"]["text"])
        return found

    def close(self) -> None:
        try:
            self.call("Browser.close", session=False)
        except (EOFError, OSError, AssertionError):
            pass
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self._to_browser)
        os.close(self._from_browser)


def test_report_page_in_headless_chromium(tmp_path, chromium):
    page = tmp_path / "report.html"
    page.write_text(render(hostile_report(), "html"), encoding="utf-8")
    control = tmp_path / "control.html"  # the error capture must see what the report must not have
    control.write_text("<!DOCTYPE html><html><body><script>no_such_function()</script></body></html>", encoding="utf-8")
    browser = DevTools(chromium, tmp_path / "profile")
    try:
        browser.open(control.as_uri())
        assert browser.errors(), "the console capture saw no error on a page that throws one"
        browser.events.clear()
        browser.open(page.as_uri())
        state = browser.evaluate("""({
            title: document.title,
            scripts: document.querySelectorAll('script, img, iframe').length,
            charts: [...document.querySelectorAll('svg.chart')].map(svg => {
                const box = svg.getBoundingClientRect();
                return {width: box.width, height: box.height, texts: svg.querySelectorAll('text').length};
            }),
            chartText: [...document.querySelectorAll('svg.chart text')].map(t => t.textContent).join('\\n'),
            tableText: [...document.querySelectorAll('td')].map(td => td.textContent).join('\\n'),
        })""")
        errors = browser.errors()
    finally:
        browser.close()
    assert errors == []
    assert state["title"].startswith("saidwho corpus report")  # nothing rewrote it
    assert state["scripts"] == 0
    assert len(state["charts"]) == 4
    assert all(c["width"] > 100 and c["height"] > 100 and c["texts"] > 3 for c in state["charts"]), state["charts"]
    assert HOSTILE_SOURCE in state["tableText"] and HOSTILE_OUTLET in state["tableText"]  # shown as text
    assert HOSTILE_SOURCE[:20] in state["chartText"] and MATH_SOURCE in state["chartText"]


def test_one_middle_initial_does_not_split_a_source_but_two_initials_do():
    from saidwho.report.aggregate import _name_key

    assert _name_key("Donald J. Trump") == _name_key("Donald Trump")
    assert _name_key("Joseph R. Biden Jr.") == _name_key("Joseph Biden")
    assert _name_key("George H. W. Bush") != _name_key("George W. Bush")
