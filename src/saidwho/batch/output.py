"""Batch output that survives interruption: records go to ``OUT.part`` as they are scored.

``saidwho score ... -o OUT.jsonl`` writes each finished record to
``OUT.jsonl.part``, flushed every :data:`FLUSH_EVERY` records, and renames it
to ``OUT.jsonl`` only when every input is scored. ``--resume`` continues from the ``.part``
file: it keeps its complete lines (a line cut by a kill is dropped), skips the
ids already written, and appends the rest in input order, so the final file is
byte-identical to the one an uninterrupted run writes.

Every check on the output path, and one reading pass over the inputs (bad
files and JSONL lines), run before the model loads and before anything is
written, so a typo costs nothing: the folder must exist and be writable,
the path must not be a folder, and an existing output is replaced only with
``--force``. The reading pass also refuses an article longer than
``--max-chars`` (:data:`MAX_CHARS` by default): one pasted file of megabytes
on one line would otherwise run for many minutes with no output.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from saidwho.errors import UserError
from saidwho.io import check_writable, dumps_article
from saidwho.records import Article


# Characters per article: about six times the longest PolNeAR article and
# more than a 30,000-word long read; --max-chars raises it.
MAX_CHARS = 200_000

# Articles between two flushes of OUT.part (and, for Parquet, one row group):
# what a kill can lose at most.
FLUSH_EVERY = 16


def check_output_path(path: Path, *, force: bool, resume: bool = False) -> None:
    """The checks that must pass before any scoring starts (one clear line each)."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UserError(f"{path}: is a folder; give a file name for the output")
    if not folder.is_dir():
        raise UserError(f"{path}: folder {folder} does not exist")
    check_writable(path)
    if path.exists() and not force:
        if resume:
            raise UserError(f"{path}: already complete (nothing to resume); pass --force to score again")
        raise UserError(f"{path}: exists; pass --force to replace it (or --resume to continue an interrupted run)")


def check_article_size(article: Article, limit: int) -> None:
    """Refuse an article longer than ``limit`` characters (``--max-chars``)."""
    if len(article.text) > limit:
        raise UserError(
            f"{article.id}: article of {len(article.text):,} characters is longer than the limit of {limit:,}; "
            "split it, or raise the limit with --max-chars"
        )


class PartialOutput:
    """JSONL records written to ``OUT.part`` batch by batch and moved to ``OUT`` at the end.

    ``OUT.part`` is created with the first record, so a run that fails or is
    interrupted before it leaves no empty file behind."""

    def __init__(self, path: Path, *, resume: bool = False):
        self.path = path
        self.part = path.with_name(path.name + ".part")
        self.done: set[str] = set()
        self._handle = None
        if resume and self.part.exists():
            kept = _complete_lines(self.part)
            self.done = {json.loads(line)["id"] for line in kept}
            # Rewrite without the line a kill may have cut, then append.
            self.part.write_text("".join(kept), encoding="utf-8")
            self._handle = open(self.part, "a", encoding="utf-8")

    def write(self, article: Article) -> None:
        if self._handle is None:
            self._handle = open(self.part, "w", encoding="utf-8")
        self._handle.write(dumps_article(article) + "\n")

    def flush(self) -> None:
        """Make what is written so far survive a kill."""
        if self._handle is not None:
            self._handle.flush()
            os.fsync(self._handle.fileno())

    def finish(self) -> None:
        if self._handle is None:  # nothing was left to write
            self._handle = open(self.part, "a", encoding="utf-8")
        self.flush()
        self._handle.close()
        os.replace(self.part, self.path)

    def close(self) -> None:
        """Stop without finishing: the ``.part`` file (if any record was written) stays for ``--resume``."""
        if self._handle is not None and not self._handle.closed:
            self.flush()
            self._handle.close()


def output_sink(path: Path, *, resume: bool = False):
    """The ``.part`` writer for an output path: Parquet for ``.parquet``, else JSONL."""
    if path.suffix.lower() == ".parquet":
        from saidwho.batch.tables import ParquetOutput

        return ParquetOutput(path)
    return PartialOutput(path, resume=resume)


def write_all(sink, articles, advance=lambda: None, flush_every: int = FLUSH_EVERY) -> int:
    """Write the articles into ``sink``, flushed every ``flush_every`` articles, then
    finish it; on any failure (Ctrl-C included) the ``.part`` file stays for ``--resume``."""
    written = 0
    try:
        for written, article in enumerate(articles, start=1):
            sink.write(article)
            advance()
            if written % flush_every == 0:
                sink.flush()
    except BaseException:
        sink.close()
        raise
    sink.finish()
    return written


def _complete_lines(path: Path) -> list[str]:
    """The lines of a ``.part`` file that end in a newline and hold a record with an id."""
    kept = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.endswith("\n"):
                break  # cut by the kill
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                break
            if not isinstance(record, dict) or "id" not in record:
                break
            kept.append(line)
    return kept
