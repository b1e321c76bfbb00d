"""site.yaml: the declared schema of a site's settings, and its validation.

Each setting is declared once in a frozen dataclass with its default and a comment; `SCHEMA`
lists the keys `site.yaml` may hold (so a misspelt key gets a "did you mean"). Every problem is
collected and reported at once as `site.yaml:LINE: key: message`.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import field
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sitegen.errors import Diagnostics, did_you_mean
from sitegen.model import Link
from sitegen.platforms import PLATFORMS, canonical_platform, rule_for
from sitegen.records import record
from sitegen.urls import base_url_problem, normalize_base_url, permalink_problem
from sitegen.yamlread import YamlError, YamlMapping, load_mapping

CONFIG_FILE = "site.yaml"
BUILTIN_THEMES = Path(__file__).resolve().parent / "themes"
SOURCE_THEMES = Path(__file__).resolve().parent.parent / "themes"

# Hosts whose <iframe> players stay in sanitized bodies: video and audio platforms.
DEFAULT_EMBED_HOSTS = (
    "www.youtube.com", "youtube.com", "www.youtube-nocookie.com", "player.vimeo.com",
    "www.dailymotion.com", "geo.dailymotion.com", "peertube.fr", "framatube.org",
    "w.soundcloud.com", "open.spotify.com", "bandcamp.com", "www.arte.tv",
)


@record
class AuthorConfig:
    """An author declared under `authors:` in site.yaml; front matter names them by id."""

    id: str
    name: str  # shown on posts and author pages
    bio: str = ""  # a sentence or two, Markdown not interpreted
    avatar: str = ""  # image path under static/ ('/images/me.png') or an absolute URL
    links: tuple[Link, ...] = ()  # personal site, portfolio ...: [{title, url}]
    social: Mapping[str, str] = field(default_factory=dict)  # handles per platform


@record
class Permalinks:
    """The URL patterns of posts and pages (`permalinks:` in site.yaml)."""

    post: str = "/{year}/{month}/{slug}/"  # {year} {month} {day} {slug} {category} {author}
    page: str = "/{slug}/"


@record
class FeedSettings:
    """What the site's feeds hold (`feeds:` in site.yaml)."""

    items: int = 20  # entries per feed (RSS, Atom, JSON Feed)
    full_content: bool = True  # False: the summary only


@record
class MarkdownSettings:
    """How bodies are converted, above all which raw HTML survives (`markdown:` in site.yaml)."""

    # 'sanitize': scripts, event handlers, javascript:/data: URLs and iframes from hosts
    # outside embed_hosts are removed from bodies, with a warning. 'keep': trusted authors only.
    raw_html: str = "sanitize"
    embed_hosts: tuple[str, ...] = DEFAULT_EMBED_HOSTS  # extra hosts are added to the defaults


@record
class ShareSettings:
    """How posts are relayed to social networks: share links, snippets, social cards, QR codes
    and the scheduling exports (`share:` in site.yaml)."""

    # Shared links carry utm_source=<platform>&utm_medium=social&utm_campaign=<campaign or
    # slug>, so analytics tell which network brought readers; canonical URLs stay clean.
    utm: bool = True
    via: bool = True  # automatic snippets end with "via @account" (the site's `social:`)
    mastodon_instance: str = ""  # share through this server ('piaille.fr'); else a picker
    mastodon_limit: int = 500  # the longest post the site's Mastodon server accepts
    cards: bool = True  # draw a social card for each post that has no `image`
    qr: bool = True  # draw a QR code of each post's link, for print
    # Posts in the exports for scheduling tools, newest relayed ones (None: every post). A
    # scheduler imports a few hundred rows at most (Hootsuite: 350 scheduled posts), and a
    # full history at 10,000 posts is 16 MB remade on every edit of a recent post.
    export_posts: int | None = 100


@record
class Config:
    """A validated site.yaml."""

    root: Path  # the site's folder (where site.yaml is)
    title: str  # required
    base_url: str  # required: 'https://example.org/' or with a sub-path 'https://x.org/blog/'
    description: str = ""  # used by the home page, feeds and link previews
    language: str = "en"  # BCP 47 / CLDR code: 'fr', 'fr-CA', 'en' (dates and theme strings)
    timezone: str = "UTC"  # IANA zone; naive dates in front matter are read in it
    authors: Mapping[str, AuthorConfig] = field(default_factory=dict)  # id -> author
    social: Mapping[str, str] = field(default_factory=dict)  # the site's accounts per platform
    platforms: tuple[str, ...] = ()  # relays for posts that give no `platforms`
    permalinks: Permalinks = Permalinks()
    paginate: int = 10  # posts per page on the home, tag and author pages
    feeds: FeedSettings = FeedSettings()
    theme: str = "default"  # a folder under themes/ of the site, or a built-in theme
    markdown: MarkdownSettings = MarkdownSettings()
    share: ShareSettings = ShareSettings()
    theme_dir: Path = Path()  # resolved from `theme`

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def locale(self) -> str:
        return self.language.replace("-", "_")


