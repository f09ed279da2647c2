"""Progress inside one pipeline run: the slow steps count the sentences they finish.

A long article spends minutes inside a single ``nlp.pipe`` batch, where an
article counter cannot move. The steps that take the time (parsing, finding
names, the encoder) report sentences done to whoever listens; the CLI's
progress bar listens (:func:`listening`). Nobody listening costs one lookup
per step. A context variable, not an argument, carries the listener so that
components keep their ``predict`` signatures and worker processes (which have
no listener) stay silent.
"""

from __future__ import annotations

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


_LISTENER: ContextVar[Listener | None] = ContextVar("saidwho_progress_listener", default=None)


@contextmanager
def listening(listener: Listener) -> Iterator[Listener]:
    """Within this block, pipeline steps report to ``listener``."""
    token = _LISTENER.set(listener)
    try:
        yield listener
    finally:
        _LISTENER.reset(token)


def step(name: str, total: int) -> Callable[[int], None]:
    """Announce a step on ``total`` sentences; returns the function to call with sentences done."""
    listener = _LISTENER.get()
    if listener is None:
        return _ignore
    listener.start(name, total)
    return listener.advance


def counted(name: str, items: Iterable[T], total: int) -> Iterator[T]:
    """``items`` unchanged, each one reported as a sentence done by step ``name``."""
    if _LISTENER.get() is None:
        yield from items
        return
    advance = step(name, total)
    for item in items:
        # Counted when made, before the consumer takes it: a consumer that
        # stops at its last item (zip) never comes back for the count.
        advance(1)
        yield item


def _ignore(count: int) -> None:
    pass
