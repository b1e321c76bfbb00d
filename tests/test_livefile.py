"""Reading live files: the event's front matter, the intro, updates ordered by instant across
zones, updates outside the event left out with a warning, and one clear line per mistake."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sitegen.config import load_config
from sitegen.errors import Diagnostics
from sitegen.live import LiveEvent
from sitegen.livefile import read_events

NOW = datetime(2026, 5, 19, 12, 0, tzinfo=UTC)
HEAD = """\
---
title: Balade du canal
start: 2026-05-19 08:00
end: 2026-05-20 18:00
"""


def live(body: str, head: str = HEAD, extra: str = "") -> str:
    return head + extra + "---\n" + body


def read(make_site, files: dict[str, str], now: datetime = NOW) -> tuple[
        tuple[LiveEvent, ...], list[str]]:
    site = make_site(files)
    diag = Diagnostics(root=site.root)
    events = read_events(load_config(site.root, diag), diag, now)
    return events, [str(p) for p in diag.problems]


def test_an_event_its_intro_and_its_updates(make_site):
    text = live("""
Le départ est à **8 h**.

## 2026-05-19 10:15 | alice | pinned | Pause au lac

Tout le monde est là.

## 2026-05-19 09:00 | Léa Dupont

Premiers kilomètres.
""", extra="""timezone: Europe/Paris
location: Port de l’Embouchure
summary: Deux jours à vélo.
video: https://youtu.be/dQw4w9WgXcQ
links:
  - {title: Le blog de Léa, url: "https://lea.example.org/"}
  - {url: "https://autre.example.org/"}
campaign: dix-ans
tags: [vélo, balade]
platforms: [mastodon, twitter]
author: alice
""")
    events, problems = read(make_site, {"content/live/balade.md": text})
    assert problems == []
    (event,) = events
    assert (event.id, event.path, event.title, event.status) == \
        ("balade", "/live/balade/", "Balade du canal", "live")
    assert event.start == datetime(2026, 5, 19, 6, 0, tzinfo=UTC)
    assert event.end == datetime(2026, 5, 20, 16, 0, tzinfo=UTC)
    assert event.source.body == "Le départ est à **8 h**."
    assert event.source.body_line == 18  # the file line the intro starts on
    assert event.location == "Port de l’Embouchure"
    assert [(link.title, link.url) for link in event.links] == [
        ("Le blog de Léa", "https://lea.example.org/"),
        ("https://autre.example.org/", "https://autre.example.org/")]
    assert event.tags == ("vélo", "balade") and event.platforms == ("mastodon", "x")
    assert [a.name for a in event.authors] == ["Alice Martin"]
    first, second = event.updates  # by instant, not file order
    assert (first.title, first.author.name, first.author.known, first.pinned) == \
        ("", "Léa Dupont", False, False)
    assert (second.title, second.author.id, second.pinned) == ("Pause au lac", "alice", True)
    assert first.source.body == "Premiers kilomètres." and first.source.body_line == 26
    assert second.line == 20 and second.source.body_line == 22
    assert (first.anchor, second.anchor) == ("u-20260519-070000", "u-20260519-081500")
    assert second.key == "content/live/balade.md#u-20260519-081500"
    assert event.pinned == (second,)


def test_updates_are_ordered_by_instant_across_zones(make_site):
    text = live("""
## 2026-05-19 10:00+02:00 | a

Paris, 08:00 UTC.

## 2026-05-19 07:30Z | b

UTC, 07:30.

## 2026-05-19 03:45-04:00 | c

New York, 07:45 UTC.

## 2026-05-19 09:50 | d

The event's zone (Paris): 07:50 UTC.
""", extra="timezone: Europe/Paris\n")
    (event,), _ = read(make_site, {"content/live/e.md": text})
    assert [u.author.name for u in event.updates] == ["b", "c", "d", "a"]
    assert [u.instant.astimezone(UTC).strftime("%H:%M") for u in event.updates] == \
        ["07:30", "07:45", "07:50", "08:00"]


def test_naive_times_are_read_in_the_events_zone_else_the_sites(make_site):
    body = "## 2026-05-19 09:00\n\nx\n"
    (dakar,), _ = read(make_site, {"content/live/e.md": live(body,
                                                              extra="timezone: Africa/Dakar\n")})
    assert dakar.updates[0].instant == datetime(2026, 5, 19, 9, 0, tzinfo=UTC)
    assert dakar.start == datetime(2026, 5, 19, 8, 0, tzinfo=UTC)
    (paris,), _ = read(make_site, {"content/live/e.md": live(body)})  # site.yaml: Paris
    assert paris.updates[0].instant == datetime(2026, 5, 19, 7, 0, tzinfo=UTC)


def test_an_update_outside_the_event_is_left_out_with_a_warning(make_site):
    text = live("""
## 2026-05-19 07:30 | Anne

Setting up, within the hour of grace.

## 2026-05-22 09:00 | Bruno

Two days late.
""")
    (event,), problems = read(make_site, {"content/live/e.md": text})
    assert [u.author.name for u in event.updates] == ["Anne"]
    assert problems == [
        "content/live/e.md:11: warning: update of May 22, 2026 09:00 is outside the event "
        "(May 19, 2026 08:00 to May 20, 2026 18:00), left out (fix its time, or the event's "
        "start or end: an update may be up to 60 minutes outside)"]


def test_out_of_range_is_an_error_with_strict(make_site):
    site = make_site({"content/live/e.md": live("## 2030-01-01 10:00\n\nx\n")})
    assert site.build().problems  # a warning: the build succeeds
    lines = site.build_fails(strict=True)
    assert lines[-1] == "1 warning(s) with --strict"


def test_a_malformed_heading_is_an_error_naming_its_line(make_site):
    site = make_site({"content/live/e.md": live("Intro.\n\n## 2026-05-19 9h30 | alice\n\nx\n")})
    assert site.build_fails() == [
        "content/live/e.md:8: update heading '## 2026-05-19 9h30 | alice': the time must be "
        "YYYY-MM-DD HH:MM[:SS] with an optional offset (write it as "
        "'## 2026-05-19 07:45 | author | pinned | title')"]


def test_headings_in_code_and_other_headings_stay_in_the_text(make_site):
    text = live("""
