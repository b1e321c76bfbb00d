"""Link previews and structured data: canonical, Open Graph, Twitter card, JSON-LD, escaping."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

from tests.conftest import post


def head_meta(page: str) -> dict[str, str]:
    found = {}
    for key, value in re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"',
                                       page):
        found.setdefault(key, html.unescape(value))
    return found


def jsonld(page: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block
    return json.loads(block.group(1))


def test_post_has_article_metadata(make_site):
    site = make_site({"content/posts/a.md": post(
        "Titre", "2025-03-21 18:30", image="/images/a.png", image_alt="Une image",
        author="alice", tags="[vélo]", summary="Résumé.")})
    site.build()
    page = site.read("2025/03/a/index.html")
    meta = head_meta(page)
    assert meta["og:type"] == "article"
    assert meta["og:title"] == "Titre"
    assert meta["og:url"] == "https://example.org/2025/03/a/"
    assert meta["og:image"] == "https://example.org/images/a.png"
    assert meta["og:image:alt"] == "Une image"
    assert meta["og:locale"] == "fr_FR"
    assert meta["article:published_time"] == "2025-03-21T18:30:00+01:00"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["fediverse:creator"] == "@alice@example.social"
    assert meta["description"] == "Résumé."
    assert '<link rel="canonical" href="https://example.org/2025/03/a/">' in page
    assert '<html lang="fr">' in page
    data = jsonld(page)
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Titre"
    assert data["author"][0]["name"] == "Alice Martin"


def test_home_is_a_website(make_site):
    site = make_site({"content/posts/a.md": post("A")})
    site.build()
    page = site.read("index.html")
    assert head_meta(page)["og:type"] == "website"
    assert head_meta(page)["og:image"] == "https://example.org/card.png"  # the site's card
    assert head_meta(page)["twitter:card"] == "summary_large_image"
    assert jsonld(page)["@type"] == "WebSite"


def test_jsonld_cannot_be_broken_out_of(make_site):
    title = "'</script><script>alert(1)</script><!-- x'"
    site = make_site({"content/posts/a.md": post(title, summary="'</SCRIPT>x'")})
    site.build()
    page = site.read("2025/03/a/index.html")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block and "<" not in block.group(1)
    assert jsonld(page)["headline"] == "</script><script>alert(1)</script><!-- x"
    assert page.count("<script") == 1


class _Elements(HTMLParser):
    """Collects every element and attribute name as a browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.update(name for name, _ in attrs)


def test_front_matter_is_escaped_in_html_and_attributes(make_site):
    site = make_site({"content/posts/a.md": post(
        "'\"><img src=x onerror=alert(1)>'", summary="'\" onmouseover=\"x'",
        image="'\" onerror=\"alert(1)'", tags="['<i>t</i>']", author="'<b>Eve</b>'")})
    site.build()
    for rel in ["2025/03/a/index.html", "index.html", "tags/index.html",
                "authors/index.html"]:
        elements = _Elements()
        elements.feed(site.read(rel))
        assert not {"onerror", "onmouseover"} & elements.attributes, rel
        assert "b" not in elements.tags and "i" not in elements.tags, rel
        assert elements.tags.count("script") <= 1, rel  # the JSON-LD block only


def test_jsonld_escapes_line_separators_and_markup():
    from sitegen.views import jsonld as make_jsonld

    text = str(make_jsonld({"a": "</script>\u2028\u2029&"}))
    assert text == '{"a":"\\u003c/script\\u003e\\u2028\\u2029\\u0026"}'
    assert json.loads(text) == {"a": "</script>\u2028\u2029&"}
