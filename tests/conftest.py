"""Shared test fixtures."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder holding polnear/, babe/, ... (public corpora; never copied into the project).

    ``SAIDWHO_DATA`` names it; otherwise ``<project root>/../shared/data`` is
    used when it exists; otherwise the test is skipped.
    """
    env = os.environ.get("SAIDWHO_DATA")
    path = Path(env) if env else PROJECT_ROOT.parent / "shared" / "data"
    if not path.is_dir():
        pytest.skip("../shared/data not found: set SAIDWHO_DATA to the folder holding polnear/, babe/, ...")
    return path


@pytest.fixture(scope="session")
def rule_pipeline():
    """The rule system without its opinion classifier (attribution and speakers only), built once."""
    from saidwho.models.config import ModelConfig, rules_pipeline
    from saidwho.pipeline import build_pipeline

    config = ModelConfig(name="test", kind="rules", pipeline=rules_pipeline(classifier=None), weights=None)
    return build_pipeline(config, PROJECT_ROOT)


@pytest.fixture(scope="session")
def chromium() -> str:
    """The headless browser of the page tests (test_html, test_report)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("Chromium not installed (Debian package 'chromium'; .ci/chromium.sh installs it)")
