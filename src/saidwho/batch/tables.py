"""Tables in and out: Parquet files and ``datasets.Dataset`` (through pyarrow).

- :func:`iter_parquet_articles` reads a Parquet file lazily, one row group at
  a time: a text column and, where present, an id column (``--text-column``,
  ``--id-column``); a row without an id gets ``<file stem>-<row number>``.
- :class:`ParquetOutput` writes scored articles to ``OUT.part`` batch by batch
  and renames it to ``OUT`` at the end, like the JSONL output
  (:mod:`saidwho.batch.output`).
- :func:`score_dataset` adds the record columns to a ``datasets.Dataset``
  with ``Dataset.map(batched=True, num_proc=N)``.

The record columns: the input's own columns are kept, and ``saidwho_record``
holds the whole FORMAT.md record as JSON (lossless, the same line ``score``
writes to JSONL), beside flat columns for quick filtering: the counts of
reported facts, sourced claims and opinions, and of anonymous sources.

A Parquet output file also has a column for each metadata key of its
articles (see :class:`ParquetOutput`): ``title``, ``url``, ``outlet`` and
``published`` always, then the other keys of the records (``extra``) in the
order they first appear; null where an article lacks the key.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from saidwho.errors import UserError
from saidwho.io import dumps_article
from saidwho.pipeline.core import BATCH_SIZE
from saidwho.reader import parquet_rows
from saidwho.records import GENDERS, SOURCE_CATEGORIES, Article

RECORD_COLUMNS = (
    "saidwho_record", "saidwho_facts", "saidwho_sourced", "saidwho_opinions", "saidwho_anonymous_sources",
    # Who gets a voice (issue 22): sourced sentences by the speaker's category,
    # named persons who speak by gender, anonymous sources with a stated reason.
    *(f"saidwho_sourced_{category}" for category in SOURCE_CATEGORIES),
    *(f"saidwho_persons_{gender}" for gender in GENDERS),
    "saidwho_anonymous_with_reason",
)
METADATA_COLUMNS = ("title", "url", "outlet", "published")  # FORMAT.md's article metadata: read from input columns, a column in every output file


def iter_parquet_articles(path: Path, text_column: str = "text", id_column: str = "id", on_error=None) -> Iterator[Article]:
    """The articles of a Parquet file, row group by row group; ``on_error`` takes
    an empty row and skips it (see :func:`saidwho.ingest.load_inputs`)."""
    rows = parquet_rows(path, [text_column, id_column, *METADATA_COLUMNS], required=text_column,
                        missing=" (columns: {columns}); choose one with --text-column")
    for row, values in rows:
        text = values[text_column]
        if not isinstance(text, str) or not text.strip():
            error = UserError(f"{path}:row {row}: empty article")
            if on_error is None:
                raise error
            on_error(error)
            continue
        yield row_article(values, text_column, id_column, f"{path.stem}-{row}")


def row_article(values: dict[str, Any], text_column: str, id_column: str | None, default_id: str) -> Article:
    """The article of one input row (of a Parquet file, or of a ``datasets`` or
    Ray batch): its text, its id (``default_id`` where it has none) and its
    metadata (:func:`row_metadata`)."""
    given = values.get(id_column) if id_column else None
    return Article(id=str(given) if given not in (None, "") else default_id, text=str(values[text_column]), **row_metadata(values))


def row_metadata(values: dict[str, Any]) -> dict[str, str]:
    """The metadata fields of one input row, as the record's strings: a date
    column's value as its ISO date, empty and missing values left out."""
    out = {}
    for name in METADATA_COLUMNS:
        value = values.get(name)
        if type(value).__name__ == "datetime64":  # numpy, in Ray's batches: as pyarrow's rows give it
            value = None if str(value) == "NaT" else _numpy_datetime(value)
        if value is None or (isinstance(value, float) and value != value) or value == "":
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        out[name] = str(value)
    return out


def _numpy_datetime(value):
    """A numpy datetime64 as the Python date (day unit) or datetime pyarrow would give."""
    import numpy as np

    unit = np.datetime_data(value.dtype)[0]
    return value.item() if unit == "D" else value.astype("datetime64[us]").item()


def record_columns(article: Article) -> dict[str, Any]:
    labels = [s.label for s in article.sentences if s.label]
    return {
        "saidwho_record": dumps_article(article),
        "saidwho_facts": labels.count("reported_fact"),
        "saidwho_sourced": labels.count("sourced_claim"),
        "saidwho_opinions": labels.count("opinion"),
        "saidwho_anonymous_sources": sum(1 for s in article.sources if s.type == "anonymous"),
        **profile_columns(article),
    }


def profile_columns(article: Article) -> dict[str, int]:
    """The per-article counts of the source profiles (0 where the record has none)."""
    summary = article.summary or {}
    categories, persons = summary.get("category_sentences", {}), summary.get("gender_persons", {})
    return {
        **{f"saidwho_sourced_{c}": int(categories.get(c, 0)) for c in SOURCE_CATEGORIES},
        **{f"saidwho_persons_{g}": int(persons.get(g, 0)) for g in GENDERS},
        "saidwho_anonymous_with_reason": int(summary.get("anonymous_with_reason", 0)),
    }


