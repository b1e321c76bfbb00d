"""iCalendar (RFC 5545) text for one event: what a calendar application imports.

Written here rather than with a library: one VEVENT is a few lines, and the rules that
matter are few — CRLF line ends, lines folded at 75 octets without cutting a UTF-8 sequence,
TEXT values escaped, a stable UID, and a DTSTAMP taken from the content (never the clock) so
that two builds of the same sources give the same bytes. Times are written in UTC, so no
VTIMEZONE block is needed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sitegen.records import record

LINE_OCTETS = 75  # RFC 5545 §3.1, not counting the CRLF
PRODID = "-//sitegen//live events//EN"


@record
class CalendarEvent:
    """A live event as one VEVENT, for readers to add it to their calendar."""

    uid: str  # globally unique and stable: '<event id>@<site host>'
    stamp: datetime  # DTSTAMP: when this description of the event was last changed
    start: datetime | date  # a date: an all-day event
    end: datetime | date  # exclusive, as RFC 5545 wants
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = "CONFIRMED"  # TENTATIVE, CONFIRMED or CANCELLED


def escape_text(value: str) -> str:
    """A TEXT value (§3.3.11): backslash first, then ; , and line breaks."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    for char, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        value = value.replace(char, escaped)
    return value


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (§3.1), each continuation
    starting with one space, never inside a UTF-8 sequence; joined by CRLF."""
    data = line.encode("utf-8")
    pieces: list[bytes] = []
    limit = LINE_OCTETS
    while len(data) > limit:
        cut = limit
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # a continuation byte: step back
            cut -= 1
        pieces.append(data[:cut])
        data = data[cut:]
        limit = LINE_OCTETS - 1  # the leading space counts
    pieces.append(data)
    return "\r\n ".join(piece.decode("utf-8") for piece in pieces)


def _when(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return ":" + value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f";VALUE=DATE:{value:%Y%m%d}"


def calendar(event: CalendarEvent) -> bytes:
    """The .ics file of one event."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "BEGIN:VEVENT", f"UID:{escape_text(event.uid)}",
             "DTSTAMP" + _when(event.stamp.astimezone(UTC)), "DTSTART" + _when(event.start),
             "DTEND" + _when(event.end), f"SUMMARY:{escape_text(event.summary)}"]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines += [f"STATUS:{event.status}", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")
