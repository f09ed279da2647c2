"""The pipeline: ingest → segment → attribute → resolve speakers → label → report.

A :class:`Pipeline` runs its components in order on a copy of each input
article and returns the copy: the input is never changed. Components talk
only through the :class:`~saidwho.records.Article` record; each declares what
it reads and writes, and a pipeline whose order would have a stage read what
no earlier stage wrote is refused when it is built.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from saidwho.errors import UserError
from saidwho.pipeline.component import RECORD_PARTS, Component
from saidwho.pipeline.progress import timed
from saidwho.pipeline.saving import save_model_folder
from saidwho.records import Article

if TYPE_CHECKING:
    from saidwho.models.config import ModelConfig

# Articles per batch wherever articles are scored in batches: nlp.pipe, the
# chunks of score --workers, score_dataset and Ray. Records do not depend on
# it (each article is scored alone); it sets how far the input is read ahead.
BATCH_SIZE = 16


class Pipeline:
    """``nlp(text_or_article)`` → a new analysed :class:`Article`; ``nlp.pipe(...)`` for many."""

    def __init__(self, components: Sequence[Component], name: str, path: Path | None = None, config: ModelConfig | None = None):
        check_order(components)
        self.components = list(components)
        self.name = name
        self.path = path
        self.config = config

    @property
    def component_names(self) -> list[str]:
        return [c.name for c in self.components]

    def get(self, name: str) -> Component:
        for component in self.components:
            if component.name == name:
                return component
        raise KeyError(f"no component {name!r} in {self.component_names}")

    def __call__(self, article: Article | str) -> Article:
        return self._run([as_article(article, "text")])[0]

    def save_pretrained(self, path: str | Path) -> Path:
        """Write this pipeline as a model folder that :func:`saidwho.load` builds
        again with the same records: ``config.json``, the learned weights and
        every component's files, self-contained, written atomically. Only a
        pipeline loaded from a model folder can be saved (its config names
        each component's factory)."""
        if self.config is None or self.path is None:
            raise ValueError(f"pipeline {self.name!r} was not loaded from a model folder: nothing says how to build it again")
        return save_model_folder(self.components, self.config, self.path, Path(path))

    def pipe(self, articles: Iterable[Article | str], batch_size: int = BATCH_SIZE) -> Iterator[Article]:
        """Articles (or texts) in, new analysed articles out, lazily and in order.
        Each component gets ``batch_size`` articles per call (the records do
        not depend on it: the encoder scores every window alone).

        When a stage may run ahead (the learned scorer, whose time is spent in
        onnxruntime outside the GIL), a second thread runs it, with the stages
        before it, on the next batch while the later stages (spaCy, the rules)
        finish the current one: both cores stay busy. The records are the same
        either way; the input is then read one batch further ahead."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        chunks = article_chunks(articles, batch_size)
        ahead = self._leading_ahead()
        if ahead in (0, len(self.components)):
            for chunk in chunks:
                yield from self._run(chunk)
            return
        last = len(self.components)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="saidwho-ahead") as executor:
            pending = None
            while True:
                try:
                    chunk = next(chunks)
                except StopIteration:
                    break
                except Exception:
                    # A bad input in the next batch: the batch in hand is given out first.
                    if pending is not None:
                        yield from self._run_stages(pending.result(), ahead, last)
                    raise
                # The listener (progress bars, bench timing) follows the work into the thread.
                started = executor.submit(contextvars.copy_context().run, self._run_stages, _fresh(chunk), 0, ahead)
                if pending is not None:
                    yield from self._run_stages(pending.result(), ahead, last)
                pending = started
            if pending is not None:
                yield from self._run_stages(pending.result(), ahead, last)

    def _leading_ahead(self) -> int:
        """How many leading stages run ahead: up to the last that may, with the
        stages before it (they feed it)."""
        marked = [i for i, component in enumerate(self.components) if component.runs_ahead]
        return marked[-1] + 1 if marked else 0

    def _run(self, chunk: list[Article]) -> list[Article]:
        return self._run_stages(_fresh(chunk), 0, len(self.components))

    def _run_stages(self, work: list[Article], first: int, last: int) -> list[Article]:
        for component in self.components[first:last]:
            with timed(component.name):
                for article, result in zip(work, component.predict_batch(work)):
                    component.set_annotations(article, result)
        return work

    def __repr__(self) -> str:
        return f"Pipeline(name={self.name!r}, components={self.component_names})"


def article_chunks(articles: Iterable[Article | str], size: int) -> Iterator[list[Article]]:
    """Lists of ``size`` articles (texts become articles), read lazily."""
    chunk: list[Article] = []
    for number, article in enumerate(articles, start=1):
        chunk.append(as_article(article, f"text-{number}"))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _fresh(chunk: list[Article]) -> list[Article]:
    # The text and metadata are all that is read: earlier labels or sources are not.
    return [article.unanalysed_copy() for article in chunk]


def as_article(value: Article | str, default_id: str) -> Article:
    """An input as an Article; an empty text is the user's mistake."""
    if isinstance(value, str):
        value = Article(id=default_id, text=value)
    elif not isinstance(value, Article):
        raise TypeError(f"expected an Article or a str, got {type(value).__name__}")
    if not value.text.strip():
        raise UserError(f"{value.id}: empty article")
    return value


def check_order(components: Sequence[Component]) -> None:
    """Refuse a pipeline in which a component reads what no earlier one writes."""
    available = {"text"}
    for component in components:
        unknown = (component.reads | component.writes) - RECORD_PARTS
        if unknown:
            raise ValueError(f"component {component.name!r} declares unknown record parts {sorted(unknown)}")
        missing = component.reads - available
        if missing:
            raise ValueError(
                f"component {component.name!r} reads {', '.join(sorted(missing))}, which no component before it writes"
            )
        available |= component.writes
