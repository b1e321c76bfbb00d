"""What templates see: posts and pages with their URLs, dates in the site's language and
rendered bodies, plus each page's metadata (canonical, Open Graph, JSON-LD).

Templates only display; everything they need is computed here, once per item, and shared by
every page that lists it.
"""

from __future__ import annotations

import json
from dataclasses import field
from typing import Any

from markupsafe import Markup

from sitegen.config import Config
from sitegen.dates import format_day, iso
from sitegen.markup import RenderedBody, plain_text, typeset
from sitegen.model import Author, Page, Post, Tag
from sitegen.platforms import PLATFORMS
from sitegen.records import record
from sitegen.urls import Urls

NO_MARKUP = Markup("")


@record
class LinkView:
    """A link as templates show it: a label and a URL ready to use."""

    name: str
    url: str


@record
class AuthorView:
    """An author as templates show it, with their number of posts for author lists."""

    id: str
    name: str
    url: str
    bio: str
    avatar: str
    links: tuple[LinkView, ...]
    social: tuple[LinkView, ...]  # (platform label, profile URL or handle)
    count: int = 0


@record
class PostView:
    """What templates see of a post: made once per build, shared by every page that lists it."""

    key: str
    title: str
    url: str
    abs_url: str
    date_iso: str
    date_text: str
    updated_iso: str
    updated_text: str
    authors: tuple[AuthorView, ...]
    tags: tuple[LinkView, ...]
    summary_html: Markup
    summary_text: str
    body_html: Markup
    toc_html: Markup
    reading_minutes: int
    image: str  # link to the image ('' when none)
    image_abs: str
    image_alt: str
    category: str
    draft: bool
    scheduled: bool
    lang: str = ""  # the item's own language when it differs from the site's
    extra: dict[str, Any] = field(default_factory=dict)


@record
class PostLink:
    """A post in a plain list (archives, related posts, neighbours): no body needed."""

    key: str
    title: str
    url: str
    date_iso: str
    date_text: str


@record
class Meta:
    """The <head> of one page."""

    title: str  # the <title>: page title · site title
    description: str
    canonical: str
    og_type: str = "website"
    image: str = ""
    image_alt: str = ""
    image_size: tuple[int, int] | None = None  # width, height, when known (social cards)
    published: str = ""
    modified: str = ""
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    jsonld: Markup = NO_MARKUP
    feeds: tuple[tuple[str, str, str], ...] = ()  # (title, MIME type, URL) for autodiscovery
    twitter_creator: str = ""
    fediverse_creator: str = ""
    noindex: bool = False
    heading: str = ""  # the page's own title, for og:title


def handle_url(platform: str, handle: str) -> str:
    """A profile URL from a handle as written in site.yaml ('@user@instance', '@user', URL)."""
    if handle.startswith(("http://", "https://")):
        return handle
    name = handle.lstrip("@")
    if platform == "mastodon" and "@" in name:
        user, host = name.split("@", 1)
        return f"https://{host}/@{user}"
    return PROFILE_URLS[platform] + name if platform in PROFILE_URLS else ""


# Where a bare handle's profile lives; other platforms need a full URL in site.yaml.
PROFILE_URLS = {"x": "https://x.com/", "bluesky": "https://bsky.app/profile/",
                "threads": "https://www.threads.com/@", "telegram": "https://t.me/"}


def author_view(author: Author, urls: Urls, count: int = 0) -> AuthorView:
    avatar = author.avatar
    if avatar and not avatar.startswith(("http://", "https://")):
        avatar = urls.link(avatar)
    social = tuple(LinkView(PLATFORMS.get(p, p), handle_url(p, h))
                   for p, h in author.social.items() if handle_url(p, h))
    return AuthorView(author.id, author.name, urls.link(author.path), author.bio, avatar,
                      tuple(LinkView(link.title, link.url) for link in author.links), social,
                      count)


def image_link(image: str, urls: Urls) -> str:
    if not image or image.startswith(("http://", "https://")):
        return image
    return urls.link(image)


def post_view(post: Post, body: RenderedBody, config: Config, urls: Urls,
              authors: dict[str, AuthorView]) -> PostView:
    zone, locale = config.zone, config.locale
    image = image_link(post.image, urls)
    return PostView(
        key=post.key, title=typeset(post.title, config.language), url=urls.link(post.path),
        abs_url=urls.absolute(post.path), date_iso=post.date_iso,
        date_text=format_day(post.date, zone, locale),
        updated_iso=iso(post.updated) if post.updated else "",
        updated_text=format_day(post.updated, zone, locale) if post.updated else "",
        authors=tuple(authors[a.id] for a in post.authors),
        tags=tuple(LinkView(t.name, urls.link(t.path)) for t in post.tags),
        summary_html=Markup(body.summary_html), summary_text=plain_text(body.summary_html),
        body_html=Markup(body.html), toc_html=Markup(body.toc_html),
        reading_minutes=body.reading_minutes, image=image,
        image_abs=urls.origin + image if image.startswith("/") else image,
        image_alt=post.image_alt, category=post.category, draft=post.draft,
        scheduled=post.scheduled, lang=post.lang, extra=dict(post.extra))


def post_link(post: Post, config: Config, urls: Urls) -> PostLink:
    return PostLink(post.key, typeset(post.title, config.language), urls.link(post.path),
                    post.date_iso, format_day(post.date, config.zone, config.locale))


def page_view(page: Page, body: RenderedBody, config: Config, urls: Urls) -> PostView:
    image = image_link(page.image, urls)
    return PostView(
        key=page.key, title=typeset(page.title, config.language), url=urls.link(page.path),
        abs_url=urls.absolute(page.path), date_iso="", date_text="", updated_iso="",
        updated_text="", authors=(), tags=(), summary_html=Markup(body.summary_html),
        summary_text=plain_text(body.summary_html), body_html=Markup(body.html),
        toc_html=Markup(body.toc_html), reading_minutes=body.reading_minutes, image=image,
        image_abs=urls.origin + image if image.startswith("/") else image,
        image_alt=page.image_alt, category="", draft=page.draft, scheduled=False,
        lang=page.lang, extra=dict(page.extra))


def tag_view(tag: Tag, urls: Urls) -> LinkView:
    return LinkView(tag.name, urls.link(tag.path))


def jsonld(data: dict[str, Any]) -> Markup:
    """JSON-LD safe inside <script>: no '</script>', '<!--' or line separators can break out."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return Markup(text)


def post_jsonld(view: PostView, config: Config, urls: Urls) -> Markup:
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "BlogPosting",
        "headline": view.title, "url": view.abs_url, "mainEntityOfPage": view.abs_url,
        "datePublished": view.date_iso, "dateModified": view.updated_iso or view.date_iso,
        "inLanguage": config.language, "description": view.summary_text,
        "author": [{"@type": "Person", "name": a.name, "url": urls.origin + a.url}
                   for a in view.authors],
        "publisher": {"@type": "Organization", "name": config.title,
                      "url": urls.absolute("/")},
    }
    if view.tags:
        data["keywords"] = [t.name for t in view.tags]
    if view.image_abs:
        data["image"] = view.image_abs
    return jsonld(data)


def site_jsonld(config: Config, urls: Urls) -> Markup:
    return jsonld({"@context": "https://schema.org", "@type": "WebSite", "name": config.title,
                   "url": urls.absolute("/"), "description": config.description,
                   "inLanguage": config.language})
