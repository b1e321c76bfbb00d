"""The files of a live event, built for real: the page (complete without JavaScript), what it
polls, its feed, its calendar entry read by a real iCalendar library, its JSON-LD; the events
index and the home page's banner; and rebuilds that change exactly what an edit shows."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import feedparser
import icalendar
import pytest

from sitegen.ics import CalendarEvent, calendar, escape_text, fold
from tests.conftest import campaign, post
from tests.test_incremental import changed, cold_build, snapshot

EVENT = """\
---
title: "Balade des deux canaux"
start: 2026-05-19 08:00
end: 2026-05-20 18:00
timezone: Europe/Paris
location: "Port de l’Embouchure, Toulouse"
summary: "Deux jours à vélo, de Toulouse à Castelnaudary; suivez-nous, en direct."
video: https://www.youtube.com/watch?v=dQw4w9WgXcQ
links:
  - {title: "Le carnet de Léa", url: "https://lea.example.org/"}
tags: [vélo, balade]
platforms: [mastodon, bluesky, email]
campaign: canal
author: alice
---

On part du **port de l’Embouchure**.

## 2026-05-19 08:05 | alice | pinned | Départ

Trente cyclistes au départ.

## 2026-05-19 12:30 | Léa Dupont

Pique-nique à [l’écluse](/ecluses/).

## 2026-05-20 17:45 | bob | pinned | Arrivée

