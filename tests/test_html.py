"""The HTML view: escaping, structure, and a real render in headless Chromium."""

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path


from saidwho.render.html import render_html
from saidwho.records import Article, Sentence, Source
from saidwho.pipeline.summary import source_balance

HOSTILE = (
    "Evil headline <script>document.title='pwned'</script>\n\n"
    "The mayor said <img src=x onerror=\"document.title='pwned'\"> was \" onmouseover=\"alert(1)\" fine. "
    "Prices rose & fell.\n"
)


def hostile_article() -> Article:
    text = HOSTILE
    first_end = text.index("\n")
    body_start = text.index("The mayor")
    second = text.index("Prices")
    sentences = [
        Sentence(0, first_end, "headline"),
        Sentence(body_start, second - 1, "body", "sourced_claim", speaker="s1", confidence=0.9),
        Sentence(second, len(text) - 1, "body", "reported_fact", confidence=0.8),
    ]
    article = Article(id="hostile<id>", text=text, sources=[Source("s1", "The <b>mayor</b>", "person")], sentences=sentences)
    article.summary = source_balance(article)
    return article


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.attrs = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(name for name, _ in attrs)


def test_article_text_is_escaped_and_nothing_can_execute():
    page = render_html([hostile_article()])
    collector = TagCollector()
    collector.feed(page)
    assert "script" not in collector.tags and "img" not in collector.tags
    assert not [a for a in collector.attrs if a.startswith("on")]
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in page
    assert "The &lt;b&gt;mayor&lt;/b&gt;" in page
    assert "default-src 'none'" in page  # no network, no script, even if escaping failed


def test_structure_labels_tooltips_and_panel():
    page = render_html([hostile_article()])
    assert page.count('class="s sourced_claim"') == 1 and page.count('class="s reported_fact"') == 1
    assert 'tabindex="0"' in page and "confidence: 0.90" in page
    assert '<span class="nonbody" id="a0-s1"><span class="kind">1 headline</span>' in page
    assert "<th>source</th>" in page and "anonymous sources hold 0%" in page


def test_speakers_show_inline_after_their_sentences():
    """Not only in the hover tooltip: a printed page or a screenshot shows who said each claim."""
    article = hostile_article()
    unresolved_start = article.text.index("Prices")
    article.sentences[2] = Sentence(unresolved_start, len(article.text) - 1, "body", "sourced_claim", confidence=0.7)
    page = render_html([article])
    tags = [m for m in re.finditer(r'<span class="(who[^"]*)" title="speaker">([^<]*)</span>', page)]
    assert [(m.group(1), m.group(2)) for m in tags] == [
        ("who", "The &lt;b&gt;mayor&lt;/b&gt;"), ("who unresolved", "speaker not resolved"),
    ]
    # each tag follows its own sentence, outside the tooltip (which is hidden until hover)
    for tag, marker in zip(tags, ("fine.", "fell.")):
        sentence_end = page.rindex("</span></span>", 0, tag.start())
        assert page.index(marker) < sentence_end and page[sentence_end + len("</span></span>"):tag.start()] == " "
    assert ".who" in page and not re.search(r"\.who[^{]*\{[^}]*display:\s*none", page)
    # opinions and reported facts get no tag
    assert render_html([hostile_article()]).count('title="speaker"') == 1


def test_first_at_is_the_sentence_number_linked_to_the_sentence():
    article = hostile_article()
    page = render_html([article, hostile_article()])
    (source,) = article.summary["sources"]
    assert source["first_offset"] == article.sentences[1].start  # the record keeps the offset
    assert "<th>first at</th>" in page
    # sentence 2 of each article, linked to that article's sentence
    assert '<td><a href="#a0-s2">#2</a></td>' in page and '<td><a href="#a1-s2">#2</a></td>' in page
    assert 'id="a0-s2"' in page and 'id="a1-s2"' in page and 'data-n="2"' in page
    assert f">{source['first_offset']}<" not in page


CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def test_page_renders_in_headless_chromium(tmp_path, chromium):
    from PIL import Image, ImageStat

    from saidwho.pipeline import load

    example = Path(__file__).resolve().parents[1] / "examples" / "harbour-strike.txt"
    analysed = load("rules")(Article(id="harbour-strike", text=example.read_text(encoding="utf-8")))
    page = tmp_path / "page.html"
    page.write_text(render_html([analysed, hostile_article()]), encoding="utf-8")
    common = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*common, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert dom.count('class="s sourced_claim"') >= 10
    assert "Dana Ortiz" in dom
    speakers = re.findall(r'<span class="who" title="speaker">([^<]*)</span>', dom)
    assert len(speakers) == dom.count('class="s sourced_claim"') - dom.count("who unresolved") and "Dana Ortiz" in speakers
    assert "<title>saidwho: 2 articles</title>" in dom  # the hostile script did not run
    assert "&lt;script&gt;document.title=" in dom
    shot = tmp_path / "shot.png"
    subprocess.run([*common, f"--screenshot={shot}", "--window-size=1280,1400", page.as_uri()], capture_output=True, timeout=120)
    image = Image.open(shot).convert("RGB")
    stat = ImageStat.Stat(image)
    assert max(stat.stddev) > 10, "screenshot looks blank"
    colours = image.resize((160, 175)).getcolors(maxcolors=100000)
    assert len(colours) > 50
    # the speaker tags are painted without hovering: their background colour is on the screenshot
    tag_pixels = sum(count for count, rgb in image.getcolors(maxcolors=1 << 24) if rgb == (0xFF, 0xF3, 0xD6))
    assert tag_pixels > 2000, "no speaker tags on the screenshot"
