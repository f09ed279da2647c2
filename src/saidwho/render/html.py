"""The HTML view: one self-contained page per run (no network, no scripts).

Each sentence is a ``<span class="s LABEL">`` with its number (as the
terminal table numbers segments), and the speaker and confidence in a tooltip
shown on hover and on keyboard focus (``tabindex=0``); each sourced claim is
followed by a speaker tag, so that a printed page or a screenshot shows who
said it; non-body segments are dimmed; a side panel lists the sources with
their counts, where each first speaks (a link to the sentence) and the
summary figures. Colours come from the Okabe-Ito palette, and every label
also has its own underline style and a letter badge, so the view does not
depend on telling colours apart. All article text goes through
:func:`html.escape`.
"""

from __future__ import annotations

from html import escape

from saidwho.records import Article
from saidwho.render.terminal import first_at_cell

LABEL_NAMES = {"reported_fact": "reported fact", "sourced_claim": "sourced claim", "opinion": "opinion"}
BADGES = {"reported_fact": "F", "sourced_claim": "S", "opinion": "O"}

CSS = """
:root { --fact: #0072B2; --sourced: #E69F00; --opinion: #CC79A7; --ink: #1b1b1b; }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.6 Georgia, 'DejaVu Serif', serif; color: var(--ink); background: #fafafa; }
header { padding: 12px 24px; background: #fff; border-bottom: 1px solid #ddd; font-family: system-ui, sans-serif; }
.legend span { margin-right: 18px; font-size: 15px; }
main { display: flex; gap: 24px; padding: 24px; align-items: flex-start; }
article { flex: 3; background: #fff; padding: 24px 32px; border: 1px solid #e3e3e3; max-width: 820px; }
aside { flex: 1; min-width: 260px; background: #fff; padding: 16px; border: 1px solid #e3e3e3; font: 14px/1.45 system-ui, sans-serif; position: sticky; top: 12px; }
p.para { margin: 0 0 1em; }
.s { position: relative; padding: 1px 0; border-radius: 2px; cursor: help; }
.s:focus { outline: 2px solid var(--ink); }
.reported_fact { background: rgba(0,114,178,.12); border-bottom: 2px solid var(--fact); }
.sourced_claim { background: rgba(230,159,0,.22); border-bottom: 2px dashed #a36f00; }
.opinion { background: rgba(204,121,167,.22); border-bottom: 3px double #9c4f7a; }
.s::before { content: attr(data-n) " " attr(data-badge); font: bold 10px/1 system-ui, sans-serif; vertical-align: super; margin-right: 2px; color: #444; }
.tip { display: none; position: absolute; left: 0; top: 100%; z-index: 5; min-width: 220px; max-width: 360px;
       background: #222; color: #fff; padding: 6px 8px; border-radius: 4px; font: 13px/1.35 system-ui, sans-serif; }
.s:hover .tip, .s:focus .tip, .s:focus-within .tip { display: block; }
.who { font: 12px/1 system-ui, sans-serif; white-space: nowrap; color: #5a3d00; background: #fff3d6;
       border: 1px solid #d9a93a; border-radius: 8px; padding: 1px 6px; margin: 0 2px; }
.who.unresolved { color: #666; background: #f1f1f1; border-color: #bbb; font-style: italic; }
:target { outline: 2px solid var(--ink); }
@media print { aside { position: static; } .tip { display: none !important; } }
.nonbody { color: #8a8a8a; font-style: italic; }
.kind { font: 11px system-ui, sans-serif; text-transform: uppercase; letter-spacing: .05em; color: #999; margin-right: 6px; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; padding: 3px 4px; border-bottom: 1px solid #eee; }
aside table { font-size: 13px; }
.swatch::before { content: none; }
.swatch { display: inline-block; width: 1.6em; text-align: center; border-radius: 2px; font: bold 11px system-ui, sans-serif; }
"""


def render_html(articles: list[Article]) -> str:
    """The page for one or more analysed articles."""
    bodies = "\n".join(_article_section(a, f"a{i}") for i, a in enumerate(articles))
    title = escape(articles[0].title or articles[0].id) if len(articles) == 1 else f"{len(articles)} articles"
    legend = "".join(
        f'<span><span class="s {label} swatch" data-badge="" aria-hidden="true">{BADGES[label]}</span> {name}</span>'
        for label, name in LABEL_NAMES.items()
    )
    return f"""{page_head(f"saidwho: {title}", CSS)}
<body>
<header><strong>saidwho</strong> &mdash; who said what. <span class="legend">{legend}</span>
<span style="color:#666">Each sourced claim ends with its speaker; hover over or tab to a sentence for its confidence; grey text is not article body.</span></header>
{bodies}
</body>
</html>
"""


