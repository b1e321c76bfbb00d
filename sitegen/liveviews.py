"""What live-event templates and files see: an event with its status, times in its zone and
the site's language, its updates grouped by day with their share links, its video made
click-to-load, its calendar links; and the LiveBlogPosting JSON-LD.

Computed once per event and build, shared by the page, `updates.json` and the feed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from html import unescape
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

from markupsafe import Markup

from sitegen.config import Config, ShareSettings
from sitegen.dates import format_day, format_time, iso
from sitegen.digests import digest
from sitegen.live import LiveEvent, LiveUpdate
from sitegen.locales import day_text
from sitegen.markup import RenderedBody, plain_text, typeset
from sitegen.platforms import PLATFORMS
from sitegen.records import record
from sitegen.relays import shared_link, site_rule
from sitegen.snippets import compose, intent_url
from sitegen.urls import Urls
from sitegen.views import AuthorView, LinkView, image_link, jsonld

Translate = Callable[..., str]
POLL_SECONDS = 15  # AMP's floor for live lists; Automattic's Liveblog polls every 10 s
SHARE_WORDS = 40  # of an update's text in its share links: a post, not the whole update
# Networks an update can be shared to when neither the event nor the site names any.
DEFAULT_SHARES = ("x", "mastodon", "bluesky", "email")
_ONE_SECOND = timedelta(seconds=1)  # the last moment of an all-day event
_BLOCK = re.compile(r"</?(?:p|div|li|ul|ol|h[1-6]|br|hr|blockquote|pre|table|tr|td|th|figure|"
                    r"figcaption|section|dl|dt|dd)\b[^>]*>", re.I)
_INLINE = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\r\n]+")
_VIDEO_FILE = re.compile(r"\.(mp4|webm|ogv|m4v)$", re.I)


@record
class VideoView:
    """An event's video, click-to-load: a plain link until the reader asks for the player."""

    url: str  # where the video is: the link readers follow without JavaScript
    embed: str  # the player's address, loaded only when the reader asks ('' when unknown)
    kind: str  # 'iframe' (a platform's player) or 'video' (a file)
    provider: str  # 'YouTube', 'Vimeo' … or the host name


@record
class UpdateView:
    """One update of a live event as its page, `updates.json` and its feed show it."""

    anchor: str
    url: str  # link to the update on its page (with its anchor)
    abs_url: str
    time_iso: str
    time_text: str  # '09:45' in the event's zone, the site's convention
    day_text: str  # 'samedi 19': the day in a list of updates from several days
    day: str  # 'YYYY-MM-DD' in the event's zone
    title: str
    author: AuthorView | None
    author_url: str  # the author's page, '' when the author has none
    body_html: Markup
    text: str  # the body as plain text
    pinned: bool
    shares: tuple[LinkView, ...]
    revision: str  # digest of all the above: the page replaces an update when it changes


@record
class DayView:
    """The updates of one day in the event's zone: a section of the event page."""

    key: str  # 'YYYY-MM-DD'
    label: str  # 'mardi 19 mai 2026'
    updates: tuple[UpdateView, ...]  # newest first


@record
class EventView:
    """What templates see of a live event: made once per build, shared by its page,
    `updates.json` and its feed."""

    id: str
    title: str
    url: str
    abs_url: str
    status: str  # at the build's "now"; the page checks it again in the browser
    start_iso: str
    end_iso: str
    when_text: str  # 'du 19 mai 2026 à 08:00 au 20 mai 2026 à 18:00'
    zone: str
    location: str
    summary_text: str
    intro_html: Markup
    image: str
    image_abs: str
    image_alt: str
    video: VideoView | None
    links: tuple[LinkView, ...]
    tags: tuple[LinkView, ...]  # url '' when the tag has no page
    authors: tuple[AuthorView, ...]
    days: tuple[DayView, ...]  # newest first
    pinned: tuple[UpdateView, ...]  # oldest first: the story's key moments in order
    updates: tuple[UpdateView, ...]  # newest first
    json_url: str
    feed_url: str
    ics_url: str
    calendar: tuple[LinkView, ...]  # Google and Outlook "add to calendar" links
    lang: str = ""  # the event's own language when it differs from the site's
    poll_seconds: int = POLL_SECONDS


