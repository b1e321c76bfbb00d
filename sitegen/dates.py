"""Dates as authors write them in front matter, and as readers see them in the site's language."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sitegen.locales import day_text, time_text
from sitegen.records import record

_DATE_RE = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,6})\d*)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)


def now() -> datetime:
    """The build's "now": SOURCE_DATE_EPOCH when set, so rebuilds of old sources match."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(UTC)


# Instants near datetime's own limits (years 1 and 9999) overflow when moved to another zone.
MIN_YEAR, MAX_YEAR = 1000, 9998


class DateError(ValueError):
    """A date that cannot be read; the message says what is wrong with it."""


@record
class Moment:
    """An instant, and whether the author gave only a day (shown without a time)."""

    instant: datetime  # timezone-aware
    date_only: bool


def parse_moment(text: str, zone: ZoneInfo) -> Moment:
    """Read `2018-03-21`, `2018-03-21 18:30`, `2018-03-21T18:30:00+01:00` or with `Z`.

    A date or time without an offset is read in `zone` (the site's or the event's time zone).
    """
    match = _DATE_RE.match(text.strip())
    if not match:
        raise DateError(f"'{text}' is not a date",)
    parts = match.groupdict()
    try:
        day = date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
    except ValueError as exc:
        raise DateError(f"'{text}' is not a real date ({exc})") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise DateError(f"'{text}': the year must be from {MIN_YEAR} to {MAX_YEAR}")
    if parts["H"] is None:
        if parts["tz"]:
            raise DateError(f"'{text}': an offset needs a time")
        return Moment(datetime(day.year, day.month, day.day, tzinfo=zone), True)
    hour, minute = int(parts["H"]), int(parts["M"])
    second = int(parts["S"] or 0)
    micro = int((parts["f"] or "0").ljust(6, "0"))
    if hour > 23 or minute > 59 or second > 59:
        raise DateError(f"'{text}' is not a real time of day")
    tz = _offset(parts["tz"]) if parts["tz"] else zone
    moment = datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=tz)
    return Moment(moment, False)


def _offset(text: str) -> timezone:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        raise DateError(f"'{text}' is not a UTC offset")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def from_yaml_value(value: object, zone: ZoneInfo) -> Moment:
    """Accept a date that YAML already typed (date or datetime) as well as text."""
    if isinstance(value, date) and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise DateError(f"'{value}': the year must be from {MIN_YEAR} to {MAX_YEAR}")
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return Moment(value.replace(tzinfo=zone), False)
        return Moment(value, False)
    if isinstance(value, date):
        return Moment(datetime(value.year, value.month, value.day, tzinfo=zone), True)
    return parse_moment(str(value), zone)


def format_day(instant: datetime, zone: ZoneInfo, locale: str) -> str:
    """'21 mars 2018' in French, 'March 21, 2018' in English, as a reader in `zone` sees it."""
    return day_text(instant.astimezone(zone).date(), locale)


def format_time(instant: datetime, zone: ZoneInfo, locale: str) -> str:
    """The time of day in the reader's convention ('18:30' in French, '6:30 PM' in English)."""
    return time_text(instant.astimezone(zone).timetz(), locale)


def iso(instant: datetime) -> str:
    """RFC 3339 / ISO 8601 with the offset, for <time datetime>, JSON-LD and sitemaps."""
    return instant.isoformat(timespec="seconds")
