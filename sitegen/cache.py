"""The persistent build cache in `.sitegen-cache/`: what earlier builds computed, keyed by
content hashes, so a rebuild redoes only the work whose inputs changed.

Two files: `state.pickle` (small: each output page's input signature, the output manifest,
related posts) and `cache.sqlite` (the content files read, with their warnings: a snapshot of
them all, which a new process unpickles at once, and one row per file changed since, so an
edit writes one row; one row per rendered Markdown body, fetched when a page needs it).
Anything that cannot be trusted (unreadable, written by another version of sitegen or of its
libraries) is discarded with a warning, never used.

A long-lived process (the preview server) keeps what its last build saved in memory and
takes it back while the files on disk are the ones it wrote, instead of reading them again.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from sitegen.digests import environment_stamp
from sitegen.errors import Diagnostics, Problem
from sitegen.freshness import CACHE_DIR, Stat, file_stat, has_current_shape
from sitegen.frontmatter import Document
from sitegen.locales import Answers
from sitegen.markup import RenderedBody
from sitegen.recall import Memory

FORMAT = 11  # bump whenever State or what it holds changes shape
DATABASE = "cache.sqlite"
# Values by content key: rendered bodies, share kits, and the kits' export rows alone.
KEYED_TABLES = ("bodies", "shares", "rows")
OLD_FILES = ("bodies.sqlite",)  # of earlier formats: removed when the cache is discarded
PRUNE_MIN = 20  # entries stored before dead ones are looked for
OVERLAY_MIN = 200  # document rows kept over the snapshot (or 5 % of them) before a new one


@dataclass
class CachedDocument:
    """One content file as last read, kept so an unchanged file is not parsed again."""

    digest: str  # of the file's bytes and the settings reading depends on
    document: Document | None  # None: the file was skipped (its problems say why)
    problems: list[Problem]


@dataclass
class State:
    """What one successful build leaves for the next."""

    stamp: str = ""
    reading: str = ""  # the reading settings the documents' digests were taken with
    body_warnings: dict[str, tuple[str, ...]] = field(default_factory=dict)  # body digest ->
    related_structure: str = ""  # see assemble.RelatedHint
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    output: str = ""  # the output folder the OutputRecord (in the database) describes
    unpruned: dict[str, int] = field(default_factory=dict)  # table -> entries stored since
    locale_answers: Answers = field(default_factory=dict)  # see locales.py


@dataclass
class OutputRecord:
    """What the last complete write left in the output folder. Kept as database rows, so a
    rebuild rewrites the few that changed (35,000 files at 10,000 posts)."""

    pages: dict[str, str] = field(default_factory=dict)  # output file -> input signature
    # Output folder -> its mtime_ns when all its files in `pages` were seen there, for
    # folders not written to since (see outputcheck.py).
    folders: dict[str, int] = field(default_factory=dict)


Documents = dict[str, CachedDocument]  # by path relative to the site


@dataclass
class _Kept:
    """What a build of this process saved: valid while state.pickle is still that file."""

    state_file: Stat | None
    state: State
    documents: Documents
    record: OutputRecord | None


# By cache folder. Taken (removed) by the build that uses it, so a build that fails half-way,
# having changed it in memory, leaves nothing behind: the next one reads the disk.
_kept: dict[Path, _Kept] = {}
# What the stages made from unchanged inputs in this process (see recall.py): checked against
# their inputs, so valid whatever the disk says, and kept through a failed build.
_memories: dict[Path, Memory] = {}


class BuildCache:
    """Opened at the start of a build, saved after a successful one."""

    def __init__(self, root: Path, diag: Diagnostics, folder: Path | None = None,
                 last: bool = False):
        """`last`: the process ends after this build (see recall.Memory)."""
        self.folder = folder or root / CACHE_DIR  # a campaign's builds have their own
        self.stamp = f"{environment_stamp()};cache={FORMAT}"
        self._db: sqlite3.Connection | None = None
        self.memory = Memory(keeps=False) if last else \
            _memories.setdefault(self.folder, Memory())
        self._saved_record: OutputRecord | None = None  # read when first needed
        kept = _kept.pop(self.folder, None)
        if kept and kept.state_file == file_stat(self.folder / "state.pickle") and \
                kept.state.stamp == self.stamp:
            self.state, self._saved = kept.state, kept.documents
            self._saved_record = kept.record
        else:
            self.state = self._load_state(diag)
            self._saved = self._load_documents(diag) if self.state.stamp == self.stamp else {}
        self.documents: Documents = dict(self._saved)
        self.record: OutputRecord | None = None  # this build's, saved with the rest

    def _load_state(self, diag: Diagnostics) -> State:
        path = self.folder / "state.pickle"
        if not path.exists():
            return State(stamp=self.stamp)
        try:
            with path.open("rb") as stream:
                state = pickle.load(stream)
            if not has_current_shape(state, State):
                raise TypeError("not a sitegen cache of this version")
        except Exception as exc:  # any failure to read means: do not trust it
            return self._distrust(path, diag, exc)
        if state.stamp != self.stamp:
            # An upgrade of sitegen or of a library can change every page: start afresh,
            # silently, since nothing is wrong.
            self.discard()
            return State(stamp=self.stamp)
        return state

    def _distrust(self, path: Path, diag: Diagnostics, exc: Exception) -> State:
        """Discard the whole cache, saying which file could not be read: the state of an
        empty one."""
        diag.note(path, None, f"build cache unreadable ({type(exc).__name__}), rebuilt "
                  "from scratch")
        self.discard()
        return State(stamp=self.stamp)

    def discard(self) -> None:
        self.close()
        self.memory = Memory(self.memory.keeps)  # it knew entries of the database
        if self.memory.keeps:
            _memories[self.folder] = self.memory
        self._saved_record = None
        for name in ("state.pickle", DATABASE, *OLD_FILES):
            (self.folder / name).unlink(missing_ok=True)

    # ---- documents read -------------------------------------------------------------------
    # A snapshot of them all (one pickle: a new process unpickles it at once, each class looked
    # up once, instead of 10,000 rows) with the entries changed since laid over it as rows of
    # the `documents` table, so an edit writes a row, not the whole snapshot.

    def _load_documents(self, diag: Diagnostics) -> Documents:
        try:
            return _read_documents(self._database())
        except Exception as exc:  # any of it damaged: none of it, nor the rest, is trusted
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                return {}  # another build is writing: read every file, keep its cache
            self.state = self._distrust(self.folder / DATABASE, diag, exc)
            return {}

    def _save_documents(self) -> None:
        """Lay the entries read anew, and the files gone, over the snapshot as rows; or, when
        that would make more than OVERLAY_MIN rows or a twentieth of the documents (a cold
        build, a settings change), write a new snapshot instead."""
        saved, documents = self._saved, self.documents
        changed = [rel for rel, entry in documents.items() if saved.get(rel) is not entry]
        gone = [rel for rel in saved if rel not in documents]
        if changed or gone:
            with self._database() as db:
                rows = {rel for (rel,) in db.execute("SELECT rel FROM documents")}
                if len(rows.union(changed, gone)) > max(OVERLAY_MIN, len(documents) // 20):
                    _write_snapshot(db, documents)
                else:
                    _write_rows(db, documents, changed, gone)
        self._saved = dict(documents)

    # ---- what the output holds ------------------------------------------------------------

    def output_record(self) -> OutputRecord:
        """What the last build wrote in `state.output` (empty when unknown)."""
        if self._saved_record is None:
            try:
                db = self._database()
                self._saved_record = OutputRecord(
                    dict(db.execute("SELECT path, signature FROM pages")),
                    dict(db.execute("SELECT folder, mtime FROM marks")))
            except sqlite3.DatabaseError:
                self._saved_record = OutputRecord()
        return self._saved_record

    def _save_record(self) -> None:
        """Write the rows that changed since the saved record."""
        if self.record is None:
            return
        old, new = self.output_record(), self.record
        try:
            with self._database() as db:
                _sync_rows(db, "pages", "path", old.pages, new.pages)
                _sync_rows(db, "marks", "folder", old.folders, new.folders)
            self._saved_record = new
        except sqlite3.DatabaseError:
            self.state.output = ""  # not saved: the next build must not rely on it
            self._saved_record = None

    # ---- rendered bodies ------------------------------------------------------------------

    def _database(self) -> sqlite3.Connection:
        if self._db is None:
            self.folder.mkdir(exist_ok=True)
            _ignore_in_git(self.folder)
            path = self.folder / DATABASE
            try:
                self._db = _open_database(path)
            except sqlite3.DatabaseError as exc:
                if "locked" in str(exc):  # another build is writing: do not throw it away
                    raise
                path.unlink(missing_ok=True)  # not a database any more: start it again
                self._db = _open_database(path)
        return self._db

    def fetch(self, table: str, key: str) -> object | None:
        """What was stored under `key` in a content-keyed table ('bodies', 'shares')."""
        assert table in KEYED_TABLES
        try:
            row = self._database().execute(f"SELECT data FROM {table} WHERE digest = ?",
                                           (key,)).fetchone()
            return pickle.loads(row[0]) if row else None
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, TypeError):
            return None  # a damaged entry is made again

    def fetch_all(self, table: str, keys: Iterable[str]) -> dict[str, object]:
        """The entries of `keys` that the table holds, read in one pass."""
        assert table in KEYED_TABLES
        wanted = set(keys)
        found: dict[str, object] = {}
        try:
            for key, data in self._database().execute(f"SELECT digest, data FROM {table}"):
                if key in wanted:
                    found[key] = pickle.loads(data)
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, TypeError):
            return {}  # a damaged table: the entries are made again one by one
        return found

    def body(self, body_digest: str) -> RenderedBody | None:
        found = self.fetch("bodies", body_digest)
        return found if isinstance(found, RenderedBody) else None

    def missing(self, table: str, keys: Iterable[str]) -> set[str]:
        """The keys the table lacks. Keys this process stored or found are taken as present
        without asking the database: an entry gone since is made again when fetched."""
        assert table in KEYED_TABLES
        present = self._present(table)
        wanted = {key for key in keys if key not in present}
        if not wanted:
            return wanted
        try:
            known = {row[0] for row in self._database().execute(f"SELECT digest FROM {table}")}
        except sqlite3.DatabaseError:
            return wanted
        present.update(known & wanted)
        return wanted - known

    def _present(self, table: str) -> set[str]:
        found = self.memory.table("present").known(table)
        if not isinstance(found, set):
            found = set()
            self.memory.table("present").keep(table, found)
        return found

    def store(self, table: str, pickled: dict[str, bytes]) -> None:
        """Store values, already pickled, by key."""
        assert table in KEYED_TABLES
        if not pickled:
            return
        rows = list(pickled.items())
        try:
            with self._database() as db:
                db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", rows)
            self._present(table).update(pickled)
            self.state.unpruned[table] = self.state.unpruned.get(table, 0) + len(rows)
        except sqlite3.DatabaseError:
            pass  # the cache is an optimisation: failing to fill it never fails a build

    def keep_only(self, table: str, live: Iterable[str]) -> None:
        """Forget entries no item has any more, so the cache does not grow forever: once
        enough were stored since the last time that a twentieth of the table may be dead
        (pruning costs a pass over the table; an edit stores an entry or two)."""
        assert table in KEYED_TABLES
        live = set(live)
        self._present(table).intersection_update(live)
        if self.state.unpruned.get(table, 0) < max(PRUNE_MIN, len(live) // 20):
            return
        self.state.unpruned[table] = 0
        try:
            with self._database() as db:
                db.execute("CREATE TEMP TABLE IF NOT EXISTS live (digest TEXT PRIMARY KEY)")
                db.execute("DELETE FROM live")
                db.executemany("INSERT OR IGNORE INTO live VALUES (?)", ((d,) for d in live))
                db.execute(f"DELETE FROM {table} WHERE digest NOT IN (SELECT digest FROM live)")
        except sqlite3.DatabaseError:
            pass  # pruning is housekeeping: it never fails a build

    # ---- saving ---------------------------------------------------------------------------

    def save(self) -> None:
        self._save_documents()
        self._save_record()
        self.close()
        # Written every time (it is small): a new state.pickle is how another process that
        # kept this cache in memory learns that the rows changed too.
        self.folder.mkdir(exist_ok=True)
        _ignore_in_git(self.folder)
        temporary = self.folder / "state.pickle.tmp"
        with temporary.open("wb") as stream:
            pickle.dump(self.state, stream, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(self.folder / "state.pickle")
        _kept[self.folder] = _Kept(file_stat(self.folder / "state.pickle"), self.state,
                                   self._saved, self._saved_record)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _open_database(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    # A cache can be rebuilt: no waiting for the disk at each commit (two per edit, 20 ms
    # each on a spinning or network disk). A crash can at worst damage it, and a damaged
    # database or entry is discarded, never trusted (see _database and fetch).
    db.execute("PRAGMA synchronous = OFF")
    for table in KEYED_TABLES:
        db.execute(f"CREATE TABLE IF NOT EXISTS {table} (digest TEXT PRIMARY KEY, data BLOB)")
    db.execute("CREATE TABLE IF NOT EXISTS snapshot (data BLOB)")  # one row: see _read_documents
    db.execute("CREATE TABLE IF NOT EXISTS documents (rel TEXT PRIMARY KEY, data BLOB)")
    db.execute("CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, signature TEXT)")
    db.execute("CREATE TABLE IF NOT EXISTS marks (folder TEXT PRIMARY KEY, mtime INTEGER)")
    return db


def _read_documents(db: sqlite3.Connection) -> Documents:
    """The snapshot with the rows written since laid over it (a row without data: the file is
    gone). Raises when any of it is not what this version of sitegen wrote."""
    row = db.execute("SELECT data FROM snapshot").fetchone()
    documents = pickle.loads(row[0]) if row else {}
    if not isinstance(documents, dict):
        raise TypeError("not a snapshot of documents")
    for rel, data in db.execute("SELECT rel, data FROM documents"):
        if data is None:
            documents.pop(rel, None)
        else:
            documents[rel] = pickle.loads(data)
    if not all(isinstance(entry, CachedDocument) for entry in documents.values()):
        raise TypeError("not a sitegen cache of this version")
    return documents


def _write_snapshot(db: sqlite3.Connection, documents: Documents) -> None:
    """Replace the snapshot by one of `documents`; the rows laid over the old one go."""
    data = _pickled({rel: _without_body(entry) for rel, entry in documents.items()})
    db.execute("DELETE FROM snapshot")
    db.execute("INSERT INTO snapshot VALUES (?)", (data,))
    db.execute("DELETE FROM documents")


def _write_rows(db: sqlite3.Connection, documents: Documents, changed: list[str],
                gone: list[str]) -> None:
    """Lay the entries of `changed` over the snapshot, and rows without data for `gone` (so
    that their entries in the snapshot do not come back)."""
    db.executemany("INSERT OR REPLACE INTO documents VALUES (?, ?)",
                   [(rel, _pickled(_without_body(documents[rel]))) for rel in changed])
    db.executemany("INSERT OR REPLACE INTO documents VALUES (?, NULL)", [(rel,) for rel in gone])


def _pickled(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _without_body(entry: CachedDocument) -> CachedDocument:
    """What the cache keeps of a document: not its body, whose digest is enough until it must be
    rendered (then it is read from the file), which keeps the cache small and fast. In
    memory the body stays, so the next build in this process sees the very same document."""
    if entry.document is None or not entry.document.body:
        return entry
    return replace(entry, document=replace(entry.document, body=""))


def _sync_rows(db: sqlite3.Connection, table: str, key: str, old: Mapping[str, object],
               new: Mapping[str, object]) -> None:
    """Make `table`, which holds `old`, hold `new`: only the rows that differ are written."""
    was = old.get
    db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)",
                   [(k, v) for k, v in new.items() if was(k) != v])
    db.executemany(f"DELETE FROM {table} WHERE {key} = ?", [(k,) for k in old if k not in new])


def _ignore_in_git(folder: Path) -> None:
    """The cache is local: a .gitignore inside it keeps it out of commits and deploys."""
    marker = folder / ".gitignore"
    if not marker.exists():
        marker.write_text("*\n", encoding="utf-8")
