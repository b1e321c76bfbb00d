"""The build cache's store of documents read: a snapshot of them all with the entries changed
since laid over it as rows. Each test builds a real site, then reads the store as a new process
would (what this process kept in memory forgotten), so a store that loses an edit, brings back
a deleted file or trusts a damaged entry shows in the output or in what is loaded."""

from __future__ import annotations

import os
import pickle
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from sitegen import cache
from sitegen.cache import CACHE_DIR, BuildCache, CachedDocument
from sitegen.errors import Diagnostics
from tests.conftest import post
from tests.test_incremental import POSTS, cold_build, snapshot

A, B, C, D = (f"content/posts/{name}.md" for name in "abcd")


@pytest.fixture
def site(make_site, monkeypatch):
    # Four posts make a snapshot (more than two rows' worth); the third row makes a new one.
    monkeypatch.setattr(cache, "OVERLAY_MIN", 2)
    site = make_site(POSTS)
    site.build()
    return site


def new_process() -> None:
    """Forget what builds of this process kept, so the next one reads the cache's files."""
    cache._kept.clear()
    cache._memories.clear()


def loaded(site) -> dict[str, CachedDocument]:
    """The documents a build in a new process starts from."""
    new_process()
    opened = BuildCache(site.root, Diagnostics(root=site.root))
    opened.close()
    new_process()
    return opened.documents


def database(site) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(site.root / CACHE_DIR / "cache.sqlite"))


def stored(site) -> tuple[bytes | None, dict[str, bytes | None]]:
    """The snapshot, as stored, and the rows laid over it."""
    with database(site) as db:
        row = db.execute("SELECT data FROM snapshot").fetchone()
        rows = dict(db.execute("SELECT rel, data FROM documents"))
    return (row[0] if row else None), rows


def store(site, snapshot_data: bytes | None = None, rows: dict[str, bytes] | None = None) -> None:
    with database(site) as db, db:
        if snapshot_data is not None:
            db.execute("UPDATE snapshot SET data = ?", (snapshot_data,))
        db.executemany("INSERT OR REPLACE INTO documents VALUES (?, ?)", (rows or {}).items())


def title(entry: CachedDocument) -> str:
    assert entry.document is not None
    return entry.document.fields.title


def edit(site, rel: str, new_title: str) -> None:
    date = {A: "2025-01-01", B: "2025-01-02", C: "2025-01-03", D: "2025-01-04"}.get(rel,
                                                                                  "2025-02-01")
    (site.root / rel).write_text(post(new_title, date, f"Texte {new_title}.", author="alice"))


def built_from_disk(site, tmp_path: Path):
    """Build in a 'new process'; its output must be a cold build's."""
    new_process()
    report = site.build()
    assert snapshot(site.output) == cold_build(site.root, tmp_path), "differs from cold"
    return report


def test_a_cold_build_writes_the_snapshot_alone_without_bodies(site):
    data, rows = stored(site)
    assert data is not None and rows == {}
    documents = pickle.loads(data)
    assert sorted(documents) == sorted(POSTS)
    assert all(e.document.body == "" and e.document.body_digest for e in documents.values())


def test_an_edit_writes_one_row_over_the_snapshot_and_is_seen(site, tmp_path):
    before, _ = stored(site)
    edit(site, A, "Alpha 2")
    site.build()
    after, rows = stored(site)
    assert after == before and list(rows) == [A]
    assert title(loaded(site)[A]) == "Alpha 2"
    # a.md is untouched now, so its entry is taken as cached: the row's, not the snapshot's.
    edit(site, B, "Beta 2")
    built_from_disk(site, tmp_path)
    assert "Alpha 2" in (site.output / "index.html").read_text()


def test_a_post_deleted_after_the_snapshot_does_not_come_back(site, tmp_path):
    (site.root / D).unlink()
    built_from_disk(site, tmp_path)
    assert stored(site)[1] == {D: None}
    assert sorted(loaded(site)) == [A, B, C]
    edit(site, D, "Delta revient")  # a row with data again
    built_from_disk(site, tmp_path)
    assert title(loaded(site)[D]) == "Delta revient"


def test_rows_past_the_threshold_become_a_new_snapshot_with_the_same_output(site, tmp_path):
    first, _ = stored(site)
    edit(site, A, "Alpha 2")
    built_from_disk(site, tmp_path)
    edit(site, B, "Beta 2")
    built_from_disk(site, tmp_path)
    assert stored(site) == (first, {A: stored(site)[1][A], B: stored(site)[1][B]})
    edit(site, C, "Gamma 2")  # a third row: more than max(OVERLAY_MIN, 4 // 20)
    built_from_disk(site, tmp_path)
    compacted, rows = stored(site)
    assert rows == {} and compacted is not None and compacted != first
    assert {rel: title(e) for rel, e in pickle.loads(compacted).items()} == {
        A: "Alpha 2", B: "Beta 2", C: "Gamma 2", D: "Delta"}
    edit(site, D, "Delta 2")
    built_from_disk(site, tmp_path)
    assert list(stored(site)[1]) == [D]


def test_edits_additions_and_deletions_match_cold_builds(site, tmp_path):
    steps = [("edit", A), ("add", "content/posts/e.md"), ("delete", B), ("edit", C),
             ("delete", "content/posts/e.md"), ("add", B), ("edit", A), ("delete", D)]
    for number, (action, rel) in enumerate(steps):
        if action == "delete":
            (site.root / rel).unlink()
        else:
            edit(site, rel, f"Titre {number}")
        built_from_disk(site, tmp_path)
        files = {p.relative_to(site.root).as_posix()
                 for p in (site.root / "content").rglob("*.md")}
        documents = loaded(site)
        assert set(documents) == files, f"after step {number}: {action} {rel}"
        if action != "delete":
            assert title(documents[rel]) == f"Titre {number}"


def _poisoned(entry: CachedDocument) -> bytes:
    """The entry with a title no build must show: what trusting a damaged store would let in."""
    assert entry.document is not None
    fields = replace(entry.document.fields, title="POISON")
    return pickle.dumps(replace(entry, document=replace(entry.document, fields=fields)))


@pytest.mark.parametrize("where, damage", [
    ("snapshot", b"not a pickle"),
    ("snapshot", pickle.dumps(["not", "a", "dict"])),
    ("row", b"not a pickle"),
    ("row", pickle.dumps({"not": "an entry"})),
])
def test_a_damaged_snapshot_or_row_discards_the_cache_with_a_note(site, tmp_path, where,
                                                                   damage):
    data, _ = stored(site)
    assert data is not None
    documents = pickle.loads(data)
    if where == "snapshot":  # an intact row laid over it must not be trusted either
        store(site, damage, {A: _poisoned(documents[A])})
    else:  # nor the intact entries of the snapshot under it
        documents[A] = pickle.loads(_poisoned(documents[A]))
        store(site, pickle.dumps(documents), {C: damage})
    edit(site, D, "Delta 2")  # a.md untouched: a trusted entry would be used as it is
    report = built_from_disk(site, tmp_path)
    notes = [str(p) for p in report.problems]
    assert notes == [f"{os.path.join(CACHE_DIR, 'cache.sqlite')}: note: build cache unreadable "
                     f"({'UnpicklingError' if damage.startswith(b'not') else 'TypeError'}), "
                     "rebuilt from scratch"]
    assert "POISON" not in (site.output / "index.html").read_text()
    assert built_from_disk(site, tmp_path).problems == []  # the store written again is trusted