def page_head(title_html: str, css: str) -> str:
    """The start of a self-contained page up to ``</head>``: no scripts and
    nothing from the network (the Content-Security-Policy blocks both).
    ``title_html`` must be escaped already."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title_html}</title>
<style>{css}</style>
</head>"""


def _article_section(article: Article, anchor: str) -> str:
    """``anchor`` prefixes the element ids of the article's sentences (``a0-s7``), unique on the page."""
    sources = {s.id: s for s in article.sources}
    paragraphs: list[list[str]] = []
    current_paragraph = None
    for number, sentence in enumerate(article.sentences, start=1):
        text = escape(article.sentence_text(sentence))
        paragraph = sentence.layout.paragraph if sentence.layout is not None else (id(sentence) if not sentence.labelled else None)
        if not paragraphs or paragraph != current_paragraph or not sentence.labelled:
            paragraphs.append([])
        current_paragraph = paragraph
        element_id = f"{anchor}-s{number}"
        if sentence.label:
            speaker = sources.get(sentence.speaker)
            tip = [f"<b>{LABEL_NAMES[sentence.label]}</b> (sentence {number})"]
            if speaker is not None:
                tip.append(f"speaker: {escape(speaker.name)} ({escape(speaker.type)})")
            elif sentence.label == "sourced_claim":
                tip.append("speaker: not resolved")
            if sentence.confidence is not None:
                tip.append(f"confidence: {sentence.confidence:.2f}")
            if sentence.label != "sourced_claim":
                who = ""
            elif speaker is not None:
                who = f' <span class="who" title="speaker">{escape(speaker.name)}</span>'
            else:
                who = ' <span class="who unresolved" title="speaker">speaker not resolved</span>'
            paragraphs[-1].append(
                f'<span class="s {sentence.label}" id="{element_id}" tabindex="0" data-label="{sentence.label}" '
                f'data-n="{number}" data-badge="{BADGES[sentence.label]}">'
                f'{text}<span class="tip" role="tooltip">{"<br>".join(tip)}</span></span>{who}'
            )
        else:
            paragraphs[-1].append(
                f'<span class="nonbody" id="{element_id}"><span class="kind">{number} {escape(sentence.kind)}</span>{text}</span>'
            )
    body = "\n".join(f'<p class="para">{" ".join(parts)}</p>' for parts in paragraphs if parts)
    return f"""<main>
<article aria-label="{escape(article.id)}">
{body}
</article>
{_side_panel(article, anchor)}
</main>"""


def _first_at(source: dict, article: Article, anchor: str) -> str:
    """The sentence where a source first speaks, linked to it (the terminal's "#N" cell)."""
    cell = first_at_cell(source, article)
    return cell if cell == "-" else f'<a href="#{anchor}-s{cell[1:]}">{cell}</a>'


def _title_line(source: dict) -> str:
    """A source's title (its profile's role) under its name."""
    return f"<br><small>{escape(source['title'])}</small>" if source.get("title") else ""


def _side_panel(article: Article, anchor: str) -> str:
    summary = article.summary or {}
    profiled = any("category" in s for s in summary.get("sources", []))
    rows = "".join(
        f"<tr><td>{escape(s['name'])}{_title_line(s)}</td><td>{escape(s['type'])}"
        + (f"<br><small>{escape(s.get('category') or '')}</small></td><td>{escape(s.get('gender') or '')}" if profiled else "")
        + f"</td><td>{s['sentences']}</td><td>{s['direct_quotes']}</td><td>{_first_at(s, article, anchor)}</td></tr>"
        for s in summary.get("sources", [])
    )
    gender_head = "<th>gender</th>" if profiled else ""
    shares = summary.get("label_share", {})
    share_rows = "".join(
        f'<tr><td><span class="s {label} swatch" data-badge="">{BADGES[label]}</span> {LABEL_NAMES[label]}</td><td>{shares.get(label, 0):.0%}</td></tr>'
        for label in LABEL_NAMES
    )
    return f"""<aside>
<h2 style="font-size:16px;margin-top:0">{escape(article.title or article.id)}</h2>
<table>{share_rows}</table>
<p>{summary.get('labelled_sentences', 0)} labelled sentences, {summary.get('sourced_sentences', 0)} sourced;
anonymous sources hold {summary.get('anonymous_share', 0):.0%} of sourced sentences, the most-quoted source {summary.get('top_source_share', 0):.0%}.</p>
<h3 style="font-size:15px">Sources</h3>
<table><tr><th>source</th><th>type</th>{gender_head}<th>sentences</th><th>quotes</th><th>first at</th></tr>{rows}</table>
</aside>"""
