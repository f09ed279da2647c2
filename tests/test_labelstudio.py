"""Label Studio round trip (saidwho.labelstudio): export -> Label Studio's JSON export -> import.

Label Studio itself is not needed here: a JSON export is the exported tasks
with task ids and the annotation's bookkeeping fields added, which these
tests add by hand (tests/test_labelstudio_live.py runs the real server).
"""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from saidwho.errors import UserError
from saidwho.evaluation.goldset import load_gold
from saidwho.io import read_articles, write_articles
from saidwho.labelstudio import config as ls
from saidwho.labelstudio.command import export_labelstudio, import_labelstudio
from saidwho.labelstudio.export import (
    article_to_task,
    article_uncertainty,
    parse_select,
    select_uncertain,
)
from saidwho.labelstudio.imports import (
    choose_annotation,
    import_export,
    tasks_to_articles,
)
from saidwho.labelstudio.offsets import OffsetMap
from saidwho.records import Article, Sentence, Source
from saidwho.validate import validate_file

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def team() -> list[Article]:
    return load_gold(ROOT / "eval" / "gold", None, "team")


def as_exported(tasks: list[dict]) -> list[dict]:
    """What Label Studio's JSON export adds to imported tasks: ids and annotation bookkeeping."""
    out = copy.deepcopy(tasks)
    for number, task in enumerate(out, start=1):
        task["id"] = 100 + number
        for n, annotation in enumerate(task.get("annotations", []), start=1):
            annotation.update(id=1000 * number + n, completed_by=1, was_cancelled=False,
                              created_at="2025-01-01T10:00:00.000000Z", updated_at="2025-01-01T10:00:00.000000Z")
    return out


def speaker_view(article: Article) -> list[tuple]:
    """What must survive the round trip: boundaries, kinds, labels, speakers by canonical name, spans."""
    return [
        (s.start, s.end, s.kind, s.label, tuple(s.alt_labels),
         article.source_by_id(s.speaker).name if s.speaker else None, s.speaker_span, s.cue_span)
        for s in article.sentences
    ]


def simple_article() -> Article:
    text = "Budget passes\n\nThe council passed the budget. “It is a good day,” she said. It was overdue."
    first = text.index("The council")
    quote = text.index("“It")
    last = text.index("It was")
    she = text.index("she")
    return Article(
        id="a1", text=text, title="Budget passes",
        sources=[Source("s1", "Mara Lind", "person", ["Ms. Lind"])],
        sentences=[
            Sentence(0, 13, kind="headline"),
            Sentence(first, quote - 1, label="reported_fact", confidence=0.9),
            Sentence(quote, last - 1, label="sourced_claim", speaker="s1", speaker_span=(she, she + 3),
                     cue_span=(she + 4, she + 8), confidence=0.6),
            Sentence(last, len(text), label="opinion", alt_labels=["reported_fact"], confidence=0.5),
        ],
    )


def exported(article: Article) -> list[dict]:
    return as_exported([article_to_task(article, mode="annotations")])


# ---------------------------------------------------------------- the interface


def test_config_controls_match_the_code():
    root = ET.fromstring(ls.label_config())
    controls = {el.get("name"): el for el in root.iter() if el.get("name")}
    assert controls[ls.TEXT].tag == "Text"
    for name in (ls.LABEL, ls.MENTION, ls.SEGMENT):
        assert controls[name].tag == "Labels" and controls[name].get("toName") == ls.TEXT
    assert [c.get("value") for c in controls[ls.LABEL]] == ["reported_fact", "sourced_claim", "opinion"]
    assert [c.get("value") for c in controls[ls.MENTION]] == [ls.SPEAKER, ls.CUE]
    assert tuple(c.get("value") for c in controls[ls.SEGMENT]) == ls.SEGMENT_KINDS
    for name in (ls.SPEAKER_NAME, ls.SENTENCE_SPEAKER, ls.SPEAKER_TYPE, ls.ALT_LABELS):
        assert controls[name].get("perRegion") == "true"


