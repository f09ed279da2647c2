"""Speed benchmark (``saidwho bench``): the bare encoder against the whole pipeline.

One run measures, on the same fixed corpus:

1. the bare encoder: MiniLM forward passes over the corpus's body sentences,
   batched by length (sentences per second);
2. the full ``score`` pipeline of a model on the same articles (sentences per
   second, counting the same body sentences), and the ratio pipeline/bare;
3. the median latency of one article of about 1,000 words;
4. cold start: a fresh process that loads the model and scores one article;
5. the peak resident memory of the process (ru_maxrss).

Timings on a shared 2-core machine are noisy: compare ratios measured in one run.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
    started = time.perf_counter()
    list(pipeline.pipe(Article(id=str(i), text=t) for i, t in enumerate(texts)))
    full = time.perf_counter() - started
    long_article = _about_1000_words(texts)
    latencies = []
    for _ in range(5):
        t0 = time.perf_counter()
        pipeline(Article(id="long", text=long_article))
        latencies.append(time.perf_counter() - t0)
    cold = cold_start_seconds(model, long_article)
    result = {
        "model": model,
        "articles": len(articles),
        "sentences": n,
        "bare_encoder_sentences_per_s": round(n / bare, 1),
        "pipeline_sentences_per_s": round(n / full, 1),
        "pipeline_over_bare_time": round(full / bare, 2),
        "median_latency_1000_words_s": round(statistics.median(latencies), 3),
        "cold_start_s": round(cold, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    return result


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
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "saidwho.cli", "score", str(path), "--model", model, "-o", str(Path(tmp) / "out.jsonl")],
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - started


# A `saidwho` run that reports its own peak RSS (kB) as the last line of stderr.
_MEASURED_RUN = (
    "import resource, runpy, sys\n"
    "sys.argv = ['saidwho'] + sys.argv[1:]\n"
    "try:\n"
    "    runpy.run_module('saidwho', run_name='__main__')\n"
    "finally:\n"
    "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def scale_benchmark(articles: list[Article], model: str, factor: int = 10) -> dict:
    """Score the corpus once and ``factor`` times over (ids made unique), each in a
    fresh `saidwho score -o` process: wall time and peak RSS of each, and their
    ratios. Streaming output keeps memory flat, so the RSS ratio stays near 1
    while the time ratio approaches ``factor`` (start-up is paid once)."""
    import json


    result: dict = {"model": model, "articles": len(articles), "factor": factor}
    with tempfile.TemporaryDirectory() as tmp:
        for label, copies in (("1x", 1), (f"{factor}x", factor)):
            corpus = Path(tmp) / f"corpus-{label}.jsonl"
            with open(corpus, "w", encoding="utf-8") as handle:
                for copy in range(copies):
                    for article in articles:
                        suffix = f"~{copy}" if copies > 1 else ""
                        handle.write(json.dumps({"id": f"{article.id}{suffix}", "text": article.text}) + "\n")
            started = time.perf_counter()
            run = subprocess.run(
                [sys.executable, "-c", _MEASURED_RUN, "score", str(corpus), "-m", model, "-o", str(Path(tmp) / f"out-{label}.jsonl")],
                capture_output=True, text=True,
            )
            seconds = time.perf_counter() - started
            if run.returncode != 0:
                raise RuntimeError(f"saidwho score failed on the {label} corpus: {run.stderr.strip().splitlines()[-2:]}")
            result[f"seconds_{label}"] = round(seconds, 2)
            result[f"peak_rss_mb_{label}"] = round(int(run.stderr.strip().splitlines()[-1]) / 1024, 1)
    result["time_ratio"] = round(result[f"seconds_{factor}x"] / result["seconds_1x"], 2)
    result["rss_ratio"] = round(result[f"peak_rss_mb_{factor}x"] / result["peak_rss_mb_1x"], 2)
    return result
