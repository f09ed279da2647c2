"""The GPU training run (issue 21): the bundle, the standalone script on CPU, and the import of its output.

The script (src/saidwho/training/gpu.py) must run under a GPU machine's own
Python, where neither saidwho's pins nor spaCy, datasets or transformers < 5
are at hand: the runs below import it with those packages blocked.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from saidwho.errors import UserError

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "src" / "saidwho" / "training" / "gpu.py"
# What the GPU machine lacks or has in another version; the script must need none of it.
BLOCKED = ("saidwho", "spacy", "datasets", "pysbd", "trafilatura", "transformers", "sklearn")
# A finder ahead of the others: importing a blocked package fails; a mere look-up (torch probes
# for third-party packages with importlib.util.find_spec) finds a spec with no file, which it skips.
BLOCKER = f"""
import sys, importlib.machinery
class _Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {BLOCKED!r}:
            return importlib.machinery.ModuleSpec(name, self)
    def create_module(self, spec):
        raise ImportError("blocked in this test: " + spec.name)
    def exec_module(self, module):
        pass
sys.meta_path.insert(0, _Block())
"""


def _gpu_module():
    spec = importlib.util.spec_from_file_location("saidwho_gpu_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run_script(*args: str) -> subprocess.CompletedProcess:
    # As `python3 gpu.py` does, the script's own folder comes first on sys.path.
    code = BLOCKER + (f"import runpy; sys.argv = ['gpu.py', *{list(args)!r}]; sys.path.insert(0, {str(SCRIPT.parent)!r}); "
                      f"runpy.run_path({str(SCRIPT)!r}, run_name='__main__')")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/", timeout=600)


def test_script_copies_agree_with_saidwho():
    """The constants and helpers the script copies (it cannot import them) are saidwho's."""
    from saidwho.models.pieces import QUOTE_FEATURES, TAGS
    from saidwho.training.calibration import expected_calibration_error, fit_temperature
    from saidwho.training.trainer import heldout_scores

    gpu = _gpu_module()
    assert gpu.TAGS == TAGS and gpu.N_FEATURES == len(QUOTE_FEATURES)
    rng = np.random.default_rng(0)
    logits = rng.normal(size=400) * 3
    outcomes = (rng.random(400) < 1 / (1 + np.exp(-logits / 2))).astype(float)
    assert gpu.fit_temperature(logits, outcomes) == pytest.approx(fit_temperature(logits, outcomes))
    p = 1 / (1 + np.exp(-logits))
    assert gpu.expected_calibration_error(p, outcomes) == pytest.approx(expected_calibration_error(p, outcomes))
    y_subj = np.where(rng.random(400) < 0.3, -1.0, outcomes)
    held = {"attribution": logits, "subjectivity": -logits, "y_attribution": outcomes, "y_subjectivity": y_subj}
    assert gpu.heldout_scores(held) == pytest.approx(heldout_scores(held))


def test_gpu_model_computes_what_saidwho_model_computes():
    """Same weights, same windows: the script's model and SaidwhoModel(trainable_layers=6) give the same logits."""
    from saidwho.models.encoder import SaidwhoModel
    from saidwho.models.windows import Window, collate
    from saidwho.training.gpu_bundle import encoder_tensors

    gpu = _gpu_module()
    torch.manual_seed(3)
    reference = SaidwhoModel(trainable_layers=6).eval()
    tensors, config = encoder_tensors(np.arange(30522), dtype=torch.float32)
    model = gpu.GpuModel(tensors, config).eval()
    heads = {k: v for k, v in reference.state_dict().items() if k.startswith(("attribution.", "subjectivity.", "spans."))}
    model.load_state_dict(heads, strict=False)
    for name, tensor in model.state_dict().items():  # the layers came from the bundle's tensors, not from the reference
        if name.startswith("top."):
            assert torch.equal(tensor, reference.state_dict()[name]), name
    rng = np.random.default_rng(1)
    windows = [  # two lengths (padding), an empty sentence range, sentences of several lengths
        Window(0, [101, *rng.integers(1000, 29000, 30).tolist(), 102], [], [], [(1, 9), (9, 20), (20, 31)], rng.random((3, 5)).tolist()),
        Window(1, [101, *rng.integers(1000, 29000, 12).tolist(), 102], [], [], [(1, 1), (1, 13)], rng.random((2, 5)).tolist()),
    ]
    arrays = collate(windows)
    with torch.no_grad():
        expected = reference(arrays["input_ids"], arrays["attention_mask"], arrays["pool"], arrays["features"])
        ranges = [r for w in windows for r in w.sentence_pieces]
        got = model(arrays["input_ids"], arrays["attention_mask"].sum(1), torch.tensor([0, 0, 0, 1, 1]), torch.tensor(ranges), arrays["features"])
    for head in ("attribution", "subjectivity"):
        assert torch.allclose(got[head], expected[head], atol=1e-4), head
    valid = arrays["attention_mask"].bool()
    assert torch.allclose(got["spans"][valid], expected["spans"][valid], atol=1e-4)


