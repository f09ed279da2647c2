"""The base of every pipeline stage.

A component computes in :meth:`Component.predict` (which writes nothing) and
writes into the record in :meth:`Component.set_annotations`, so a caller can
inspect or combine predictions before they land. It declares which parts of
the record it reads and writes (the names in :data:`RECORD_PARTS`), so that
:class:`~saidwho.pipeline.core.Pipeline` can refuse an order in which a stage
would read what no earlier stage wrote, and which metrics score it (names
of :meth:`saidwho.evaluation.counts.Counts.metrics`, held to them by a test).
A component that reads files writes them again in :meth:`Component.save_pretrained`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from saidwho.records import Article

# What stages read and write: the input text, and the record's parts.
RECORD_PARTS = frozenset(
    {
        "text",  # Article.text (always there)
        "sentences",  # Article.sentences: offsets and kinds
        "layout",  # Sentence.layout
        "quotes",  # Sentence.quotes
        "entities",  # Sentence.entities
        "attribution",  # Sentence.attribution, speaker_span, cue_span
        "probabilities",  # Sentence.probabilities
        "sources",  # Article.sources and Sentence.speaker
        "labels",  # Sentence.label, scores, confidence
        "summary",  # Article.summary
    }
)


class Component:
    """One pipeline stage. Subclasses set the class attributes and implement
    :meth:`predict` (or :meth:`predict_batch`) and :meth:`set_annotations`."""

    name: ClassVar[str] = ""
    reads: ClassVar[frozenset[str]] = frozenset()
    writes: ClassVar[frozenset[str]] = frozenset()
    scored_by: ClassVar[tuple[str, ...]] = ()  # names of the metrics saidwho eval reports for this stage
    # Runs on the next batch, with the stages before it, while the later
    # stages finish this one (in a second thread): set where the stage's time
    # is spent outside the GIL (onnxruntime), so the two threads overlap.
    runs_ahead: ClassVar[bool] = False

    def predict(self, article: Article) -> Any:
        raise NotImplementedError

    def predict_batch(self, articles: Sequence[Article]) -> list[Any]:
        """Predictions for several articles at once; components that gain from
        batching (the encoder) override this, the rest predict one by one."""
        return [self.predict(article) for article in articles]

    def set_annotations(self, article: Article, result: Any) -> None:
        raise NotImplementedError

    def save_pretrained(self, directory: Path) -> dict[str, Any]:
        """Write the files this component reads into ``directory`` (a model
        folder being saved) and return the settings of its config entry that
        point at them (None removes a setting). Without files: nothing to write."""
        return {}

    def __call__(self, article: Article) -> Article:
        """Run this stage alone on an article, in place (the pipeline copies first)."""
        self.set_annotations(article, self.predict(article))
        return article

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"
