"""Alignment of predicted sentences with gold ones (docs/format.md, scoring).

Each gold sentence is paired with the predicted sentence that covers most of
its non-space characters; ties go to the predicted sentence that starts
first. :mod:`saidwho.evaluation.tally` aligns labelled sentences for the
label and speaker metrics and segments of any kind for segment kinds and
boundaries; the annotator agreement and the training tools align the same way.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from itertools import accumulate

from saidwho.records import Sentence

__all__ = ["align"]


class _NonSpaceCounter:
    """Prefix sums of non-space characters, so the overlap of two ranges costs O(1)."""

    def __init__(self, text: str):
        self._prefix = [0, *accumulate(0 if c.isspace() else 1 for c in text)]
        self._len = len(text)

    def count(self, start: int, end: int) -> int:
        start = min(max(start, 0), self._len)
        end = min(max(end, 0), self._len)
        return self._prefix[end] - self._prefix[start] if end > start else 0


def align(gold: Sequence[Sentence], pred: Sequence[Sentence], text: str) -> list[Sentence | None]:
    """For each gold sentence, the predicted sentence covering most of its non-space characters.

    ``text`` is the gold article text the offsets index into. None where no
    predicted sentence overlaps a non-space character; ties go to the
    predicted sentence that starts first. Predictions need not be sorted or
    free of overlaps (malformed files still score), but sorted ones are fast.
    """
    counter = _NonSpaceCounter(text)
    ordered = sorted(pred, key=lambda s: (s.start, s.end))
    starts = [s.start for s in ordered]
    # Running maximum of ends: every predicted sentence before the first index
    # whose running max exceeds gold.start ends at or before it, even when
    # predictions overlap, so the scan can begin there.
    max_ends = list(accumulate((s.end for s in ordered), max))
    out: list[Sentence | None] = []
    for g in gold:
        lo = bisect.bisect_right(max_ends, g.start)
        hi = bisect.bisect_left(starts, g.end)
        best: Sentence | None = None
        best_overlap = 0
        for p in ordered[lo:hi]:
            overlap = counter.count(max(g.start, p.start), min(g.end, p.end))
            if overlap > best_overlap:
                best, best_overlap = p, overlap
        out.append(best)
    return out