def event_view(event: LiveEvent, bodies: Mapping[str, RenderedBody], config: Config,
               urls: Urls, authors: Mapping[str, AuthorView], tags: Mapping[str, str],
               t: Translate, hashtag: str = "") -> EventView:
    """The view of an event; `authors` are the authors that have a page, `tags` the tag
    names that have one (name → site path), `hashtag` its campaign's."""
    zone = ZoneInfo(event.zone)
    locale = config.locale
    page = urls.absolute(event.path)
    updates = [_update_view(event, u, bodies[u.key], config, urls, authors, page, hashtag)
               for u in reversed(event.updates)]
    days: dict[str, list[UpdateView]] = {}
    for update in updates:
        days.setdefault(update.day, []).append(update)
    image = image_link(event.image, urls)
    intro = bodies[event.key]
    return EventView(
        id=event.id, title=typeset(event.title, config.language), url=urls.link(event.path),
        abs_url=page, status=event.status, start_iso=iso(event.start), end_iso=iso(event.end),
        when_text=when_text(event, locale, t), zone=event.zone, location=event.location,
        summary_text=typeset(event.summary, config.language) if event.summary else
        plain_text(intro.summary_html),
        intro_html=Markup(intro.html), image=image,
        image_abs=urls.origin + image if image.startswith("/") else image,
        image_alt=event.image_alt, video=video_view(event.video),
        links=tuple(LinkView(link.title, link.url) for link in event.links),
        tags=tuple(LinkView(name, urls.link(tags[name]) if name in tags else "")
                   for name in event.tags),
        authors=tuple(_author(a.id, a.name, authors) for a in event.authors),
        days=tuple(DayView(key, day_label(date.fromisoformat(key), locale), tuple(items))
                   for key, items in days.items()),
        pinned=tuple(u for u in reversed(updates) if u.pinned), updates=tuple(updates),
        json_url=urls.link(event.path + "updates.json"),
        feed_url=urls.link(event.path + "atom.xml"),
        ics_url=urls.link(f"{event.path}{event.id}.ics"),
        calendar=calendar_links(event, page, zone, t), lang=event.lang)


def _author(author_id: str, name: str, authors: Mapping[str, AuthorView]) -> AuthorView:
    if author_id in authors:
        return authors[author_id]
    return AuthorView(author_id, name, "", "", "", (), ())


def _update_view(event: LiveEvent, update: LiveUpdate, body: RenderedBody, config: Config,
                 urls: Urls, authors: Mapping[str, AuthorView], page: str,
                 hashtag: str = "") -> UpdateView:
    zone = ZoneInfo(event.zone)
    local = update.instant.astimezone(zone)
    author = _author(update.author.id, update.author.name, authors) if update.author else None
    text = text_of(body.html)
    title = typeset(update.title, config.language)
    abs_url = f"{page}#{update.anchor}"
    shares = share_links(event, title or typeset(event.title, config.language), text,
                         abs_url, update.anchor, config, hashtag)
    parts = [update.anchor, iso(local), title, author.name if author else "",
             author.url if author else "", body.html, str(update.pinned),
             *(f"{s.name}|{s.url}" for s in shares)]
    return UpdateView(
        anchor=update.anchor, url=urls.link(event.path) + "#" + update.anchor, abs_url=abs_url,
        time_iso=iso(local), time_text=format_time(update.instant, zone, config.locale),
        day_text=_short_day(local.date(), config.locale),
        day=local.date().isoformat(), title=title, author=author,
        author_url=author.url if author else "", body_html=Markup(body.html), text=text,
        pinned=update.pinned, shares=shares, revision=digest(*parts)[:12])