def test_shards_stay_under_the_limit_and_merge_back(tmp_path):
    from saidwho.training.gpu_bundle import merge_shards

    gpu = _gpu_module()
    state = {f"top.{i}.w": torch.randn(300, 300, dtype=torch.float16) for i in range(6)}  # 180 kB each
    state["temperatures"] = torch.ones(2)
    names = gpu.write_shards(state, tmp_path, limit=400_000)
    assert len(names) == 3 and all((tmp_path / n).stat().st_size < 400_000 + 4096 for n in names)
    merged = merge_shards(tmp_path)
    assert merged.keys() == state.keys() and all(torch.equal(merged[k], state[k]) for k in state)
    (tmp_path / names[1]).unlink()
    with pytest.raises(UserError, match="2 of 3"):
        merge_shards(tmp_path)


def _tiny_config(tmp_path: Path) -> Path:
    """A bundle config from the team's own records only (tracked in the repo; no corpora needed)."""
    config = tmp_path / "tiny.toml"
    config.write_text(
        f'name = "tiny-gpu"\nuse_polnear = false\nuse_babe = false\nuse_checkthat = false\n'
        f'records = ["{ROOT / "eval" / "gold" / "team.jsonl"}"]\nheldout_fraction = 0.1\nmax_tokens = 96\n'
        f"trainable_layers = 6\nepochs = 1\nbatch_size = 4\nlearning_rate = 1e-4\nseed = 5\n",
        encoding="utf-8",
    )
    return config


def test_prepare_refuses_a_config_error_and_an_existing_bundle(tmp_path):
    from saidwho.training.gpu_bundle import main

    bad = tmp_path / "bad.toml"
    bad.write_text("epochz = 3\n", encoding="utf-8")
    assert main(["prepare", "--config", str(bad), "--bundle", str(tmp_path / "b")]) == 2
    assert not (tmp_path / "b").exists()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x").write_text("")
    assert main(["prepare", "--config", str(_tiny_config(tmp_path)), "--bundle", str(tmp_path / "b")]) == 2
    assert main(["import", str(tmp_path / "nothing"), str(tmp_path / "m")]) == 2


@pytest.mark.slow
def test_tiny_run_on_cpu_imports_into_a_model_folder_that_scores(tmp_path, monkeypatch):
    """Bundle -> the script on CPU (heavy packages blocked) -> import -> a model folder saidwho loads and scores with."""
    from safetensors.torch import load_file

    import saidwho
    from saidwho.models.config import ModelConfig
    from saidwho.models.encoder import SaidwhoModel
    from saidwho.models.pieces import encoder_path
    from saidwho.training.gpu_bundle import import_run, prepare

    monkeypatch.setenv("SAIDWHO_CACHE", str(tmp_path / "cache"))
    bundle, out, folder = tmp_path / "bundle", tmp_path / "out", tmp_path / "models" / "tiny-gpu"
    meta = prepare(_tiny_config(tmp_path), bundle)
    assert meta["counts"]["train"]["records_windows"] > 0 and meta["counts"]["heldout"]["windows"] > 0
    data = np.load(bundle / "data.npz")
    starts = data["train_window_start"]
    assert starts[-1] == len(data["train_ids"]) == len(data["train_tags"])
    assert (data["train_sentence_range"][:, 1] <= np.diff(starts)[data["train_sentence_window"]]).all()

    done = _run_script("--bundle", str(bundle), "--out", str(out), "--device", "cpu", "--max-windows", "24",
                       "--max-steps", "3", "--learning-rates", "1e-4", "--time-budget", "300")
    assert done.returncode == 0, done.stderr[-3000:]
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["complete"] and metrics["trainable_layers"] == 6 and metrics["runs"][0]["steps"] == 3
    assert sorted(p.name for p in out.iterdir()) == ["metrics.json", "model-1-of-2.safetensors", "model-2-of-2.safetensors", "train.log"]
    assert all(p.stat().st_size < 16 * 2**20 for p in out.iterdir())

    import_run(out, folder)
    config = ModelConfig.from_pretrained(folder)
    assert config.trainable_layers == 6 and config.runtime == "onnx" and config.quantize == "int8"
    model = SaidwhoModel.from_pretrained(folder, config, quantize=False)
    temperatures = [metrics["calibration"][h]["temperature"] for h in ("attribution", "subjectivity")]
    assert model.temperatures.tolist() == pytest.approx(temperatures, abs=1e-4)
    shipped = load_file(str(Path(encoder_path()) / "model.safetensors"))
    key = "encoder.layer.0.attention.self.query.weight"
    shipped_key = key if key in shipped else "bert." + key
    # Three Adam steps moved the bottom layer's weights away from the shipped ones (stored fp16: compare in fp16).
    stored = load_file(str(folder / "model.safetensors"))["top.0.attention.self.query.weight"]
    assert stored.dtype == torch.float16
    assert (stored != shipped[shipped_key].half()).float().mean() > 0.5
    assert torch.equal(model.top[0].attention.self.query.weight.detach().half(), stored)

    nlp = saidwho.load(str(folder))
    article = nlp("The council approved the budget on Tuesday. \"We will not raise taxes,\" the mayor said.")
    assert len(article.sentences) == 2 and all(s.label for s in article.sentences)
    with pytest.raises(UserError, match="exists"):
        import_run(out, folder)