SCHEMA = {
    "title": "site title", "description": "one-sentence description", "base_url": "site URL",
    "language": "language code", "timezone": "IANA time zone", "authors": "author profiles",
    "social": "the site's accounts", "platforms": "default relays", "permalinks": "URL patterns",
    "paginate": "posts per page", "feeds": "feed settings", "theme": "theme name",
    "markdown": "Markdown settings", "share": "share snippets and links",
}
AUTHOR_KEYS = ("name", "bio", "avatar", "links", "social")
FEED_KEYS = ("items", "full_content")
PERMALINK_KEYS = ("post", "page")
MARKDOWN_KEYS = ("raw_html", "embed_hosts")
SHARE_KEYS = ("utm", "via", "mastodon_instance", "mastodon_limit", "cards", "qr",
              "export_posts")
LINK_KEYS = ("title", "url")

T = TypeVar("T")


class _Reader:
    """Reads one mapping of site.yaml, recording problems instead of stopping at the first."""

    def __init__(self, mapping: YamlMapping, diag: Diagnostics, path: Path, prefix: str = ""):
        self.mapping, self.diag, self.path, self.prefix = mapping, diag, path, prefix

    def error(self, key: str, message: str, hint: str = "") -> None:
        line = self.mapping.line_of(key)
        self.diag.error(self.path, line, f"{self.prefix}{key}: {message}", hint)

    def check_keys(self, allowed: Mapping[str, Any] | tuple[str, ...]) -> None:
        for key in self.mapping.keys():
            if key not in allowed:
                self.error(key, "unknown key", did_you_mean(key, allowed) or
                           f"known keys: {', '.join(allowed)}")

    def get(self, key: str, read: Callable[[], T | None], default: T) -> T:
        try:
            value = read()
        except YamlError as exc:
            for issue in exc.issues:
                self.diag.error(self.path, issue.line, f"{self.prefix}{key}: {issue.message}")
            return default
        return default if value is None else value

    def text(self, key: str, default: str = "", required: bool = False) -> str:
        if required and self.mapping.is_null(key):
            self.error(key, "is required")
        return self.get(key, lambda: self.mapping.text(key), default)

    def integer(self, key: str, default: int, minimum: int = 1) -> int:
        raw = self.text(key, str(default))
        if not raw.isdigit() or int(raw) < minimum:
            self.error(key, f"must be a whole number of at least {minimum}, not '{raw}'")
            return default
        return int(raw)

    def boolean(self, key: str, default: bool) -> bool:
        value = self.get(key, lambda: self.mapping.value(key), default)
        if isinstance(value, str) and value.lower() in ("true", "false"):
            value = value.lower() == "true"  # a quoted "true" means the same to an author
        if not isinstance(value, bool):
            self.error(key, f"must be true or false, not '{value}'")
            return default
        return value

    def texts(self, key: str) -> list[str]:
        return self.get(key, lambda: self.mapping.texts(key), [])

    def mapping_of(self, key: str) -> YamlMapping | None:
        return self.get(key, lambda: self.mapping.mapping(key), None)

    def child(self, key: str, allowed: tuple[str, ...]) -> _Reader | None:
        nested = self.mapping_of(key)
        if nested is None:
            return None
        reader = _Reader(nested, self.diag, self.path, f"{self.prefix}{key}.")
        reader.check_keys(allowed)
        return reader


def load_config(root: Path, diag: Diagnostics, base_url: str | None = None) -> Config:
    """Read and validate `root/site.yaml`; problems go to `diag` (raises if there are errors)."""
    path = root / CONFIG_FILE
    if not path.is_file():
        diag.error(path, None, "no site.yaml here", "run 'sitegen init DIR' to start a site, "
                   "or pass --source DIR")
        diag.raise_if_errors()
    try:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        mapping = load_mapping(text)
    except UnicodeDecodeError as exc:
        diag.error(path, None, f"not UTF-8 text (byte {exc.start})", "save the file as UTF-8")
        diag.raise_if_errors()
        raise AssertionError from None  # unreachable: raise_if_errors raised
    except YamlError as exc:
        for issue in exc.issues:
            diag.error(path, issue.line, issue.message, issue.hint)
        diag.raise_if_errors()
        raise AssertionError from None
    config = _read_config(root, _Reader(mapping, diag, path), base_url)
    diag.raise_if_errors()
    return config


def _read_config(root: Path, r: _Reader, base_url_override: str | None) -> Config:
    r.check_keys(SCHEMA)
    title = r.text("title", required=True)
    base_url = base_url_override or r.text("base_url", required=True)
    if base_url and (problem := base_url_problem(base_url)):
        r.error("base_url", problem)
    language = _language(r)
    timezone = _timezone(r)
    theme = r.text("theme", "default")
    return Config(
        root=root,
        title=title,
        base_url=normalize_base_url(base_url) if base_url else "https://example.org/",
        description=r.text("description"),
        language=language,
        timezone=timezone,
        authors=_authors(r),
        social=_social(r, "social"),
        platforms=tuple(_platforms(r)),
        permalinks=_permalinks(r),
        paginate=r.integer("paginate", 10),
        feeds=_feeds(r),
        theme=theme,
        markdown=_markdown(r),
        share=_share(r),
        theme_dir=_theme_dir(root, theme, r),
    )


