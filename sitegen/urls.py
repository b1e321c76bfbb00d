"""Every URL of the site comes from here, so a sub-path `base_url` works everywhere.

Pages are named by their *site path* ("/2025/03/velorution/", "/atom.xml"): the path below
`base_url`. `Urls` turns a site path into the link written in a page (with the sub-path), the
absolute URL (feeds, canonical, Open Graph) and the file written in the output folder.
"""

from __future__ import annotations

import posixpath
import re
from functools import cached_property
from urllib.parse import quote, urlsplit

from sitegen.records import record

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_PLAIN_PATH = re.compile(r"[A-Za-z0-9/._~-]*\Z")
PERMALINK_FIELDS = {"year", "month", "day", "slug", "category", "author"}


@record
class Urls:
    """URL maker for one site: `base_url` is absolute and ends with '/'."""

    base_url: str

    @cached_property  # asked for by every link of every page
    def root(self) -> str:
        """The sub-path the site is served under: '/' or '/blog/'."""
        return urlsplit(self.base_url).path or "/"

    @cached_property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def link(self, site_path: str) -> str:
        """The root-relative link written in pages: '/blog/2025/03/velorution/'."""
        path = site_path.lstrip("/")
        if not _PLAIN_PATH.match(path):  # slugs are plain already: quoting is the rare case
            path = quote(path, safe="/#?=&%.-_~")
        return self.root + path

    def absolute(self, site_path: str) -> str:
        """The full URL for feeds, sitemaps, canonical and Open Graph tags."""
        return self.origin + self.link(site_path)

    def resolve_body_link(self, href: str) -> str:
        """Resolve a link written in Markdown: root-relative ones move under the sub-path.

        Links to other sites, anchors, and paths relative to the page are left as written
        (the browser resolves those against the page, which already lives under the sub-path).
        """
        if href.startswith("/") and not href.startswith("//"):
            root = self.root.rstrip("/")
            if root and (href == root or href.startswith(root + "/")):
                return href  # the author already wrote the sub-path
            return root + href
        return href

    def absolutize(self, href: str, page_site_path: str) -> str:
        """Make any link absolute (feeds are read outside the site, e.g. in email tools)."""
        if not href or href.startswith("#"):
            return self.absolute(page_site_path) + href
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            return href
        if href.startswith("/"):
            return self.origin + self.resolve_body_link(href)
        page_dir = page_site_path if page_site_path.endswith("/") else posixpath.dirname(
            page_site_path) + "/"
        joined = posixpath.normpath(posixpath.join(page_dir, parts.path)) if parts.path else \
            page_dir
        if parts.path.endswith("/") and not joined.endswith("/"):
            joined += "/"
        suffix = (f"?{parts.query}" if parts.query else "") + (
            f"#{parts.fragment}" if parts.fragment else "")
        return self.absolute(joined) + suffix


def output_file(site_path: str) -> str:
    """The file written for a site path: '/a/b/' → 'a/b/index.html', '/atom.xml' → 'atom.xml'."""
    path = site_path.lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path


def expand_permalink(pattern: str, fields: dict[str, str]) -> str:
    """Fill a permalink pattern such as '/{year}/{month}/{slug}/'."""
    path = pattern.format_map(fields)  # permalink_problem allows no other braces
    if "//" in path:  # an empty field (no category) must not leave '//'
        path = re.sub(r"/{2,}", "/", path)
    return path if path.startswith("/") else "/" + path


def permalink_problem(pattern: str) -> str:
    """Why a permalink pattern cannot be used, or '' when it can."""
    names = set(_PLACEHOLDER.findall(pattern))
    unknown = names - PERMALINK_FIELDS
    if unknown:
        return (f"unknown placeholder {{{sorted(unknown)[0]}}} in '{pattern}' "
                f"(use {', '.join('{' + n + '}' for n in sorted(PERMALINK_FIELDS))})")
    if "{" in _PLACEHOLDER.sub("", pattern) or "}" in _PLACEHOLDER.sub("", pattern):
        return f"'{pattern}' has a brace that is not a placeholder such as {{slug}}"
    if "slug" not in names:
        return f"'{pattern}' must contain {{slug}} so that every post gets its own address"
    if ".." in pattern.split("/") or "\\" in pattern:
        return f"'{pattern}' must not climb out of the site"
    return ""


def base_url_problem(url: str) -> str:
    """Why a base_url cannot be used, or '' when it can."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return f"base_url '{url}' needs a scheme and a host, e.g. 'https://example.org/'"
    if parts.query or parts.fragment:
        return f"base_url '{url}' must not have a query or fragment"
    return ""


def normalize_base_url(url: str) -> str:
    """Ensure the trailing slash that joins paths correctly."""
    return url if url.endswith("/") else url + "/"
