"""The site as data: posts, pages, authors, tags and their relations (campaigns and live
events have their own modules). No I/O, no HTML.

Everything is frozen: each stage after `assemble` reads the same `Site` and none can change it.
Posts and pages point at their Markdown source (`body`); rendered HTML lives in `markup`'s
`RenderedBody`, keyed by the item's `key`, so bodies can be cached and rendered in parallel.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.dates import iso
from sitegen.records import record

if TYPE_CHECKING:  # live.py and campaign.py build on this module's Author and Source
    from sitegen.campaign import Campaign
    from sitegen.live import LiveEvent


@record
class Link:
    """A titled link: an author's own pages, a live event's links, a campaign's hub."""

    title: str
    url: str


@record
class Author:
    """Who wrote a post: declared in site.yaml, or a free name met only in front matter."""

    id: str
    name: str
    path: str  # site path of the author page: /authors/<id>/
    bio: str = ""
    avatar: str = ""
    links: tuple[Link, ...] = ()
    social: Mapping[str, str] = field(default_factory=dict)
    known: bool = True  # False for a free name not declared in site.yaml


@record
class Tag:
    """A tag, one for all the spellings that share its slug, with its own page."""

    name: str  # as the authors wrote it (the most used spelling)
    slug: str
    path: str  # /tags/<slug>/


@record
class Source:
    """Where an item comes from: for error messages and for Markdown rendering."""

    path: Path  # relative to the site root
    body: str  # the Markdown after the front matter
    body_line: int  # file line where the body starts
    digest: str = ""  # identity of the file's bytes and of the settings it was read with
    body_digest: str = ""  # identity of `body`, which is '' when the build did not need it


@record
class Post:
    """A dated post from `content/posts/`, with its authors and tags resolved by `assemble`."""

    key: str  # stable identity: the source path
    source: Source
    title: str
    slug: str
    path: str  # site path, from the permalink pattern
    date: datetime  # timezone-aware
    date_only: bool  # the author gave a day without a time
    authors: tuple[Author, ...]
    tags: tuple[Tag, ...] = ()
    platforms: tuple[str, ...] = ()
    summary: str = ""  # the author's summary (plain text); else derived from the body
    updated: datetime | None = None
    image: str = ""
    image_alt: str = ""
    category: str = ""
    campaign: str = ""
    lang: str = ""
    draft: bool = False
    scheduled: bool = False  # dated in the future, shown only with --future
    share: Mapping[str, str] = field(default_factory=dict)  # per-platform text overrides
    extra: Mapping[str, Any] = field(default_factory=dict)  # the author's own keys

    @cached_property
    def date_iso(self) -> str:
        """The date in RFC 3339, made once: several stages' keys and signatures show it."""
        return iso(self.date)


@record
class Page:
    """A page from `content/pages/` ('About'): undated, so outside feeds and archives."""

    key: str
    source: Source
    title: str
    slug: str
    path: str
    summary: str = ""
    image: str = ""
    image_alt: str = ""
    lang: str = ""
    draft: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)


@record
class YearArchive:
    """The posts of one year, for its archive page."""

    year: int
    path: str
    posts: tuple[Post, ...]


@record
class Site:
    """Everything `assemble` resolved: later stages only read it."""

    posts: tuple[Post, ...]  # newest first
    pages: tuple[Page, ...]
    authors: tuple[Author, ...]  # with at least one post, by name
    tags: tuple[Tag, ...]  # by name
    posts_by_tag: Mapping[str, tuple[Post, ...]]  # tag slug -> posts, newest first
    posts_by_author: Mapping[str, tuple[Post, ...]]  # author id -> posts, newest first
    archives: tuple[YearArchive, ...]  # newest year first
    newer: Mapping[str, Post]  # post key -> the next post in time
    older: Mapping[str, Post]  # post key -> the previous post in time
    related: Mapping[str, tuple[Post, ...]]  # post key -> posts sharing tags
    static_files: tuple[tuple[str, Path], ...] = ()  # (output path, file) copied as is
    newest: datetime | None = None  # date of the newest post: "now" for feeds, reproducible
    structure: str = ""  # digest of the posts' order and tags (what `related` depends on)
    events: tuple[LiveEvent, ...] = ()  # live events, soonest first
    campaigns: tuple[Campaign, ...] = ()  # newest start first
    posts_by_campaign: Mapping[str, tuple[Post, ...]] = field(default_factory=dict)  # newest 1st
    next_scheduled: datetime | None = None  # when the first post not yet due comes due
    # Set when this site is a campaign's standalone microsite: the hub it belongs to.
    hub: Link | None = None