def _language(r: _Reader) -> str:
    language = r.text("language", "en")
    from babel import Locale, UnknownLocaleError  # only when validating: Babel is slow to import

    try:
        Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        r.error("language", f"unknown language '{language}'", "use a code such as fr or en")
        return "en"
    return language


def _timezone(r: _Reader) -> str:
    name = r.text("timezone", "UTC")
    try:
        ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        r.error("timezone", f"unknown time zone '{name}'",
                did_you_mean(name, zoneinfo.available_timezones()) or "e.g. Europe/Paris")
        return "UTC"
    return name


def _social(r: _Reader, key: str) -> dict[str, str]:
    child = r.child(key, (*PLATFORMS, "twitter"))
    if child is None:
        return {}
    accounts = {}
    for name in child.mapping.keys():
        platform = canonical_platform(name)
        if platform:
            accounts[platform] = child.text(name)
    return accounts


def _platforms(r: _Reader) -> list[str]:
    out = []
    for name in r.texts("platforms"):
        platform = canonical_platform(name)
        if platform is None:
            r.error("platforms", f"unknown platform '{name}'",
                    did_you_mean(name.lower(), PLATFORMS) or f"known: {', '.join(PLATFORMS)}")
        elif platform not in out:
            out.append(platform)
    return out


def _links(r: _Reader, key: str) -> tuple[Link, ...]:
    items: list[YamlMapping] = r.get(key, lambda: r.mapping.mappings(key), [])
    links = []
    for item in items:
        link = _Reader(item, r.diag, r.path, f"{r.prefix}{key}.")
        link.check_keys(LINK_KEYS)
        url = link.text("url", required=True)
        links.append(Link(link.text("title", url), url))
    return tuple(links)


def _authors(r: _Reader) -> dict[str, AuthorConfig]:
    authors_map = r.mapping_of("authors")
    if authors_map is None:
        return {}
    authors = {}
    for author_id in authors_map.keys():
        reader = _Reader(authors_map, r.diag, r.path, "authors.")
        a = reader.child(author_id, AUTHOR_KEYS)
        if a is None:
            reader.error(author_id, "must be a mapping with at least 'name'")
            continue
        authors[author_id] = AuthorConfig(
            id=author_id, name=a.text("name", author_id), bio=a.text("bio"),
            avatar=a.text("avatar"), links=_links(a, "links"), social=_social(a, "social"))
    return authors


def _permalinks(r: _Reader) -> Permalinks:
    p = r.child("permalinks", PERMALINK_KEYS)
    if p is None:
        return Permalinks()
    post = p.text("post", Permalinks.post)
    page = p.text("page", Permalinks.page)
    for key, pattern in (("post", post), ("page", page)):
        if problem := permalink_problem(pattern):
            p.error(key, problem)
    return Permalinks(post, page)


def _feeds(r: _Reader) -> FeedSettings:
    f = r.child("feeds", FEED_KEYS)
    if f is None:
        return FeedSettings()
    return FeedSettings(items=f.integer("items", 20), full_content=f.boolean("full_content", True))


def _markdown(r: _Reader) -> MarkdownSettings:
    m = r.child("markdown", MARKDOWN_KEYS)
    if m is None:
        return MarkdownSettings()
    raw_html = m.text("raw_html", "sanitize")
    if raw_html not in ("sanitize", "keep"):
        m.error("raw_html", f"must be 'sanitize' or 'keep', not '{raw_html}'")
        raw_html = "sanitize"
    extra = tuple(h.lower() for h in m.texts("embed_hosts"))
    return MarkdownSettings(raw_html, DEFAULT_EMBED_HOSTS + extra)


def _share(r: _Reader) -> ShareSettings:
    s = r.child("share", SHARE_KEYS)
    if s is None:
        return ShareSettings()
    instance = s.text("mastodon_instance")
    limit = s.integer("mastodon_limit", 500)
    if instance:
        try:
            rule_for("mastodon", mastodon_instance=instance)
        except ValueError:
            s.error("mastodon_instance", f"not a server name: '{instance}'",
                    "write the server's name, e.g. piaille.fr")
            instance = ""
    exported: int | None = 100
    raw = s.text("export_posts", "100")
    if raw == "all":
        exported = None
    elif raw.isdigit() and int(raw) >= 1:
        exported = int(raw)
    else:
        s.error("export_posts", f"must be a number of posts or 'all', not '{raw}'")
    return ShareSettings(utm=s.boolean("utm", True), via=s.boolean("via", True),
                         mastodon_instance=instance, mastodon_limit=limit,
                         cards=s.boolean("cards", True), qr=s.boolean("qr", True),
                         export_posts=exported)


def _theme_dir(root: Path, theme: str, r: _Reader) -> Path:
    candidates = [root / "themes" / theme, BUILTIN_THEMES / theme, SOURCE_THEMES / theme]
    for candidate in candidates:
        if (candidate / "templates").is_dir():
            return candidate
    r.error("theme", f"theme '{theme}' not found", f"looked in {root / 'themes'} and the "
            "themes that ship with sitegen")
    return candidates[-1]
