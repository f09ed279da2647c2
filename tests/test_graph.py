"""The learned model as one cached ONNX graph: same scores as torch, built once per model."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from saidwho.models.config import ModelConfig
from saidwho.models.windows import build_windows, collate_arrays
from saidwho.pipeline.segment import segment_text
from saidwho.records import Article

MODELS = Path(__file__).resolve().parents[1] / "models"
FOLDER = MODELS / "minilm-v2-hybrid-context"
# The folder run as one fp32 ONNX graph (the name minilm-v2-hybrid-context-onnx).
ONNX = {"runtime": "onnx"}


def _arrays():
    text = (
        "Port talks collapse\n\nDana Ortiz said the talks had failed. “We came with a fair offer,” she said.\n\n"
        "The port was quiet on Monday. Critics called the plan reckless, according to a statement."
    )
    article = Article(id="t", text=text, sentences=segment_text(text))
    return collate_arrays(build_windows([article]))


@pytest.fixture(scope="module")
def cache(tmp_path_factory, monkeypatch_module):
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch_module.setenv("SAIDWHO_CACHE", str(folder))
    return folder


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_graph_scores_equal_torch_and_are_built_once(cache):
    from saidwho.models.encoder import SaidwhoModel, TorchScorer
    from saidwho.models.graph import GraphScorer, graph_path

    config = ModelConfig.from_pretrained(FOLDER, **ONNX)
    assert config.runtime == "onnx" and config.quantize is None
    arrays = _arrays()
    expected = TorchScorer(SaidwhoModel.from_pretrained(FOLDER, config))(arrays)
    scorer = GraphScorer(FOLDER, config)
    assert scorer.path == graph_path(FOLDER, config) and scorer.path.parent.parent == cache
    got = scorer(arrays)
    for name in ("p_attributed", "p_opinion"):
        np.testing.assert_allclose(got[name], expected[name], atol=1e-4)
    assert (got["tags"] == expected["tags"]).all()
    # A second load reads the cached graph: not built again.
    built = scorer.path.stat().st_mtime_ns
    GraphScorer(FOLDER, config)
    assert scorer.path.stat().st_mtime_ns == built


def test_int8_graph_is_smaller_close_and_cached_apart(cache):
    from saidwho.models.graph import GraphScorer, graph_path

    config = ModelConfig.from_pretrained(FOLDER, **ONNX)
    quantised = dataclasses.replace(config, quantize="int8")
    assert graph_path(FOLDER, quantised) != graph_path(FOLDER, config)
    arrays = _arrays()
    plain, small = GraphScorer(FOLDER, config), GraphScorer(FOLDER, quantised)
    assert small.path.stat().st_size < plain.path.stat().st_size / 3
    a, b = plain(arrays), small(arrays)
    # int8 moves probabilities a little, not a lot (the dev figures are in the README).
    assert np.abs(a["p_attributed"] - b["p_attributed"]).max() < 0.15
    assert np.abs(a["p_opinion"] - b["p_opinion"]).max() < 0.15


def test_scoring_an_onnx_model_never_imports_torch(cache):
    import os
    import subprocess
    import sys

    from saidwho.models.graph import GraphScorer

    GraphScorer(FOLDER, ModelConfig.from_pretrained(FOLDER, **ONNX))  # built (with torch) here, not in the child

    code = (
        "import sys, saidwho\n"
        "article = saidwho.load('minilm-v2-hybrid-context-onnx')('Dana Ortiz said the talks had failed.')\n"
        "assert article.sentences[0].label == 'sourced_claim', article.sentences[0].label\n"
        "print('torch' in sys.modules, 'sklearn' in sys.modules, 'transformers' in sys.modules)\n"
    )
    env = dict(os.environ)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert run.stdout.split() == ["False", "False", "False"]


def test_an_unwritable_cache_is_a_one_line_error(tmp_path, monkeypatch):
    from saidwho.errors import UserError
    from saidwho.models.graph import GraphScorer

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("SAIDWHO_CACHE", str(blocker / "cache"))
    with pytest.raises(UserError, match="cannot write the model cache.*SAIDWHO_CACHE"):
        GraphScorer(FOLDER, ModelConfig.from_pretrained(FOLDER, **ONNX))
