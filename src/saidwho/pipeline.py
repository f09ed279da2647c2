"""The pipeline: ingest → segment → attribute → resolve speakers → label → report.

Each stage is a component with ``predict(article)`` (computes, writes
nothing) and ``set_annotations(article, result)`` (writes into the record);
stages talk only through the :class:`~saidwho.records.Article` record.

Models are folders under ``models/`` (or any path): ``config.json`` names the
system type and its parts. ``load_model("rules")`` gives the rule system.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from saidwho.errors import UserError
from saidwho.records import Article

DEFAULT_MODEL = "rules"
MODEL_ALIASES = {"rules": "rules-v1", "default": "minilm-v2-hybrid"}


class Pipeline:
    def __init__(self, components: list, name: str, path: Path | None = None, config: dict | None = None):
        self.components = components
        self.name = name
        self.path = path
        self.config = config or {}

    def __call__(self, article: Article) -> Article:
        return self._run([article])[0]

    def pipe(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Article]:
        """Articles in, analysed articles out, in order. Components that can
        (``predict_many``) see ``batch_size`` articles at once, so the encoder
        gets full batches."""
        chunk: list[Article] = []
        for article in articles:
            chunk.append(article)
            if len(chunk) == batch_size:
                yield from self._run(chunk)
                chunk = []
        if chunk:
            yield from self._run(chunk)

    def _run(self, chunk: list[Article]) -> list[Article]:
        for article in chunk:
            # The text is all that is read: earlier labels or sources are replaced.
            article.sources = []
            article.summary = None
        for component in self.components:
            if hasattr(component, "predict_many"):
                for article, result in zip(chunk, component.predict_many(chunk)):
                    component.set_annotations(article, result)
            else:
                for article in chunk:
                    component(article)
        return chunk


def models_root() -> Path:
    """Where named models live: $SAIDWHO_MODELS, else the project's models/ folder."""
    env = os.environ.get("SAIDWHO_MODELS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "models"


def resolve_model_path(name: str) -> Path:
    candidate = Path(name)
    if candidate.is_dir() and (candidate / "config.json").exists():
        return candidate
    root = models_root()
    path = root / MODEL_ALIASES.get(name, name)
    if (path / "config.json").exists():
        return path
    available = sorted(p.name for p in root.glob("*") if (p / "config.json").exists()) if root.exists() else []
    raise UserError(
        f"model {name!r} not found (looked in {root}); available: {', '.join(available) or 'none'}"
    )


def load_model(name: str = DEFAULT_MODEL) -> Pipeline:
    path = resolve_model_path(name)
    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    kind = config.get("type")
    if kind == "rules":
        return _build_rules(path, config)
    if kind == "neural":
        from saidwho.neural import build_pipeline

        return build_pipeline(path, config)
    raise UserError(f"{path / 'config.json'}: unknown model type {kind!r}")


def _build_rules(path: Path, config: dict) -> Pipeline:
    from saidwho.attribution import RuleAttributor
    from saidwho.labels import RuleLabeler
    from saidwho.segment import Segmenter
    from saidwho.speakers import SpeakerResolver
    from saidwho.subjectivity import SubjectivityClassifier
    from saidwho.summary import SourceBalance

    subjectivity = SubjectivityClassifier.load(path) if (path / SubjectivityClassifier.JSON).exists() else None
    components = [
        Segmenter(),
        RuleAttributor(),
        SpeakerResolver(),
        RuleLabeler(subjectivity, threshold=float(config.get("opinion_threshold", 0.5))),
        SourceBalance(),
    ]
    return Pipeline(components, name=config.get("name", path.name), path=path, config=config)
