"""The terminal view of analysed articles: one row per sentence, markup in the text shown as text."""

from __future__ import annotations

import io

from rich.console import Console

from saidwho.records import Article, Sentence, Source
from saidwho.render.terminal import render_article_table


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
    out = io.StringIO()
    render_article_table(article, Console(file=out, width=160, color_system=None))
    shown = out.getvalue()
    assert "Headline [bold]x[/bold]." in shown  # markup in the article is text, not style
    assert "said [Ruiz]." in shown and "Carla [Ruiz]" in shown
    assert "sourced_claim" in shown and "0.88" in shown
    assert "labels: reported_fact 0%, sourced_claim 100%, opinion 0% of 1 sentences" in shown
    assert "direct quotes" in shown
