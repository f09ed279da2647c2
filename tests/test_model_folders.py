"""The model-folder contract: every folder in models/ and every alias builds and
scores; a pipeline saved with save_pretrained loads again with the same records;
runtime and quantisation are options of loading, not copies of a folder."""

import hashlib
import json
from pathlib import Path

import pytest

import saidwho
from saidwho.errors import UserError
from saidwho.io import dumps_article
from saidwho.models.config import CONFIG_NAME, MODEL_ALIASES, ModelConfig, available_models, model_names, resolve_model_path

MODELS = Path(__file__).resolve().parents[1] / "models"
TEXTS = [
    "Port talks collapse\n\nDana Ortiz said the talks had failed. “We came with a fair offer,” she said.",
    "The port was quiet on Monday. Critics called the plan reckless, according to a statement. It is a disgrace.",
]
# What each old folder name runs as: the folder and the options (None: the folder's own).
OLD_VARIANTS = {
    "minilm-v2-hybrid-context-int8": ("minilm-v2-hybrid-context", "onnx", "int8"),
    "minilm-v4-hybrid-context-int8": ("minilm-v4-hybrid-context", "onnx", "int8"),
    "minilm-v2-hybrid-context-onnx": ("minilm-v2-hybrid-context", "onnx", None),
    "minilm-v2-hybrid-onnx": ("minilm-v2-hybrid", "onnx", None),
    "minilm-v2-hybrid-int8": ("minilm-v2-hybrid", "torch", "int8"),
    "minilm-v1-int8": ("minilm-v1", "torch", "int8"),
}


def test_old_variant_names_load_their_folder_with_options():
    for name, (folder, runtime, quantize) in OLD_VARIANTS.items():
        assert resolve_model_path(name) == MODELS / folder, name
        config = ModelConfig.from_pretrained(name)
        assert (config.name, config.runtime, config.quantize) == (name, runtime, quantize)
    # The default is called by the name of what it runs (records say it).
    default = ModelConfig.from_pretrained("default")
    assert (default.name, default.runtime, default.quantize) == ("minilm-v4-hybrid-context-int8", "onnx", "int8")
    assert ModelConfig.from_pretrained("rules").name == "rules-v1"
    assert set(OLD_VARIANTS) | {"rules", "default"} == set(MODEL_ALIASES)


def test_load_options_replace_the_config_s_and_are_checked():
    config = ModelConfig.from_pretrained("minilm-v2-hybrid", runtime="onnx", quantize="int8")
    assert (config.name, config.runtime, config.quantize) == ("minilm-v2-hybrid", "onnx", "int8")
    assert ModelConfig.from_pretrained("default", quantize="none").quantize is None
    assert ModelConfig.from_pretrained("default", runtime="torch").runtime == "torch"
    with pytest.raises(UserError, match="runtime must be one of"):
        ModelConfig.from_pretrained("minilm-v2", runtime="tensorrt")
    with pytest.raises(UserError, match="quantize must be"):
        saidwho.load("minilm-v2", quantize="int4")
    with pytest.raises(UserError, match="'rules-v1' has no learned model"):
        saidwho.load("rules", runtime="onnx")


def test_a_folder_of_an_alias_s_name_is_the_folder(tmp_path, monkeypatch):
    (tmp_path / "minilm-v1-int8").mkdir()
    ModelConfig.rules("minilm-v1-int8").save_pretrained(tmp_path / "minilm-v1-int8")
    monkeypatch.setenv("SAIDWHO_MODELS", str(tmp_path))
    assert resolve_model_path("minilm-v1-int8") == tmp_path / "minilm-v1-int8"
    assert ModelConfig.from_pretrained("minilm-v1-int8").kind == "rules"


def test_no_shipped_folder_is_only_another_folder_run_differently():
    how_it_runs = {"name", "note", "runtime", "quantize", "training_arguments"}
    seen: dict[str, str] = {}
    for name in available_models():
        data = json.loads((MODELS / name / CONFIG_NAME).read_text(encoding="utf-8"))
        assert not {"encoder", "config_version", "batch_size"} & set(data), f"{name}: retired keys"
        what = json.dumps({k: v for k, v in data.items() if k not in how_it_runs}, sort_keys=True)
        own = sorted((p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in (MODELS / name).iterdir()
                     if p.is_file() and p.name not in (CONFIG_NAME, "README.md", "metrics.json"))
        key = what + repr(own)
        assert key not in seen, f"{name} is {seen.get(key)} run differently: make it an alias"
        seen[key] = name


def test_configs_of_earlier_versions_still_load(tmp_path):
    config = ModelConfig.from_pretrained("minilm-v2").to_dict()
    (tmp_path / CONFIG_NAME).write_text(json.dumps({**config, "encoder": "x", "config_version": 2, "batch_size": 16}))
    assert ModelConfig.from_pretrained(tmp_path).to_dict() == config


def _records(nlp) -> list[str]:
    return [dumps_article(article) for article in nlp.pipe(TEXTS)]


@pytest.mark.parametrize("name", model_names())
def test_every_model_scores_and_saves_to_a_folder_that_gives_the_same_records(name, tmp_path, monkeypatch):
    nlp = saidwho.load(name)
    before = _records(nlp)
    assert all(json.loads(r)["sentences"] for r in before)
    saved = nlp.save_pretrained(tmp_path / "saved")
    config = json.loads((saved / CONFIG_NAME).read_text(encoding="utf-8"))
    # Self-contained: nothing points outside the folder, and the copy loads from anywhere.
    assert "../" not in json.dumps(config), config
    monkeypatch.chdir(tmp_path)
    again = saidwho.load("saved")
    assert (again.name, again.config.runtime, again.config.quantize) == (nlp.name, nlp.config.runtime, nlp.config.quantize)
    assert _records(again) == before


def test_save_pretrained_is_atomic_and_refuses_a_pipeline_without_a_folder(tmp_path):
    from saidwho.pipeline import Pipeline

    nlp = saidwho.load("rules")
    with pytest.raises(ValueError, match="not loaded from a model folder"):
        Pipeline(nlp.components, name="custom").save_pretrained(tmp_path / "x")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "keep.txt").write_text("old model")

    class Broken(type(nlp.components[3])):
        def save_pretrained(self, directory):
            raise OSError("disk full")

    broken = Pipeline([*nlp.components[:3], Broken(None), *nlp.components[4:]], name=nlp.name, path=nlp.path, config=nlp.config)
    with pytest.raises(OSError, match="disk full"):
        broken.save_pretrained(tmp_path / "old")
    # The old folder stands, and no staging folder is left beside it.
    assert [p.name for p in tmp_path.iterdir()] == ["old"] and (tmp_path / "old" / "keep.txt").exists()
