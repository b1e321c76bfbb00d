"""Telling which output files are still there a folder at a time: a folder unchanged since a
build saw all its files is not looked into, anything done to it since is noticed, and a
folder changed in the same clock tick as the look (racily) is never trusted."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from sitegen.outputcheck import RACY_MARGIN_NS, Presence

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
