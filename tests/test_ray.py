"""The Ray Data engine on a local Ray: the same records as the local path."""

from __future__ import annotations

import json

import pytest

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'saidwho[ray]'); .ci/run installs it")

TEXTS = [f"Item {n}. Mayor Ana Ruiz said the budget would pass. Critics said it was rushed." for n in range(10)]


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    yield
    ray.shutdown()


def test_ray_engine_writes_the_local_records(local_ray, tmp_path):
    from saidwho import Article, load
    from saidwho.ray import score_files

    inputs = tmp_path / "in.jsonl"
    inputs.write_text("".join(json.dumps({"id": f"d{n}", "text": t}) + "\n" for n, t in enumerate(TEXTS)), encoding="utf-8")
    count = score_files([str(inputs)], tmp_path / "out.jsonl", "rules")
    assert count == 10
    local = [json.dumps(a.to_dict(), ensure_ascii=False) for a in load("rules").pipe(Article(id=f"d{n}", text=t) for n, t in enumerate(TEXTS))]
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [json.loads(line) for line in local]


def test_ray_score_adds_the_record_columns(local_ray):
    import ray.data

    from saidwho.ray import score
    from saidwho.batch.tables import RECORD_COLUMNS

    dataset = ray.data.from_items([{"id": f"d{n}", "text": t} for n, t in enumerate(TEXTS[:4])])
    rows = score(dataset, "rules").take_all()
    assert sorted(r["id"] for r in rows) == ["d0", "d1", "d2", "d3"]
    assert set(RECORD_COLUMNS) <= set(rows[0])


def test_ray_engine_keeps_parquet_metadata_as_the_local_path_does(local_ray, tmp_path):
    import datetime

    import pyarrow as pa
    import pyarrow.parquet as pq

    from saidwho import load
    from saidwho.batch.ray import score_files
    from saidwho.batch.tables import iter_parquet_articles
    from saidwho.io import dumps_article

    pq.write_table(pa.table({
        "id": ["a", "b"], "text": TEXTS[:2], "outlet": ["Daily A", None], "published": [datetime.date(2024, 5, 1), None],
    }), tmp_path / "in.parquet")
    score_files([str(tmp_path / "in.parquet")], tmp_path / "out.jsonl", "rules")
    local = [dumps_article(a) for a in load("rules").pipe(iter_parquet_articles(tmp_path / "in.parquet"))]
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines == local
    assert json.loads(lines[0])["outlet"] == "Daily A" and json.loads(lines[0])["published"] == "2024-05-01"
