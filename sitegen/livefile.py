"""Reading live events: each `content/live/<id>.md` becomes a `LiveEvent` — its front matter
typed, its intro, its updates split at their headings, ordered by instant, checked against
the event's times, their authors resolved as posts' are.

Live files are few and small, so they are read on every build that runs (no document cache);
their Markdown bodies go through `bodies`, which caches them like posts'.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.assemble import AuthorBook
from sitegen.config import Config
from sitegen.content import (
    CONTENT_DIR,
    SourceDoc,
    item_files,
    read_item,
)
from sitegen.dates import format_day
from sitegen.digests import digest, file_digest
from sitegen.errors import Diagnostics, did_you_mean
from sitegen.frontmatter import FieldReader, read_extra, read_platforms
from sitegen.live import GRACE, LIVE_DIR, LiveEvent, LiveUpdate, anchor_for, status_at
from sitegen.liveheading import HeadingError, looks_like_update, parse_heading
from sitegen.model import Author, Link, Source
from sitegen.records import record
from sitegen.yamlread import YamlMapping

EVENT_KEYS = {
    "title", "start", "date", "end", "timezone", "location", "summary", "description",
    "image", "image_alt", "video", "links", "campaign", "tags", "platforms", "author",
    "authors", "updated", "lang", "draft",
}
_FENCES = ("```", "~~~")


@record
class _Part:
    """The intro or one update: its lines of Markdown and where they start."""

    heading_line: int  # 0 for the intro
    heading: str
    lines: list[str]
    first_line: int  # file line of lines[0]

    @property
    def text(self) -> str:
        """The Markdown without the blank lines around it."""
        return "\n".join(self.lines).strip("\n")

    @property
    def text_line(self) -> int:
        """The file line `text` starts on."""
        blank = next((i for i, line in enumerate(self.lines) if line), 0)
        return self.first_line + blank


def read_events(config: Config, diag: Diagnostics, now: datetime,
                drafts: bool = False) -> tuple[LiveEvent, ...]:
    """Every live event of the site, soonest first (problems go to `diag`)."""
    authors = AuthorBook(config, diag)
    events = []
    for path in item_files(config.root, LIVE_DIR, diag, "event"):
        event = read_event(path, config, diag, authors, now)
        if event is not None and (drafts or not event.draft):
            events.append(event)
    return tuple(sorted(events, key=lambda e: (e.start, e.id)))


def read_event(path: Path, config: Config, diag: Diagnostics, authors: AuthorBook,
               now: datetime) -> LiveEvent | None:
    """One event file; None (with its problems reported) when it cannot be used."""
    item = read_item(path, config.root, "live", "event", diag)
    if item is None:
        return None
    doc, event_id, data = item
    errors = len(diag.errors)
    event = _EventReader(doc, config, diag, authors).read(
        event_id, file_digest(data, "live", config.timezone))
    if event is None or len(diag.errors) > errors:
        return None
    return replace(event, status=status_at(event.start, event.end, now))


class _EventReader:
    """Reads the front matter and the parts of one event file."""

    def __init__(self, doc: SourceDoc, config: Config, diag: Diagnostics, authors: AuthorBook):
        self.doc, self.config, self.diag, self.authors = doc, config, diag, authors
        self.r = FieldReader(doc, diag)

    def read(self, event_id: str, file_key: str) -> LiveEvent | None:
        r, meta = self.r, self.doc.meta
        title = r.text("title")
        if not title and r.ok:
            r.error("title", "missing 'title'", "add a line such as 'title: Notre balade' "
                    "to the front matter")
        zone = self._zone()
        start_key = "start" if "start" in meta or "date" not in meta else "date"
        start = r.moment(start_key, zone)
        end = r.moment("end", zone)
        for key in (start_key, "end"):
            if meta.is_null(key) and r.ok:
                r.error(key, f"missing '{key}'",
                        f"add a line such as '{key}: 2026-05-19 08:00' to the front matter")
        if start is None or end is None or not r.ok:
            return None
        all_day = start.date_only and end.date_only
        # A day given as the end means the whole of that day.
        end_instant = end.instant + timedelta(days=1) if end.date_only else end.instant
        if end_instant <= start.instant:
            r.error("end", "the event ends before it starts", f"'end' must come after "
                    f"'{start_key}'")
            return None
        rel = self.doc.rel
        key = rel.as_posix()
        intro, updates = self._parts(zone)
        updated = r.moment("updated", zone)
        event = LiveEvent(
            key=key, id=event_id, path=f"/{LIVE_DIR}/{event_id}/",
            source=_source(rel, intro.text, file_key, intro.text_line), title=title,
            start=start.instant, end=end_instant, zone=zone.key, all_day=all_day,
            location=r.text("location"), summary=r.text("summary", "description"),
            image=r.text("image"), image_alt=r.text("image_alt"), video=r.text("video"),
            links=self._links(), campaign=r.text("campaign"),
            campaign_line=self.doc.meta.line_of("campaign"),
            tags=tuple(dict.fromkeys(r.texts("tags"))), platforms=self._platforms(),
            authors=self._authors(),
            updated=updated.instant if updated else None, lang=r.text("lang"),
            draft=bool(r.flag("draft")), extra=read_extra(r, EVENT_KEYS))
        return replace(event, updates=self._in_range(event, updates, key, file_key))

    def _zone(self) -> ZoneInfo:
        name = self.r.text("timezone") or self.config.timezone
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            from zoneinfo import available_timezones

            self.r.error("timezone", f"unknown time zone '{name}'",
                         did_you_mean(name, available_timezones()) or "e.g. Europe/Paris")
            return ZoneInfo(self.config.timezone)

    def _links(self) -> tuple[Link, ...]:
        meta = self.doc.meta
        links = []
        items: list[YamlMapping] = self.r.get("links", partial(meta.mappings, "links"), [])
        for item in items:
            url = (item.text("url") or "").strip()
            if not url:
                self.diag.error(self.doc.path, item.line, "each link needs a 'url'",
                                "write it as {title: \"Le blog de Léa\", url: https://…}")
                continue
            unknown = [k for k in item.keys() if k not in ("title", "url")]
            if unknown:
                self.diag.warn(self.doc.path, item.line_of(unknown[0]),
                               f"links: unknown key '{unknown[0]}'", "a link has a title and "
                               "a url")
            links.append(Link((item.text("title") or url).strip(), url))
        return tuple(links)

    def _platforms(self) -> tuple[str, ...]:
        platforms = read_platforms(self.r)
        return self.config.platforms if platforms is None else platforms

    def _authors(self) -> tuple[Author, ...]:
        meta = self.doc.meta
        key = "authors" if "authors" in meta else "author"
        names = self.r.texts(key)
        return tuple(self.authors.resolve(name, meta.line_of(key), self.doc.rel)
                     for name in dict.fromkeys(names))

    def _parts(self, zone: ZoneInfo) -> tuple[_Part, list[LiveUpdate]]:
        """The intro, and the updates in file order (without anchors yet)."""
        parts = split_parts(self.doc.body, self.doc.body_line)
        lang = self.r.text("lang")
        updates = []
        for part in parts[1:]:
            try:
                heading = parse_heading(part.heading, zone)
            except HeadingError as exc:
                self.diag.error(self.doc.path, part.heading_line, exc.message, exc.hint)
                continue
            author = self.authors.resolve(heading.author, part.heading_line, self.doc.rel) \
                if heading.author else None
            updates.append(LiveUpdate(
                key="", anchor="", instant=heading.instant,
                source=Source(self.doc.rel, part.text, part.text_line, "", ""),
                line=part.heading_line, author=author, pinned=heading.pinned,
                title=heading.title, lang=lang))
        return parts[0], updates

    def _in_range(self, event: LiveEvent, updates: list[LiveUpdate], key: str,
                  file_key: str) -> tuple[LiveUpdate, ...]:
        """Updates within the event's times (with a grace), ordered by instant, anchored."""
        zone = ZoneInfo(event.zone)
        kept = []
        for update in updates:
            if event.start - GRACE <= update.instant <= event.end + GRACE:
                kept.append(update)
                continue
            self.diag.warn(
                self.doc.path, update.line,
                f"update of {_shown(update.instant, zone)} is outside the event "
                f"({_shown(event.start, zone)} to {_shown(event.end, zone)}), left out",
                f"fix its time, or the event's start or end: an update may be up to "
                f"{GRACE.seconds // 60} minutes outside")
        kept.sort(key=lambda u: u.instant)  # stable: same instant keeps file order
        taken: set[str] = set()
        anchored = []
        for update in kept:
            anchor = anchor_for(update.instant, taken)
            source = _source(update.source.path, update.source.body, file_key,
                             update.source.body_line)
            anchored.append(replace(update, key=f"{key}#{anchor}", anchor=anchor,
                                    source=source))
        return tuple(anchored)


def _source(rel: Path, body: str, file_key: str, line: int = 0) -> Source:
    # An empty body has no digest: `bodies` then takes it as it is, never reads the file.
    return Source(rel, body, line, file_key, digest(body) if body else "")


def _shown(instant: datetime, zone: ZoneInfo) -> str:
    local = instant.astimezone(zone)
    return f"{format_day(instant, zone, 'en')} {local:%H:%M}"


def split_parts(body: str, first_line: int) -> list[_Part]:
    """The intro and one part per update heading, each with its file lines. Headings inside
    fenced code blocks are text."""
    parts = [_Part(0, "", [], first_line)]
    fence = ""
    for number, line in enumerate(body.split("\n"), start=first_line):
        stripped = line.lstrip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
        elif stripped.startswith(_FENCES):
            fence = stripped[:3]
        elif looks_like_update(line):
            parts.append(_Part(number, line, [], number + 1))
            continue
        parts[-1].lines.append(line)
    return parts


def event_path(root: Path, event_id: str) -> Path:
    """Where the file of event `event_id` is."""
    return root / CONTENT_DIR / LIVE_DIR / f"{event_id}.md"

