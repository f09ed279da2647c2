"""One article, one answer: a record depends on the article and the model, nothing else.

The shipped default (an int8 ONNX graph) once gave an article different
scores, labels and speakers depending on the other articles in its encoder
batch (dynamic int8 scales were taken over the whole batch tensor). Here 21
articles (the team's hand-annotated texts, in the repository) are scored
alone, and then every way a run can group them: forward, reversed, shuffled,
batch sizes 1, 3 and 16 through ``nlp.pipe``, and through ``saidwho score``
with one and two workers, the Ray engine, and ``--resume`` from an
``OUT.part`` cut in the middle of a record. Every record must be
byte-identical to the article's record scored alone.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from saidwho import Article, load
from saidwho.io import dumps_article, read_articles
from saidwho.paths import gold_dir

pytestmark = pytest.mark.slow

# Long enough for two or three encoder windows per article, short enough for CI.
MAX_CHARS = 2500


def _inputs() -> list[Article]:
    articles = []
    for gold in read_articles(gold_dir() / "team.jsonl"):
        text = gold.text
        if len(text) > MAX_CHARS:
            text = text[: text.rindex("\n\n", 0, MAX_CHARS)]
        articles.append(Article(id=gold.id, text=text, title=gold.title, outlet=gold.outlet))
    return articles


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    found = _inputs()
    assert len(found) >= 20
    return found


@pytest.fixture(scope="module")
def nlp():
    return load("default")


@pytest.fixture(scope="module")
def alone(nlp, articles) -> dict[str, str]:
    """Each article's record, scored on its own: the answer every run must give."""
    return {a.id: dumps_article(nlp(a)) for a in articles}


@pytest.fixture(scope="module")
def input_file(tmp_path_factory, articles) -> Path:
    path = tmp_path_factory.mktemp("determinism") / "in.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for a in articles:
            row = {"id": a.id, "text": a.text, "title": a.title, "outlet": a.outlet}
            handle.write(json.dumps({k: v for k, v in row.items() if v is not None}, ensure_ascii=False) + "\n")
    return path


def _same(alone: dict[str, str], records: list[str]) -> None:
    ids = [json.loads(r)["id"] for r in records]
    assert sorted(ids) == sorted(alone)
    differing = [i for i, r in zip(ids, records) if r != alone[i]]
    assert not differing, f"{len(differing)} of {len(ids)} records differ from the article scored alone: {differing[:5]}"


def test_the_default_is_the_int8_graph(nlp):
    # The case that once depended on the batch; keep the test on it.
    assert nlp.config.runtime == "onnx" and nlp.config.quantize == "int8"


@pytest.mark.parametrize(
    "order, batch_size",
    [("forward", 16), ("reversed", 16), ("shuffled", 16), ("forward", 1), ("shuffled", 3), ("reversed", 3)],
)
def test_pipe_gives_each_article_its_own_record(nlp, articles, alone, order, batch_size):
    run = list(articles)
    if order == "reversed":
        run.reverse()
    elif order == "shuffled":
        random.Random(7).shuffle(run)
    _same(alone, [dumps_article(a) for a in nlp.pipe(run, batch_size=batch_size)])


def _score(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "saidwho", "score", *args], cwd=cwd, capture_output=True, text=True, timeout=900)


@pytest.mark.parametrize("workers", [1, 2])
def test_score_command_gives_the_same_records(alone, input_file, tmp_path, workers):
    result = _score([str(input_file), "-o", "out.jsonl", "--workers", str(workers)], tmp_path)
    assert result.returncode == 0, result.stderr
    _same(alone, (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines())


def test_resume_from_a_record_cut_in_the_middle(alone, articles, input_file, tmp_path):
    # What a kill leaves: some whole records, then half of the next one.
    whole = [alone[a.id] for a in articles[:7]]
    cut = alone[articles[7].id]
    (tmp_path / "out.jsonl.part").write_text("\n".join(whole) + "\n" + cut[: len(cut) // 2], encoding="utf-8")
    result = _score([str(input_file), "-o", "out.jsonl", "--resume"], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [a.id for a in articles]
    _same(alone, lines)


def test_ray_engine_gives_the_same_records(alone, input_file, tmp_path):
    pytest.importorskip("ray", reason="Ray is not installed (pip install 'saidwho[ray]'); .ci/run installs it")
    result = _score([str(input_file), "-o", "out.jsonl", "--engine", "ray", "--workers", "2"], tmp_path)
    assert result.returncode == 0, result.stderr
    _same(alone, (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines())
