"""Live events as data: an event, its updates in time order, and its status at an instant.
No I/O, no HTML.

An event is one file (`content/live/<id>.md`); its updates keep the `Source` of their own
Markdown (the event file, the line the update's body starts on) so their bodies are rendered
and cached like posts' (see `bodies`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sitegen.model import Author, Link, Source
from sitegen.records import record

Status = Literal["upcoming", "live", "ended"]
# How far outside [start, end] an update may be stamped and still be shown: reporters post
# "we are setting up" before the start and a wrap-up after the end.
GRACE = timedelta(hours=1)
LIVE_DIR = "live"  # content/live/<id>.md, and /live/<id>/ in the site


@record
class LiveUpdate:
    """One update of an event: what a reporter posts from the field."""

    key: str  # stable identity: '<event file>#<anchor>' (bodies are cached by it)
    anchor: str  # the HTML id and the id in updates.json: 'u-20260519-074500'
    instant: datetime  # timezone-aware
    source: Source  # the update's Markdown, with the line its body starts on
    line: int  # line of its heading in the event file
    author: Author | None = None
    pinned: bool = False  # a key moment, listed in the box at the top
    title: str = ""
    # What `bodies` reads besides `source`, as for posts and pages.
    summary: str = ""
    lang: str = ""


@record
class LiveEvent:
    """A live event and its updates, oldest first."""

    key: str  # the source path, as for posts
    id: str  # file name without '.md': the URL segment
    path: str  # site path: /live/<id>/
    source: Source  # the intro's Markdown
    title: str
    start: datetime
    end: datetime
    zone: str  # IANA zone the event's times are shown in
    all_day: bool = False  # start and end were given as days: the event covers whole days
    status: Status = "upcoming"  # at the build's "now"
    location: str = ""
    summary: str = ""
    image: str = ""
    image_alt: str = ""
    video: str = ""
    links: tuple[Link, ...] = ()
    campaign: str = ""
    campaign_line: int = 0  # where `campaign:` is in the file, for errors
    tags: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()  # networks each update can be shared to
    authors: tuple[Author, ...] = ()
    updates: tuple[LiveUpdate, ...] = ()  # in time order (oldest first)
    updated: datetime | None = None  # the author's own 'updated', for the calendar entry
    lang: str = ""
    draft: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)  # the author's own keys

    @property
    def pinned(self) -> tuple[LiveUpdate, ...]:
        return tuple(u for u in self.updates if u.pinned)

    @property
    def latest(self) -> datetime | None:
        return self.updates[-1].instant if self.updates else None


def status_at(start: datetime, end: datetime, now: datetime) -> Status:
    """upcoming before `start`, live until `end` (excluded), ended from then on."""
    if now < start:
        return "upcoming"
    return "live" if now < end else "ended"


def anchor_for(instant: datetime, taken: set[str]) -> str:
    """A stable HTML id for an update from its instant in UTC (readers' links to it keep
    working when other updates come and go); a second update of the same second gets '-2'."""
    base = "u-" + instant.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    anchor, n = base, 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor
