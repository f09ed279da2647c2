"""Scoring past one machine: Ray Data (``pip install 'saidwho[ray]'``).

    import ray, saidwho.ray
    ray.init()                                   # or ray.init(address="ray://head:10001")
    ds = ray.data.read_parquet("s3://bucket/articles/")
    scored = saidwho.ray.score(ds, model="default", concurrency=8)
    scored.write_parquet("s3://bucket/scored/")

Each Ray worker runs one :class:`Scorer` actor that loads the model once;
``map_batches`` feeds it batches of rows, and it adds the same record columns
as :func:`saidwho.batch.tables.score_dataset` through the same scoring step
(:func:`saidwho.batch.tables.score_columns`), so records equal the local path's.
``saidwho score --engine ray`` reads JSONL or Parquet files this way and
writes one output file in input order.
"""

from __future__ import annotations

from pathlib import Path

from saidwho.errors import UserError
from saidwho.pipeline.core import BATCH_SIZE


def _ray():
    try:
        import ray
    except ImportError:
        raise UserError("the Ray engine needs Ray: pip install 'saidwho[ray]'") from None
    return ray


class Scorer:
    """A Ray actor: the model, loaded once per worker, scoring batches of rows."""

    def __init__(self, model: str, text_column: str, id_column: str | None, jsonl_lines: bool = False):
        from saidwho.pipeline import load

        self.pipeline = load(model)
        self.text_column = text_column
        self.id_column = id_column
        self.jsonl_lines = jsonl_lines

    def __call__(self, batch: dict) -> dict:
        from saidwho.batch.tables import article_columns, score_columns

        if self.jsonl_lines:
            # Whole JSONL lines, read as the local path reads them (title,
            # outlet and extra fields kept), so the records are the same.
            from saidwho.ingest import jsonl_line_article

            return article_columns(self.pipeline, [jsonl_line_article(line, "ray-input", n) for n, line in enumerate(batch["text"], start=1)])
        out = {name: list(values) for name, values in batch.items()}
        out.update(score_columns(self.pipeline, batch, self.text_column, self.id_column))
        return out


def score(dataset, model: str = "default", *, text_column: str = "text", id_column: str | None = "id", concurrency: int = 1, batch_size: int = BATCH_SIZE, jsonl_lines: bool = False):
    """A Ray Dataset with the record columns added (lazy, like every Ray Data step).
    With ``jsonl_lines`` its "text" column holds whole JSONL lines (``ray.data.read_text``)."""
    if text_column not in dataset.columns():
        raise UserError(f"dataset has no column {text_column!r} (columns: {', '.join(dataset.columns())})")
    return dataset.map_batches(
        Scorer,
        fn_constructor_kwargs={"model": model, "text_column": text_column, "id_column": id_column, "jsonl_lines": jsonl_lines},
        batch_size=batch_size,
        concurrency=concurrency,
        batch_format="default",
    )


def score_files(paths: list[str], output: Path, model: str, *, address: str | None = None, text_column: str = "text", id_column: str = "id", concurrency: int = 1) -> int:
    """``saidwho score --engine ray``: JSONL or Parquet files in, one JSONL or Parquet file out, in input order."""
    from saidwho.batch.output import output_sink, write_all
    from saidwho.batch.tables import record_from_row

    ray = _ray()
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    ray.data.DataContext.get_current().execution_options.preserve_order = True
    files = [str(p) for p in paths]
    # Reading reserves no CPU: with every CPU given to a scoring actor, a read
    # task that waits for one would never run.
    reading = {"num_cpus": 0}
    if all(f.endswith(".parquet") for f in files):
        dataset = ray.data.read_parquet(files, ray_remote_args=reading)
    elif all(f.endswith((".jsonl", ".json")) for f in files):
        dataset = ray.data.read_text(files, drop_empty_lines=True, ray_remote_args=reading)
    else:
        raise UserError("the Ray engine reads .jsonl or .parquet files (not a mix, folders or stdin)")
    jsonl = not files[0].endswith(".parquet")
    scored = score(dataset, model, text_column="text" if jsonl else text_column, id_column=id_column, concurrency=concurrency, jsonl_lines=jsonl)
    return write_all(output_sink(output), (record_from_row(row) for row in scored.iter_rows()))