def text_of(html: str) -> str:
    """An update's text for feeds, JSON-LD and share links: inline markup dropped without a
    space ('<a>l’écluse</a>.' stays 'l’écluse.'), blocks apart, French spaces kept."""
    text = _INLINE.sub("", _BLOCK.sub(" ", html))
    return _SPACES.sub(" ", unescape(text)).strip()


def share_links(event: LiveEvent, title: str, text: str, url: str, anchor: str,
                config: Config, hashtag: str = "") -> tuple[LinkView, ...]:
    """Plain share-intent links for one update (no script, no request before a click);
    `hashtag` is its campaign's, which leads the update's hashtags."""
    return _share_links(event.platforms or DEFAULT_SHARES, title,
                        _first_words(text, SHARE_WORDS), url, anchor,
                        event.campaign or event.id, hashtag, event.tags, config.share)


# Fitting text to each network is the costly part of an event's page (~5 ms an update):
# the preview server's rebuilds after `sitegen live add` redo only the new update's.
@lru_cache(maxsize=8192)
def _share_links(platforms: tuple[str, ...], title: str, text: str, url: str, anchor: str,
                 utm_campaign: str, campaign: str, tags: tuple[str, ...], share: ShareSettings
                 ) -> tuple[LinkView, ...]:
    links = []
    for platform in platforms:
        rule = site_rule(platform, share)
        tagged = shared_link(url, platform, utm_campaign, share, content=f"live-{anchor}")
        snippet = compose(rule, title=title, url=tagged, summary=text, tags=tags,
                          campaign=campaign or None)
        links.append(LinkView(PLATFORMS[platform], intent_url(rule, snippet)))
    return tuple(links)


def day_label(day: date, locale: str) -> str:
    """'mardi 19 mai 2026' in French, 'Tuesday, May 19, 2026' in English."""
    return day_text(day, locale, "full")


def _short_day(day: date, locale: str) -> str:
    """'samedi 19': the day in a list of updates from several days."""
    return day_text(day, locale, "EEEE d")


def when_text(event: LiveEvent, locale: str, t: Translate) -> str:
    """The event's times as a reader of the site reads them, in the event's zone."""
    zone = ZoneInfo(event.zone)
    if event.all_day:
        last = (event.end.astimezone(zone) - _ONE_SECOND).date()
        first = event.start.astimezone(zone).date()
        if first == last:
            return format_day(event.start, zone, locale)
        return t("live_from_to", start=format_day(event.start, zone, locale),
                 end=format_day(event.end - _ONE_SECOND, zone, locale))
    start_day, end_day = (format_day(when, zone, locale) for when in (event.start, event.end))
    start_time, end_time = (format_time(when, zone, locale) for when in (event.start, event.end))
    if start_day == end_day:
        return t("live_same_day", day=start_day, start=start_time, end=end_time)
    return t("live_from_to", start=t("live_day_time", day=start_day, time=start_time),
             end=t("live_day_time", day=end_day, time=end_time))


def video_view(url: str) -> VideoView | None:
    """How to show a video: a known platform's player address, or a video file."""
    if not url:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    embed, provider = "", host
    if host in ("youtube.com", "youtu.be", "youtube-nocookie.com"):
        provider = "YouTube"
        video = parse_qs(parts.query).get("v", [""])[0] if segments[:1] == ["watch"] else \
            segments[-1] if segments else ""
        if re.fullmatch(r"[\w-]{6,20}", video):
            embed = f"https://www.youtube-nocookie.com/embed/{video}"
    elif host == "vimeo.com" and segments and segments[-1].isdigit():
        provider, embed = "Vimeo", f"https://player.vimeo.com/video/{segments[-1]}"
    elif host == "dailymotion.com" and len(segments) >= 2 and segments[0] == "video":
        provider, embed = "Dailymotion", f"https://www.dailymotion.com/embed/video/{segments[1]}"
    elif len(segments) >= 2 and segments[0] in ("w", "videos") and parts.scheme == "https":
        # PeerTube: /w/<id> or /videos/watch/<id> on any instance.
        provider = "PeerTube"
        embed = f"https://{parts.netloc}/videos/embed/{segments[-1]}"
    if _VIDEO_FILE.search(parts.path):
        return VideoView(url, url, "video", host or "")
    return VideoView(url, embed, "iframe", provider)


