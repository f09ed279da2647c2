"""The terminal view of analysed articles: one row per sentence, markup in the text shown as text,
readable from 60 columns up (the sentence column never shrinks to a word per line)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from saidwho.pipeline.summary import source_balance
from saidwho.records import Article, Sentence, Source
from saidwho.render.terminal import WIDE_TABLE, render_article_table, sentence_number

LONG = ("Dana Ortiz, the union’s chief negotiator, said the two sides had not moved a single centimetre "
        "since Monday and that the operators knew where to find the union if they wanted the port running.")


def sample() -> Article:
    text = f"Harbour talks stall\n\nBy Marta Kowalczyk\n\nThe port authority said handling stopped. {LONG} Ships waited."
    spans = [(0, 19, "headline", None, None), (21, 39, "byline", None, None)]
    body = text.index("The port")
    long_start = text.index(LONG)
    spans += [
        (body, long_start - 1, "body", "sourced_claim", "s2"),
        (long_start, long_start + len(LONG), "body", "sourced_claim", "s1"),
        (long_start + len(LONG) + 1, len(text), "body", "reported_fact", None),
    ]
    article = Article(
        id="t-wide",
        text=text,
        sources=[Source("s1", "Dana Ortiz", "person"), Source("s2", "The port authority", "organization")],
        sentences=[Sentence(a, b, kind, label, speaker=who, confidence=0.875 if label else None)
                   for a, b, kind, label, who in spans],
    )
    article.summary = source_balance(article)
    return article


def rendered(article: Article, console_width: int | None = None) -> str:
    out = io.StringIO()
    render_article_table(article, Console(file=out, width=console_width, color_system=None))
    return out.getvalue()


def column_widths(shown: str) -> dict[str, int]:
    """The inner width of each column of the first table, by its header words."""
    lines = shown.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("┏"))
    widths = [len(cell) for cell in lines[top][1:-1].split("┳")]
    headers = [""] * len(widths)
    for line in lines[top + 1:]:
        if not line.startswith("┃"):
            break
        for i, cell in enumerate(line[1:-1].split("┃")):
            headers[i] = (headers[i] + " " + cell.strip()).strip()
    return dict(zip(headers, widths))


def row_lines(shown: str, marker: str) -> list[list[str]]:
    """The cells, line by line, of the table row whose first line holds ``marker``."""
    rows = [line.split("│")[1:-1] for line in shown.splitlines() if line.startswith("│")]
    first = next(i for i, cells in enumerate(rows) if marker in "".join(cells))
    end = next((i for i in range(first + 1, len(rows)) if rows[i][0].strip()), len(rows))
    return rows[first:end]


def test_article_table_shows_labels_speakers_and_escaped_text() -> None:
    text = "Headline [bold]x[/bold]. 'We act,' said [Ruiz]."
    article = Article(
        id="t1",
        text=text,
        sources=[Source("s1", "Carla [Ruiz]", "person")],
        sentences=[
            Sentence(0, 24, kind="headline"),
            Sentence(25, len(text), label="sourced_claim", speaker="s1", confidence=0.875),
        ],
        summary={
            "label_share": {"reported_fact": 0.0, "sourced_claim": 1.0, "opinion": 0.0},
            "labelled_sentences": 1,
            "anonymous_share": 0.0,
            "top_source_share": 1.0,
            "sourced_sentences": 1,
            "sources": [{"name": "Carla [Ruiz]", "type": "person", "sentences": 1, "direct_quotes": 1,
                         "first_offset": 25}],
        },
    )
    for width in (80, 160):
        shown = rendered(article, width)
        assert "Headline [bold]x[/bold]." in shown  # markup in the article is text, not style
        assert "said [Ruiz]." in shown and "Carla [Ruiz]" in shown
        assert "sourced_claim" in shown and "0.88" in shown
        assert "labels: reported_fact 0%, sourced_claim 100%, opinion 0% of 1 sentences" in shown.replace("\n", " ")
        assert "direct quotes" in shown
        (source_row,) = row_lines(shown[shown.index("sources"):], "Carla [Ruiz]")
        assert source_row[-1].strip() == "#2"  # first at: the sentence number, not the offset 25


@pytest.mark.parametrize("width", [60, 80, 100, WIDE_TABLE - 1, WIDE_TABLE, 160, 220])
def test_sentence_column_keeps_room_at_every_width(width: int) -> None:
    shown = rendered(sample(), width)
    assert max(len(line) for line in shown.splitlines()) <= width
    widths = column_widths(shown)
    sentence = widths["sentence"]
    assert sentence == max(widths.values())  # the sentence column takes the room
    assert sentence >= (40 if width >= 80 else 28)
    # the long sentence wraps into lines of many words, not one word per line
    column = list(widths).index("sentence")
    long_lines = [cells[column] for cells in row_lines(shown, "Dana Ortiz, the union")]
    assert len(long_lines) <= len(LONG) // (sentence - 10) + 1
    assert " ".join(" ".join(line.split()) for line in long_lines) == LONG
    assert "Dana Ortiz" in shown and "The port authority" in shown and "sourced_claim" in shown
    wide = width >= WIDE_TABLE
    assert ("kind" in widths) == wide and ("speaker" in widths) == wide


def test_columns_80_from_the_environment(monkeypatch) -> None:
    # A console without a width (the CLI's on a terminal) follows COLUMNS.
    monkeypatch.setenv("COLUMNS", "80")
    shown = rendered(sample())
    assert max(len(line) for line in shown.splitlines()) <= 80
    widths = column_widths(shown)
    assert widths["sentence"] >= 40 and "kind" not in widths
    # the speaker sits under the label and confidence of its sentence; the kind before non-body text
    long_row = row_lines(shown, "Dana Ortiz, the union")
    assert long_row[0][2].strip() == "sourced_claim 0.88" and long_row[1][2].strip() == "Dana Ortiz"
    assert row_lines(shown, "Harbour talks stall")[0][1].strip() == "headline: Harbour talks stall"
    # several words to a line
    assert min(len(cells[1].split()) for cells in long_row[:-1]) >= 5


def test_sentence_number_counts_every_segment_from_one() -> None:
    article = sample()
    starts = [s.start for s in article.sentences]
    assert [sentence_number(article, s) for s in starts] == [1, 2, 3, 4, 5]
    assert sentence_number(article, starts[3] + 5) == 4  # an offset inside a sentence
    assert sentence_number(article, None) is None
    sources = {s["name"]: s for s in article.summary["sources"]}
    shown = rendered(article, 160)
    table = shown[shown.index("sources"):]
    assert sources["Dana Ortiz"]["first_offset"] == starts[3]
    row = next(line for line in table.splitlines() if "Dana Ortiz" in line)
    assert row.split("│")[-2].strip() == "#4"
