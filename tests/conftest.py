"""Shared test fixtures."""

from __future__ import annotations

import os
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
    from saidwho.attribution import RuleAttributor
    from saidwho.labels import RuleLabeler
    from saidwho.pipeline import Pipeline
    from saidwho.segment import Segmenter
    from saidwho.speakers import SpeakerResolver
    from saidwho.summary import SourceBalance

    return Pipeline([Segmenter(), RuleAttributor(), SpeakerResolver(), RuleLabeler(None), SourceBalance()], "test")
