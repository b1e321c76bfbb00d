"""The heading that starts an update in a live file: its grammar, read and written.

    "## " TIMESTAMP ( " | " AUTHOR )? ( " | pinned" )? ( " | " TITLE )?

TIMESTAMP is `YYYY-MM-DD HH:MM[:SS]` with an optional offset (`+02:00`, `Z`); without one it
is read in the event's zone. A level-2 heading that starts like a date is meant as an update:
when it does not follow the grammar, that is an error, never a silent intro heading.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sitegen.dates import DateError, parse_moment
from sitegen.records import record

PINNED = "pinned"
EXAMPLE = "## 2026-05-19 07:45 | author | pinned | title"
# What an author means as an update: '## ' then something that starts like a date, ISO
# ('2026-05-19') or written the French or English way ('19/05/2026').
_LOOKS_LIKE = re.compile(r"^##(?!#)[ \t]*(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})")
_HEADING = re.compile(
    r"^## (?P<ts>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)"
    r"(?P<rest>.*)$")
_TIMESTAMP_ONLY = re.compile(r"^## \d{4}-\d{2}-\d{2}\s*$")
_SEPARATOR = re.compile(r"[ \t]*\|[ \t]*")


class HeadingError(ValueError):
    """An update heading that does not follow the grammar; says what to write instead."""

    def __init__(self, message: str, hint: str = ""):
        self.message, self.hint = message, hint
        super().__init__(message)


@record
class Heading:
    """What an update heading of a live file says, as `parse_heading` reads it."""

    instant: datetime  # timezone-aware
    author: str = ""
    pinned: bool = False
    title: str = ""


def looks_like_update(line: str) -> bool:
    """True for a line its author meant as an update heading (well formed or not)."""
    return bool(_LOOKS_LIKE.match(line))


def parse_heading(line: str, zone: ZoneInfo) -> Heading:
    """Read an update heading; raises HeadingError saying what is wrong with it."""
    text = line.rstrip()
    match = _HEADING.match(text)
    if not match:
        raise HeadingError(_shape_problem(text), f"write it as '{EXAMPLE}'")
    try:
        instant = parse_moment(match["ts"], zone).instant
    except DateError as exc:
        raise HeadingError(f"update heading: {exc}", f"write it as '{EXAMPLE}'") from None
    rest = match["rest"]
    if not rest.strip():
        return Heading(instant)
    if not rest.lstrip(" \t").startswith("|"):
        raise HeadingError(f"update heading: '{rest.strip()}' after the time",
                           "separate the time, author, 'pinned' and title with ' | '")
    parts = _SEPARATOR.split(rest.strip())[1:]  # the text before the first '|' is empty
    author = ""
    if parts and parts[0].lower() != PINNED:
        author = parts.pop(0)
    pinned = bool(parts) and parts[0].lower() == PINNED
    if pinned:
        parts.pop(0)
    title = " | ".join(parts).strip()
    return Heading(instant, author, pinned, title)


def _shape_problem(text: str) -> str:
    shown = text if len(text) <= 60 else text[:57] + "..."
    if _TIMESTAMP_ONLY.match(text):
        return f"update heading '{shown}' has no time of day"
    if not text.startswith("## ") or text.startswith("##  "):
        return f"update heading '{shown}': write '## ' then the time"
    return f"update heading '{shown}': the time must be YYYY-MM-DD HH:MM[:SS] " \
        "with an optional offset"


def format_heading(instant: datetime, author: str = "", pinned: bool = False,
                   title: str = "") -> str:
    """The heading of a new update (what `sitegen live add` writes): the local time of
    `instant` with its offset, so the line means one instant whoever reads it. Raises
    ValueError for a part the heading cannot hold."""
    for name, value in (("author", author), ("title", title)):
        if "\n" in value or "\r" in value:
            raise ValueError(f"the {name} must be one line")
    if "|" in author:
        raise ValueError("the author cannot contain '|'")
    if title.strip().lower() == PINNED:
        raise ValueError(f"a title cannot be just '{PINNED}'")
    stamp = instant.isoformat(sep=" ", timespec="seconds")
    parts = [stamp]
    if author:
        parts.append(author)
    if pinned:
        parts.append(PINNED)
    if title:
        if not author and not pinned:
            parts.append("")  # an empty author: the title is not read as an author
        parts.append(title)
    return "## " + " | ".join(parts)
