"""The files of live events: each event's page, `updates.json` (what the page polls), Atom
feed and .ics calendar entry, and the events index; plus what the home page's "live now"
banner shows. Planned like every other file (see `render`): cheaply, each with a signature
of everything it shows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from sitegen.config import Config
from sitegen.dates import iso
from sitegen.digests import digest
from sitegen.feeds import Feed, FeedEntry, absolute_links, atom_xml
from sitegen.live import LiveEvent
from sitegen.markup import RenderedBody
from sitegen.model import Site
from sitegen.output import PlannedFile
from sitegen.records import record
from sitegen.theme import Theme
from sitegen.urls import Urls
from sitegen.views import AuthorView, Meta

if TYPE_CHECKING:  # liveviews and ics are imported when a site has a live event
    from sitegen.liveviews import EventView

FEED_ENTRIES = 50  # a feed reader polling hourly still sees every update of a busy hour
# Updates in updates.json: a page polls it only for what came after its own build; a long
# event's whole story would make every reader download megabytes at each new update.
JSON_UPDATES = 50
JSON_VERSION = 1
FeedLinks = tuple[tuple[str, str, str], ...]


class HtmlFile(Protocol):
    """`Renderer._html`: an HTML page planned with its template, context and signature."""

    def __call__(self, site_path: str, origin: str, template: str,
                 context: Callable[[], dict[str, Any]], signature: Sequence[str],
                 source: Path | None = None) -> PlannedFile: ...


@record
class LiveTools:
    """What the planner borrows from the site's renderer."""

    site: Site
    bodies: Mapping[str, RenderedBody]
    config: Config
    urls: Urls
    authors: Mapping[str, AuthorView]  # authors who have a page
    inputs: str  # digest of what every page shows (see render.Renderer)
    html: HtmlFile
    meta: Callable[..., Meta]
    theme: Callable[[], Theme]
    site_feeds: Callable[[], FeedLinks]


