"""Speed benchmark (``saidwho bench``): the bare encoder against the whole pipeline.

One run measures, on the same fixed corpus:

1. the bare encoder: MiniLM forward passes over the corpus's body sentences,
   batched by length (sentences per second);
2. the full ``score`` pipeline of a model on the same articles (sentences per
   second, counting the same body sentences), and the ratio pipeline/bare;
3. the median latency of one article of about 1,000 words;
4. cold start: a fresh process that loads the model and scores one article;
5. peak resident memory (ru_maxrss): of this process, which also holds torch
   for the bare encoder, and of a fresh ``saidwho score`` process on the
   whole corpus (with its wall time, start-up included);
6. where the pipeline's time goes: each stage, the steps inside them
   (tokenizing, encoding, parsing, finding names) as the stages report them
   (:mod:`saidwho.pipeline.progress`), and writing the records.

Timings on a shared 2-core machine are noisy: compare ratios measured in one run.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from saidwho.io import dumps_article
from saidwho.pipeline.progress import listening
from saidwho.records import Article


def bare_encoder_seconds(texts: list[str], batch_size: int = 32) -> float:
    import torch
    from transformers import AutoModel

    from saidwho.models.encoder import encoder_path, load_tokenizer

    tokenizer = load_tokenizer()
    model = AutoModel.from_pretrained(encoder_path()).eval()
    order = sorted(texts, key=len)
    started = time.perf_counter()
    with torch.inference_mode():
        for i in range(0, len(order), batch_size):
            encoded = tokenizer(order[i : i + batch_size], padding=True, truncation=True, max_length=256, return_tensors="pt")
            model(**encoded)
    return time.perf_counter() - started


def run_benchmark(articles: list[Article], model: str, console) -> dict:
    import torch

    from saidwho.pipeline import load
    from saidwho.pipeline.segment import segment_text

    torch.set_grad_enabled(False)
    texts = [a.text for a in articles]
    sentences = [t[s.start : s.end] for t in texts for s in segment_text(t) if s.labelled]
    n = len(sentences)
    console.print(f"corpus: {len(articles)} articles, {n} body sentences")
    bare = bare_encoder_seconds(sentences)
    pipeline = load(model)
    pipeline(Article(id="warm-up", text=texts[0]))  # load lazily loaded parts first
    timer = StageTimer()
    started = time.perf_counter()
    with listening(timer):
        scored = list(pipeline.pipe(Article(id=str(i), text=t) for i, t in enumerate(texts)))
    full = time.perf_counter() - started
    with timer.timing("write"):
        for article in scored:
            dumps_article(article)
    long_article = _about_1000_words(texts)
    latencies = []
    for _ in range(5):
        t0 = time.perf_counter()
        pipeline(Article(id="long", text=long_article))
        latencies.append(time.perf_counter() - t0)
    cold = cold_start_seconds(model, long_article)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        corpus.write_text("".join(json.dumps({"id": a.id, "text": a.text}) + "\n" for a in articles), encoding="utf-8")
        fresh_seconds, fresh_rss = measured_score_run(corpus, model, Path(tmp) / "out.jsonl")
    result = {
        "model": model,
        "articles": len(articles),
        "sentences": n,
        "bare_encoder_sentences_per_s": round(n / bare, 1),
        "pipeline_sentences_per_s": round(n / full, 1),
        "pipeline_over_bare_time": round(full / bare, 2),
        "median_latency_1000_words_s": round(statistics.median(latencies), 3),
        "cold_start_s": round(cold, 2),
        # This process also holds torch and the bare encoder: the next two are the score process's own.
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "score_process_peak_rss_mb": round(fresh_rss, 1),
        "score_process_seconds": round(fresh_seconds, 2),
        "stages_s": timer.table(pipeline.component_names),
    }
    return result


# The steps stages report, and the stage they run inside (their time is
# taken out of that stage's, so each second is counted once).
STEPS = ("tokenizing", "encoding", "parsing", "finding names")


class StageTimer:
    """A progress listener that adds up the seconds of each stage and step.

    Stages that run ahead do so in a second thread, so each thread keeps its
    own tally of the steps inside its current stage; the table's seconds are
    then per stage, and may add up to more than the wall time."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self._lock = threading.Lock()
        self._steps_in_stage: dict[int, float] = {}

    def start(self, step: str, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def timed(self, name: str, seconds: float) -> None:
        thread = threading.get_ident()
        with self._lock:
            self.seconds[name] = self.seconds.get(name, 0.0) + seconds
            if name in STEPS:
                self._steps_in_stage[thread] = self._steps_in_stage.get(thread, 0.0) + seconds
            else:  # a stage ends: its own time is what its steps did not take
                self.seconds[name] -= self._steps_in_stage.pop(thread, 0.0)

    @contextmanager
    def timing(self, name: str):
        started = time.perf_counter()
        yield
        self.timed(name, time.perf_counter() - started)

    def table(self, stages: list[str]) -> dict[str, float]:
        """Seconds per stage in pipeline order, each step after the stage it ran in, then write."""
        order = [*stages, *STEPS, "write"]
        return {name: round(self.seconds[name], 2) for name in order if name in self.seconds}


def _about_1000_words(texts: list[str]) -> str:
    """The corpus article closest to 1,000 words (several joined if none is that long)."""
    best = min(texts, key=lambda t: abs(len(t.split()) - 1000))
    if len(best.split()) >= 700:
        return best
    joined, words = [], 0
    for text in texts:
        joined.append(text)
        words += len(text.split())
        if words >= 1000:
            break
    return "\n\n".join(joined)


def cold_start_seconds(model: str, text: str) -> float:
    """Wall time of a fresh `saidwho score` process on one article, to its first result."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(text, encoding="utf-8")
        return measured_score_run(path, model, Path(tmp) / "out.jsonl")[0]


def measured_score_run(corpus: Path, model: str, output: Path) -> tuple[float, float]:
    """A fresh `saidwho score CORPUS -o OUTPUT` process: its wall time (s) and peak RSS (MB)."""
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-c", _MEASURED_RUN, "score", str(corpus), "-m", model, "-o", str(output)],
        capture_output=True, text=True,
    )
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        raise RuntimeError(f"saidwho score failed on {corpus.name}: {run.stderr.strip().splitlines()[-2:]}")
    return seconds, int(run.stderr.strip().splitlines()[-1]) / 1024


# A `saidwho` run that reports its own peak RSS (kB) as the last line of stderr.
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child of a
# large process (this one, holding torch) would report its parent's peak.
_MEASURED_RUN = (
    "import resource, runpy, sys\n"
    "sys.argv = ['saidwho'] + sys.argv[1:]\n"
    "try:\n"
    "    runpy.run_module('saidwho', run_name='__main__')\n"
    "finally:\n"
    "    try:\n"
    "        peak = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
    "    except (OSError, StopIteration):\n"
    "        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "    print(peak, file=sys.stderr)\n"
)


def scale_benchmark(articles: list[Article], model: str, factor: int = 10) -> dict:
    """Score the corpus once and ``factor`` times over (ids made unique), each in a
    fresh `saidwho score -o` process: wall time and peak RSS of each, and their
    ratios. Streaming output keeps memory flat, so the RSS ratio stays near 1
    while the time ratio approaches ``factor`` (start-up is paid once)."""

    result: dict = {"model": model, "articles": len(articles), "factor": factor}
    with tempfile.TemporaryDirectory() as tmp:
        for label, copies in (("1x", 1), (f"{factor}x", factor)):
            corpus = Path(tmp) / f"corpus-{label}.jsonl"
            with open(corpus, "w", encoding="utf-8") as handle:
                for copy in range(copies):
                    for article in articles:
                        suffix = f"~{copy}" if copies > 1 else ""
                        handle.write(json.dumps({"id": f"{article.id}{suffix}", "text": article.text}) + "\n")
            seconds, rss = measured_score_run(corpus, model, Path(tmp) / f"out-{label}.jsonl")
            result[f"seconds_{label}"] = round(seconds, 2)
            result[f"peak_rss_mb_{label}"] = round(rss, 1)
    result["time_ratio"] = round(result[f"seconds_{factor}x"] / result["seconds_1x"], 2)
    result["rss_ratio"] = round(result[f"peak_rss_mb_{factor}x"] / result["peak_rss_mb_1x"], 2)
    return result
