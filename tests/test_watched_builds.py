"""Builds told which files changed (the preview's watcher names them): they look at those
files alone, give what a full build gives, and the preview looks at everything once the
author pauses, in case the watcher missed something."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.build import BuildOptions, build
from sitegen.freshness import rescan, scan_inputs
from sitegen.livereload import Outcome
from sitegen.preview import Housekeeping, rebuilder
from tests.conftest import post
from tests.test_incremental import POSTS, cold_build, snapshot

THEME = Path(__file__).resolve().parent.parent / "themes" / "default"


def _bump(path: Path, text: str) -> None:
    """Write `text` with a modification time no earlier write could have (coarse clocks)."""
    path.write_text(text, encoding="utf-8")
    later = path.stat().st_mtime_ns + 10**9
    os.utime(path, ns=(later, later))


# ---- rescan ---------------------------------------------------------------------------------

def _site(root: Path) -> Path:
    (root / "content" / "posts").mkdir(parents=True)
    (root / "site.yaml").write_text("title: T\n")
    for name in "abc":
        (root / "content" / "posts" / f"{name}.md").write_text(name)
    return root


@pytest.mark.parametrize("change", ["edit", "add", "remove", "edit site.yaml",
                                    "remove site.yaml", "replace by rename"])
def test_rescan_of_the_changed_files_equals_a_full_scan(tmp_path, change):
    root = _site(tmp_path)
    before = scan_inputs(root, THEME)
    posts = root / "content" / "posts"
    named = {"edit": [posts / "a.md"], "add": [posts / "new.md"], "remove": [posts / "b.md"],
             "edit site.yaml": [root / "site.yaml"], "remove site.yaml": [root / "site.yaml"],
             "replace by rename": [posts / "tmp~", posts / "c.md"]}[change]
    if change == "edit":
        _bump(posts / "a.md", "longer text")
    elif change == "add":
        (posts / "new.md").write_text("new")
    elif change in ("remove", "remove site.yaml"):
        named[0].unlink()
    elif change == "edit site.yaml":
        _bump(root / "site.yaml", "title: Other\n")
    else:  # an editor writing a temporary file, then renaming it over the original
        (posts / "tmp~").write_text("c, saved")
        (posts / "tmp~").replace(posts / "c.md")
    assert rescan(before, named) == scan_inputs(root, THEME)


@pytest.mark.parametrize("change", ["new folder", "removed folder", "outside"])
def test_rescan_gives_up_where_only_a_full_scan_can_tell(tmp_path, change):
    root = _site(tmp_path)
    before = scan_inputs(root, THEME)
    if change == "new folder":
        (root / "content" / "posts" / "2026").mkdir()
        named = root / "content" / "posts" / "2026"
    elif change == "removed folder":
        for file in (root / "content" / "posts").iterdir():
            file.unlink()
        (root / "content" / "posts").rmdir()
        named = root / "content" / "posts"
    else:
        named = root / "README.md"
        named.write_text("not an input")
    assert rescan(before, [named]) is None


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["write", "remove"]),
                          st.sampled_from(["a.md", "b.md", "x.md", "y.md"]),
                          st.text(max_size=5)), min_size=1, max_size=6))
def test_rescan_equals_a_full_scan_after_any_file_edits(tmp_path_factory, operations):
    root = _site(tmp_path_factory.mktemp("site"))
    before = scan_inputs(root, THEME)
    posts = root / "content" / "posts"
    for action, name, text in operations:
        if action == "write":
            _bump(posts / name, text)
        else:
            (posts / name).unlink(missing_ok=True)
    assert rescan(before, [posts / name for _, name, _ in operations]) == \
        scan_inputs(root, THEME)


# ---- builds ---------------------------------------------------------------------------------

@pytest.fixture
def built(make_site):
    site = make_site(POSTS)
    site.build()
    return site


def test_a_build_told_what_changed_gives_what_a_cold_build_gives(built, tmp_path):
    target = built.root / "content/posts/b.md"
    _bump(target, post("Beta revu", "2025-01-02", "Texte neuf.", tags="[x, y]",
                       author="alice"))
    added = built.root / "content/posts/e.md"
    added.write_text(post("Epsilon", "2025-01-05", "Texte epsilon.", tags="[z]"))
    report = build(BuildOptions(built.root), {target, added})
    assert report.written > 0
    assert snapshot(built.output) == cold_build(built.root, tmp_path)


def test_a_build_told_what_changed_looks_at_nothing_else(built):
    """The watcher vouches for the rest: a change it did not name waits for a full look."""
    named, unnamed = built.root / "content/posts/a.md", built.root / "content/posts/d.md"
    _bump(named, post("Alpha", "2025-01-01", "Texte nommé.", tags="[x]", author="alice"))
    _bump(unnamed, post("Delta", "2025-01-04", "Texte tu.", tags="[z]", author="alice"))
    build(BuildOptions(built.root), {named})
    assert "Texte nommé." in (built.output / "2025/01/a/index.html").read_text()
    assert "Texte tu." not in (built.output / "2025/01/d/index.html").read_text()
    build(BuildOptions(built.root))
    assert "Texte tu." in (built.output / "2025/01/d/index.html").read_text()


def test_a_build_told_what_changed_trusts_the_output_and_a_full_one_restores_it(built):
    named = built.root / "content/posts/a.md"
    removed = built.output / "2025/01/d/index.html"
    removed.unlink()
    _bump(named, post("Alpha", "2025-01-01", "Autre texte.", tags="[x]", author="alice"))
    build(BuildOptions(built.root), {named})
    assert not removed.exists()  # only builds write there, the preview vouches
    build(BuildOptions(built.root))
    assert removed.is_file()


# ---- the preview's look once the author pauses ----------------------------------------------

def test_the_preview_looks_at_everything_once_quiet_after_a_watched_rebuild(built):
    now = [100.0]
    housekeeping = Housekeeping(clock=lambda: now[0])
    rebuild = rebuilder(BuildOptions(built.root), lambda line: None, housekeeping)
    looks: list[Outcome] = []

    def look() -> Outcome:
        looks.append(rebuild(frozenset()))
        return looks[-1]

    named, unnamed = built.root / "content/posts/a.md", built.root / "content/posts/d.md"
    _bump(named, post("Alpha", "2025-01-01", "Texte nommé.", tags="[x]", author="alice"))
    _bump(unnamed, post("Delta", "2025-01-04", "Texte manqué.", tags="[z]", author="alice"))
    assert rebuild(frozenset({named})).ok
    assert housekeeping.idle(look) is None  # first, the young objects' collection
    now[0] += Housekeeping.QUIET_FOR_LOOK / 2
    assert housekeeping.idle(look) is None and looks == []  # the author may still be typing
    now[0] += Housekeeping.QUIET_FOR_LOOK
    outcome = housekeeping.idle(look)
    assert outcome is not None and outcome.ok and outcome.changed is not None
    assert "2025/01/d/index.html" in outcome.changed  # the page the watcher missed
    assert "Texte manqué." in (built.output / "2025/01/d/index.html").read_text()
    now[0] += Housekeeping.QUIET_FOR_LOOK * 2
    housekeeping.idle(look)
    housekeeping.idle(look)
    assert len(looks) == 1  # once: the look was itself a full build


def test_a_look_that_finds_nothing_tells_the_pages_nothing(built):
    now = [100.0]
    housekeeping = Housekeeping(clock=lambda: now[0])
    rebuild = rebuilder(BuildOptions(built.root), lambda line: None, housekeeping)
    named = built.root / "content/posts/a.md"
    _bump(named, post("Alpha", "2025-01-01", "Texte nommé.", tags="[x]", author="alice"))
    rebuild(frozenset({named}))
    housekeeping.idle()
    now[0] += Housekeeping.QUIET_FOR_LOOK
    looked: list[bool] = []
    assert housekeeping.idle(lambda: looked.append(True) or rebuild(frozenset())) is None
    assert looked == [True]


def test_the_preview_first_build_goes_all_the_way_even_when_nothing_changed(built):
    """It leaves the site's model in memory: the author's first edit is as quick as the
    next ones. A build that stops at the freshness check leaves the fingerprint alone."""
    fingerprint = built.root / ".sitegen-cache" / "fingerprint.pickle"
    first = fingerprint.stat().st_mtime_ns
    rebuild = rebuilder(BuildOptions(built.root), lambda line: None)
    assert rebuild(frozenset()).changed == ()
    second = fingerprint.stat().st_mtime_ns
    assert second != first  # saved again by a real build, which wrote nothing
    assert rebuild(frozenset()).changed == ()
    assert fingerprint.stat().st_mtime_ns == second  # later looks stop when nothing changed
