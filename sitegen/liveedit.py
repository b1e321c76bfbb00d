"""Writing live files for authors in the field: `sitegen live new` creates an event's file,
`sitegen live add` appends an update stamped with the current time in the event's zone.

Both check what they write the way the build will read it, so a command that succeeds never
leaves a file the build refuses.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.assemble import AuthorBook
from sitegen.config import Config
from sitegen.dates import DateError, parse_moment
from sitegen.errors import Diagnostics, did_you_mean
from sitegen.live import GRACE, LiveEvent
from sitegen.livefile import event_path, read_event
from sitegen.liveheading import format_heading, looks_like_update
from sitegen.records import record
from sitegen.slugs import slugify

EVENT_FILE = """\
---
title: {title}
start: {start}
end: {end}
timezone: {timezone}
location: {location}
summary: ""
# video: https://…            a video to embed (loaded only when a reader asks)
# links: [{{title: …, url: …}}]  partners' pages
# tags: []
---

{intro}
"""
INTRO = {"fr": "Présentez l’événement ici. Les mises à jour suivront, une par titre "
               "« ## date heure | auteur | pinned | titre » (`sitegen live add`).",
         "en": "Introduce the event here. Updates follow, one per heading "
               "'## date time | author | pinned | title' (`sitegen live add`)."}


class LiveEditError(Exception):
    """What stops a live command, in one line that says what to do."""


@record
class Added:
    """What `add_update` appended, for `sitegen live add` to confirm and to warn about."""

    path: Path
    heading: str
    warnings: tuple[str, ...] = ()


def new_event(config: Config, event_id: str, title: str, start: str, end: str,
              timezone: str | None = None, location: str = "") -> Path:
    """Create content/live/<event_id>.md and return its path."""
    if not event_id or slugify(event_id) != event_id:
        raise LiveEditError(f"'{event_id}' cannot be an event id: use lowercase letters, "
                            f"digits and '-' (e.g. '{slugify(event_id) or 'balade-du-canal'}')")
    if not title.strip():
        raise LiveEditError("--title must not be empty")
    zone = _zone(timezone or config.timezone)
    moments = {}
    for option, text in (("--start", start), ("--end", end)):
        try:
            moments[option] = parse_moment(text, zone)
        except DateError as exc:
            raise LiveEditError(f"{option}: {exc} (write it as 2026-05-19 08:00)") from None
    end_moment = moments["--end"]
    last = end_moment.instant + timedelta(days=1) if end_moment.date_only else end_moment.instant
    if last <= moments["--start"].instant:  # a day as the end means the whole day
        raise LiveEditError("--end must come after --start")
    path = event_path(config.root, event_id)
    if path.exists():
        raise LiveEditError(f"{_shown(path, config)} already exists")
    text = EVENT_FILE.format(title=_yaml(title.strip()), start=start.strip(), end=end.strip(),
                             timezone=zone.key, location=_yaml(location.strip()),
                             intro=INTRO.get(config.language.split("-")[0], INTRO["en"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, text)
    return path


def add_update(config: Config, event_id: str, text: str, now: datetime, author: str = "",
               pinned: bool = False, title: str = "") -> Added:
    """Append an update to an event's file, stamped `now` in the event's zone."""
    path = event_path(config.root, event_id)
    if not path.is_file():
        raise LiveEditError(f"no event '{event_id}' ({_shown(path, config)}): create it with "
                            f"sitegen live new {event_id} --title … --start … --end …")
    body = text.strip()
    if not body and not title.strip():
        raise LiveEditError("the update is empty: give its text (or - to read it from the "
                            "standard input)")
    if any(looks_like_update(line) for line in body.splitlines()):
        raise LiveEditError("a line of the text would start another update: begin it with "
                            "something other than '## ' and a date")
    diag = Diagnostics(root=config.root)
    event = read_event(path, config, diag, AuthorBook(config, diag), now)
    if event is None:
        first = next(iter(diag.errors))
        raise LiveEditError(f"{first} (fix it first: the update was not added)")
    author = author.strip() or (next(iter(config.authors)) if len(config.authors) == 1 else "")
    try:
        heading = format_heading(now.astimezone(ZoneInfo(event.zone)).replace(microsecond=0),
                                 author, pinned, title.strip())
    except ValueError as exc:
        raise LiveEditError(str(exc)) from None
    _append(path, f"\n{heading}\n" + (f"\n{body}\n" if body else ""))
    return Added(path, heading, _warnings(config, event, author, now))


def _warnings(config: Config, event: LiveEvent, author: str, now: datetime) -> tuple[str, ...]:
    """What the build will say about this update, said now."""
    diag = Diagnostics()
    if author:
        AuthorBook(config, diag).resolve(author, 0, Path())  # an unknown id: as for posts
    found = [f"{p.message} ({p.hint})" if p.hint else p.message for p in diag.warnings]
    if not event.start - GRACE <= now <= event.end + GRACE:
        found.append(f"the event runs from {event.start:%Y-%m-%d %H:%M %z} to "
                     f"{event.end:%Y-%m-%d %H:%M %z}: the build leaves this update out until "
                     "its time or the event's is fixed")
    return tuple(found)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        from zoneinfo import available_timezones

        hint = did_you_mean(name, available_timezones()) or "e.g. Europe/Paris"
        raise LiveEditError(f"--timezone: unknown time zone '{name}' ({hint})") from None


def _yaml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _shown(path: Path, config: Config) -> str:
    return path.relative_to(config.root).as_posix()


def _append(path: Path, addition: str) -> None:
    """Add to the end of the file in one replace, so a watching preview never reads half."""
    text = path.read_text(encoding="utf-8")
    if text and not text.endswith("\n"):
        text += "\n"
    _write(path, text + addition)


def _write(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