def calendar_links(event: LiveEvent, page: str, zone: ZoneInfo,
                   t: Translate) -> tuple[LinkView, ...]:
    """Google Calendar and Outlook.com "add to calendar" links (de-facto URL formats)."""
    details = f"{event.summary}\n{page}".strip()
    if event.all_day:
        first = event.start.astimezone(zone).date()
        end = event.end.astimezone(zone).date()
        dates = f"{first:%Y%m%d}/{end:%Y%m%d}"
        start_text, end_text = first.isoformat(), end.isoformat()
    else:
        dates = f"{_utc(event.start)}/{_utc(event.end)}"
        start_text = event.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        end_text = event.end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    google = {"action": "TEMPLATE", "text": event.title, "dates": dates, "details": details,
              "location": event.location, "ctz": event.zone}
    outlook = {"path": "/calendar/action/compose", "rru": "addevent", "subject": event.title,
               "startdt": start_text, "enddt": end_text, "body": details,
               "location": event.location}
    if event.all_day:
        outlook["allday"] = "true"
    return (LinkView(t("live_google_calendar"), "https://calendar.google.com/calendar/render?"
                     + _query(google)),
            LinkView(t("live_outlook_calendar"),
                     "https://outlook.live.com/calendar/0/deeplink/compose?" + _query(outlook)))


def _utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _query(values: dict[str, str]) -> str:
    return urlencode({k: v for k, v in values.items() if v}, quote_via=quote)


def live_jsonld(view: EventView, event: LiveEvent, config: Config, urls: Urls) -> Markup:
    """schema.org LiveBlogPosting: the event it covers, and one BlogPosting per update."""
    def person(author: AuthorView) -> dict[str, str]:
        found = {"@type": "Person", "name": author.name}
        if author.url:
            found["url"] = urls.origin + author.url
        return found

    updates = [{
        "@type": "BlogPosting", "headline": u.title or _first_words(u.text, 10),
        "url": u.abs_url, "datePublished": u.time_iso, "dateModified": u.time_iso,
        "articleBody": u.text, **({"author": person(u.author)} if u.author else {}),
    } for u in view.updates]
    about: dict[str, Any] = {"@type": "Event", "name": view.title, "startDate": view.start_iso,
                             "endDate": view.end_iso,
                             "eventStatus": "https://schema.org/EventScheduled"}
    if view.location:
        about["location"] = {"@type": "Place", "name": view.location, "address": view.location}
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": view.title,
        "url": view.abs_url, "mainEntityOfPage": view.abs_url, "inLanguage":
        event.lang or config.language, "description": view.summary_text,
        "datePublished": view.start_iso,
        "dateModified": view.updates[0].time_iso if view.updates else view.start_iso,
        "coverageStartTime": view.start_iso, "about": about, "liveBlogUpdate": updates,
        "publisher": {"@type": "Organization", "name": config.title,
                      "url": urls.absolute("/")},
    }
    if view.status == "ended":  # only once it is over (schema.org, Automattic's Liveblog)
        data["coverageEndTime"] = view.end_iso
    if view.authors:
        data["author"] = [person(a) for a in view.authors]
    if view.image_abs:
        data["image"] = view.image_abs
    if event.tags:
        data["keywords"] = list(event.tags)
    return jsonld(data)


def _first_words(text: str, count: int) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")