## Le programme

~~~
## 2026-05-19 9h30 | not an update
~~~

## 2026-05-19 09:00

## Une section de la mise à jour
""")
    (event,), problems = read(make_site, {"content/live/e.md": text})
    assert problems == []
    assert "## 2026-05-19 9h30" in event.source.body and "## Le programme" in event.source.body
    assert event.updates[0].source.body == "## Une section de la mise à jour"


def test_date_is_an_alias_of_start_and_days_cover_whole_days(make_site):
    head = "---\ntitle: Week-end\ndate: 2026-05-23\nend: 2026-05-24\n"
    (event,), problems = read(make_site, {"content/live/w.md": live("", head)})
    assert problems == []
    assert event.all_day
    assert event.start == datetime(2026, 5, 22, 22, 0, tzinfo=UTC)  # midnight in Paris
    assert event.end == datetime(2026, 5, 24, 22, 0, tzinfo=UTC)  # the end of the 24th


def test_status_follows_the_builds_now(make_site):
    files = {"content/live/e.md": live("")}
    assert read(make_site, files, datetime(2026, 5, 19, 5, 59, tzinfo=UTC))[0][0].status == \
        "upcoming"
    assert read(make_site, files, datetime(2026, 5, 19, 6, 0, tzinfo=UTC))[0][0].status == "live"
    assert read(make_site, files, datetime(2026, 5, 20, 16, 0, tzinfo=UTC))[0][0].status == \
        "ended"


def test_two_updates_of_the_same_second_get_distinct_anchors(make_site):
    text = live("## 2026-05-19 09:00 | a\n\nun\n\n## 2026-05-19 09:00 | b\n\ndeux\n")
    (event,), _ = read(make_site, {"content/live/e.md": text})
    assert [(u.author.name, u.anchor) for u in event.updates] == [
        ("a", "u-20260519-070000"), ("b", "u-20260519-070000-2")]


def test_unknown_author_ids_are_warned_about_as_for_posts(make_site):
    text = live("## 2026-05-19 09:00 | alcie\n\nx\n")
    (event,), problems = read(make_site, {"content/live/e.md": text})
    assert problems == ["content/live/e.md:6: warning: unknown author id 'alcie' (did you mean "
                        "'alice'?)"]
    assert event.updates[0].author.name == "alcie"


@pytest.mark.parametrize("head, message", [
    ("---\nstart: 2026-05-19 08:00\nend: 2026-05-19 18:00\n",
     "content/live/e.md:2: missing 'title' (add a line such as 'title: Notre balade' to the "
     "front matter)"),
    ("---\ntitle: T\nend: 2026-05-19 18:00\n",
     "content/live/e.md:2: missing 'start' (add a line such as 'start: 2026-05-19 08:00' to "
     "the front matter)"),
    ("---\ntitle: T\nstart: 2026-05-19 08:00\n",
     "content/live/e.md:2: missing 'end' (add a line such as 'end: 2026-05-19 08:00' to the "
     "front matter)"),
    ("---\ntitle: T\nstart: 2026-05-19 08:00\nend: 2026-05-19 07:00\n",
     "content/live/e.md:4: the event ends before it starts ('end' must come after 'start')"),
    ("---\ntitle: T\nstart: 2026-05-19 08:00\nend: 2026-05-19 18:00\ntimezone: Europe/Pari\n",
     "content/live/e.md:5: unknown time zone 'Europe/Pari' (did you mean 'Europe/Paris'?)"),
    ("---\ntitle: T\nstart: demain\nend: 2026-05-19 18:00\n",
     "content/live/e.md:3: start: 'demain' is not a date (write it as 2025-03-21 or "
     "2025-03-21 18:30)"),
    ("---\ntitle: T\nstart: 2026-05-19 08:00\nend: 2026-05-19 18:00\nlinks:\n  - {title: x}\n",
     "content/live/e.md:6: each link needs a 'url' (write it as {title: \"Le blog de Léa\", "
     "url: https://…})"),
])
def test_front_matter_mistakes(make_site, head, message):
    site = make_site({"content/live/e.md": head + "---\n"})
    assert site.build_fails() == [message]


def test_a_file_name_that_cannot_be_an_address(make_site):
    site = make_site({"content/live/Mon Événement.md": live("")})
    assert site.build_fails() == [
        "content/live/Mon Événement.md: 'Mon Événement.md' cannot be an event's address "
        "(rename it mon-evenement.md: lowercase letters, digits and '-')"]


def test_other_files_in_the_live_folder_are_reported(make_site):
    events, problems = read(make_site, {"content/live/e.md": live(""),
                                        "content/live/photo.jpg": "x"})
    assert len(events) == 1
    assert problems == ["content/live/photo.jpg: warning: not read: content/live/ holds one .md "
                        "file per event (name it content/live/<id>.md)"]


def test_drafts_are_left_out_unless_asked(make_site):
    site = make_site({"content/live/e.md": live("", extra="draft: true\n")})
    diag = Diagnostics(root=site.root)
    config = load_config(site.root, diag)
    assert read_events(config, diag, NOW) == ()
    assert len(read_events(config, diag, NOW, drafts=True)) == 1
