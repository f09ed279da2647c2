"""The pipeline: ingest → segment → attribute → resolve speakers → label → report.

A :class:`Pipeline` runs its components in order on a copy of each input
article and returns the copy: the input is never changed. Components talk
only through the :class:`~saidwho.records.Article` record; each declares what
it reads and writes, and a pipeline whose order would have a stage read what
no earlier stage wrote is refused when it is built.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from saidwho.errors import UserError
from saidwho.pipeline.component import RECORD_PARTS, Component
from saidwho.records import Article

if TYPE_CHECKING:
    from saidwho.models.config import ModelConfig


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

    def pipe(self, articles: Iterable[Article | str], batch_size: int = 16) -> Iterator[Article]:
        """Articles (or texts) in, new analysed articles out, lazily and in order.
        Components that batch (the encoder) see ``batch_size`` articles at once."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        chunk: list[Article] = []
        for number, article in enumerate(articles, start=1):
            chunk.append(as_article(article, f"text-{number}"))
            if len(chunk) == batch_size:
                yield from self._run(chunk)
                chunk = []
        if chunk:
            yield from self._run(chunk)

    def _run(self, chunk: list[Article]) -> list[Article]:
        # The text and metadata are all that is read: earlier labels or sources are not.
        work = [article.unanalysed_copy() for article in chunk]
        for component in self.components:
            for article, result in zip(work, component.predict_batch(work)):
                component.set_annotations(article, result)
        return work

    def __repr__(self) -> str:
        return f"Pipeline(name={self.name!r}, components={self.component_names})"


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
