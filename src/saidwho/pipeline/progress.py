"""Progress inside one pipeline run: slow steps count the sentences they finish,
and every stage reports the time it took.

A long article spends minutes inside a single ``nlp.pipe`` batch, where an
article counter cannot move. The steps that take the time (parsing, finding
names, the encoder) report sentences done to whoever listens: the CLI's
progress bar listens (:func:`listening`), and ``saidwho bench`` adds up the
time of each stage and step for its per-stage table. Nobody listening costs
one lookup per step. A context variable, not an argument, carries the
listener so that components keep their ``predict`` signatures and worker
processes (which have no listener) stay silent.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Protocol, TypeVar

T = TypeVar("T")


class Listener(Protocol):
    def start(self, step: str, total: int) -> None:
        """A step begins on ``total`` sentences."""

    def advance(self, count: int) -> None:
        """``count`` more sentences of the current step are done."""

    def timed(self, name: str, seconds: float) -> None:
        """A pipeline stage or step spent ``seconds`` (steps nest inside stages)."""


_LISTENER: ContextVar[Listener | None] = ContextVar("saidwho_progress_listener", default=None)


@contextmanager
def listening(listener: Listener) -> Iterator[Listener]:
    """Within this block, pipeline stages and steps report to ``listener``."""
    token = _LISTENER.set(listener)
    try:
        yield listener
    finally:
        _LISTENER.reset(token)


@contextmanager
def step(name: str, total: int) -> Iterator[Callable[[int], None]]:
    """A step on ``total`` sentences; yields the function to call with sentences done."""
    listener = _LISTENER.get()
    if listener is None:
        yield _ignore
        return
    listener.start(name, total)
    started = time.perf_counter()
    try:
        yield listener.advance
    finally:
        listener.timed(name, time.perf_counter() - started)


@contextmanager
def timed(name: str) -> Iterator[None]:
    """Report the time spent in this block as stage ``name``."""
    listener = _LISTENER.get()
    if listener is None:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        listener.timed(name, time.perf_counter() - started)


def counted(name: str, items: Iterable[T], total: int) -> Iterator[T]:
    """``items`` unchanged, each one reported as a sentence done by step ``name``.

    Only the time spent making the items counts as the step's (a consumer that
    works between items, as the rules do between parses, is not charged)."""
    listener = _LISTENER.get()
    if listener is None:
        yield from items
        return
    listener.start(name, total)
    spent = 0.0
    iterator = iter(items)
    try:
        while True:
            started = time.perf_counter()
            try:
                item = next(iterator)
            except StopIteration:
                return
            finally:
                spent += time.perf_counter() - started
            # Counted when made, before the consumer takes it: a consumer that
            # stops at its last item (zip) never comes back for the count.
            listener.advance(1)
            yield item
    finally:
        listener.timed(name, spent)


def _ignore(count: int) -> None:
    pass
