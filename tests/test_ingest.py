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
