"""Calibration of the learned model's probabilities: temperature scaling and its measure."""

from __future__ import annotations

import numpy as np


def fit_temperature(logits: np.ndarray, outcomes: np.ndarray) -> float:
    """Temperature minimising the negative log-likelihood (grid search; robust, no tuning)."""
    if len(logits) == 0:
        return 1.0
    best, best_nll = 1.0, float("inf")
    for t in np.exp(np.linspace(np.log(0.25), np.log(4.0), 121)):
        p = np.clip(1 / (1 + np.exp(-logits / t)), 1e-7, 1 - 1e-7)
        nll = -np.mean(outcomes * np.log(p) + (1 - outcomes) * np.log(1 - p))
        if nll < best_nll:
            best, best_nll = float(t), nll
    return best


def expected_calibration_error(probabilities: np.ndarray, outcomes: np.ndarray, bins: int = 10) -> float:
    """ECE of binary probabilities: the gap between confidence and accuracy, averaged over equal-width bins."""
    probabilities = np.asarray(probabilities, dtype=float)
    outcomes = np.asarray(outcomes, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        in_bin = (probabilities > lo) & (probabilities <= hi) if lo > 0 else (probabilities >= lo) & (probabilities <= hi)
        if in_bin.any():
            total += in_bin.mean() * abs(probabilities[in_bin].mean() - outcomes[in_bin].mean())
    return float(total)
