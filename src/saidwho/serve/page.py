"""The pages of ``saidwho serve``: a form, and the labelled article.

No script runs on either (none is needed: the form posts, the server answers
with a page); the result is the HTML view of ``saidwho score --format html``
(:func:`saidwho.render.html.render_html`, which escapes all article text)
with a bar above it: score another article, and download the record, the
very line ``saidwho score`` writes, from a ``data:`` link, so nothing is kept
on the server. The app sends a Content-Security-Policy header with every
page (see :mod:`saidwho.serve.app`); the pages carry the view's own too.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from saidwho.io import dumps_article
from saidwho.records import Article
from saidwho.render.html import page_head, render_html

__all__ = ["form_page", "result_page"]

FORM_CSS = """
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #1b1b1b; background: #fafafa; }
header { padding: 12px 24px; background: #fff; border-bottom: 1px solid #ddd; }
main { max-width: 860px; margin: 24px auto; padding: 0 24px; }
label { display: block; font-weight: 600; margin: 16px 0 6px; }
textarea { width: 100%; min-height: 320px; font: 15px/1.5 Georgia, 'DejaVu Serif', serif; padding: 10px; border: 1px solid #bbb; }
button { margin-top: 16px; font: inherit; padding: 8px 20px; background: #0072B2; color: #fff; border: 0; border-radius: 3px; cursor: pointer; }
.error { border-left: 4px solid #b00020; background: #fdecee; padding: 8px 12px; white-space: pre-wrap; }
.hint { color: #555; font-size: 14px; }
"""

# Above the labelled article: its own style attributes (the view's CSS has no
# rules for it); inline styles are what the view's policy allows.
BAR_STYLE = "padding:8px 24px;background:#f1f5f9;border-bottom:1px solid #ddd;font:15px/1.5 system-ui,sans-serif"


def form_page(*, error: str | None = None, text: str = "", model: str = "") -> str:
    """The form: paste a text or choose a file; ``error`` (a one-line message) above it."""
    notice = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    return f"""{page_head("saidwho", FORM_CSS)}
<body>
<header><strong>saidwho</strong> &mdash; who said what, sentence by sentence{f' <span class="hint">(model {escape(model)})</span>' if model else ''}</header>
<main>
{notice}
<form method="post" action="/score" enctype="multipart/form-data">
<label for="text">Paste an article</label>
<textarea id="text" name="text" placeholder="Headline, then the article's text">{escape(text)}</textarea>
<label for="file">or choose a file</label>
<input id="file" name="file" type="file" accept=".txt,.html,.htm,.jsonl,.json,text/plain,text/html">
<p class="hint">A .txt or .html article, or a .jsonl file of articles (one JSON object a line, as <code>saidwho score</code> reads them). A chosen file is scored instead of the pasted text.</p>
<button type="submit">Label the sentences</button>
</form>
<p class="hint">The same as a JSON API: <code>POST /v1/score</code>, <code>POST /v1/score/batch</code>; the schema is at <a href="/openapi.json">/openapi.json</a>.</p>
</main>
</body>
</html>
"""


def result_page(articles: list[Article]) -> str:
    """The labelled articles, with a bar to score another and to download the records."""
    records = "".join(dumps_article(article) + "\n" for article in articles)
    if len(articles) == 1:
        what, media, filename = "the record (JSON)", "application/json", f"{_file_stem(articles[0].id)}.json"
    else:
        what, media, filename = f"the {len(articles)} records (JSONL)", "application/x-ndjson", "saidwho-records.jsonl"
    href = f"data:{media};charset=utf-8,{quote(records, safe='')}"
    bar = (
        f'<nav aria-label="saidwho serve" style="{BAR_STYLE}"><a href="/">Score another article</a> &middot; '
        f'<a id="download" href="{escape(href)}" download="{escape(filename)}">Download {what}</a></nav>\n'
    )
    page = render_html(articles)
    body = page.index("<body>") + len("<body>\n")
    return page[:body] + bar + page[body:]


def _file_stem(article_id: str) -> str:
    """An article id as a download file name: letters, digits, ``-``, ``_`` and ``.``."""
    stem = "".join(c if c.isalnum() or c in "-_." else "-" for c in article_id).strip(".-")
    return stem[:80] or "article"
