"""Where things are: the one place that knows the project's folder layout.

The package runs from a source checkout (editable install) or from a wheel.
Only the checkout has ``eval/`` and a ``../shared/data`` beside it; the
models travel in both (see :func:`saidwho.models.config.models_root`).
"""

from __future__ import annotations

import os
from pathlib import Path

# src/saidwho/paths.py -> the checkout root is two folders above the package.
_PACKAGE = Path(__file__).resolve().parent


def checkout_root() -> Path | None:
    """The project folder when running from a source checkout, else None."""
    root = _PACKAGE.parents[1]
    return root if (root / "pyproject.toml").exists() and (root / "src" / "saidwho").is_dir() else None


def shared_data_dir() -> Path:
    """The public corpora: ``$SAIDWHO_DATA``, else ``../shared/data`` beside the checkout
    (or beside the working folder when installed from a wheel)."""
    env = os.environ.get("SAIDWHO_DATA")
    if env:
        return Path(env)
    root = checkout_root() or Path.cwd()
    return root.parent / "shared" / "data"


def default_polnear_dir() -> Path | None:
    """PolNeAR for the stand-off gold texts, where it exists."""
    path = shared_data_dir() / "polnear"
    return path if path.is_dir() else None


def gold_dir() -> Path:
    """The project's evaluation set (``eval/gold`` in the checkout)."""
    root = checkout_root() or Path.cwd()
    return root / "eval" / "gold"


def bundled_models_dir() -> Path:
    """The models/ folder in the checkout (used where the package was not installed)."""
    return (checkout_root() or _PACKAGE.parents[1]) / "models"
