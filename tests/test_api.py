"""The public Python face: saidwho.load, nlp(text), nlp(Article), nlp.pipe, python -m saidwho."""

import copy
import re
import subprocess
import sys

import pytest

import saidwho
from saidwho import Article, UserError

TEXT = "Port strike\n\nThe port authority said cargo handling had stopped. “We are ready to talk,” said Dana Ortiz."


@pytest.fixture(scope="module")
def nlp():
    return saidwho.load("rules")


def test_top_level_exports():
    for name in ("load", "Article", "Sentence", "Source", "Attribution", "Pipeline", "Component", "UserError"):
        assert hasattr(saidwho, name), name


def test_load_default_is_the_cli_default():
    import inspect

    import typer

    from saidwho.cli import app
    from saidwho.models.config import DEFAULT_MODEL, ModelConfig

    assert inspect.signature(saidwho.load).parameters["name"].default == DEFAULT_MODEL
    commands = typer.main.get_command(app).commands
    for command in ("score", "bench"):
        (option,) = [p for p in commands[command].params if p.name == "model"]
        assert option.default == DEFAULT_MODEL, command
    assert ModelConfig.from_pretrained(DEFAULT_MODEL).name == "minilm-v4-hybrid-context-int8"


def test_call_on_text_returns_an_analysed_article(nlp):
    article = nlp(TEXT)
    assert isinstance(article, Article)
    labels = [s.label for s in article.sentences if s.labelled]
    assert labels == ["sourced_claim", "sourced_claim"]
    names = {s.id: s.name for s in article.sources}
    assert [names[s.speaker] for s in article.sentences if s.speaker] == ["The port authority", "Dana Ortiz"]


def test_call_never_changes_its_input(nlp):
    given = Article(id="a1", text=TEXT, title="Port strike", outlet="Harbour News", extra={"batch": 3})
    before = copy.deepcopy(given.to_dict())
    out = nlp(given)
    assert out is not given
    assert given.to_dict() == before and given.sentences == [] and given.summary is None
    assert out.id == "a1" and out.outlet == "Harbour News" and out.to_dict()["batch"] == 3
    # Running again on the output reads only its text: the same result.
    assert nlp(out).to_dict() == out.to_dict()


def test_pipe_is_lazy_and_in_order(nlp):
    seen = []

    def texts():
        for n in range(3):
            seen.append(n)
            yield f"Headline {n}\n\nThe mayor said the budget was balanced in year {n}."

    results = nlp.pipe(texts(), batch_size=2)
    assert seen == []  # nothing read before the first result is asked for
    first = next(results)
    assert seen == [0, 1] and first.id == "text-1"
    rest = list(results)
    assert [a.id for a in rest] == ["text-2", "text-3"]
    assert "year 2" in rest[-1].text


def test_empty_text_is_a_user_error(nlp):
    with pytest.raises(UserError, match="empty article"):
        nlp("   \n ")


def test_record_has_the_attribution_result(nlp):
    record = nlp(TEXT).to_dict()
    quote = [s for s in record["sentences"] if s["text"].startswith("“We are")][0]
    assert quote["attribution"]["mode"] == "direct"
    assert quote["attribution"]["source_span"] == quote["speaker_span"]
    said = [s for s in record["sentences"] if s["text"].startswith("The port")][0]
    assert said["attribution"]["mode"] == "indirect" and said["attribution"]["via"] == "verb"
    # Read back, the attribution survives a round trip.
    again = Article.from_dict(record).to_dict()
    assert again["sentences"] == record["sentences"]


def test_python_dash_m_saidwho_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "saidwho", "--version"], capture_output=True, text=True, check=True)
    assert re.match(r"saidwho \d+\.\d+", result.stdout)
