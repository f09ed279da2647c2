"""Progress inside a pipeline run: slow steps report the sentences they finish."""

from __future__ import annotations

import io

from rich.console import Console

from saidwho.pipeline.progress import counted, listening, step
from saidwho.render.progress import SENTENCE_BAR_FROM, progress_bars


class Recorder:
    def __init__(self):
        self.steps: list[tuple[str, int]] = []
        self.done: dict[str, list[int]] = {}
        self.seconds: dict[str, float] = {}

    def start(self, step: str, total: int) -> None:
        self.steps.append((step, total))
        self.done.setdefault(step, [])

    def advance(self, count: int) -> None:
        self.done[self.steps[-1][0]].append(count)

    def timed(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds


def long_article(paragraphs: int) -> str:
    return "\n\n".join(f'Mayor Ana Ruiz said the bridge {i} would reopen. "It is safe," she said.' for i in range(paragraphs))


def test_without_a_listener_steps_cost_nothing_and_change_nothing():
    assert list(counted("parsing", iter([1, 2, 3]), 3)) == [1, 2, 3]
    with step("encoding", 10) as advance:
        advance(4)  # no listener: ignored, no error


def test_parsing_reports_each_sentence_as_it_finishes(rule_pipeline):
    recorder = Recorder()
    text = long_article(40)  # 80 sentences
    with listening(recorder):
        article = rule_pipeline(text)
    parsed = [total for name, total in recorder.steps if name == "parsing"]
    assert len(parsed) == 1 and 70 <= parsed[0] <= len(article.sentences)
    # Counted one by one while the step runs, not once at its end.
    assert recorder.done["parsing"] == [1] * parsed[0]
    # Every stage reports its time, and the parsing step inside the attribute stage.
    assert set(recorder.seconds) == {*rule_pipeline.component_names, "parsing"}
    assert recorder.seconds["parsing"] <= recorder.seconds["attribute"]


def test_listening_ends_with_its_block(rule_pipeline):
    recorder = Recorder()
    with listening(recorder):
        pass
    rule_pipeline("The council met on Monday.")
    assert recorder.steps == []


def test_encoder_reports_its_batches():
    from saidwho import load

    nlp = load("default")
    recorder = Recorder()
    text = long_article(150)  # more windows than one encoder batch holds
    with listening(recorder):
        article = nlp(text)
    names = [name for name, _ in recorder.steps]
    assert "encoding" in names and "parsing" in names
    total = dict(recorder.steps)["encoding"]
    assert total == sum(1 for s in article.sentences if s.labelled)
    # Several batches, adding up to the step's total.
    assert len(recorder.done["encoding"]) > 1
    assert sum(recorder.done["encoding"]) == total


def _terminal() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, width=100), buffer


def test_bars_show_sentences_only_for_a_long_step():
    console, buffer = _terminal()
    with progress_bars(1, "scoring", console, sentences=True) as advance:
        with step("parsing", 10) as done:
            done(10)
        advance()
    assert "parsing" not in buffer.getvalue()  # ten sentences: no bar

    console, buffer = _terminal()
    with progress_bars(1, "scoring", console, sentences=True) as advance:
        with step("parsing", SENTENCE_BAR_FROM) as done:
            done(5)
            from time import sleep

            sleep(0.3)  # let the live display draw once
        advance()
    assert "parsing (sentences)" in buffer.getvalue()
    assert "scoring" not in buffer.getvalue()  # one article: no article bar


def test_bars_without_sentences_do_not_listen():
    from time import sleep

    from saidwho.pipeline.progress import _LISTENER

    console, buffer = _terminal()
    with progress_bars(3, "evaluating", console) as advance:
        assert _LISTENER.get() is None  # nobody listens to the steps here
        advance()
        with step("parsing", 500) as done:
            done(1)
            sleep(0.3)  # let the live display draw once
    assert "evaluating" in buffer.getvalue() and "parsing" not in buffer.getvalue()
