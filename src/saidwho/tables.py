"""Tables in and out: Parquet files and ``datasets.Dataset`` (through pyarrow).

- :func:`iter_parquet_articles` reads a Parquet file lazily, one row group at
  a time: a text column and, where present, an id column (``--text-column``,
  ``--id-column``); a row without an id gets ``<file stem>-<row number>``.
- :class:`ParquetOutput` writes scored articles to ``OUT.part`` batch by batch
  and renames it to ``OUT`` at the end, like the JSONL output
  (:mod:`saidwho.batch`).
- :func:`score_dataset` adds the record columns to a ``datasets.Dataset``
  with ``Dataset.map(batched=True, num_proc=N)``.

The record columns: the input's own columns are kept, and ``saidwho_record``
holds the whole FORMAT.md record as JSON (lossless, the same line ``score``
writes to JSONL), beside flat columns for quick filtering: the counts of
reported facts, sourced claims and opinions, and of anonymous sources.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from saidwho.errors import UserError
from saidwho.io import dumps_article
from saidwho.records import Article

RECORD_COLUMNS = ("saidwho_record", "saidwho_facts", "saidwho_sourced", "saidwho_opinions", "saidwho_anonymous_sources")


def iter_parquet_articles(path: Path, text_column: str = "text", id_column: str = "id", on_error=None) -> Iterator[Article]:
    """The articles of a Parquet file, row group by row group; ``on_error`` takes
    an empty row and skips it (see :func:`saidwho.ingest.load_inputs`)."""
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
        raise UserError(f"{path}: not a readable Parquet file ({exc})") from None
    names = table.schema_arrow.names
    if text_column not in names:
        raise UserError(f"{path}: no column {text_column!r} (columns: {', '.join(names)}); choose one with --text-column")
    columns = [text_column] + ([id_column] if id_column in names and id_column != text_column else [])
    row = 0
    for batch in table.iter_batches(batch_size=256, columns=columns):
        data = batch.to_pydict()
        for index, text in enumerate(data[text_column]):
            row += 1
            where = f"{path}:row {row}"
            if not isinstance(text, str) or not text.strip():
                error = UserError(f"{where}: empty article")
                if on_error is None:
                    raise error
                on_error(error)
                continue
            given = data[id_column][index] if id_column in data else None
            yield Article(id=str(given) if given not in (None, "") else f"{path.stem}-{row}", text=text)


def record_columns(article: Article) -> dict[str, Any]:
    labels = [s.label for s in article.sentences if s.label]
    return {
        "saidwho_record": dumps_article(article),
        "saidwho_facts": labels.count("reported_fact"),
        "saidwho_sourced": labels.count("sourced_claim"),
        "saidwho_opinions": labels.count("opinion"),
        "saidwho_anonymous_sources": sum(1 for s in article.sources if s.type == "anonymous"),
    }


class ParquetOutput:
    """Scored articles to ``OUT.part`` as Parquet row groups; ``OUT`` at the end."""

    def __init__(self, path: Path, batch_rows: int = 64):
        self.path = path
        self.part = path.with_name(path.name + ".part")
        self.batch_rows = batch_rows
        self.done: set[str] = set()  # no --resume for Parquet: a row group cut by a kill cannot be kept
        self._rows: list[dict[str, Any]] = []
        self._writer = None

    def write(self, article: Article) -> None:
        self._rows.append({"id": article.id, "text": article.text, **record_columns(article)})
        if len(self._rows) >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._rows:
            return
        table = pa.Table.from_pylist(self._rows)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.part, table.schema)
        self._writer.write_table(table)
        self._rows = []

    def finish(self) -> None:
        self.flush()
        if self._writer is not None:
            self._writer.close()
        os.replace(self.part, self.path)

    def close(self) -> None:
        self.flush()
        if self._writer is not None:
            self._writer.close()


_PIPELINES: dict[str, Any] = {}


def score_columns(pipeline, texts: list[str], ids: list | None) -> dict[str, list]:
    """The record columns for a batch of texts (ids where given, else row numbers)."""
    ids = ids if ids is not None else [None] * len(texts)
    return article_columns(pipeline, [Article(id=str(i) if i not in (None, "") else f"row-{n}", text=str(t)) for n, (i, t) in enumerate(zip(ids, texts))])


def article_columns(pipeline, articles: list[Article]) -> dict[str, list]:
    """The record columns for a batch of articles: the one scoring step that
    score_dataset and the Ray engine share."""
    scored = [record_columns(a) for a in pipeline.pipe(articles)]
    return {column: [row[column] for row in scored] for column in RECORD_COLUMNS}


def _score_batch(batch: dict[str, list], model: str, text_column: str, id_column: str | None) -> dict[str, list]:
    from saidwho.pipeline import load

    # One pipeline per worker process, loaded on its first batch.
    if model not in _PIPELINES:
        _PIPELINES[model] = load(model)
    ids = batch[id_column] if id_column and id_column in batch else None
    return score_columns(_PIPELINES[model], batch[text_column], ids)


def score_dataset(dataset, model: str = "default", *, text_column: str = "text", id_column: str | None = "id", num_proc: int | None = None, batch_size: int = 16):
    """``dataset`` with the record columns added (see the module doc), through
    ``Dataset.map(batched=True, num_proc=num_proc)``; each worker loads the model once."""
    if text_column not in dataset.column_names:
        raise UserError(f"dataset has no column {text_column!r} (columns: {', '.join(dataset.column_names)})")
    return dataset.map(
        _score_batch,
        batched=True,
        batch_size=batch_size,
        num_proc=num_proc,
        fn_kwargs={"model": model, "text_column": text_column, "id_column": id_column},
        desc="saidwho",
    )


def record_from_row(row: dict[str, Any]) -> Article:
    """The scored article back from a ``saidwho_record`` cell."""
    return Article.from_dict(json.loads(row["saidwho_record"]))
