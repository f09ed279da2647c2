"""Parquet in and out, and datasets.Dataset scoring: the same records as the local JSONL path."""

from __future__ import annotations

import json
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from saidwho.errors import UserError
from saidwho.tables import RECORD_COLUMNS, iter_parquet_articles, record_from_row, score_dataset

TEXTS = [
    "Ana Ruiz, the mayor, said the budget would pass. Critics disagreed.",
    "The council met on Monday. It voted 7-2 to close the pier.",
    "This is a terrible idea, and the city should drop it.",
]


def _score(args, cwd):
    return subprocess.run([sys.executable, "-m", "saidwho", "score", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_parquet_rows_become_articles_with_their_ids(tmp_path):
    path = tmp_path / "in.parquet"
    pq.write_table(pa.table({"body": TEXTS, "doc": ["d1", None, "d3"]}), path)
    articles = list(iter_parquet_articles(path, text_column="body", id_column="doc"))
    assert [a.id for a in articles] == ["d1", "in-2", "d3"] and articles[0].text == TEXTS[0]
    with pytest.raises(UserError, match="no column 'text'"):
        list(iter_parquet_articles(path))


def test_parquet_in_and_out_carry_the_jsonl_records(tmp_path):
    pq.write_table(pa.table({"body": TEXTS, "doc": ["d1", "d2", "d3"]}), tmp_path / "in.parquet")
    as_jsonl = _score(["in.parquet", "--text-column", "body", "--id-column", "doc", "-o", "out.jsonl", "-m", "rules"], tmp_path)
    as_parquet = _score(["in.parquet", "--text-column", "body", "--id-column", "doc", "-o", "out.parquet", "-m", "rules"], tmp_path)
    assert as_jsonl.returncode == 0 and as_parquet.returncode == 0, as_jsonl.stderr + as_parquet.stderr
    table = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [row["id"] for row in table] == ["d1", "d2", "d3"]
    assert set(RECORD_COLUMNS) <= set(table[0])
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert [row["saidwho_record"] for row in table] == lines
    first = record_from_row(table[0])
    assert table[0]["saidwho_sourced"] == sum(1 for s in first.sentences if s.label == "sourced_claim") >= 1


@pytest.mark.parametrize("num_proc", [None, 2])
def test_score_dataset_adds_the_record_columns(num_proc):
    from datasets import Dataset

    from saidwho import Article, load

    dataset = Dataset.from_dict({"id": ["d1", "d2", "d3"], "text": TEXTS})
    scored = score_dataset(dataset, "rules", num_proc=num_proc, batch_size=2)
    assert scored.column_names == ["id", "text", *RECORD_COLUMNS]
    local = [a.to_dict() for a in load("rules").pipe(Article(id=i, text=t) for i, t in zip(dataset["id"], TEXTS))]
    assert [json.loads(r) for r in scored["saidwho_record"]] == local
