"""Resumable training (saidwho.training.checkpoint): a killed run goes on from its checkpoint
and ends with the same weights as a run that was never stopped."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from saidwho.errors import UserError
from saidwho.training.checkpoint import FitState, checkpoint_path, load_checkpoint, save_checkpoint

ROOT = Path(__file__).resolve().parents[1]
SAIDWHO = [sys.executable, "-m", "saidwho"]


def _tiny():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=10)
    return model, optimizer, scheduler


def _step(model, optimizer, scheduler):
    loss = model(torch.ones(4, 3)).pow(2).sum()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    scheduler.step()


def test_checkpoint_round_trip_restores_weights_optimizer_and_state(tmp_path):
    model, optimizer, scheduler = _tiny()
    _step(model, optimizer, scheduler)
    state = FitState(seed=7, epoch=2, step=5, running_loss=0.25, best_score=0.5, history=[{"epoch": 1, "loss": 0.3}])
    state.best_state = {k: v.clone() for k, v in model.state_dict().items()}
    path = tmp_path / "run.checkpoint.safetensors"
    save_checkpoint(path, state, model, optimizer, scheduler, {"seed": 7, "epochs": 3})
    expected = {k: v.clone() for k, v in model.state_dict().items()}
    _step(model, optimizer, scheduler)  # the live run moves on ...

    fresh, fresh_optimizer, fresh_scheduler = _tiny()
    restored = load_checkpoint(path, fresh, fresh_optimizer, fresh_scheduler, {"seed": 7, "epochs": 3})
    assert all(torch.equal(fresh.state_dict()[k], v) for k, v in expected.items())
    assert (restored.epoch, restored.step, restored.running_loss, restored.history) == (2, 5, 0.25, [{"epoch": 1, "loss": 0.3}])
    assert restored.epoch_generator().random() == state.epoch_generator().random()
    assert fresh_scheduler.state_dict()["last_epoch"] == 1
    # ... and the restored run takes the same next step as the original did.
    _step(fresh, fresh_optimizer, fresh_scheduler)
    assert all(torch.equal(fresh.state_dict()[k], v) for k, v in model.state_dict().items())


def test_resume_with_other_settings_or_no_checkpoint_is_refused(tmp_path):
    model, optimizer, scheduler = _tiny()
    path = tmp_path / "run.checkpoint.safetensors"
    with pytest.raises(UserError, match="no checkpoint to resume"):
        load_checkpoint(path, model, optimizer, scheduler, {"seed": 7})
    save_checkpoint(path, FitState(seed=7), model, optimizer, scheduler, {"seed": 7, "epochs": 3})
    with pytest.raises(UserError, match=r"other settings \(epochs\)"):
        load_checkpoint(path, model, optimizer, scheduler, {"seed": 7, "epochs": 4})
    path.write_bytes(b"not a checkpoint")
    with pytest.raises(UserError, match="not a readable saidwho checkpoint"):
        load_checkpoint(path, model, optimizer, scheduler, {"seed": 7, "epochs": 3})
    assert checkpoint_path(tmp_path / "models" / "x") == tmp_path / "models" / "x.checkpoint.safetensors"


def _config(tmp_path: Path) -> Path:
    """A run on the project's own team records (no corpora needed): 3 epochs of 14 steps."""
    config = tmp_path / "tiny.toml"
    config.write_text(
        'name = "tiny"\nuse_polnear = false\nuse_babe = false\nuse_checkthat = false\n'
        f'records = ["{ROOT / "eval" / "gold" / "team.jsonl"}"]\n'
        "epochs = 3\nbatch_size = 4\nheldout_fraction = 0.2\npatience = 5\ncheckpoint_every = 3\n"
    )
    return config


def _train(config: Path, output: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([*SAIDWHO, "train", "--config", str(config), "-o", str(output), "--skip-dev", *extra],
                          capture_output=True, text=True, cwd=ROOT)


@pytest.mark.slow
def test_a_killed_run_resumes_to_the_same_weights(tmp_path):
    config = _config(tmp_path)
    whole = _train(config, tmp_path / "whole")
    assert whole.returncode == 0, whole.stderr
    assert not checkpoint_path(tmp_path / "whole").exists()  # removed once the folder is written

    output = tmp_path / "killed"
    checkpoint = checkpoint_path(output)
    run = subprocess.Popen([*SAIDWHO, "train", "--config", str(config), "-o", str(output), "--skip-dev"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    deadline = time.time() + 300
    while not checkpoint.exists() and run.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)  # a few more steps, so the kill lands mid-epoch or later
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert checkpoint.exists() and not output.exists(), "the run ended before it could be killed"

    again = _train(config, output)
    assert again.returncode == 2 and "--resume" in again.stderr  # a checkpoint is never silently overwritten
    resumed = _train(config, output, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    where = re.search(r"resuming from .*?: epoch (\d+), step (\d+)", " ".join(resumed.stderr.split()))
    assert where and where.groups() != ("1", "0")  # it went on from the checkpoint, not from the start
    assert (output / "model.safetensors").read_bytes() == (tmp_path / "whole" / "model.safetensors").read_bytes()
    assert not checkpoint.exists()