class LivePlanner:
    """Plans the live-event files of one build."""

    def __init__(self, tools: LiveTools):
        self.tools = tools
        self.events = tools.site.events
        self.tags = {tag.name: tag.path for tag in tools.site.tags}
        self.hashtags = {c.id: c.hashtag for c in tools.site.campaigns}
        self._views: dict[str, EventView] = {}
        self._articles: dict[tuple[str, str], str] = {}

    def t(self, key: str, **values: Any) -> str:
        return self.tools.theme().t(key, **values)

    def view(self, event: LiveEvent) -> EventView:
        if event.key not in self._views:
            # Imported here: the views of events (~5 ms of dataclasses and patterns to set
            # up) are of no use to the many sites without one.
            from sitegen.liveviews import event_view

            tools = self.tools
            self._views[event.key] = event_view(event, tools.bodies, tools.config, tools.urls,
                                                tools.authors, self.tags, self.t,
                                                self.hashtags.get(event.campaign, ""))
        return self._views[event.key]

    def assets(self) -> dict[str, str]:
        link = self.tools.urls.link
        return {"css": link("/css/live.css"), "js": link("/js/live.js"), "index": link("/live/"),
                "labels": json.dumps(self._labels(), ensure_ascii=False)}

    def _labels(self) -> dict[str, str]:
        """Strings the page's script shows, in the site's language."""
        keys = ("upcoming", "live", "ended", "new_one", "new_other", "starts", "load_video")
        return {key: self.t(f"live_js_{key}") for key in keys}

    def signature(self, event: LiveEvent) -> list[str]:
        """Everything an event's files show: its file, its status, its campaign's hashtag (in
        its share links), and which of its authors and tags have a page to link to."""
        authors = [*event.authors, *(u.author for u in event.updates if u.author)]
        return [event.source.digest, event.status, event.campaign,
                self.hashtags.get(event.campaign, ""),
                *sorted({f"{a.id}|{a.id in self.tools.authors}" for a in authors}),
                *(f"{name}|{self.tags.get(name, '')}" for name in event.tags)]

    # ---- the plan -------------------------------------------------------------------------

    def plan(self) -> list[PlannedFile]:
        if not self.events:
            return []
        files = [self._index()]
        for event in self.events:
            files += self._event_files(event)
        return files

    def _index(self) -> PlannedFile:
        def context() -> dict[str, Any]:
            views = [self.view(e) for e in self.events]
            groups = [(status, [v for v in views if v.status == status])
                      for status in ("live", "upcoming", "ended")]
            if groups[2][1]:  # past events: the most recent first
                groups[2] = ("ended", groups[2][1][::-1])
            return {"meta": self.tools.meta(self.t("live_events"), "/live/"),
                    "groups": [g for g in groups if g[1]], "live": self.assets()}

        signature = [digest(*self.signature(e)) for e in self.events]
        return self.tools.html("/live/", "live events index", "live_index.html", context,
                               signature)

    def _event_files(self, event: LiveEvent) -> list[PlannedFile]:
        signature = self.signature(event)
        folder = event.path.lstrip("/")
        source = event.source.path
        made = {"updates.json": self._updates_json, "atom.xml": self._atom,
                f"{event.id}.ics": self._ics}
        files = [self.tools.html(event.path, str(source), "live.html",
                                 partial(self._context, event), signature, source)]
        files += [PlannedFile(folder + name, f"{source} ({name})", partial(make, event),
                              source_file=source,
                              signature=digest(self.tools.inputs, "live", name, *signature))
                  for name, make in made.items()]
        return files

    def _context(self, event: LiveEvent) -> dict[str, Any]:
        from sitegen.liveviews import live_jsonld  # see view()

        view = self.view(event)
        tools = self.tools
        feed = (self.t("live_feed_title", title=event.title), "application/atom+xml",
                tools.urls.absolute(event.path + "atom.xml"))
        meta = tools.meta(
            event.title, event.path, view.summary_text, og_type="article",
            image=view.image_abs, image_alt=view.image_alt, published=view.start_iso,
            modified=view.updates[0].time_iso if view.updates else "",
            authors=tuple(a.name for a in view.authors), tags=tuple(event.tags),
            jsonld=live_jsonld(view, event, tools.config, tools.urls),
            feeds=(feed, *tools.site_feeds()), noindex=event.draft)
        return {"meta": meta, "event": view, "live": self.assets()}

    # ---- other files ----------------------------------------------------------------------

    def article(self, view: EventView, anchor: str, macro: str) -> str:
        """An update's markup as the page shows it (`live_update`) or its line in the key
        moments box (`key_moment`), from the theme's macros."""
        key = (view.id, anchor + macro)
        if key not in self._articles:
            update = next(u for u in view.updates if u.anchor == anchor)
            macros = self.tools.theme().env.get_template("partials/live.html").module
            self._articles[key] = str(getattr(macros, macro)(update))
        return self._articles[key]

    def _updates_json(self, event: LiveEvent) -> bytes:
        """What the page polls: the event's times and its latest updates, newest first (with
        `count`, how many there are in all), each with its markup ready to insert (the
        page's own, so script and build never disagree)."""
        view = self.view(event)
        updates = [{
            "id": u.anchor, "url": u.abs_url, "published": u.time_iso, "updated": u.time_iso,
            "title": u.title, "author": {"name": u.author.name, "url": u.author_url}
            if u.author else None, "pinned": u.pinned, "text": u.text, "html": str(u.body_html),
            "day": u.day, "day_label": next(d.label for d in view.days if d.key == u.day),
            "revision": u.revision, "article": self.article(view, u.anchor, "live_update"),
            "moment": self.article(view, u.anchor, "key_moment") if u.pinned else None,
        } for u in view.updates[:JSON_UPDATES]]
        data = {"version": JSON_VERSION, "id": event.id, "title": view.title,
                "url": view.abs_url, "start": view.start_iso, "end": view.end_iso,
                "timezone": event.zone, "status": event.status,
                "generated": iso(event.latest or event.start),
                "poll_interval": view.poll_seconds, "count": len(view.updates),
                "updates": updates}
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()

    def _atom(self, event: LiveEvent) -> bytes:
        view = self.view(event)
        urls = self.tools.urls
        entries = [FeedEntry(u.abs_url, u.title or _excerpt(u.text), _instant(event, u.anchor),
                             None, (u.author.name,) if u.author else (), "",
                             absolute_links(str(u.body_html), urls, event.path), ())
                   for u in view.updates[:FEED_ENTRIES]]
        feed = Feed(self.t("live_feed_title", title=event.title), view.summary_text,
                    view.abs_url, event.lang or self.tools.config.language,
                    urls.absolute(event.path + "atom.xml"), "", "", entries)
        return atom_xml(feed)

    def _ics(self, event: LiveEvent) -> bytes:
        from sitegen.ics import CalendarEvent, calendar  # see view()

        view = self.view(event)
        zone = ZoneInfo(event.zone)
        start: Any = event.start
        end: Any = event.end
        if event.all_day:
            start = event.start.astimezone(zone).date()
            end = event.end.astimezone(zone).date()
        host = self.tools.urls.origin.split("://", 1)[-1]
        description = "\n\n".join(p for p in (view.summary_text, view.abs_url) if p)
        # Reproducible: the time the author last changed the event, else its newest update.
        stamp = event.updated or event.latest or event.start
        status = "CONFIRMED"
        return calendar(CalendarEvent(f"{event.id}@{host}", stamp, start, end, event.title,
                                      description, event.location, view.abs_url, status))

    # ---- elsewhere on the site ------------------------------------------------------------

    def banners(self) -> dict[str, Any]:
        """The home page's "live now" banners: every event not over at build time, shown or
        hidden by the browser from its times (shown without JavaScript while live at
        build time)."""
        coming = [self.view(e) for e in self.events if e.status != "ended"]
        return {"live_banners": coming, "live": self.assets() if coming else None}

    def banner_identity(self) -> list[str]:
        """What the home page's "live now" banners show of events not over yet."""
        return [f"{e.id}|{e.title}|{iso(e.start)}|{iso(e.end)}|{e.status}|{e.location}"
                for e in self.events if e.status != "ended"]

    def sitemap_entries(self) -> list[tuple[str, str]]:
        absolute = self.tools.urls.absolute
        entries = [(absolute("/live/"), "")] if self.events else []
        entries += [(absolute(e.path), iso(e.latest or e.start)) for e in self.events
                    if not e.draft]
        return entries


def _instant(event: LiveEvent, anchor: str) -> Any:
    return next(u.instant for u in event.updates if u.anchor == anchor)


def _excerpt(text: str, words: int = 12) -> str:
    found = text.split()
    return " ".join(found[:words]) + ("…" if len(found) > words else "") or "…"

