"""Parquet in and out, and datasets.Dataset scoring: the same records as the local JSONL path."""

from __future__ import annotations

import json
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from saidwho.errors import UserError
from saidwho.batch.tables import RECORD_COLUMNS, iter_parquet_articles, record_from_row, score_dataset

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


# ---------------------------------------------------------------- metadata columns


def test_parquet_output_gives_metadata_its_own_typed_columns(tmp_path):
    """Two articles with different metadata keys: a column per key, null where absent, typed."""
    import datetime

    records = [
        {"id": "a", "text": TEXTS[0], "outlet": "Daily Planet", "published": "2024-05-01",
         "section": "Business", "words": 120, "tags": ["port", "strike"]},
        {"id": "b", "text": TEXTS[1], "title": "Pier closes", "url": "https://example.org/pier",
         "published": "2024-05-02", "paywall": True, "words": 95.5},
    ]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    run = _score(["in.jsonl", "-o", "out.parquet", "-m", "rules"], tmp_path)
    assert run.returncode == 0, run.stderr
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.column_names == ["id", "text", "title", "url", "outlet", "published",
                                  "section", "words", "tags", "paywall", *RECORD_COLUMNS]
    types = {name: str(table.schema.field(name).type) for name in table.column_names}
    assert types["published"] == "date32[day]" and types["words"] == "double" and types["paywall"] == "bool"
    assert types["section"] == types["tags"] == types["outlet"] == "string"
    rows = table.to_pylist()
    assert [row["published"] for row in rows] == [datetime.date(2024, 5, 1), datetime.date(2024, 5, 2)]
    assert [row["outlet"] for row in rows] == ["Daily Planet", None]
    assert [row["title"] for row in rows] == [None, "Pier closes"]
    assert [row["words"] for row in rows] == [120.0, 95.5]
    assert [row["paywall"] for row in rows] == [None, True]
    assert [row["section"] for row in rows] == ["Business", None]
    assert json.loads(rows[0]["tags"]) == ["port", "strike"] and rows[1]["tags"] is None
    # the columns say what the records say
    for row, given in zip(rows, records):
        record = json.loads(row["saidwho_record"])
        assert {k: record.get(k) for k in ("outlet", "title", "url")} == {k: row[k] for k in ("outlet", "title", "url")}
        assert record["published"] == given["published"] == row["published"].isoformat()
        assert record.get("section") == row["section"] and record.get("paywall") == row["paywall"]


def test_parquet_metadata_columns_widen_over_batches(tmp_path):
    """A key first seen in a later batch, or a value that no longer fits the
    column's type, rewrites the rows already written: one schema, nothing left over."""
    from saidwho.records import Article
    from saidwho.batch.tables import ParquetOutput

    out = tmp_path / "out.parquet"
    sink = ParquetOutput(out, batch_rows=1)
    sink.write(Article(id="a", text="One.", published="2024-05-01", extra={"n": 3, "saidwho_facts": "mine"}))
    sink.write(Article(id="b", text="Two.", published="May 2, 2024", extra={"n": 2.5, "desk": "metro"}))
    sink.write(Article(id="c", text="Three.", extra={"n": "many"}))
    sink.write(Article(id="d", text="Four."))
    sink.finish()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet"]
    table = pq.read_table(out)
    assert table.column_names == ["id", "text", "title", "url", "outlet", "published", "n", "desk", *RECORD_COLUMNS]
    rows = table.to_pylist()
    assert [row["published"] for row in rows] == ["2024-05-01", "May 2, 2024", None, None]
    assert [row["n"] for row in rows] == ["3", "2.5", "many", None]
    assert [row["desk"] for row in rows] == [None, "metro", None, None]
    assert [row["title"] for row in rows] == [None] * 4 and str(table.schema.field("title").type) == "string"
    # a key named like a record column stays in the record only
    assert rows[0]["saidwho_facts"] == 0 and json.loads(rows[0]["saidwho_record"])["saidwho_facts"] == "mine"
    assert [row["id"] for row in rows] == ["a", "b", "c", "d"]


def _metadata_table() -> pa.Table:
    import datetime

    return pa.table({
        "id": ["a", "b"],
        "body": ["The mayor said the budget would pass. Critics disagreed.", "It rained on Monday."],
        "title": ["Budget passes", "Rain"],
        "outlet": ["Daily A", None],
        "published": [datetime.date(2024, 5, 1), None],
    })


def _expected_metadata() -> list[dict]:
    return [
        {"id": "a", "title": "Budget passes", "outlet": "Daily A", "published": "2024-05-01"},
        {"id": "b", "title": "Rain", "outlet": None, "published": None},
    ]


def test_parquet_input_metadata_reaches_the_records(tmp_path):
    # Without it, `report --by outlet` on scored Parquet put every article in "(none)".
    pq.write_table(_metadata_table(), tmp_path / "in.parquet")
    articles = list(iter_parquet_articles(tmp_path / "in.parquet", text_column="body"))
    assert [{"id": a.id, "title": a.title, "outlet": a.outlet, "published": a.published} for a in articles] == _expected_metadata()


def test_score_dataset_keeps_the_metadata_columns_in_the_records():
    from datasets import Dataset

    rows = _metadata_table().to_pylist()
    for row in rows:  # datasets keeps dates as dates; a string column is what most users have
        row["published"] = row["published"].isoformat() if row["published"] else None
    scored = score_dataset(Dataset.from_list(rows), "rules", text_column="body")
    records = [json.loads(r) for r in scored["saidwho_record"]]
    assert [{k: r.get(k) for k in ("id", "title", "outlet", "published")} for r in records] == _expected_metadata()
