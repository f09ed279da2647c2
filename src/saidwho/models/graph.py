"""The learned model as one ONNX graph, run by onnxruntime (``"runtime": "onnx"``).

Why: torch and transformers take seconds to import and hundreds of MB of
memory, and the encoder runs faster in onnxruntime, more so in int8. The
graph is :class:`~saidwho.models.encoder.WindowScores` (encoder, heads,
temperatures, tag arg-max) exported once per model and kept in a cache
folder, keyed by a digest of everything it is built from: a model folder in
git stays a few MB, and a start-up loads the graph instead of exporting it.
Building it is the only step that needs torch (a one-time cost of about
20 s; ``saidwho prepare`` does it ahead of time).

``"quantize": "int8"`` quantises every matrix product's weights to int8
(onnxruntime's dynamic quantisation, per output channel); ``"int8-frozen"``
only those of the frozen bottom layers.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from saidwho.errors import UserError
from saidwho.models.config import ENCODER, ModelConfig

# Bump when the exported graph changes for the same weights.
GRAPH_FORMAT = 1
INPUTS = ("input_ids", "attention_mask", "pool", "features")

# Threads for each session; worker processes lower it (saidwho.batch).
_THREADS: int | None = None


def set_threads(count: int | None) -> None:
    """Intra-op threads for sessions created from now on (None: onnxruntime's default, all cores)."""
    global _THREADS
    _THREADS = count


def cache_dir() -> Path:
    """``$SAIDWHO_CACHE``, else ``$XDG_CACHE_HOME/saidwho``, else ``~/.cache/saidwho``."""
    if os.environ.get("SAIDWHO_CACHE"):
        return Path(os.environ["SAIDWHO_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "saidwho"


def graph_path(directory: Path, config: ModelConfig) -> Path:
    """Where the graph of this model folder lives in the cache."""
    digest = hashlib.sha256()
    digest.update(config.weights_path(directory).read_bytes())
    digest.update(repr((GRAPH_FORMAT, config.quantize, config.trainable_layers, ENCODER)).encode())
    digest.update(_package_version("onnxruntime").encode())  # a new quantiser may write a different graph
    # Named by content alone: variants that differ only in other settings share a graph.
    return cache_dir() / "graphs" / f"graph-{digest.hexdigest()[:20]}.onnx"


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "none"


def build_graph(directory: Path, config: ModelConfig, target: Path) -> None:
    """Export the model folder's weights to ``target`` (quantised as the config says); atomic."""
    import warnings

    import torch

    from saidwho.models.encoder import SaidwhoModel, WindowScores

    model = SaidwhoModel.from_pretrained(directory, config, quantize=False)
    example = (
        torch.ones(2, 8, dtype=torch.long),
        torch.ones(2, 8, dtype=torch.long),
        torch.full((3, 16), 1 / 16),
        torch.zeros(3, model.attribution[0].in_features - model.subjectivity[0].in_features),
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        plain = Path(tmp) / "fp32.onnx"
        with warnings.catch_warnings(), torch.no_grad():
            # The TorchScript exporter is deprecated but needs no extra packages
            # (the newer one wants onnxscript) and handles this plain model.
            warnings.simplefilter("ignore")
            torch.onnx.export(
                WindowScores(model).eval(), example, str(plain),
                input_names=list(INPUTS), output_names=["p_attributed", "p_opinion", "tags"],
                dynamic_axes={
                    "input_ids": {0: "windows", 1: "pieces"}, "attention_mask": {0: "windows", 1: "pieces"},
                    "pool": {0: "sentences", 1: "window_pieces"}, "features": {0: "sentences"},
                    "p_attributed": {0: "sentences"}, "p_opinion": {0: "sentences"}, "tags": {0: "windows", 1: "pieces"},
                },
                opset_version=17, dynamo=False,
            )
        built = plain
        if config.quantize:
            built = Path(tmp) / "int8.onnx"
            _quantize(plain, built, frozen_only=config.quantize == "int8-frozen", frozen_layers=model.n_frozen)
        os.replace(built, target)


def _quantize(source: Path, target: Path, *, frozen_only: bool, frozen_layers: int) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    exclude = []
    if frozen_only:
        # Nodes of the fine-tuned top layers and the heads keep fp32 weights.
        frozen = tuple(f"/model/bottom.{i}/" for i in range(frozen_layers)) + ("/model/embeddings/",)
        exclude = [n.name for n in onnx.load(str(source)).graph.node if not n.name.startswith(frozen)]
    import logging

    # The quantiser logs advice ("run pre-processing first") on the root logger: not for our users.
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True, nodes_to_exclude=exclude)
    finally:
        root.setLevel(level)


class GraphScorer:
    """Scores collated windows with the cached graph (built on first use)."""

    def __init__(self, directory: Path, config: ModelConfig):
        try:
            import onnxruntime
        except ImportError:
            raise UserError("this model runs with onnxruntime: pip install onnxruntime") from None
        path = graph_path(directory, config)
        if not path.exists():
            sys.stderr.write(f"saidwho: building the ONNX graph of {config.name} once (cached in {path.parent})\n")
            try:
                build_graph(directory, config, path)
            except OSError as exc:
                raise UserError(
                    f"{path.parent}: cannot write the model cache ({exc.strerror or exc}); "
                    "set SAIDWHO_CACHE to a writable folder"
                ) from None
        options = onnxruntime.SessionOptions()
        if _THREADS:
            options.intra_op_num_threads = _THREADS
        options.log_severity_level = 3
        # Idle onnxruntime threads spin by default, taking the core the rules
        # and spaCy need while the encoder runs ahead: about 9% slower end to
        # end on two cores (docs/speed.md).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.path = path

    def __call__(self, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        outputs = self.session.run(None, {name: arrays[name] for name in INPUTS})
        return dict(zip(("p_attributed", "p_opinion", "tags"), outputs))