def test_offsets_count_utf16_units_past_astral_characters():
    text = "a😀b😀c"
    offsets = OffsetMap(text)
    assert [offsets.to_js(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 7]
    assert [offsets.to_py(offsets.to_js(i)) for i in range(len(text) + 1)] == list(range(len(text) + 1))
    assert offsets.to_py(2) is None  # inside the surrogate pair


# ---------------------------------------------------------------- round trip


def test_gold_team_articles_round_trip(team, tmp_path):
    assert len(team) >= 5
    tasks = [article_to_task(a, mode="annotations") for a in team]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(as_exported(tasks)), encoding="utf-8")
    result = import_export(export, tmp_path / "back.jsonl")
    assert validate_file(tmp_path / "back.jsonl") == []
    back = {a.id: a for a in read_articles(tmp_path / "back.jsonl")}
    assert set(back) == {a.id for a in team}
    assert result.skipped == []
    for article in team:
        assert speaker_view(back[article.id]) == speaker_view(article), article.id
        assert back[article.id].title == article.title
        used = {s.speaker for s in article.sentences if s.speaker}
        # Label Studio carries sources, not their profiles (docs/labelstudio.md).
        assert [_no_profile(s) for s in back[article.id].sources] == [_no_profile(s) for s in article.sources if s.id in used]


def test_round_trip_with_emoji_and_speaker_named_outside_the_text():
    text = "Budget 😀 passes\n\nThe council passed the budget. It was long overdue, officials said."
    first, second = text.index("The council"), text.index("It was")
    article = Article(
        id="e1", text=text, sources=[Source("s1", "city officials", "anonymous")],
        sentences=[Sentence(0, text.index("\n"), kind="headline"), Sentence(first, second - 1, label="reported_fact"),
                   Sentence(second, len(text), label="sourced_claim", speaker="s1")],
    )
    task = article_to_task(article, mode="annotations")
    region = next(r for r in task["annotations"][0]["result"] if r.get("id") == "s1" and r["type"] == "labels")
    assert region["value"]["start"] == first + 1  # the emoji counts twice in UTF-16
    named = next(r for r in task["annotations"][0]["result"] if r.get("from_name") == ls.SENTENCE_SPEAKER)
    assert named["value"]["text"] == ["city officials"]
    [back] = tasks_to_articles(as_exported([task])).articles
    assert speaker_view(back) == speaker_view(article)


def test_predictions_carry_scores_and_model_version():
    task = article_to_task(simple_article(), mode="predictions", model_version="default")
    [prediction] = task["predictions"]
    assert prediction["model_version"] == "default"
    assert prediction["score"] == pytest.approx((0.9 + 0.6 + 0.5) / 3, abs=1e-4)
    scores = [r["score"] for r in prediction["result"] if r.get("from_name") == ls.LABEL]
    assert scores == [0.9, 0.6, 0.5]
    assert "annotations" not in task


def test_new_speaker_from_a_pronoun_needs_and_takes_a_name():
    tasks = exported(simple_article())
    results = tasks[0]["annotations"][0]["result"]
    # The annotator's own work: the speaker's name typed in, no exported sources to match.
    tasks[0]["data"]["sources"] = []
    name_field = next(r for r in results if r.get("from_name") == ls.SPEAKER_NAME)
    name_field["value"]["text"] = ["Mara Lind"]
    [back] = tasks_to_articles(tasks).articles
    assert [(s.id, s.name, s.type, s.aliases) for s in back.sources] == [("s1", "Mara Lind", "person", [])]
    results.remove(name_field)
    with pytest.raises(UserError, match=r"^task 101: the speaker 'she' .* needs a name"):
        tasks_to_articles(tasks)


def test_sources_merge_by_normalised_name():
    text = "“No,” Dr. Mara Lind said. “Never,” said Ms. Lind."
    a_end = text.index(" “Never")
    article = Article(id="m", text=text, sources=[Source("s1", "Mara Lind", "person"), Source("s2", "Lind", "person")],
                      sentences=[Sentence(0, a_end, label="sourced_claim", speaker="s1", speaker_span=(6, text.index(" said"))),
                                 Sentence(a_end + 1, len(text), label="sourced_claim", speaker="s2",
                                          speaker_span=(text.index("Ms."), len(text) - 1))])
    tasks = exported(article)
    tasks[0]["data"]["sources"] = []
    for result in tasks[0]["annotations"][0]["result"]:
        if result.get("from_name") == ls.SPEAKER_NAME:
            result["value"]["text"] = ["Mara Lind"]
    [back] = tasks_to_articles(tasks).articles
    assert len(back.sources) == 1 and back.sources[0].name == "Mara Lind"
    assert {s.speaker for s in back.sentences} == {back.sources[0].id}
    assert back.sources[0].aliases == ["Ms. Lind"]  # "Dr. Mara Lind" is the name itself once normalised


