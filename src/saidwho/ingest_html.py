"""HTML pages into article text: trafilatura's main text, the page header laid out as in plain text.

The contract (what the text of an HTML article is) is written in
:mod:`saidwho.ingest`, which reads every kind of input and calls
:func:`html_article` for HTML.
"""

from __future__ import annotations

import re
from typing import Any

from saidwho.errors import UserError
from saidwho.records import Article


# Class or id tokens of page elements that hold advertising.
_AD_TOKEN = re.compile(
    r"^(?:ad|ads|advert|adverts|advertisement|advertisements|advertising|adslot|adunit|"
    r"adsbygoogle|dfp|sponsor|sponsored|sponsored-content|promo|promoted)$"
    r"|^(?:ad|ads|advert|advertisement|dfp|sponsor)[-_]",
    re.IGNORECASE,
)
# Lines of extracted HTML text that are page furniture, not article text.
_FURNITURE_LINES = frozenset(
    {
        "advertisement",
        "advertisements",
        "advertising",
        "ad",
        "sponsored",
        "sponsored content",
        "story continues below advertisement",
        "article continues below advertisement",
        "continue reading the main story",
    }
)
# Class or id tokens of boxes that ask the reader for something (newsletter
# sign-up, tips, sharing, following) or label the page's section (kicker,
# breadcrumbs): page furniture, dropped like ad slots.
_SOLICITATION_TOKEN = re.compile(
    r"^(?:newsletter|newsletters|signup|sign-up|subscribe|subscription|share|sharing|share-tools|social|"
    r"social-share|social-links|follow|follow-us|tipline|tip-line|news-tips?|tips-box|tip-box|"
    r"kicker|eyebrow|overline|breadcrumb|breadcrumbs|section-label|article-section)$"
    r"|^(?:newsletter|signup|sign-up|subscribe|share|social|tipline|kicker|eyebrow|breadcrumb)[-_]"
    r"|[-_](?:newsletter|signup|sign-up|subscribe|share|social|tipline|tips|kicker|eyebrow|breadcrumbs?)$",
    re.IGNORECASE,
)
# A furniture box is small: an element this long holds article text, whatever its class says.
_FURNITURE_MAX_WORDS = 80
# Class or id tokens of the standfirst under the headline, and of the byline.
_DEK_TOKEN = re.compile(
    r"(?:^|[-_])(?:dek|deck|standfirst|stand-first|subtitle|sub-title|subheadline|sub-headline|subhead|"
    r"strapline|summary|excerpt|description)(?:$|[-_])",
    re.IGNORECASE,
)
_BYLINE_TOKEN = re.compile(r"(?:^|[-_])(?:byline|by-line|author|authors|contributor|contributors)(?:$|[-_])", re.IGNORECASE)
# How far into the main text a repeated headline, dek or byline is looked for.
_HEADER_BLOCKS = 6
_KEEP_TAGS = frozenset({"html", "body", "article", "main"})
# Page furniture dropped before extraction, so that trafilatura's fallback
# extractors cannot return menu links as "text" on a page without an article.
_FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "script", "style", "noscript", "template"})
_FURNITURE_ROLES = frozenset({"navigation", "complementary", "contentinfo", "search", "menu", "menubar"})


def html_article(raw: bytes | str, *, article_id: str, name: str | None = None) -> Article:
    """A record for an HTML page: title line, blank line, main text paragraphs."""
    name = name or article_id
    title, paragraphs, meta = extract_html(raw, name)
    # A page without an article can still yield menu entries ("Home", "World"):
    # ask for at least one block that reads like a sentence.
    if not any(len(p.split()) >= 4 for p in paragraphs):
        raise UserError(f"{name}: no article text found in the HTML page")
    head, main = _lay_out_header(title, paragraphs, meta.get("dek"), meta.get("byline"))
    if not main:
        raise UserError(f"{name}: no article text found in the HTML page")
    blocks = head + main
    return Article(
        id=article_id,
        text="\n\n".join(blocks) + "\n",
        title=title or None,
        url=meta.get("url"),
        outlet=meta.get("outlet"),
        published=meta.get("published"),
    )


def _lay_out_header(
    title: str | None, paragraphs: list[str], dek: str | None, byline: str | None
) -> tuple[list[str], list[str]]:
    """The blocks of an HTML article in the order a plain-text article has
    them, as ``(header, main text)``: the header is a kicker that stood above
    the headline, the headline, the dek and the byline.

    The segmenter reads kinds from the text alone (so that an HTML page and
    its plain-text copy get the same kinds): it knows a kicker by the
    headline under it and a dek by the byline under it. The page's markup
    says which blocks these are, so they are put where it looks. A repeated
    headline (the ``<h1>``) is dropped, and so is a kicker that cannot stand
    above this headline.
    """
    from saidwho.pipeline.kinds import is_byline, is_kicker, is_kicker_above

    rest = list(paragraphs)
    above: list[str] = []
    if title:
        head = [i for i, p in enumerate(rest[:_HEADER_BLOCKS]) if _norm(p) == _norm(title)]
        if head:
            del rest[head[0]]
            if head[0] == 1 and is_kicker(rest[0]):
                kicker = rest.pop(0)
                if is_kicker_above(kicker, title):
                    above = [kicker]  # above the headline, as on the page
                # else dropped: above this headline the segmenter would take it for the headline
    header = []
    for block in (dek, byline if byline and is_byline(byline) else None):
        if not block:
            continue
        same = [i for i, p in enumerate(rest[:_HEADER_BLOCKS]) if _norm(p) == _norm(block)]
        if same:
            del rest[same[0]]
        header.append(block)
    return above + ([title] if title else []) + header, rest


