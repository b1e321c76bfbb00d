"""sitegen/dates.py: dates as authors write them, as readers see them; scheduled posts."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from sitegen.dates import DateError, format_day, format_time, from_yaml_value, iso, parse_moment
from tests.conftest import SITE_YAML, post

PARIS = ZoneInfo("Europe/Paris")
# 2025-03-21 12:00 UTC: "now" for every build of this file that cares about it.
NOW_EPOCH = str(int(datetime(2025, 3, 21, 12, 0, tzinfo=UTC).timestamp()))


@pytest.fixture
def machine_tz(monkeypatch):
    """Set the machine's time zone (TZ) for one test, and restore it afterwards."""

    def set_tz(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_tz
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def pinned_now(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW_EPOCH)


def times(html: str) -> list[tuple[str, str]]:
    """(datetime attribute, text) of each <time> element of a page."""
    return re.findall(r'<time\b[^>]*\bdatetime="([^"]*)"[^>]*>([^<]*)</time>', html)


def feed_items(site) -> dict[str, dict]:
    return {item["title"]: item for item in json.loads(site.read("feed.json"))["items"]}


# ---- reading --------------------------------------------------------------------------------

def test_a_day_alone_is_midnight_in_the_zone_and_marked_date_only():
    moment = parse_moment("2018-03-21", PARIS)
    assert moment.date_only
    assert moment.instant == datetime(2018, 3, 21, tzinfo=PARIS)
    assert iso(moment.instant) == "2018-03-21T00:00:00+01:00"


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-03-21 18:30", "2025-03-21T18:30:00+01:00"),
    ("2025-03-21T18:30", "2025-03-21T18:30:00+01:00"),
    ("2025-03-21 18:30:15", "2025-03-21T18:30:15+01:00"),
    ("2025-7-4 9:05", "2025-07-04T09:05:00+02:00"),  # summer time in Paris
    ("2025-03-21T18:30:00Z", "2025-03-21T18:30:00+00:00"),
    ("2025-03-21T18:30:00+05:30", "2025-03-21T18:30:00+05:30"),
    ("2025-03-21 18:30 -0800", "2025-03-21T18:30:00-08:00"),
    ("  2025-03-21 18:30  ", "2025-03-21T18:30:00+01:00"),
])
def test_date_times_naive_in_the_zone_or_with_their_offset(text, expected):
    moment = parse_moment(text, PARIS)
    assert not moment.date_only
    assert iso(moment.instant) == expected


def test_fractions_of_a_second_are_kept():
    assert parse_moment("2025-03-21T18:30:00.25Z", PARIS).instant.microsecond == 250_000


@pytest.mark.parametrize(("text", "message"), [
    ("2024-02-30", "'2024-02-30' is not a real date (day is out of range for month)"),
    ("2025-13-01", "'2025-13-01' is not a real date (month must be in 1..12)"),
    ("2025-03-21 24:00", "'2025-03-21 24:00' is not a real time of day"),
    ("2025-03-21 18:60", "'2025-03-21 18:60' is not a real time of day"),
    ("2025-03-21+01:00", "'2025-03-21+01:00': an offset needs a time"),
    ("2025-03-21 18:30 +15:00", "'+15:00' is not a UTC offset"),
    ("21/03/2025", "'21/03/2025' is not a date"),
    ("demain", "'demain' is not a date"),
    ("", "'' is not a date"),
    ("0001-01-01 00:30 +01:00", "'0001-01-01 00:30 +01:00': the year must be from 1000 to 9998"),
    ("9999-12-31 23:59 -05:00", "'9999-12-31 23:59 -05:00': the year must be from 1000 to 9998"),
])
def test_impossible_dates_say_what_is_wrong(text, message):
    with pytest.raises(DateError) as info:
        parse_moment(text, PARIS)
    assert str(info.value) == message


def test_a_leap_day_is_real():
    assert parse_moment("2024-02-29", PARIS).instant.day == 29


def test_dates_yaml_already_typed():
    assert from_yaml_value(date(2025, 3, 21), PARIS) == parse_moment("2025-03-21", PARIS)
    naive = from_yaml_value(datetime(2025, 3, 21, 18, 30), PARIS)
    assert iso(naive.instant) == "2025-03-21T18:30:00+01:00"
    aware = from_yaml_value(datetime(2025, 3, 21, 18, 30, tzinfo=UTC), PARIS)
    assert iso(aware.instant) == "2025-03-21T18:30:00+00:00"
    with pytest.raises(DateError):
        from_yaml_value(datetime(9999, 12, 31, 23, 0, tzinfo=timezone(-timedelta(hours=5))),
                        PARIS)


# ---- showing --------------------------------------------------------------------------------

def test_days_in_the_readers_language_and_zone():
    instant = datetime(2018, 3, 21, 23, 30, tzinfo=UTC)
    assert format_day(instant, PARIS, "fr") == "22 mars 2018"
    assert format_day(instant, ZoneInfo("America/Los_Angeles"), "en") == "March 21, 2018"
    assert format_time(instant, PARIS, "fr") == "00:30"