# ---------------------------------------------------------------- several annotations


def _two_annotations() -> list[dict]:
    tasks = exported(simple_article())
    first = tasks[0]["annotations"][0]
    second = copy.deepcopy(first)
    for result in second["result"]:
        if result.get("id") == "s1" and result["type"] == "labels":
            result["value"]["labels"] = ["opinion"]
    first.update(id=1, completed_by={"id": 7, "email": "ana@example.com"}, updated_at="2025-03-02T09:00:00Z")
    second.update(id=2, completed_by={"id": 8, "email": "ben@example.com"}, updated_at="2025-03-01T09:00:00Z")
    tasks[0]["annotations"] = [first, second]
    return tasks


def _label_of_first_body_sentence(tasks, annotator=None) -> str:
    [back] = tasks_to_articles(tasks, annotator).articles
    return next(s.label for s in back.sentences if s.kind == "body")


def test_latest_annotation_wins_unless_an_annotator_is_named():
    tasks = _two_annotations()
    assert _label_of_first_body_sentence(tasks) == "reported_fact"  # ana's is updated later
    assert _label_of_first_body_sentence(tasks, "8") == "opinion"
    assert _label_of_first_body_sentence(tasks, "BEN@example.com") == "opinion"
    tasks[0]["annotations"][0]["was_cancelled"] = True
    assert _label_of_first_body_sentence(tasks) == "opinion"


def test_choose_annotation_falls_back_to_created_at_then_id():
    task = {"annotations": [{"id": 3, "created_at": "2025-01-01T00:00:00Z"}, {"id": 2, "created_at": "2025-02-01T00:00:00Z"}]}
    assert choose_annotation(task, "task 1")["id"] == 2
    task = {"annotations": [{"id": 3}, {"id": 5}, {"id": 4}]}
    assert choose_annotation(task, "task 1")["id"] == 5
    assert choose_annotation({"annotations": []}, "task 1") is None


def test_tasks_without_annotation_are_skipped_and_none_is_an_error(tmp_path):
    tasks = exported(simple_article()) + [{"id": 9, "data": {"text": "Plain text."}, "annotations": []}]
    result = tasks_to_articles(tasks)
    assert [a.id for a in result.articles] == ["a1"] and result.skipped == ["9"]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks[1:]), encoding="utf-8")
    with pytest.raises(UserError, match="no task has an annotation"):
        import_export(path, tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()
    with pytest.raises(UserError, match="no task has an annotation by nobody"):
        path.write_text(json.dumps(tasks[:1]), encoding="utf-8")
        import_export(path, tmp_path / "out.jsonl", annotator="nobody")


# ---------------------------------------------------------------- errors


def _with(change) -> list[dict]:
    tasks = exported(simple_article())
    change(tasks[0], tasks[0]["annotations"][0]["result"])
    return tasks


def _region(results, region_id, control=ls.LABEL):
    return next(r for r in results if r.get("id") == region_id and r.get("from_name") == control)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t, r: _region(r, "s1")["value"].update(labels=["fact"]), r"^task 101: result \d+: unknown label 'fact' at \d+-\d+"),
        (lambda t, r: _region(r, "k0", ls.SEGMENT)["value"].update(labels=["footer"]), r"^task 101: .*unknown segment 'footer'"),
        (lambda t, r: r.append({"id": "x", "from_name": "sentiment", "type": "choices", "value": {"start": 0, "end": 3}}), r"^task 101: .*unknown control 'sentiment'"),
        (lambda t, r: t.pop("data"), r"^task 101: missing data.text"),
        (lambda t, r: t["data"].pop("text"), r"^task 101: missing data.text"),
        (lambda t, r: _region(r, "s1")["value"].pop("start"), r"^task 101: result \d+: 'start' and 'end' must be integers"),
        (lambda t, r: _region(r, "s1")["value"].update(end=10_000), r"^task 101: .*not within the task's text"),
        (lambda t, r: _region(r, "s1")["value"].update(text="something else"), r"^task 101: .*differs from the task's text"),
        (lambda t, r: t["annotations"][0].update(result="oops"), r"^task 101: an annotation's 'result' must be a list"),
        (lambda t, r: r.remove(_region(r, "s3")), r"^task 101: text at \d+-\d+ \('It was overdue.'\) has no region"),
        (lambda t, r: _region(r, "s2")["value"].update(labels=["reported_fact"]), r"^task 101: a Speaker is linked to the reported_fact sentence"),
        (lambda t, r: r.append({"type": "relation", "from_id": "s1", "to_id": "s3"}), r"^task 101: a relation links 's1' and 's3'"),
        (lambda t, r: _region(r, "s1")["value"].update(end=_region(r, "s1")["value"]["end"] + 3, text=None), r"^task 101: regions at .* overlap"),
    ],
)
def test_malformed_tasks_are_one_line_errors_naming_the_task(change, message):
    with pytest.raises(UserError, match=message) as info:
        tasks_to_articles(_with(change))
    assert "\n" not in str(info.value)


