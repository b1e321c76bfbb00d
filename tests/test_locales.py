"""Babel's answers (days spelled out, plural forms): the same as Babel's, and handed from one
build to the next, so that a rebuild spelling nothing new loads no CLDR data."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

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
