"""Tests for saidwho.ingest: user inputs to Article records."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from saidwho.errors import UserError
from saidwho.ingest import detect_format, load_inputs, load_path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

PAGE = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>Harbour ferry fares rise | Test Gazette</title>
<meta name="date" content="2024-03-05">
<meta property="og:site_name" content="Test Gazette">
<script>var secretTracker = "SCRIPTTEXT should never appear";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/sport">NAVTEXT Sport</a> <a href="/weather">Weather</a></nav>
<article>
<h1>Harbour ferry fares rise</h1>
<p>Ferry fares across the harbour will rise by 12 percent from April, the transport board announced on Tuesday.</p>
<div class="ad">Advertisement</div>
<div class="ad-slot"><p>ADTEXT Buy the new phone today with our partner offer.</p></div>
<p>The board said rising fuel costs left it with little choice. “We held prices for three years,” said its chair, Ana Ruiz.</p>
<p>Commuter groups plan to protest outside the ferry terminal on Friday morning, organisers said.</p>
</article>
<footer>Copyright Test Gazette</footer>
</body></html>
"""


def one(items):
    items = list(items)
    assert len(items) == 1, items
    return items[0]


# ---------------------------------------------------------------- plain text


def test_txt_with_bom_and_crlf(tmp_path):
    path = tmp_path / "ferry-story.txt"
    path.write_bytes(b"\xef\xbb\xbfHeadline here\r\n\r\nFirst line.\r\nSecond line.\r\n")
    article = one(load_inputs([str(path)]))
    assert article.id == "ferry-story"
    assert article.text == "Headline here\n\nFirst line.\nSecond line.\n"
    assert article.title is None
    assert article.sentences == [] and article.sources == []


def test_txt_keeps_other_content(tmp_path):
    path = tmp_path / "a.txt"
    text = "  Indented “quote” — dash\n\n\nTrailing spaces   \n"
    path.write_text(text, encoding="utf-8")
    assert one(load_path(path)).text == text


