"""Telling which output files are still there a folder at a time: a folder unchanged since a
build saw all its files is not looked into, anything done to it since is noticed, and a
folder changed in the same clock tick as the look (racily) is never trusted."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from sitegen.cache import CACHE_DIR
from sitegen.output import PlannedFile
from sitegen.outputcheck import RACY_MARGIN_NS, Presence
from sitegen.write import write_output
from tests.conftest import post
from tests.test_incremental import cold_build, snapshot

HOUR_NS = 3600 * 10**9


def set_time(folder: Path, mtime_ns: int) -> None:
    os.utime(folder, ns=(mtime_ns, mtime_ns))


def age(output: Path) -> None:
    """Set every folder of `output` an hour back, as if the last build were long ago."""
    past = time.time_ns() - HOUR_NS
    for folder, _, _ in os.walk(output):
        set_time(Path(folder), past)


# ---- one folder at a time -------------------------------------------------------------------

@pytest.fixture
def output(tmp_path: Path) -> Path:
    """Two folders of two files each, their times an hour back."""
    root = tmp_path / "out"
    for rel in ("a/x.html", "a/y.html", "b/c/z.html", "b/c/w.html"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel)
    age(root)
    return root


FILES = ("a/x.html", "a/y.html", "b/c/z.html", "b/c/w.html")


def look(output: Path, marks: dict) -> tuple[list[bool], Presence]:
    presence = Presence(output, marks)
    return [presence.has(rel) for rel in FILES], presence


def test_unmarked_folders_are_looked_into_file_by_file_then_marked(output):
    found, presence = look(output, {})
    assert found == [True] * 4
    assert presence.looked_up == 2 + 4
    assert presence.marks(()) == {"a": (output / "a").stat().st_mtime_ns,
                                  "b/c": (output / "b/c").stat().st_mtime_ns}


def test_marked_folders_are_not_looked_into(output):
    marks = look(output, {})[1].marks(())
    found, presence = look(output, marks)
    assert found == [True] * 4
    assert presence.looked_up == 2
    assert presence.marks(()) == marks


def test_a_file_removed_from_a_marked_folder_is_missed_and_unmarks_it(output):
    marks = look(output, {})[1].marks(())
    (output / "a/y.html").unlink()
    found, presence = look(output, marks)
    assert found == [True, False, True, True]
    assert presence.looked_up == 2 + 2
    assert set(presence.marks(())) == {"b/c"}


def test_a_folder_missing_a_file_is_not_marked(output):
    (output / "a/y.html").unlink()
    age(output)
    found, presence = look(output, {})
    assert found == [True, False, True, True]
    assert set(presence.marks(())) == {"b/c"}


def test_a_removed_folder_misses_its_files_without_looking_at_them(output):
    marks = look(output, {})[1].marks(())
    shutil.rmtree(output / "b")
    found, presence = look(output, marks)
    assert found == [True, True, False, False]
    assert presence.looked_up == 2


def test_a_folder_replaced_by_a_file_misses_its_files(output):
    marks = look(output, {})[1].marks(())
    shutil.rmtree(output / "a")
    (output / "a").write_text("a file")
    assert look(output, marks)[0] == [False, False, True, True]


def test_a_folder_changed_too_recently_is_not_marked(output):
    set_time(output / "a", time.time_ns() - RACY_MARGIN_NS // 2)
    found, presence = look(output, {})
    assert found == [True] * 4
    assert set(presence.marks(())) == {"b/c"}


def test_folders_written_to_and_their_parents_are_not_marked(output):
    presence = look(output, {})[1]
    assert presence.marks(["b/c/new.html"]) == {"a": (output / "a").stat().st_mtime_ns}
    assert set(presence.marks(["a/x.html"])) == {"b/c"}
    assert presence.marks(["index.html"]) == presence.marks(())  # the top has no mark here


@pytest.mark.parametrize("marks", ["not a mapping", ["a", "b/c"], {"a": "1", "b/c": None},
                                   {"a": 1.5, "b/c": -1}])
def test_records_of_the_wrong_shape_are_not_trusted(output, marks):
    (output / "a/y.html").unlink()
    found, presence = look(output, marks)
    assert found == [True, False, True, True]
    assert presence.looked_up == 2 + 4


# ---- through write_output -------------------------------------------------------------------

PLAN = [PlannedFile(f"{n:02}/{name}", "test", make=lambda: b"x", signature="s")
        for n in range(20) for name in ("index.html", "card.png", "qr.svg")]
SIGNED = {f.path: f.signature for f in PLAN}


def test_a_full_write_marks_the_folders_it_finished_long_before_its_end(tmp_path,
                                                                          monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setattr("sitegen.outputcheck.RACY_MARGIN_NS", 0)  # as if the build took long
    full = write_output(PLAN, out, None)
    assert sorted(full.folders) == [f"{n:02}" for n in range(20)]
    again = write_output(PLAN, out, SIGNED, folders=full.folders)
    assert again.looked_up == 20 and again.changed == ()  # one look per folder
    (out / "03/card.png").unlink()
    set_time(out / "03", full.folders["03"])  # the blind spot shows the files were not looked at
    assert write_output(PLAN, out, SIGNED, folders=full.folders).changed == ()


def test_write_output_looks_at_folders_once_they_are_marked(tmp_path):
    out = tmp_path / "out"
    assert write_output(PLAN, out, None).folders == {}  # a staged write marks nothing
    age(out)
    first = write_output(PLAN, out, SIGNED, folders={})
    assert first.looked_up == 20 + 60 and len(first.folders) == 20
    second = write_output(PLAN, out, SIGNED, folders=first.folders)
    assert second.looked_up == 20 and second.folders == first.folders
    (out / "07/qr.svg").unlink()
    third = write_output(PLAN, out, SIGNED, folders=second.folders)
    assert third.changed == ("07/qr.svg",)
    assert (out / "07/qr.svg").read_bytes() == b"x"
    assert third.looked_up == 20 + 3 and "07" not in third.folders
    fourth = write_output(PLAN, out, SIGNED, folders=third.folders)
    assert fourth.changed == () and fourth.looked_up == 20 + 3  # just written: racy


# ---- through builds -------------------------------------------------------------------------

POSTS = {
    "content/posts/a.md": post("Alpha", "2025-01-01", "Texte alpha.", tags="[x]"),
    "content/posts/d.md": post("Delta", "2025-01-04", "Texte delta.", tags="[z]"),
}


def recorded(site) -> dict:
    with sqlite3.connect(site.root / CACHE_DIR / "cache.sqlite") as db:
        return dict(db.execute("SELECT folder, mtime FROM marks"))


def rebuild_touched(site) -> None:
    """A rebuild that has nothing to make but must check the output (the fingerprint of
    the sources differs)."""
    source = site.root / "content/posts/a.md"
    later = source.stat().st_mtime_ns + 10**9
    os.utime(source, ns=(later, later))
    site.build()


@pytest.fixture
def marked(make_site):
    """A site built, then built again long after: its folders are marked."""
    site = make_site(POSTS)
    site.build()
    assert recorded(site) == {}
    age(site.output)
    rebuild_touched(site)
    assert "2025/01/d" in recorded(site)
    return site


def test_a_file_deleted_from_a_marked_folder_is_restored(marked, tmp_path):
    (marked.output / "2025/01/d/qr.svg").unlink()
    marked.build()
    assert snapshot(marked.output) == cold_build(marked.root, tmp_path)


def test_a_post_folder_deleted_is_restored(marked, tmp_path):
    shutil.rmtree(marked.output / "2025/01/d")
    marked.build()
    assert snapshot(marked.output) == cold_build(marked.root, tmp_path)
    assert "2025/01/d" not in recorded(marked)  # just written: checked file by file next


def test_a_marked_folder_is_not_looked_into(marked):
    # What makes rebuilds cheap, shown by its one blind spot: a file removed from a marked
    # folder whose time is then set back by hand goes unnoticed (a clean build restores it).
    folder = marked.output / "2025/01/d"
    mtime = folder.stat().st_mtime_ns
    (folder / "qr.svg").unlink()
    set_time(folder, mtime)
    rebuild_touched(marked)
    assert not (folder / "qr.svg").exists()


def test_a_folder_changed_in_the_tick_of_the_look_is_checked_again(make_site, tmp_path):
    site = make_site(POSTS)
    site.build()
    folder = site.output / "2025/01/d"
    racy = time.time_ns() + RACY_MARGIN_NS // 4  # as if written during the next build
    set_time(folder, racy)
    rebuild_touched(site)
    assert "2025/01/d" not in recorded(site)
    # A removal in the same tick leaves the folder's time as it was.
    (folder / "qr.svg").unlink()
    set_time(folder, racy)
    site.build()
    assert snapshot(site.output) == cold_build(site.root, tmp_path)


def test_damaged_folder_records_fall_back_to_looking_at_each_file(marked, tmp_path):
    with sqlite3.connect(marked.root / CACHE_DIR / "cache.sqlite") as db:
        db.execute("UPDATE marks SET mtime = 'not a time'")
    state = marked.root / CACHE_DIR / "state.pickle"
    later = state.stat().st_mtime_ns + 10**9  # as another build's save: the rows are read again
    os.utime(state, ns=(later, later))
    (marked.output / "2025/01/d/qr.svg").unlink()
    marked.build()
    assert snapshot(marked.output) == cold_build(marked.root, tmp_path)
    folders = recorded(marked)
    assert "2025/01/a" in folders  # looked at again, marked again
    assert "2025/01/d" not in folders  # just written
