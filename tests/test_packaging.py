"""The wheel carries the package and its models: after a plain (not editable)
install, `saidwho score` run from any folder finds the default model offline."""

import json
import os
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_listed_for_the_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT / "src").parts)
        for p in (ROOT / "src").rglob("__init__.py")
    }
    assert found | {"saidwho_models"} == listed


@pytest.mark.slow
def test_wheel_install_scores_with_the_shipped_default_model(tmp_path):
    wheels = tmp_path / "wheels"
    # --no-build-isolation: build with this environment's setuptools (no download).
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True, cwd=tmp_path,
    )
    (wheel,) = wheels.glob("saidwho-*.whl")
    # A fresh environment with only the wheel installed; its dependencies come
    # from this environment's site-packages, added after its own (a .pth line),
    # so the editable install of the checkout is not seen.
    env_dir = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    fresh_python = env_dir / "bin" / "python"
    fresh_site = subprocess.run(
        [str(fresh_python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    (Path(fresh_site) / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(fresh_python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("SAIDWHO_MODELS", "PYTHONPATH")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    where = subprocess.run(
        [str(fresh_python), "-c", "import saidwho; from saidwho.models.config import models_root; print(saidwho.__file__); print(models_root())"],
        check=True, capture_output=True, text=True, cwd=elsewhere, env=env,
    ).stdout.split()
    assert all(str(env_dir) in line for line in where), where
    result = subprocess.run(
        [str(env_dir / "bin" / "saidwho"), "score", str(ROOT / "examples" / "harbour-strike.txt")],
        capture_output=True, text=True, cwd=elsewhere, env=env,
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert any(s["label"] == "sourced_claim" and s["speaker"] for s in record["sentences"])
    assert "Dana Ortiz" in {s["name"] for s in record["sources"]}
