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
MODEL_ALIASES = {"rules": "rules-v1", "default": "rules-v1"}


class Pipeline:
    def __init__(self, components: list, name: str, path: Path | None = None, config: dict | None = None):
        self.components = components
        self.name = name
        self.path = path
        self.config = config or {}

    def __call__(self, article: Article) -> Article:
        # The text is all that is read: earlier labels or sources are replaced.
        article.sources = []
        article.summary = None
        for component in self.components:
            component(article)
        return article

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            yield self(article)


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
