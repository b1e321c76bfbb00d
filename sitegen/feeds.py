"""Atom and RSS (through feedgen) and JSON Feed 1.1 (written here: feedgen has none).

Feeds are read outside the site (feed readers, RSS-to-email tools that ignore xml:base), so
every URL in them is absolute. They are reproducible: dates come from the posts, never from
the clock, and entries keep our order (feedgen would prepend them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape

from sitegen.records import record
from sitegen.urls import Urls

_URL_ATTR = re.compile(r"""(\s(?:href|src|poster)=)(["'])(.*?)\2""", re.S)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@record
class FeedEntry:
    """One item of a feed, from a post or a live update; every URL in it is absolute."""

    url: str  # absolute
    title: str
    published: datetime
    updated: datetime | None
    authors: tuple[str, ...]
    summary: str  # plain text
    content_html: str  # absolute URLs already
    tags: tuple[str, ...]
    image: str = ""  # absolute


@record
class Feed:
    """One feed (the site's, a tag's, a live event's ...), written as Atom, RSS and JSON Feed."""

    title: str
    description: str
    home_url: str  # absolute URL of the HTML page the feed mirrors
    language: str
    atom_url: str
    rss_url: str
    json_url: str
    entries: Sequence[FeedEntry]

    @property
    def updated(self) -> datetime:
        dates = [e.updated or e.published for e in self.entries]
        return max(dates) if dates else EPOCH


def absolute_links(html: str, urls: Urls, page_path: str) -> str:
    """Rewrite every href/src of a body so it works outside the site."""
    return _URL_ATTR.sub(
        lambda m: f"{m.group(1)}{m.group(2)}{urls.absolutize(m.group(3), page_path)}{m.group(2)}",
        html)


def _generator(feed: Feed, self_url: str):  # -> feedgen.feed.FeedGenerator
    from feedgen.feed import FeedGenerator  # lxml behind it: import only when writing feeds

    fg = FeedGenerator()
    fg.id(feed.home_url)
    fg.title(feed.title)
    fg.subtitle(feed.description or feed.title)
    fg.link(href=feed.home_url, rel="alternate")
    fg.link(href=self_url, rel="self")
    fg.language(feed.language)
    fg.updated(feed.updated)
    fg.lastBuildDate(feed.updated)
    fg.generator("sitegen")
    for entry in feed.entries:
        fe = fg.add_entry(order="append")
        fe.id(entry.url)
        fe.guid(entry.url, permalink=True)
        fe.title(entry.title)
        fe.link(href=entry.url)
        fe.published(entry.published)
        fe.updated(entry.updated or entry.published)
        for name in entry.authors:
            fe.author(name=name)
        if entry.summary:
            fe.summary(entry.summary)  # Atom <summary> and RSS <description> (not description():
            # feedgen would make that the Atom <content>)
        if entry.content_html:
            fe.content(entry.content_html, type="html")
        for tag in entry.tags:
            fe.category(term=tag)
    return fg


def atom_xml(feed: Feed) -> bytes:
    return bytes(_generator(feed, feed.atom_url).atom_str(pretty=True))


def rss_xml(feed: Feed) -> bytes:
    return bytes(_generator(feed, feed.rss_url).rss_str(pretty=True))


def json_feed(feed: Feed) -> bytes:
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""
    items = []
    for entry in feed.entries:
        item = {
            "id": entry.url, "url": entry.url, "title": entry.title,
            "date_published": entry.published.isoformat(timespec="seconds"),
            "date_modified": (entry.updated or entry.published).isoformat(timespec="seconds"),
            "authors": [{"name": name} for name in entry.authors],
            "tags": list(entry.tags),
        }
        if entry.summary:
            item["summary"] = entry.summary
        item["content_html"] = entry.content_html or f"<p>{escape(entry.summary)}</p>"
        if entry.image:
            item["image"] = entry.image
        items.append(item)
    data = {"version": "https://jsonfeed.org/version/1.1", "title": feed.title,
            "home_page_url": feed.home_url, "feed_url": feed.json_url,
            "description": feed.description, "language": feed.language, "items": items}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()
