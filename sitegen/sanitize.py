"""Making raw HTML in post bodies safe: an allow-list, with a report of what was removed.

Several authors write on a community site; one pasted snippet must not run scripts for every
reader. The HTML is re-serialized from parsed tokens (never copied through as text), keeping
only known elements and attributes, URLs with safe schemes, and iframes from video and audio
platforms. Each removal is reported so the author learns why their embed disappeared.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

ALLOWED_TAGS = frozenset("""
a abbr address article aside audio b bdi bdo blockquote br caption cite code col colgroup dd del
details dfn div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 header footer hr i img ins kbd li
mark nav ol p picture pre q rp rt ruby s samp section small source span strong sub summary sup
table tbody td tfoot th thead time tr track u ul var video wbr iframe
""".split())
VOID_TAGS = frozenset("br col hr img source track wbr".split())
# Void elements among those dropped: no end tag will come, so their "content" is the rest.
_VOID_DROPPED = frozenset("embed frame".split())
# Removed together with everything inside them: their content is code, not text.
DROP_WITH_CONTENT = frozenset("""
script style template object embed applet frame frameset title textarea select xmp noembed
noframes plaintext math svg noscript
""".split())
# No `style` beyond table alignment (which Markdown's tables write): on a site with several
# authors, a fixed full-page box with a fake link is phishing without a script.
_ALIGN_STYLE = re.compile(r"\s*text-align:\s*(?:left|right|center);?\s*$")
GLOBAL_ATTRS = frozenset("""
id class title lang dir role hidden aria-label aria-hidden aria-describedby
""".split())
TAG_ATTRS = {
    "a": {"href", "rel", "target", "hreflang", "download"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
    "source": {"src", "srcset", "sizes", "type", "media"},
    "video": {"src", "poster", "controls", "width", "height", "preload", "muted", "loop",
              "playsinline"},
    "audio": {"src", "controls", "preload", "loop", "muted"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading",
               "referrerpolicy"},  # frameborder is obsolete: CSS does it
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "scope", "style"},
    "col": {"span"}, "colgroup": {"span"}, "ol": {"start", "reversed", "type"},
    "li": {"value"}, "time": {"datetime"}, "q": {"cite"}, "blockquote": {"cite"},
    "del": {"cite", "datetime"}, "ins": {"cite", "datetime"}, "details": {"open"},
    "abbr": {"title"},
}
URL_ATTRS = frozenset("href src poster cite srcset".split())
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel", ""})
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
# HTMLParser accepts quotes in attribute names (`data-a"onclick`): keep only plain names.
_DATA_ATTR = re.compile(r"(?:data|aria)-[a-z0-9_.-]+")
# Cheap test for whether a Markdown body needs the sanitizer at all. It must stay conservative:
# a URL scheme can be spelt with entities (`javascript&#58;`) or split by a line break that
# browsers ignore (`java\nscript:`), and `{: onclick=… }` gives attributes without any '<'.
# Without '<', '&', '{' or a scheme-like ':', Markdown makes no markup worth checking.
# Raw HTML in a Markdown source (what Markdown's own elements cannot carry is checked on its
# element tree, see markup._SafeAttributes): only then is the slower parser needed.
NEEDS_SANITIZING = re.compile(r"<[a-zA-Z!/?]")


def url_scheme(url: str) -> str:
    """The scheme of a URL as a browser reads it (control characters and spaces ignored)."""
    cleaned = _CONTROL.sub("", url).lower()
    head = re.split(r"[/?#]", cleaned, maxsplit=1)[0]
    return head.split(":", 1)[0] if ":" in head else ""


def is_safe_url(url: str) -> bool:
    return url_scheme(url) in SAFE_SCHEMES


class _Sanitizer(HTMLParser):
    def __init__(self, embed_hosts: frozenset[str]):
        super().__init__(convert_charrefs=True)
        self.embed_hosts = embed_hosts
        self.out: list[str] = []
        self.removed: list[str] = []
        self.dropping: list[str] = []  # stack of elements being removed with their content

    def _remove(self, what: str) -> None:
        if what not in self.removed:
            self.removed.append(what)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self.dropping:
            if tag == self.dropping[-1] and not closed and tag not in VOID_TAGS:
                self.dropping.append(tag)
            return
        if tag == "iframe" and not self._embeddable(attrs):
            if not closed:
                self.dropping.append(tag)
            return
        if tag in DROP_WITH_CONTENT:
            self._remove(f"<{tag}>")
            if not closed and tag not in _VOID_DROPPED:
                self.dropping.append(tag)
            return
        if tag not in ALLOWED_TAGS:
            self._remove(f"<{tag}>")
            return
        kept = self._attributes(tag, attrs)
        self.out.append(f"<{tag}{kept}>")
        if tag == "iframe" and closed:
            self.out.append("</iframe>")

    def _embeddable(self, attrs: list[tuple[str, str | None]]) -> bool:
        src = dict(attrs).get("src") or ""
        # Browsers read a backslash as '/' in http(s) URLs: 'https://evil.example\@youtube.com/'
        # loads evil.example, where urlsplit alone would see youtube.com.
        parts = urlsplit(src.strip().replace("\\", "/"))
        host = (parts.hostname or "").lower()
        if parts.scheme == "https" and host in self.embed_hosts:
            return True
        self._remove(f"<iframe> from {host or 'an unknown host'} (allow it in "
                     f"site.yaml markdown.embed_hosts)")
        return False

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        kept = []
        for name, value in attrs:
            verdict = attribute_verdict(tag, name, value)
            if verdict is None:
                kept.append(f" {name}" if value is None else f' {name}="{escape(value)}"')
            elif verdict:
                self._remove(verdict)
        return "".join(kept)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag in ALLOWED_TAGS and tag not in VOID_TAGS:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        pass  # comments can hide conditional markup; readers never see them anyway

    def handle_decl(self, decl: str) -> None:
        pass

    def handle_pi(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        pass


def attribute_verdict(tag: str, name: str, value: str | None) -> str | None:
    """None to keep an attribute; else why it goes ('' for one of no use, left out quietly).

    `value` is the attribute as the browser reads it (character references decoded)."""
    if name.startswith("on") or (name == "style" and not _ALIGN_STYLE.match(value or "")):
        return f"{name} attribute"
    if name not in GLOBAL_ATTRS and name not in TAG_ATTRS.get(tag, ()) and \
            not _DATA_ATTR.fullmatch(name):
        return ""
    if name in URL_ATTRS and value and not _safe_urls(name, value):
        return f"{url_scheme(value.split(',')[0]) or 'unsafe'}: URL"
    return None


def _safe_urls(name: str, value: str) -> bool:
    if name == "srcset":
        return all(is_safe_url(part.strip().split(" ")[0]) for part in value.split(","))
    return is_safe_url(value)


def sanitize(html: str, embed_hosts: frozenset[str]) -> tuple[str, list[str]]:
    """Return the safe HTML and a description of each kind of thing removed."""
    parser = _Sanitizer(embed_hosts)
    parser.feed(html)
    parser.close()
    return "".join(parser.out), parser.removed
