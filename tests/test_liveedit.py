"""`sitegen live new` and `sitegen live add`, run as an author runs them: a real process, the
file it writes, the build that reads it, and one clear line (no traceback) when it refuses."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import SITE_YAML


def sitegen(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def site(tmp_path) -> Path:
    (tmp_path / "site.yaml").write_text(SITE_YAML)
    now = datetime.now(UTC)
    start, end = (now - timedelta(hours=1)), (now + timedelta(hours=2))
    result = sitegen("live", "new", "course", "--title", "La course: étape 1",
                     "--start", f"{start:%Y-%m-%d %H:%M}Z", "--end", f"{end:%Y-%m-%d %H:%M}Z",
                     "--timezone", "America/New_York", "--location", "Dakar", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "content/live/course.md\n"
    return tmp_path


def test_new_writes_an_event_the_build_reads(site):
    text = (site / "content/live/course.md").read_text()
    assert 'title: "La course: étape 1"' in text and "timezone: America/New_York" in text
    build = sitegen("build", "--strict", cwd=site)
    assert build.returncode == 0, build.stderr
    data = json.loads((site / "public/live/course/updates.json").read_text())
    assert data["title"] == "La course: étape 1" and data["updates"] == []


def test_add_stamps_now_in_the_events_zone(site):
    before = datetime.now(UTC).replace(microsecond=0)
    result = sitegen("live", "add", "course", "Départ **donné** !", "--author", "alice",
                     "--pin", "--title", "C’est parti", cwd=site)
    after = datetime.now(UTC)
    assert result.returncode == 0, result.stderr
    heading = result.stdout.strip().split(": ", 1)[1]
    match = re.fullmatch(r"## (\S+ \S+) \| alice \| pinned \| C’est parti", heading)
    assert match, heading
    stamp = datetime.fromisoformat(match.group(1))
    assert before <= stamp <= after
    assert stamp.utcoffset() in (timedelta(hours=-5), timedelta(hours=-4))  # New York
    assert (site / "content/live/course.md").read_text().endswith(
        f"\n{heading}\n\nDépart **donné** !\n")
    assert sitegen("build", "--strict", cwd=site).returncode == 0
    data = json.loads((site / "public/live/course/updates.json").read_text())
    (update,) = data["updates"]
    assert (update["title"], update["pinned"], update["author"]["name"]) == \
        ("C’est parti", True, "Alice Martin")
    assert datetime.fromisoformat(update["published"]) == stamp


def test_add_reads_the_text_from_standard_input(site):
    result = sitegen("live", "add", "course", "-", cwd=site, stdin="Ligne un.\n\nLigne deux.\n")
    assert result.returncode == 0, result.stderr
    assert (site / "content/live/course.md").read_text().endswith("\n\nLigne un.\n\nLigne deux.\n")


def test_an_unknown_author_id_is_a_warning_as_for_posts(site):
    result = sitegen("live", "add", "course", "Texte", "--author", "alcie", cwd=site)
    assert result.returncode == 0
    assert result.stderr == "warning: unknown author id 'alcie' (did you mean 'alice'?)\n"


@pytest.mark.parametrize("args, message", [
    (["add", "nope", "x"], "sitegen: no event 'nope' (content/live/nope.md): create it with "
     "sitegen live new nope --title … --start … --end …"),
    (["add", "course", "  "], "sitegen: the update is empty: give its text (or - to read it "
     "from the standard input)"),
    (["add", "course", "a\n## 2026-05-19 10:00 | b"], "sitegen: a line of the text would "
     "start another update: begin it with something other than '## ' and a date"),
    (["add", "course", "x", "--author", "a | b"], "sitegen: the author cannot contain '|'"),
    (["new", "course", "--title", "t", "--start", "2026-01-01", "--end", "2026-01-02"],
     "sitegen: content/live/course.md already exists"),
    (["new", "Mon Direct", "--title", "t", "--start", "2026-01-01", "--end", "2026-01-02"],
     "sitegen: 'Mon Direct' cannot be an event id: use lowercase letters, digits and '-' "
     "(e.g. 'mon-direct')"),
    (["new", "b", "--title", "t", "--start", "demain", "--end", "2026-01-02"],
     "sitegen: --start: 'demain' is not a date (write it as 2026-05-19 08:00)"),
    (["new", "b", "--title", "t", "--start", "2026-01-03 10:00", "--end", "2026-01-02"],
     "sitegen: --end must come after --start"),
    (["new", "b", "--title", "t", "--start", "2026-01-01", "--end", "2026-01-02",
      "--timezone", "Europe/Pari"],
     "sitegen: --timezone: unknown time zone 'Europe/Pari' (did you mean 'Europe/Paris'?)"),
])
def test_refusals_are_one_line_with_exit_1(site, args, message):
    before = (site / "content/live/course.md").read_text()
    result = sitegen("live", *args, cwd=site)
    assert result.returncode == 1
    assert result.stderr == message + "\n"
    assert (site / "content/live/course.md").read_text() == before


def test_add_refuses_to_append_to_a_broken_file(site):
    path = site / "content/live/course.md"
    path.write_text(path.read_text().replace("end:", "fin:"))
    result = sitegen("live", "add", "course", "x", cwd=site)
    assert result.returncode == 1
    assert result.stderr.startswith("sitegen: content/live/course.md:2: missing 'end'")
    assert result.stderr.endswith("(fix it first: the update was not added)\n")


def test_an_update_outside_the_event_is_added_with_a_warning(site):
    path = site / "content/live/course.md"
    text = re.sub(r"end: .*", "end: 2020-01-02 10:00", re.sub(r"start: .*",
                                                                "start: 2020-01-01 10:00",
                                                                path.read_text()))
    path.write_text(text)
    result = sitegen("live", "add", "course", "Trop tard", cwd=site)
    assert result.returncode == 0
    assert "the build leaves this update out" in result.stderr
