"""Babel's answers (days and times spelled out, plural forms): the same as Babel's, and handed
from one build to the next, so that a rebuild spelling nothing new loads no CLDR data."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date
from hypothesis import given
from hypothesis import strategies as st

from sitegen import locales
from tests.conftest import post

REPO = Path(__file__).resolve().parent.parent


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9998, 12, 31)),
       st.sampled_from(["fr", "en", "de", "pt_BR", "ar"]))
def test_day_text_is_babels_long_date(day, locale):
    assert locales.day_text(day, locale) == format_date(day, "long", locale=locale)


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9998, 12, 31)),
       st.sampled_from(["fr", "en", "de", "ja"]), st.sampled_from(["full", "EEEE d", "long"]))
def test_day_text_in_other_formats_is_babels(day, locale, pattern):
    assert locales.day_text(day, locale, pattern) == format_date(day, pattern, locale=locale)


@given(st.times(), st.sampled_from(["fr", "en", "ko", "zh_Hant"]),
       st.sampled_from([None, "Europe/Paris", "America/New_York", "UTC"]))
def test_time_text_is_babels_short_time(moment, locale, zone):
    from babel.dates import format_time

    if zone:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    assert locales.time_text(moment, locale) == format_time(moment, "short", locale=locale)


def test_a_time_is_answered_with_its_zone():
    """The same clock time in another zone is another question (Babel is given the zone)."""
    chatham, auckland = ZoneInfo("Pacific/Chatham"), ZoneInfo("Pacific/Auckland")
    locales.recall({("time", "fr", (time(3, 17, 29), "Pacific/Chatham")): "recalled"})
    assert locales.time_text(time(3, 17, 29, tzinfo=chatham), "fr") == "recalled"
    assert locales.time_text(time(3, 17, 29, tzinfo=auckland), "fr") == "03:17"


@given(st.one_of(st.integers(0, 10_000), st.floats(0, 100, allow_nan=False)),
       st.sampled_from(["fr", "en", "ru", "ar", "pl"]))
def test_plural_form_is_the_cldr_category(n, locale):
    assert locales.plural_form(locale, n) == Locale.parse(locale).plural_form(n)


@given(st.sampled_from(["fr", "en", "de", "pt", "zh_Hant", "xx"]))
def test_likely_subtags_are_cldrs(locale):
    from babel.core import get_global

    assert locales.likely_subtags(locale) == get_global("likely_subtags").get(locale, locale)


def test_recalled_answers_are_used_as_given():
    """What an earlier build answered is taken as is, without asking Babel again."""
    locales.recall({("day", "xx-test", date(2020, 2, 2)): "deux février",
                    ("plural", "xx-test", 3): "few"})
    assert locales.day_text(date(2020, 2, 2), "xx-test") == "deux février"
    assert locales.plural_form("xx-test", 3) == "few"
    remembered = locales.remembered()
    assert remembered[("day", "xx-test", date(2020, 2, 2))] == "deux février"


# The build runs in a new process, as `sitegen build` does: this one has Babel's data loaded.
REBUILD = """
import json, pathlib, sys
import babel.localedata
from sitegen.build import BuildOptions, build
report = build(BuildOptions(pathlib.Path(sys.argv[1])))
print(json.dumps({"written": report.written, "babel_dates": "babel.dates" in sys.modules,
                  "loaded": sorted(babel.localedata._cache)
                            + sorted(babel.core._global_data or ())}))
"""


def _build_in_new_process(root: Path) -> dict:
    """What a build in a fresh process wrote, and what of Babel it loaded."""
    done = subprocess.run([sys.executable, "-c", REBUILD, str(root)], capture_output=True,
                          text=True, check=True, cwd=REPO)
    return json.loads(done.stdout)


def test_a_rebuild_after_an_edit_loads_no_locale_data(make_site):
    site = make_site({"content/posts/a.md": post("Alpha", "2025-01-01", "Texte alpha."),
                      "content/posts/b.md": post("Beta", "2025-01-02", "Texte beta.")})
    # The first build asks Babel (no answers yet): its locale data is loaded.
    first = _build_in_new_process(site.root)
    assert first["loaded"] and first["babel_dates"]
    (site.root / "content/posts/a.md").write_text(
        post("Alpha", "2025-01-01", "Texte alpha, revu."), encoding="utf-8")
    rebuilt = _build_in_new_process(site.root)
    assert rebuilt["written"] >= 1
    assert (rebuilt["loaded"], rebuilt["babel_dates"]) == ([], False)
    assert "1 janvier 2025" in site.read("index.html")


def test_a_live_page_rebuilt_after_a_correction_loads_no_locale_data(make_site):
    """An update's text corrected: its page is made again, with days and times already
    spelled by the build before."""
    from tests.test_liverender import CANAL, EVENT

    site = make_site({"content/live/balade.md": EVENT, "content/campaigns/canal.md": CANAL})
    assert _build_in_new_process(site.root)["loaded"]
    event = site.root / "content/live/balade.md"
    event.write_text(EVENT.replace("Trente cyclistes", "Trente-deux cyclistes"), encoding="utf-8")
    rebuilt = _build_in_new_process(site.root)
    assert rebuilt["written"] >= 1
    assert (rebuilt["loaded"], rebuilt["babel_dates"]) == ([], False)
    page = next(site.root.joinpath("public").rglob("live/*/index.html")).read_text()
    assert "Trente-deux cyclistes" in page and "mardi 19 mai 2026" in page and "08:05" in page
