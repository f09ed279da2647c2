"""Percentile bootstrap over articles, for ratios of summed per-article counts.

The one bootstrap of the project: ``saidwho eval`` (the evaluation's
:class:`~saidwho.evaluation.counts.Counts`) and ``saidwho report`` (the
corpus report's rows of counts) both resample through :func:`resampled_sums`.

Articles, not sentences, are drawn with replacement: sentences of one
article share a writer, an outlet's house style and a story, so treating
them as independent would make the intervals too narrow. Every figure is a
ratio of two column sums (for example opinion sentences over labelled
sentences, or correct over aligned ones), so a resample is one weighted sum
of the rows: ``weights @ rows`` with ``weights[r, i]`` = how often article
``i`` is drawn in resample ``r``.

Resamples are drawn in chunks so that the weights never hold more than
:data:`MAX_CELLS` numbers: a million articles take about 16 MB, not 8 GB.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["CONFIDENCE", "MAX_CELLS", "percentile_interval", "ratio", "resampled_sums"]

CONFIDENCE = 0.95
MAX_CELLS = 2_000_000


def resampled_sums(rows: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Column sums of ``resamples`` bootstrap resamples of ``rows`` (articles x columns)."""
    n_items, n_columns = rows.shape
    out = np.zeros((max(resamples, 0), n_columns))
    if n_items == 0 or resamples <= 0:
        return out
    values = rows.astype(float)
    chunk = max(1, min(resamples, MAX_CELLS // n_items))
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        draws = rng.integers(0, n_items, size=(size, n_items))
        offsets = draws + (np.arange(size) * n_items)[:, None]
        weights = np.bincount(offsets.ravel(), minlength=size * n_items).reshape(size, n_items)
        out[start : start + size] = weights @ values
    return out


def ratio(numerator: Any, denominator: Any, undefined: float = np.nan) -> np.ndarray:
    """``numerator / denominator``, ``undefined`` where the denominator is 0 (NaN: the figure is undefined there)."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast(numerator, denominator).shape, undefined, dtype=float)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def percentile_interval(values: np.ndarray) -> tuple[float, float] | None:
    """The central :data:`CONFIDENCE` interval of ``values``, NaNs left out
    (resamples where the figure is undefined); None when none is left."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return None
    alpha = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(values, [alpha, 100 - alpha])
    return float(low), float(high)