def test_a_file_that_is_not_an_export_is_a_user_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[{\"id\": 1,", encoding="utf-8")
    with pytest.raises(UserError, match=r"bad.json:1: bad JSON"):
        import_export(bad, tmp_path / "out.jsonl")
    bad.write_text("{\"tasks\": []}", encoding="utf-8")
    with pytest.raises(UserError, match="expected a JSON list of tasks"):
        import_export(bad, tmp_path / "out.jsonl")
    bad.write_text("[3]", encoding="utf-8")
    with pytest.raises(UserError, match=r"task #1: expected a task object"):
        import_export(bad, tmp_path / "out.jsonl")


# ---------------------------------------------------------------- choosing what to label


def test_select_uncertain_picks_the_least_sure_articles():
    def article(article_id: str, *confidences: float) -> Article:
        return Article(id=article_id, text="x" * 10, sentences=[
            Sentence(i, i + 1, label="opinion", confidence=c) for i, c in enumerate(confidences)])

    articles = [article("sure", 0.99, 0.95), article("unsure", 0.4, 0.6), article("mixed", 0.99, 0.5), article("tie", 0.4, 0.6)]
    assert article_uncertainty(articles[1]) == pytest.approx(0.5)
    assert [a.id for a in select_uncertain(articles, 3)] == ["tie", "unsure", "mixed"]
    articles.append(Article(id="gold", text="x", sentences=[Sentence(0, 1, label="opinion")]))
    with pytest.raises(UserError, match="'gold' has no sentence confidences"):
        select_uncertain(articles, 1)
    assert parse_select("uncertain:7") == 7
    for bad in ("uncertain", "uncertain:0", "random:3"):
        with pytest.raises(UserError, match="--select must be uncertain:N"):
            parse_select(bad)


# ---------------------------------------------------------------- the commands


@pytest.fixture()
def cli() -> typer.Typer:
    app = typer.Typer()
    export_app, import_app = typer.Typer(), typer.Typer()
    export_app.command("labelstudio")(export_labelstudio)
    import_app.command("labelstudio")(import_labelstudio)
    app.add_typer(export_app, name="export")
    app.add_typer(import_app, name="import")
    return app


def test_commands_round_trip_and_refuse_bad_options(cli, team, tmp_path):
    records = tmp_path / "team.jsonl"
    write_articles(records, team[:3])
    runner = CliRunner()
    out = runner.invoke(cli, ["export", "labelstudio", str(records), "-o", str(tmp_path / "tasks.json"), "--as", "annotations"])
    assert out.exit_code == 0, out.output
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    (tmp_path / "export.json").write_text(json.dumps(as_exported(tasks)), encoding="utf-8")
    out = runner.invoke(cli, ["import", "labelstudio", str(tmp_path / "export.json"), "-o", str(tmp_path / "back.jsonl"), "--annotator", "1"])
    assert out.exit_code == 0, out.output
    assert [speaker_view(a) for a in read_articles(tmp_path / "back.jsonl")] == [speaker_view(a) for a in team[:3]]
    out = runner.invoke(cli, ["export", "labelstudio", str(records), "-o", str(tmp_path / "t2.json"), "--as", "guesses"])
    assert isinstance(out.exception, UserError) and "--as must be predictions or annotations" in str(out.exception)
    out = runner.invoke(cli, ["export", "labelstudio", str(records), "-o", str(tmp_path / "t2.json"), "--select", "uncertain:2"])
    assert isinstance(out.exception, UserError) and "no sentence confidences" in str(out.exception)
    assert not (tmp_path / "t2.json").exists()


def _no_profile(source) -> dict:
    from saidwho.records import PROFILE_FIELDS

    return {k: v for k, v in source.to_dict().items() if k not in PROFILE_FIELDS}