def test_txt_latin1_is_user_error_with_file_and_line(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("First line\nCaf\u00e9 au lait\n".encode("latin-1"))
    with pytest.raises(UserError) as info:
        list(load_inputs([str(path)]))
    message = str(info.value)
    assert message.startswith(f"{path}:2:")
    assert "UTF-8" in message


def test_unknown_extension_is_plain_text(tmp_path):
    path = tmp_path / "story.md"
    path.write_text("# Not parsed\n\nJust text.\n", encoding="utf-8")
    article = one(load_inputs([str(path)]))
    assert article.id == "story" and article.text.startswith("# Not parsed")


def test_empty_article(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text(" \n\n\t\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"blank\.txt: empty article$"):
        list(load_inputs([str(path)]))


def test_missing_file_fails_before_any_article(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Some text.\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"nope\.txt: no such file"):
        load_inputs([str(good), str(tmp_path / "nope.txt")])


def test_file_gone_before_reading_is_one_line(tmp_path):
    path = tmp_path / "gone.txt"
    path.write_text("Some text.\n", encoding="utf-8")
    articles = load_path(path)
    path.unlink()
    with pytest.raises(UserError, match=r"gone\.txt: no such file$"):
        list(articles)


# ---------------------------------------------------------------- HTML


def test_html_page(tmp_path):
    path = tmp_path / "ferry.html"
    path.write_text(PAGE, encoding="utf-8")
    article = one(load_inputs([str(path)]))
    text = article.text
    assert article.id == "ferry"
    assert article.title == "Harbour ferry fares rise"
    assert article.published == "2024-03-05"
    assert article.outlet == "Test Gazette"
    for absent in ("SCRIPTTEXT", "secretTracker", "NAVTEXT", "Weather", "ADTEXT", "Advertisement", "Copyright"):
        assert absent not in text, absent
    paragraphs = text.rstrip("\n").split("\n\n")
    assert paragraphs[0] == "Harbour ferry fares rise"
    assert paragraphs[1].startswith("Ferry fares across the harbour will rise by 12 percent")
    assert any(p.startswith("The board said rising fuel costs") for p in paragraphs)
    assert paragraphs[-1].startswith("Commuter groups plan to protest")
    # the <h1> is not repeated under the title line
    assert text.count("Harbour ferry fares rise") == 1


def test_html_without_article_text(tmp_path):
    path = tmp_path / "empty.htm"
    path.write_text("<html><head><title>x</title><script>var a=1;</script></head><body></body></html>", encoding="utf-8")
    with pytest.raises(UserError, match=r"empty\.htm: no article text found in the HTML page"):
        list(load_inputs([str(path)]))
    menu = tmp_path / "menu.html"
    menu.write_text(
        "<html><head><title>Big news</title></head><body><nav><a href=/>Home</a> <a href=/w>World</a></nav>"
        "<div class='menu'><ul><li><a href=/s>Sport</a></li></ul></div><footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(UserError, match=r"menu\.html: no article text found in the HTML page"):
        list(load_inputs([str(menu)]))


def test_html_declared_charset_and_wrapped_paragraphs(tmp_path):
    page = (
        "<html><head><meta charset='iso-8859-1'><title>Caf\u00e9 closes</title></head><body><article>"
        "<h1>Caf\u00e9 closes</h1><p>The caf\u00e9 on the\n   quay closed on Monday\n after forty years.</p>"
        "<p>Its owner retired.</p></article></body></html>"
    )
    path = tmp_path / "cafe.html"
    path.write_bytes(page.encode("latin-1"))
    article = one(load_inputs([str(path)]))
    assert article.title == "Caf\u00e9 closes"
    assert article.text == "Caf\u00e9 closes\n\nThe caf\u00e9 on the quay closed on Monday after forty years.\n\nIts owner retired.\n"


def test_example_html_page():
    article = one(load_inputs([str(EXAMPLES / "council-budget.html")]))
    assert article.title == "Brenholm council passes budget with library cuts"
    assert article.published == "2024-11-14"
    assert article.outlet == "Saidwho Wire"
    assert "dataLayer" not in article.text and "Subscribe today" not in article.text
    assert "Advertisement" not in article.text and "Related stories" not in article.text
    assert "\n\nBRENHOLM, Nov. 14 (Saidwho Wire) — " in article.text


# ---------------------------------------------------------------- JSONL


def test_jsonl_of_text_objects(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        {"id": "a1", "text": "First story.\r\nMore.", "title": "First", "url": "https://x.example/a1", "lang": "en"},
        {"id": 7, "text": "Second story."},
        {"text": "No id here."},
    ]
    path.write_text("\n".join(json.dumps(obj) for obj in lines) + "\n\n", encoding="utf-8")
    articles = list(load_inputs([str(path)]))
    assert [a.id for a in articles] == ["a1", "7", "batch-3"]
    first = articles[0]
    assert first.text == "First story.\nMore."
    assert first.title == "First" and first.url == "https://x.example/a1"
    assert first.extra == {"lang": "en"}
    assert first.to_dict()["lang"] == "en"


def test_jsonl_full_records_kept(tmp_path):
    record = {
        "id": "gold-1",
        "text": "Rain fell.\r\n“It is wet,” she said.",
        "sources": [{"id": "s1", "name": "Ana Ruiz", "type": "person", "aliases": ["she"]}],
        "sentences": [
            {"start": 0, "end": 10, "kind": "body", "label": "reported_fact", "speaker": None},
            {"start": 12, "end": 34, "kind": "body", "label": "sourced_claim", "speaker": "s1"},
        ],
    }
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    article = one(load_inputs([str(path)]))
    assert article.text == record["text"]  # untouched: its offsets index it
    assert article.to_dict(include_sentence_text=False)["sentences"][1]["speaker"] == "s1"
    assert article.sources[0].name == "Ana Ruiz"


def test_jsonl_bad_json_line_number(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "text": "ok"}\n\n{"id": "b", "text": "broken}\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"bad\.jsonl:3: bad JSON"):
        list(load_inputs([str(path)]))


def test_jsonl_record_without_text(tmp_path):
    path = tmp_path / "notext.jsonl"
    path.write_text('{"id": "a", "text": "ok"}\n{"id": "b", "title": "x"}\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"notext\.jsonl:2: record has no 'text'"):
        list(load_inputs([str(path)]))


def test_jsonl_empty_article(tmp_path):
    path = tmp_path / "e.jsonl"
    path.write_text('{"id": "a", "text": "  \\n "}\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"e\.jsonl:1: empty article"):
        list(load_inputs([str(path)]))


def test_example_gold_record_loads():
    article = one(load_inputs([str(EXAMPLES / "harbour-strike.gold.jsonl")]))
    text = (EXAMPLES / "harbour-strike.txt").read_text(encoding="utf-8")
    assert article.id == "harbour-strike"
    assert article.text == text
    assert article.sentences and article.sources


# ---------------------------------------------------------------- stdin


def test_stdin_plain_text():
    article = one(load_inputs(["-"], stdin=io.BytesIO(b"\xef\xbb\xbfTitle\r\n\r\nBody text.\r\n")))
    assert article.id == "stdin"
    assert article.text == "Title\n\nBody text.\n"


def test_stdin_jsonl_and_html():
    jsonl = b'{"id": "x", "text": "One."}\n{"id": "y", "text": "Two."}\n'
    assert [a.id for a in load_inputs(["-"], stdin=io.BytesIO(jsonl))] == ["x", "y"]
    article = one(load_inputs(["-"], stdin=io.BytesIO(PAGE.encode("utf-8"))))
    assert article.title == "Harbour ferry fares rise"
    assert article.id == "stdin"
    assert "SCRIPTTEXT" not in article.text


def test_stdin_errors_name_stdin():
    with pytest.raises(UserError, match=r"^<stdin>: empty article$"):
        list(load_inputs(["-"], stdin=io.BytesIO(b"\n\n")))
    with pytest.raises(UserError, match=r"^<stdin>:2: bad JSON"):
        list(load_inputs(["-"], stdin=io.BytesIO(b'{"id": "a", "text": "t"}\n{oops\n')))


def test_detect_format():
    assert detect_format(b'  \n{"id": 1}') == "jsonl"
    assert detect_format(b"\xef\xbb\xbf<!DOCTYPE html><html></html>") == "html"
    assert detect_format(b"<html lang='en'><body>x</body></html>") == "html"
    assert detect_format(b"<b>not a page</b> just text") == "text"
    assert detect_format(b"Plain story.\n") == "text"


# ---------------------------------------------------------------- directories and ids


def test_directory_input(tmp_path):
    (tmp_path / "b.txt").write_text("Bee story.\n", encoding="utf-8")
    (tmp_path / "a.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"id": "c1", "text": "Sea."}\n', encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x,y\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("secret\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.txt").write_text("Nested.\n", encoding="utf-8")
    assert [a.id for a in load_inputs([str(tmp_path)])] == ["a", "b", "c1"]


def test_directory_without_inputs(tmp_path):
    (tmp_path / "notes.csv").write_text("x,y\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"no \.txt, \.html, \.htm or \.jsonl files"):
        load_inputs([str(tmp_path)])


def test_duplicate_ids_made_unique(tmp_path):
    (tmp_path / "x.txt").write_text("One.\n", encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.txt").write_text("Two.\n", encoding="utf-8")
    batch = tmp_path / "batch.jsonl"
    batch.write_text('{"id": "x", "text": "Three."}\n{"id": "x-2", "text": "Four."}\n', encoding="utf-8")
    ids = [a.id for a in load_inputs([str(tmp_path / "x.txt"), str(other / "x.txt"), str(batch)])]
    assert ids == ["x", "x-2", "x-3", "x-2-2"]


def test_no_inputs_and_stdin_twice():
    with pytest.raises(UserError):
        load_inputs([])
    with pytest.raises(UserError, match="more than once"):
        load_inputs(["-", "-"], stdin=io.BytesIO(b"x"))


# ---------------------------------------------------------------- page furniture
#
# Invented pages in the layouts news sites use. Each comes with the article as
# a reader would paste it into a text file; the HTML page must give the same
# labelled (body and dek) sentences as that text, and its furniture (kicker,
# byline with a job title, tip and newsletter lines) non-body kinds.

FLAT_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Grain exporter cuts 300 jobs at Lindqvist mill</title></head><body><article>
<p>Business</p>
<h1>Grain exporter cuts 300 jobs at Lindqvist mill</h1>
<p class="dek">The closure of the milling line ends a century of flour production in the town.</p>
<p>By Elena Novak, Business Reporter</p>
<p>Norrvik Grain said on Monday it would close the milling line at its Lindqvist plant by June, cutting about 300 jobs.</p>
<p>The company blamed falling export prices. “We have run out of ways to keep this line open,” chief executive Tomas Berg said.</p>
<p>Have a news tip?</p>
<p>Email tips@gazette.example</p>
<p>The town’s mayor said the decision betrayed workers who had stayed through two earlier rounds of cuts.</p>
<p>It is a sad end for a mill that once fed half the region.</p>
<p>Follow us on Mastodon for more business news.</p>
</article></body></html>
"""
FLAT_TEXT = """Grain exporter cuts 300 jobs at Lindqvist mill

The closure of the milling line ends a century of flour production in the town.

By Elena Novak, Business Reporter

Norrvik Grain said on Monday it would close the milling line at its Lindqvist plant by June, cutting about 300 jobs.

The company blamed falling export prices. “We have run out of ways to keep this line open,” chief executive Tomas Berg said.

The town’s mayor said the decision betrayed workers who had stayed through two earlier rounds of cuts.

It is a sad end for a mill that once fed half the region.
"""

# A CMS page: the kicker, standfirst and byline sit in a <header> that
# trafilatura leaves out of the main text; the standfirst is known by the
# page's description, the byline by its class; a newsletter box in the body.
CMS_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Tram drivers vote to accept new rota | Northfield Courier</title>
<meta property="og:description" content="The deal ends a dispute that cancelled a third of evening services">
<meta property="og:site_name" content="Northfield Courier">
</head><body>
<header class="masthead"><a href="/">Northfield Courier</a></header>
<main><article>
<header class="article-header">
  <div class="kicker"><a href="/transport">Transport</a></div>
  <h1>Tram drivers vote to accept new rota</h1>
  <h2>The deal ends a dispute that cancelled a third of evening services</h2>
  <div class="byline">By Priya Raman and Jonas Weller</div>
</header>
<div class="article-body">
<p>Tram drivers in Northfield voted by 312 to 95 on Friday to accept a new rota, ending a four-month dispute with the city’s transport company.</p>
<p>The agreement caps weekend shifts at two a month and adds a paid break on late services, the drivers’ union said.</p>
<div class="newsletter-signup"><p>Get the Courier’s commuter newsletter every weekday morning.</p><p>Sign up</p></div>
<p>“Our members stood firm and it paid off,” said Rosa Lind, the union’s branch secretary.</p>
<p>Evening services will return to their normal timetable from Monday.</p>
<p>The company’s handling of the dispute was clumsy from the start.</p>
</div>
</article></main>
<footer>Northfield Courier</footer>
</body></html>
"""
CMS_TEXT = """Tram drivers vote to accept new rota

The deal ends a dispute that cancelled a third of evening services

By Priya Raman and Jonas Weller

Tram drivers in Northfield voted by 312 to 95 on Friday to accept a new rota, ending a four-month dispute with the city’s transport company.

The agreement caps weekend shifts at two a month and adds a paid break on late services, the drivers’ union said.

“Our members stood firm and it paid off,” said Rosa Lind, the union’s branch secretary.

Evening services will return to their normal timetable from Monday.

The company’s handling of the dispute was clumsy from the start.
"""

# A section trail above the headline, a standfirst by class, "NAME | TITLE",
# a contact line at the end.
PIPE_PAGE = """<html><head><title>Hospital opens night clinic for minor injuries</title></head><body><article>
<p>News › Health</p>
<h1>Hospital opens night clinic for minor injuries</h1>
<p class="standfirst">Patients with sprains and small cuts no longer need to wait in the emergency ward.</p>
<p>Elena Novak | Health Reporter</p>
<p>Saint Aldric Hospital opened a night clinic for minor injuries on Tuesday, staffed by two nurses and a doctor from 8 p.m. to 6 a.m.</p>
<p>The hospital said waiting times in its emergency ward had doubled since last winter. “The clinic takes the pressure off,” its medical director, Dr. Ana Ruiz, said.</p>
<p>Got a story we should look into? Contact the newsdesk at news@herald.example.</p>
<p>The clinic is a welcome, if overdue, answer to a crisis that everyone saw coming.</p>
</article></body></html>
"""
PIPE_TEXT = """Hospital opens night clinic for minor injuries

Patients with sprains and small cuts no longer need to wait in the emergency ward.

Elena Novak | Health Reporter

Saint Aldric Hospital opened a night clinic for minor injuries on Tuesday, staffed by two nurses and a doctor from 8 p.m. to 6 a.m.

The hospital said waiting times in its emergency ward had doubled since last winter. “The clinic takes the pressure off,” its medical director, Dr. Ana Ruiz, said.

The clinic is a welcome, if overdue, answer to a crisis that everyone saw coming.
"""

# No dek, no byline; the page's description is its first paragraph, which
# stays a body paragraph.
PLAIN_PAGE = """<html><head><title>Library extends Sunday opening hours</title>
<meta name="description" content="The central library will open on Sundays from noon to six from next month, the council said.">
</head><body><article>
<h1>Library extends Sunday opening hours</h1>
<p>The central library will open on Sundays from noon to six from next month, the council said.</p>
<p>The change costs about 40,000 euros a year and is paid for by a grant from a local foundation.</p>
<p>Subscribe to our newsletter for more local news.</p>
</article></body></html>
"""
PLAIN_TEXT = """Library extends Sunday opening hours

The central library will open on Sundays from noon to six from next month, the council said.

The change costs about 40,000 euros a year and is paid for by a grant from a local foundation.
"""

FURNITURE_PAGES = {
    "flat": (FLAT_PAGE, FLAT_TEXT, ["Business", "By Elena Novak, Business Reporter", "Have a news tip?", "Email tips@gazette.example", "Follow us on Mastodon for more business news."]),
    "cms": (CMS_PAGE, CMS_TEXT, ["By Priya Raman and Jonas Weller"]),
    "pipe": (PIPE_PAGE, PIPE_TEXT, ["News › Health", "Elena Novak | Health Reporter", "Got a story we should look into? Contact the newsdesk at news@herald.example."]),
    "plain": (PLAIN_PAGE, PLAIN_TEXT, ["Subscribe to our newsletter for more local news."]),
}


def segments(text):
    from saidwho.pipeline.segment import segment_text

    return [(s.kind, text[s.start : s.end]) for s in segment_text(text)]


def labelled(text):
    return [(kind, line) for kind, line in segments(text) if kind in {"body", "dek"}]


@pytest.mark.parametrize("name", sorted(FURNITURE_PAGES))
def test_html_page_furniture_is_not_body(tmp_path, name):
    page, text, furniture = FURNITURE_PAGES[name]
    path = tmp_path / f"{name}.html"
    path.write_text(page, encoding="utf-8")
    article = one(load_inputs([str(path)]))
    got = segments(article.text)
    assert labelled(article.text) == labelled(text)
    kinds = dict((line, kind) for kind, line in got)
    for line in furniture:
        # Furniture is either out of the text or in it with a non-body kind.
        assert kinds.get(line, "absent") not in {"body", "dek"}, (line, got)
    assert got[[line for _, line in got].index(article.title)][0] == "headline"


def test_html_page_furniture_kinds():
    # The unlinked kicker, the byline with a job title, the tip lines and the
    # follow line stay in the text as page furniture; the standfirst is a dek.
    page, _, _ = FURNITURE_PAGES["flat"]
    article = html_of(page)
    assert [k for k, _ in segments(article.text)] == [
        "meta", "headline", "dek", "byline", "body", "body", "body", "meta", "meta", "body", "body", "meta"
    ]
    # The unlinked kicker above the <h1> goes above the headline, as on the page.
    page, _, _ = FURNITURE_PAGES["pipe"]
    assert segments(html_of(page).text)[:4] == [
        ("meta", "News › Health"),
        ("headline", "Hospital opens night clinic for minor injuries"),
        ("dek", "Patients with sprains and small cuts no longer need to wait in the emergency ward."),
        ("byline", "Elena Novak | Health Reporter"),
    ]
    # A header that trafilatura drops: the standfirst and byline come back
    # under the headline (the <h1> is not repeated); the kicker and the
    # newsletter box are gone.
    page, _, _ = FURNITURE_PAGES["cms"]
    text = html_of(page).text
    assert text.startswith("Tram drivers vote to accept new rota\n\nThe deal ends a dispute")
    assert text.count("Tram drivers vote to accept new rota") == 1
    for absent in ("Transport", "commuter newsletter", "Sign up"):
        assert absent not in text


def test_a_kicker_that_cannot_stand_above_a_short_headline_is_dropped():
    # Above a two-word headline the segmenter would take "Business" for the
    # headline; the page says it is a section label, so it goes.
    page = FLAT_PAGE.replace("Grain exporter cuts 300 jobs at Lindqvist mill", "Mill closes")
    got = segments(html_of(page).text)
    assert got[0] == ("headline", "Mill closes") and "Business" not in [line for _, line in got]


def html_of(page):
    from saidwho.ingest import html_article

    return html_article(page, article_id="page")


def test_html_example_gives_the_labelled_sentences_and_labels_of_its_text(rule_pipeline):
    html = one(load_inputs([str(EXAMPLES / "harbour-strike.html")]))
    text = one(load_inputs([str(EXAMPLES / "harbour-strike.txt")]))
    assert labelled(html.text) == labelled(text.text)
    furniture = {line: kind for kind, line in segments(html.text) if kind not in {"body", "dek"}}
    assert furniture["By Marta Kowalczyk, Transport Correspondent, and Pieter Smit"] == "byline"
    assert furniture["Have a news tip?"] == furniture["Sign up for Morning Wire, our daily briefing on business and the economy."] == "meta"
    scored = [rule_pipeline(a) for a in (html, text)]
    html_labels, text_labels = (
        [(a.sentence_text(s), s.label) for s in a.sentences if s.labelled] for a in scored
    )
    assert html_labels == text_labels
