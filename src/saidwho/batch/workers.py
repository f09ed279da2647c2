"""``saidwho score --workers N``: N processes, each loading the model once.

Chunks of :data:`~saidwho.pipeline.core.BATCH_SIZE` articles go out lazily
(memory stays flat) and the scored articles come back in input order.
"""

from __future__ import annotations

import os
import sys

from saidwho.pipeline.core import BATCH_SIZE, article_chunks
from saidwho.records import Article

_WORKER_PIPELINE = None


def _start_worker(model: str, threads: int) -> None:
    import signal

    from saidwho.models.graph import set_threads
    from saidwho.pipeline import load

    global _WORKER_PIPELINE
    # Ctrl-C reaches the whole process group: the main process alone handles
    # it (closes OUT.part, says how to resume) and ends the pool; workers
    # would each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    set_threads(threads)
    _WORKER_PIPELINE = load(model)
    if "torch" in sys.modules:  # a torch-runtime model: it reads the count at each call
        sys.modules["torch"].set_num_threads(threads)


def _score_chunk(articles: list[Article]) -> list[Article]:
    assert _WORKER_PIPELINE is not None
    return list(_WORKER_PIPELINE.pipe(articles))


def score_articles(articles, model: str, workers: int = 1, batch_size: int = BATCH_SIZE):
    """Scored articles in input order. With ``workers`` > 1, that many processes
    each load the model once and share the cores (torch threads = cores / workers);
    chunks of ``batch_size`` articles go out lazily, so memory stays flat."""
    if workers <= 1:
        from saidwho.pipeline import load

        yield from load(model).pipe(articles, batch_size=batch_size)
        return
    import multiprocessing

    threads = max(1, (os.cpu_count() or 1) // workers)
    # spawn, not fork: a forked torch with live threads can hang.
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_start_worker, initargs=(model, threads)) as pool:
        for scored in pool.imap(_score_chunk, article_chunks(articles, batch_size)):
            yield from scored
