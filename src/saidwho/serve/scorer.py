"""One thread owns the model; requests wait for it in a bounded queue.

Scoring is CPU work in spaCy, onnxruntime and Python: run on the event loop it
would stall every other request, ``/healthz`` included. Here one thread takes
jobs (the articles of one request) from a queue of ``capacity`` places and
scores them with the pipeline, the way ``saidwho score`` does
(``pipeline.pipe``; records do not depend on how articles are batched, see
docs/determinism.md). Each scored article goes back to the waiting request on
its event loop as it is ready, so a batch streams. A request that finds the
queue full is refused at once (:class:`QueueFull`: 503 with Retry-After)
instead of waiting without bound.
"""

from __future__ import annotations

import asyncio
import math
import queue
import threading
import time
from collections.abc import AsyncIterator, Sequence

from saidwho.records import Article

__all__ = ["QueueFull", "Scorer"]

_DONE = object()  # end of a job's results


class QueueFull(Exception):
    """Every place in the queue is taken; ``retry_after`` is the wait to suggest, in seconds."""

    def __init__(self, waiting: int, retry_after: int):
        super().__init__(f"busy: {waiting} request(s) are waiting to be scored; try again in {retry_after} s")
        self.retry_after = retry_after


class _Job:
    def __init__(self, articles: Sequence[Article], loop: asyncio.AbstractEventLoop):
        self.articles = articles
        self.loop = loop
        self.results: asyncio.Queue = asyncio.Queue()
        # Set when nobody reads the results any more (a batch's client left mid-stream):
        # the thread stops at the pipeline's next batch, or skips the job if it has not begun.
        self.cancelled = False

    def put(self, item) -> None:
        """Hand one result to the request's event loop (called from the scoring thread)."""
        try:
            self.loop.call_soon_threadsafe(self.results.put_nowait, item)
        except RuntimeError:  # the loop has closed: the server is stopping
            self.cancelled = True


class Scorer:
    """Scores the articles of each request on one thread, one request after another."""

    def __init__(self, pipeline, capacity: int):
        self.pipeline = pipeline
        self._jobs: queue.Queue[_Job | None] = queue.Queue(maxsize=capacity)
        self._scoring = 0  # requests being scored now: 0 or 1
        # Seconds per request, a running mean, for Retry-After; a first guess until measured.
        self._seconds = 1.0
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="saidwho-scorer", daemon=True)
        self._thread.start()

    @property
    def waiting(self) -> int:
        return self._jobs.qsize()

    @property
    def scoring(self) -> int:
        return self._scoring

    def retry_after(self) -> int:
        """Whole seconds until the queue has likely moved on by one place (1 to 120)."""
        return max(1, min(120, math.ceil(self._seconds * (self.waiting + self._scoring))))

    def submit(self, articles: Sequence[Article]) -> AsyncIterator[Article]:
        """Queue the articles of one request (a full queue raises :class:`QueueFull`
        at once); iterate the result on the event loop for the scored articles, in
        order, as the scoring thread finishes each. The thread's exceptions are
        raised there."""
        job = _Job(articles, asyncio.get_running_loop())
        try:
            self._jobs.put_nowait(job)
        except queue.Full:
            raise QueueFull(self.waiting, self.retry_after()) from None
        return self._results(job)

    async def _results(self, job: _Job) -> AsyncIterator[Article]:
        try:
            while True:
                item = await job.results.get()
                if item is _DONE:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            job.cancelled = True  # nobody reads what is left

    def _run(self) -> None:
        while not self._stopped:
            job = self._jobs.get()
            if job is None:
                return
            if job.cancelled:
                continue
            self._scoring = 1
            started = time.monotonic()
            outcome: object = _DONE
            try:
                for article in self.pipeline.pipe(job.articles):
                    if job.cancelled:
                        break
                    job.put(article)
            except Exception as exc:  # raised again in the request, which answers it
                outcome = exc
            # Idle again before the request is answered: /healthz never shows a request that has its answer.
            self._scoring = 0
            self._seconds = 0.8 * self._seconds + 0.2 * (time.monotonic() - started)
            job.put(outcome)

    def close(self) -> None:
        """Stop after the request being scored (those waiting are dropped with the process)."""
        self._stopped = True
        try:
            self._jobs.put_nowait(None)
        except queue.Full:
            pass