Tout le monde est arrivé !
"""
CANAL = campaign("Le canal", "2026-05-01", "2026-05-31")
ANCHORS = ["u-20260520-154500", "u-20260519-103000", "u-20260519-060500"]  # newest first
DURING = str(int(datetime(2026, 5, 19, 14, 0, tzinfo=UTC).timestamp()))
BEFORE = str(int(datetime(2026, 5, 1, tzinfo=UTC).timestamp()))
AFTER = str(int(datetime(2026, 6, 1, tzinfo=UTC).timestamp()))


@pytest.fixture
def site(make_site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DURING)
    made = make_site({"content/live/balade.md": EVENT, "content/campaigns/canal.md": CANAL,
                      "content/posts/a.md": post("Un billet", "2026-01-10", author="alice",
                                                 tags="[vélo]")})
    made.build()
    return made


def test_the_page_is_complete_without_javascript(site):
    html = site.read("live/balade/index.html")
    assert 'data-live-status="live"' in html
    assert "<strong>port de l’Embouchure</strong>" in html  # the intro
    # Newest first, grouped by day with localized headings.
    assert [m for m in re.findall(r'<article class="live-update[^"]*" id="([^"]+)"', html)] \
        == ANCHORS
    days = re.findall(r'<h3 class="live-day-heading" id="day-([\d-]+)">([^<]+)</h3>', html)
    assert days == [("2026-05-20", "mercredi 20 mai 2026"), ("2026-05-19", "mardi 19 mai 2026")]
    # Time in the event's zone, the author linked to their page when they have one.
    assert '<time datetime="2026-05-19T08:05:00+02:00">08:05</time>' in html
    assert '<a class="p-author h-card" href="/authors/alice/">Alice Martin</a>' in html
    assert '<span class="p-author h-card">Léa Dupont</span>' in html
    assert '<span class="p-author h-card">Bob Durand</span>' in html  # known, but no page
    # Key moments, oldest first, linking to their anchors.
    moments = html[html.index("live-key-moments"):html.index("live-updates")]
    assert re.findall(r'href="#([^"]+)"', moments) == ANCHORS[::-1][0:1] + ANCHORS[:1]
    # Partner links, calendar links, the feed.
    assert 'href="https://lea.example.org/">Le carnet de Léa</a>' in html
    assert 'href="/live/balade/balade.ics" download' in html
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE&amp;text=Balade%20des" \
        "%20deux%20canaux&amp;dates=20260519T060000Z%2F20260520T160000Z" in html
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in html
    assert 'type="application/atom+xml" title="Balade des deux canaux\u00a0: le direct" ' \
        'href="https://example.org/live/balade/atom.xml"' in html
    # Share links: plain links to each network's intent, the update's anchor in the URL.
    share = re.search(r'href="(https://bsky.app/intent/compose\?text=[^"]+)"', html)
    assert share and "%23u-20260520-154500" in share.group(1)
    assert "utm_content%3Dlive-u-20260520-154500" in share.group(1)
    assert "mailto:?subject=" in html and "utm_medium%3Demail" in html


def test_the_video_loads_only_on_request(site):
    html = site.read("live/balade/index.html")
    assert "<iframe" not in html and "youtube-nocookie" not in html.split("data-live-video")[0]
    assert 'data-live-video="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert '<a class="live-video-link" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">' \
        in html


def test_open_graph_and_json_ld(site):
    html = site.read("live/balade/index.html")
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:url" content="https://example.org/live/balade/">' in html
    assert '<meta property="og:title" content="Balade des deux canaux">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                html).group(1))
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"] == "2026-05-19T08:00:00+02:00"
    assert "coverageEndTime" not in data  # not over yet
    assert data["about"] == {"@type": "Event", "name": "Balade des deux canaux",
                             "startDate": "2026-05-19T08:00:00+02:00",
                             "endDate": "2026-05-20T18:00:00+02:00",
                             "eventStatus": "https://schema.org/EventScheduled",
                             "location": {"@type": "Place",
                                          "name": "Port de l’Embouchure, Toulouse",
                                          "address": "Port de l’Embouchure, Toulouse"}}
    updates = data["liveBlogUpdate"]
    assert [u["url"].split("#")[1] for u in updates] == ANCHORS
    assert updates[0] == {
        "@type": "BlogPosting", "headline": "Arrivée",
        "url": "https://example.org/live/balade/#u-20260520-154500",
        "datePublished": "2026-05-20T17:45:00+02:00",
        "dateModified": "2026-05-20T17:45:00+02:00",
        "articleBody": "Tout le monde est arrivé\u202f!", "author": {"@type": "Person",
                                                                   "name": "Bob Durand"}}
    assert updates[1]["headline"] == "Pique-nique à l’écluse."  # no title: its first words
    assert updates[2]["author"]["url"] == "https://example.org/authors/alice/"


def test_json_ld_says_when_coverage_ended(site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", AFTER)
    site.build()
    html = site.read("live/balade/index.html")
    assert '"coverageEndTime":"2026-05-20T18:00:00+02:00"' in html
    assert 'data-live-status="ended"' in html


def test_updates_json(site):
    data = json.loads(site.read("live/balade/updates.json"))
    assert {k: v for k, v in data.items() if k != "updates"} == {
        "version": 1, "id": "balade", "title": "Balade des deux canaux",
        "url": "https://example.org/live/balade/", "start": "2026-05-19T08:00:00+02:00",
        "end": "2026-05-20T18:00:00+02:00", "timezone": "Europe/Paris", "status": "live",
        "generated": "2026-05-20T17:45:00+02:00", "poll_interval": 15, "count": 3}
    assert [u["id"] for u in data["updates"]] == ANCHORS
    first = data["updates"][0]
    assert set(first) == {"id", "url", "published", "updated", "title", "author", "pinned",
                          "text", "html", "day", "day_label", "revision", "article", "moment"}
    assert first["author"] == {"name": "Bob Durand", "url": ""}
    assert first["day"] == "2026-05-20" and first["day_label"] == "mercredi 20 mai 2026"
    assert first["article"].startswith('<article class="live-update is-pinned" '
                                       'id="u-20260520-154500"')
    assert first["article"] in site.read("live/balade/index.html")  # the page's own markup
    assert first["moment"].startswith('<li data-live-moment="u-20260520-154500">')
    assert data["updates"][1]["moment"] is None
    assert data["updates"][1]["html"] == '<p>Pique-nique à <a href="/ecluses/">l’écluse</a>.</p>'


def test_the_feed_of_updates_parses(site):
    feed = feedparser.parse(site.output.joinpath("live/balade/atom.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Balade des deux canaux\u00a0: le direct"
    assert [e.link.split("#")[1] for e in feed.entries] == ANCHORS
    assert feed.entries[1].title == "Pique-nique à l’écluse."
    assert 'href="https://example.org/ecluses/"' in feed.entries[1].content[0].value
    assert feed.entries[0].author == "Bob Durand"


def test_the_calendar_entry_parses_with_icalendar(site):
    data = site.output.joinpath("live/balade/balade.ics").read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n")  # CRLF only
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    parsed = icalendar.Calendar.from_ical(data)
    (event,) = parsed.walk("VEVENT")
    assert str(event["UID"]) == "balade@example.org"
    assert event.decoded("DTSTART") == datetime(2026, 5, 19, 6, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 5, 20, 16, 0, tzinfo=UTC)
    assert event.decoded("DTSTAMP") == datetime(2026, 5, 20, 15, 45, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Balade des deux canaux"
    assert str(event["LOCATION"]) == "Port de l’Embouchure, Toulouse"
    assert str(event["DESCRIPTION"]) == ("Deux jours à vélo, de Toulouse à Castelnaudary; "
                                         "suivez-nous, en direct.\n\n"
                                         "https://example.org/live/balade/")
    assert str(event["URL"]) == "https://example.org/live/balade/"


def test_an_all_day_event_is_a_date_in_the_calendar():
    data = calendar(CalendarEvent("w@example.org", datetime(2026, 1, 1, tzinfo=UTC),
                                  date(2026, 5, 23), date(2026, 5, 25), "Week-end"))
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == date(2026, 5, 23)
    assert event.decoded("DTEND") == date(2026, 5, 25)


@pytest.mark.parametrize("text", ["é" * 100, "a" * 74 + "é" * 5, "🚲" * 40, "x" * 300,
                                  "a,b;c\\d\ne" * 20])
def test_folding_keeps_utf8_whole_and_lines_short(text):
    data = calendar(CalendarEvent("u@x", datetime(2026, 1, 1, tzinfo=UTC),
                                  datetime(2026, 1, 2, tzinfo=UTC),
                                  datetime(2026, 1, 3, tzinfo=UTC), "S", text))
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # no sequence cut in two
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]) == text


def test_escaping_and_folding_rules():
    assert escape_text("a\\b;c,d\r\ne") == "a\\\\b\\;c\\,d\\ne"
    assert fold("x" * 75) == "x" * 75
    assert fold("x" * 76) == "x" * 75 + "\r\n x"


def test_the_index_and_the_home_banner(site):
    index = site.read("live/index.html")
    assert '<h2 id="live-group-live">En ce moment</h2>' in index
    assert '<a href="/live/balade/">Balade des deux canaux</a>' in index
    home = site.read("index.html")
    banner = re.search(r'<aside class="live-banner"[^>]*>', home).group(0)
    assert 'data-live-start="2026-05-19T08:00:00+02:00"' in banner and "hidden" not in banner
    assert '<a href="/live/">En direct</a>' in home  # in the main navigation
    assert '<script src="/js/live.js"' in home
    assert "https://example.org/live/balade/" in site.read("sitemap.xml")


def test_banners_wait_hidden_for_upcoming_events_and_go_when_over(site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BEFORE)
    site.build()
    banner = re.search(r'<aside class="live-banner"[^>]*>', site.read("index.html")).group(0)
    assert banner.endswith(" hidden>")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", AFTER)
    site.build()
    home = site.read("index.html")
    assert "live-banner" not in home and "/js/live.js" not in home


def test_a_site_without_events_has_no_live_files(make_site):
    made = make_site({"content/posts/a.md": post()})
    made.build()
    assert not (made.output / "live").exists()
    assert "/live/" not in made.read("index.html")


def test_adding_an_update_rebuilds_only_the_events_files(site, tmp_path):
    path = site.root / "content/live/balade.md"
    before = snapshot(site.output)
    path.write_text(EVENT + "\n## 2026-05-20 18:10 | alice\n\nMerci à tous.\n")
    site.build()
    after = snapshot(site.output)
    assert after == cold_build(site.root, tmp_path)
    assert changed(before, after) == {"live/balade/index.html", "live/balade/updates.json",
                                      "live/balade/atom.xml", "live/balade/balade.ics",
                                      "sitemap.xml"}


def test_status_changes_rebuild_what_shows_it(site, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", AFTER)
    before = snapshot(site.output)
    site.build()
    after = snapshot(site.output)
    assert after == cold_build(site.root, tmp_path)
    assert {"index.html", "live/index.html", "live/balade/index.html",
            "live/balade/updates.json"} <= changed(before, after)


def test_two_builds_are_byte_identical(site, tmp_path):
    assert snapshot(site.output) == cold_build(site.root, tmp_path)


def test_updates_json_carries_the_latest_fifty(make_site):
    text = EVENT.split("\n## ")[0] + "".join(
        f"\n## 2026-05-19 {10 + n // 60:02d}:{n % 60:02d} | alice\n\nN° {n}.\n" for n in range(55))
    made = make_site({"content/live/balade.md": text, "content/campaigns/canal.md": CANAL})
    made.build()
    data = json.loads(made.read("live/balade/updates.json"))
    assert data["count"] == 55
    assert [u["text"] for u in data["updates"]] == [f"N° {n}." for n in range(54, 4, -1)]
    assert made.read("live/balade/index.html").count('<article class="live-update') == 55


def test_update_share_links_follow_the_site_share_settings(make_site, monkeypatch):
    from tests.conftest import SITE_YAML

    monkeypatch.setenv("SOURCE_DATE_EPOCH", DURING)
    made = make_site({"content/live/balade.md": EVENT, "content/campaigns/canal.md": CANAL},
                     site_yaml=SITE_YAML + "share:\n  utm: false\n  mastodon_instance: "
                                           "piaille.fr\n")
    made.build()
    html = made.read("live/balade/index.html")
    assert "https://piaille.fr/share?text=" in html
    assert "share.joinmastodon.org" not in html
    assert "utm_" not in html
