"""The HTML view: escaping, structure, and a real render in headless Chromium."""

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
    assert '<span class="nonbody"><span class="kind">headline</span>' in page
    assert "<th>source</th>" in page and "anonymous sources hold 0%" in page


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
    assert "<title>saidwho: 2 articles</title>" in dom  # the hostile script did not run
    assert "&lt;script&gt;document.title=" in dom
    shot = tmp_path / "shot.png"
    subprocess.run([*common, f"--screenshot={shot}", "--window-size=1280,1400", page.as_uri()], capture_output=True, timeout=120)
    image = Image.open(shot).convert("RGB")
    stat = ImageStat.Stat(image)
    assert max(stat.stddev) > 10, "screenshot looks blank"
    colours = image.resize((160, 175)).getcolors(maxcolors=100000)
    assert len(colours) > 50
