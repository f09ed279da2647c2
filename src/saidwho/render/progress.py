"""Progress bars on stderr: items done, and the sentences of a long step.

One bar counts items (articles, systems) when there is more than one. A
second line appears while one pipeline step works on many sentences at once
(a long article spends minutes inside a single step): the step's name and its
sentences done, fed by :mod:`saidwho.pipeline.progress`.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console

# Below this many sentences a step takes seconds: a bar would only flicker.
SENTENCE_BAR_FROM = 200


class ProgressBars:
    """The listener of :mod:`saidwho.pipeline.progress`, drawing on a rich Progress.

    One line per step name: steps of different batches can run at once (the
    encoder of the next batch while the current one is parsed)."""

    def __init__(self, progress, total_items: int, description: str):
        self._progress = progress
        self._items = progress.add_task(description, total=total_items, visible=total_items > 1)
        self._steps: dict[str, object] = {}
        self._current = threading.local()

    def advance_item(self) -> None:
        self._progress.advance(self._items)

    def start(self, step: str, total: int) -> None:
        visible = total >= SENTENCE_BAR_FROM
        if step not in self._steps:
            self._steps[step] = self._progress.add_task(f"  {step} (sentences)", total=total, visible=visible)
        else:
            self._progress.reset(self._steps[step], total=total, visible=visible)
        self._current.step = step

    def advance(self, count: int) -> None:
        step = getattr(self._current, "step", None)
        if step is not None:
            self._progress.advance(self._steps[step], count)

    def timed(self, name: str, seconds: float) -> None:
        pass  # bars show counts; the per-stage times are saidwho bench's


@contextmanager
def progress_bars(total_items: int, description: str, console: Console, *, sentences: bool = False) -> Iterator[Callable[[], None]]:
    """Yields the function to call per item done. With ``sentences``, pipeline
    steps inside the block also draw their sentence counts."""
    if total_items <= 1 and not sentences:
        yield lambda: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from saidwho.pipeline.progress import listening

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        bars = ProgressBars(progress, total_items, description)
        if sentences:
            with listening(bars):
                yield bars.advance_item
        else:
            yield bars.advance_item