def extract_html(raw: bytes | str, name: str) -> tuple[str | None, list[str], dict[str, str]]:
    """Run trafilatura: ``(title, paragraphs, meta)``; ``meta`` holds ``url``,
    ``outlet``, ``published``, ``dek`` and ``byline`` where the page gives them."""
    import trafilatura  # slow import; only HTML input needs it

    tree = trafilatura.load_html(raw)
    if tree is None:
        raise UserError(f"{name}: no article text found in the HTML page")
    _drop_furniture(tree)
    # Read before extraction: trafilatura leaves bylines (and often the
    # standfirst in a page header) out of the main text.
    header = _header_parts(tree)
    try:
        doc = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
        )
    except Exception as exc:  # trafilatura raising on odd markup is not the user's fault
        raise UserError(f"{name}: could not extract text from the HTML page ({exc.__class__.__name__})") from None
    if doc is None:
        return None, [], {}
    data: dict[str, Any] = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    paragraphs = []
    for line in (data.get("text") or "").split("\n"):
        line = " ".join(line.split())
        if line and line.casefold() not in _FURNITURE_LINES:
            paragraphs.append(line)
    title = " ".join((data.get("title") or "").split()) or None
    meta = {}
    for key, field in (("url", "url"), ("outlet", "sitename"), ("published", "date")):
        value = data.get(field)
        if isinstance(value, str) and value.strip():
            meta[key] = value.strip()
    meta.update(header)
    return title, paragraphs, meta


def _header_parts(tree: Any) -> dict[str, str]:
    """The page's dek and byline as its markup marks them: ``{"dek", "byline"}``
    where found (text with whitespace collapsed).

    The dek is the first element whose class or id names a standfirst (dek,
    standfirst, subtitle, summary, ...), else a heading or header element whose
    text is the page's description (``<meta name="description">`` or
    ``og:description``). A paragraph that equals the description is not taken:
    many pages describe themselves with their first paragraph. The byline is
    the first element marked as one (class or id byline or author,
    ``rel``/``itemprop`` author).
    """
    parts: dict[str, str] = {}
    description = ""
    for element in tree.iter("meta"):
        key = (element.get("name") or element.get("property") or "").strip().lower()
        if key in {"description", "og:description"} and (element.get("content") or "").strip():
            description = description or _norm(element.get("content"))
    body = tree.find(".//body")
    for element in (body if body is not None else tree).iter():
        if not isinstance(element.tag, str) or element.tag.lower() in {"meta", "script", "style", "h1"}:
            continue
        tokens = (element.get("class") or "").split() + (element.get("id") or "").split()
        text = " ".join(element.text_content().split())
        if not text or len(text.split()) > 60:
            continue
        if "dek" not in parts and (
            any(_DEK_TOKEN.search(t) for t in tokens)
            or (
                description
                and _norm(text) == description
                and (element.tag.lower() in {"h2", "h3", "h4"} or element.getparent().tag == "header")
            )
        ):
            parts["dek"] = text
        elif "byline" not in parts and (
            any(_BYLINE_TOKEN.search(t) for t in tokens)
            or "author" in (element.get("rel") or "").lower()
            or "author" in (element.get("itemprop") or "").lower()
        ):
            parts["byline"] = text
    return parts


def _drop_furniture(tree: Any) -> None:
    """Remove navigation, asides, footers, scripts and ad slots from the parsed page."""
    doomed = []
    for element in tree.iter():
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in _KEEP_TAGS:
            continue
        if tag in _FURNITURE_TAGS or (element.get("role") or "").strip().lower() in _FURNITURE_ROLES:
            doomed.append(element)
            continue
        tokens = (element.get("class") or "").split() + (element.get("id") or "").split()
        if any(_AD_TOKEN.match(token) for token in tokens):
            doomed.append(element)
        elif any(_SOLICITATION_TOKEN.search(token) for token in tokens) and _is_small_box(element):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()  # keeps the tail text


def _is_small_box(element: Any) -> bool:
    """A box without the headline and with few words: furniture, not the article."""
    if element.find(".//h1") is not None:
        return False
    return len(element.text_content().split()) <= _FURNITURE_MAX_WORDS


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()