@pytest.mark.parametrize("machine", ["Pacific/Kiritimati", "America/Los_Angeles", "UTC"])
def test_a_date_only_post_shows_its_day_whatever_the_machine_zone(make_site, machine_tz,
                                                                  machine):
    machine_tz(machine)
    site = make_site({"content/posts/printemps.md": post("Printemps", "2018-03-21")})
    site.build()
    html = site.read("2018/03/printemps/index.html")
    assert ("2018-03-21T00:00:00+01:00", "21 mars 2018") in times(html)
    assert feed_items(site)["Printemps"]["date_published"] == "2018-03-21T00:00:00+01:00"


def test_a_naive_date_time_is_read_in_the_site_zone(make_site, machine_tz):
    machine_tz("Pacific/Kiritimati")
    site_yaml = SITE_YAML.replace("timezone: Europe/Paris", "timezone: America/New_York")
    site = make_site({"content/posts/soir.md": post("Soir", "2025-03-31 22:30")}, site_yaml)
    site.build()
    html = site.read("2025/03/soir/index.html")
    assert ("2025-03-31T22:30:00-04:00", "31 mars 2025") in times(html)


def test_an_offset_is_honoured_and_the_day_is_the_sites(make_site):
    # 23:30 in New York on 31 March is already 1 April in Paris, the site's zone.
    site = make_site({"content/posts/nyc.md": post("NYC", "2025-03-31T23:30:00-04:00")})
    site.build()
    html = site.read("2025/04/nyc/index.html")
    assert ("2025-03-31T23:30:00-04:00", "1 avril 2025") in times(html)


def test_an_impossible_date_is_an_error_on_its_line(make_site):
    site = make_site({"content/posts/x.md": post("X", "2024-02-30")})
    assert site.build_fails() == [
        "content/posts/x.md:3: date: '2024-02-30' is not a real date (day is out of range for "
        "month) (write it as 2025-03-21 or 2025-03-21 18:30)"]


def test_a_date_beyond_what_can_be_converted_is_an_error_not_a_crash(make_site):
    site = make_site({"content/posts/x.md": post("X", "9999-12-31 23:59 -05:00"),
                      "content/posts/y.md": post("Y", updated="0001-01-01 00:00 +01:00")})
    assert site.build_fails() == [
        "content/posts/x.md:3: date: '9999-12-31 23:59 -05:00': the year must be from 1000 to "
        "9998 (write it as 2025-03-21 or 2025-03-21 18:30)",
        "content/posts/y.md:4: updated: '0001-01-01 00:00 +01:00': the year must be from 1000 "
        "to 9998 (write it as 2025-03-21 or 2025-03-21 18:30)"]


# ---- scheduled posts ------------------------------------------------------------------------

def test_future_posts_wait_with_a_note_naming_their_time(make_site, pinned_now):
    site = make_site({"content/posts/passe.md": post("Passé", "2025-03-21 12:00"),
                      "content/posts/soir.md": post("Ce soir", "2025-03-21 18:30"),
                      "content/posts/avril.md": post("Avril", "2025-04-01")})
    report = site.build()
    assert report.posts == 1
    notes = sorted(str(p) for p in report.problems if p.level == "note")
    assert notes == [
        "content/posts/avril.md: note: scheduled for April 1, 2025 00:00 CEST: not published "
        "yet (rebuild after that time, or pass --future to preview it)",
        "content/posts/soir.md: note: scheduled for March 21, 2025 18:30 CET: not published "
        "yet (rebuild after that time, or pass --future to preview it)",
    ]
    assert set(feed_items(site)) == {"Passé"}
    assert not (site.output / "2025/04").exists()


def test_future_posts_are_built_when_asked_for(make_site, pinned_now):
    site = make_site({"content/posts/avril.md": post("Avril", "2025-04-01"),
                      "content/posts/passe.md": post("Passé", "2025-03-01")})
    report = site.build(future=True)
    assert report.posts == 2
    assert [p for p in report.problems if p.level == "note"] == []
    assert (site.output / "2025/04/avril/index.html").is_file()


def test_source_date_epoch_decides_what_is_future(make_site, monkeypatch):
    site = make_site({"content/posts/avril.md": post("Avril", "2025-04-01")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW_EPOCH)
    assert site.build().posts == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW_EPOCH) + 30 * 24 * 3600))
    assert site.build().posts == 1


def test_a_previewed_future_post_is_marked_and_kept_out_of_the_sitemap(make_site, pinned_now):
    site = make_site({"content/posts/avril.md": post("Avril", "2025-04-01"),
                      "content/posts/passe.md": post("Passé", "2025-03-01")})
    site.build(future=True)
    assert '<meta name="robots" content="noindex">' not in site.read("2025/03/passe/index.html")
    assert '<meta name="robots" content="noindex">' in site.read("2025/04/avril/index.html")
    assert "2025/04/avril/" not in site.read("sitemap.xml")