# ---------------------------------------------------------------- metadata column types
#
# Each metadata column gets the type its values share: bool, int64, float64
# (ints and floats mixed), date32 (every value an ISO date "YYYY-MM-DD"),
# else string (values of mixed or nested type as JSON text, strings as they
# are). Types are merged over the whole file, so a later article can widen a
# column (see ParquetOutput._widen).

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INT64 = range(-(1 << 63), 1 << 63)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int" if value in _INT64 else "json"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):
            try:
                datetime.date.fromisoformat(value)
                return "date"
            except ValueError:
                pass
        return "str"
    return "json"


def _merge(a: str, b: str) -> str:
    if a == b or b == "null":
        return a
    if a == "null":
        return b
    if {a, b} == {"int", "float"}:
        return "float"
    if {a, b} <= {"date", "str"}:
        return "str"
    return "json"


def _arrow_type(kind: str):
    import pyarrow as pa

    return {"bool": pa.bool_(), "int": pa.int64(), "float": pa.float64(), "date": pa.date32()}.get(kind, pa.string())


def _cell(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "float":
        return float(value)
    if kind == "date":
        return datetime.date.fromisoformat(value)
    if kind in ("str", "json") and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return value


def article_metadata(article: Article) -> dict[str, Any]:
    """The metadata of an article by key: FORMAT.md's fields, then its other
    record fields (``extra``) whose names are not taken by another column."""
    meta = {key: getattr(article, key) for key in METADATA_COLUMNS}
    meta.update((key, value) for key, value in article.extra.items() if key not in meta and key not in _NOT_METADATA)
    return meta


_NOT_METADATA = frozenset({"id", "text", *RECORD_COLUMNS})


class ParquetOutput:
    """Scored articles to ``OUT.part`` as Parquet row groups; ``OUT`` at the end.

    Columns: ``id``, ``text``, one per metadata key (:func:`article_metadata`,
    typed as the module doc says), then :data:`RECORD_COLUMNS`.
    """

    def __init__(self, path: Path, batch_rows: int = 64):
        self.path = path
        self.part = path.with_name(path.name + ".part")
        self.batch_rows = batch_rows
        self.done: set[str] = set()  # no --resume for Parquet: a row group cut by a kill cannot be kept
        self._rows: list[dict[str, Any]] = []
        self._kinds: dict[str, str] = dict.fromkeys(METADATA_COLUMNS, "null")  # metadata key -> kind, in column order
        self._writer = None
        self._schema = None

    def write(self, article: Article) -> None:
        self._rows.append({"id": article.id, "text": article.text, **article_metadata(article), **record_columns(article)})
        if len(self._rows) >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        import pyarrow.parquet as pq

        if not self._rows:
            return
        for row in self._rows:
            for key, value in row.items():  # in row order: new keys become columns in the order they appear
                if key not in _NOT_METADATA:
                    self._kinds[key] = _merge(self._kinds.get(key, "null"), _kind(value))
        schema = self._arrow_schema()
        if self._writer is not None and schema != self._schema:
            self._widen(schema)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.part, schema)
        self._schema = schema
        self._writer.write_table(self._table(self._rows, schema))
        self._rows = []

    def _arrow_schema(self):
        import pyarrow as pa

        fields = [pa.field("id", pa.string()), pa.field("text", pa.string())]
        fields += [pa.field(key, _arrow_type(kind)) for key, kind in self._kinds.items()]
        fields += [pa.field("saidwho_record", pa.string())] + [pa.field(c, pa.int64()) for c in RECORD_COLUMNS[1:]]
        return pa.schema(fields)

    def _table(self, rows: list[dict[str, Any]], schema):
        import pyarrow as pa

        columns = {
            name: [_cell(row.get(name), self._kinds[name]) if name in self._kinds else row[name] for row in rows]
            for name in schema.names
        }
        return pa.Table.from_pydict(columns, schema=schema)

    def _widen(self, schema) -> None:
        """A batch brought a new metadata key or a wider type: the rows written
        so far are copied into a new ``.part`` with the new columns and types,
        their metadata read again from their records (so that nothing is
        converted twice). Rare (new keys stop appearing early in a corpus),
        and it keeps one schema for the whole file."""
        import pyarrow.parquet as pq

        self._writer.close()
        self._writer = None
        old = self.part.with_name(self.part.name + ".old")
        os.replace(self.part, old)
        try:
            self._writer = pq.ParquetWriter(self.part, schema)
            for batch in pq.ParquetFile(old).iter_batches(batch_size=self.batch_rows):
                rows = [{**row, **article_metadata(record_from_row(row))} for row in batch.to_pylist()]
                self._writer.write_table(self._table(rows, schema))
        finally:
            old.unlink(missing_ok=True)

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


def score_columns(pipeline, batch: dict[str, Any], text_column: str, id_column: str | None) -> dict[str, list]:
    """The record columns for a batch of input rows (column name to values, as
    ``Dataset.map`` and Ray's ``map_batches`` give them), each row read by
    :func:`row_article`; a row without an id gets ``row-N``, N its place in the batch."""
    names = [name for name in (text_column, id_column, *METADATA_COLUMNS) if name in batch]
    rows = [dict(zip(names, values)) for values in zip(*(batch[name] for name in names))]
    return article_columns(pipeline, [row_article(row, text_column, id_column, f"row-{n}") for n, row in enumerate(rows)])


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
    return score_columns(_PIPELINES[model], batch, text_column, id_column)


def score_dataset(dataset, model: str = "default", *, text_column: str = "text", id_column: str | None = "id", num_proc: int | None = None, batch_size: int = BATCH_SIZE):
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
