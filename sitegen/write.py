"""Writing the output folder: atomically, deterministically, and only what changed.

Two ways, same result:
- *In place*, when the previous build of this folder is known and few files changed: every
  changed file is made in memory first (so a failing template writes nothing), then each is
  replaced atomically, and files the sources no longer produce are removed.
- *Staged*, otherwise (first build, large changes): everything goes into a fresh folder beside
  the output, which then replaces it in two renames; a build that fails part-way leaves the
  previous output as it was. Files are made by worker processes when there are many.
In both, a file whose bytes did not change is left untouched (or hard-linked from the previous
output), so it keeps its modification time and rsync or git deploys stay small. Whether the
previous build's files are still there is told a folder at a time (see outputcheck.py).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field, replace
from functools import partial
from pathlib import Path

from sitegen.output import PlannedFile
from sitegen.outputcheck import FolderMarks, Presence, marks_of_full_write
from sitegen.parallel import fork_map
from sitegen.records import record

STAGING_SUFFIX = ".sitegen-new"
RETIRED_SUFFIX = ".sitegen-old"
IN_PLACE_LIMIT = 2000  # beyond this many changed files, staging costs less than memory
PARALLEL_MIN = 500  # files to make before worker processes pay off
SHARES_PER_WORKER = 8


@record
class WriteReport:
    """What `write_output` did; the next build uses its folder marks to look at fewer files."""

    made: int  # files rendered (or copied) this build
    written: int  # files whose bytes are new or changed
    unchanged: int  # files kept as they were
    changed: tuple[str, ...] | None = None  # files written or removed; None: not tracked
    # Folders whose files the next build need not look at one by one (see outputcheck.py).
    folders: FolderMarks = field(default_factory=dict)
    looked_up: int = 0  # folders and files stat'ed to tell which files are still there


def write_output(files: Sequence[PlannedFile], output: Path,
                 previous: Mapping[str, str] | None, workers: int = 1,
                 folders: Mapping[str, int] | None = None,
                 look_at_output: bool = True) -> WriteReport:
    """Bring `output` to exactly `files`. `previous` maps each file of the last build of this
    folder to its signature (None when unknown: everything is made); `folders` are the marks
    that build returned in its report. Without `look_at_output`, the caller vouches that
    only builds wrote to `output`: the previous build's files are taken to be there."""
    known = previous if previous is not None and output.is_dir() else None
    presence = Presence(output, folders or {}, look_at_output)
    stale = _stale(files, output, known or {}, presence.has)
    if known is not None and len(stale) <= IN_PLACE_LIMIT:
        report = _update_in_place(files, stale, output, known)
        return replace(report, folders=presence.marks(report.changed or ()),
                       looked_up=presence.looked_up)
    if known is not None and not look_at_output:  # the files kept are linked: look for real
        presence = Presence(output, folders or {})
        stale = _stale(files, output, known, presence.has)
    report = _write_staged(files, output, stale, workers)
    # The folders written long before the end of a large build are marked at once, so the
    # first rebuild after it looks at them only.
    return replace(report, looked_up=presence.looked_up,
                   folders=marks_of_full_write(output, (f.path for f in files)))


def _stale(files: Sequence[PlannedFile], output: Path, previous: Mapping[str, str],
           present: Callable[[str], bool]) -> list[PlannedFile]:
    """The files to make: a copy that differs from its source, or a file whose signature
    changed or that is no longer in the output. One comprehension, no call per file but the
    look-ups: this runs over every file of the site at every rebuild."""
    signed = previous.get
    return [f for f in files if (not _same_file(output / f.path, f.source)
                                 if f.source is not None else
                                 not (f.signature and signed(f.path) == f.signature
                                      and present(f.path)))]


def _same_file(copy: Path, source: Path) -> bool:
    """A static file copied earlier (copy2 keeps the time) is the same when size and time
    match; otherwise compare bytes."""
    try:
        a, b = copy.stat(), source.stat()
    except OSError:
        return False
    if a.st_size != b.st_size:
        return False
    if (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev) or a.st_mtime_ns == b.st_mtime_ns:
        return True
    return copy.read_bytes() == source.read_bytes()


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


# ---- in place -------------------------------------------------------------------------------

def _update_in_place(files: Sequence[PlannedFile], stale: Sequence[PlannedFile], output: Path,
                     previous: Mapping[str, str]) -> WriteReport:
    made = [(f, f.make()) for f in stale if f.make is not None]  # may raise: nothing written
    changed = []
    for planned, data in made:
        target = output / planned.path
        if not _same_bytes(target, data):
            _replace(output, target, data)
            changed.append(planned.path)
    for planned in stale:
        if planned.source is not None:
            target = output / planned.path
            _make_room(output, target)
            shutil.copy2(planned.source, target)
            changed.append(planned.path)
    written = len(changed)
    planned_paths = {f.path for f in files}
    for gone in sorted(set(previous) - planned_paths):
        _remove(output, gone)
        changed.append(gone)
    return WriteReport(len(stale), written, len(files) - written, tuple(changed))


def _replace(output: Path, target: Path, data: bytes) -> None:
    _make_room(output, target)
    temporary = target.with_name(target.name + ".sitegen-tmp")
    temporary.write_bytes(data)
    temporary.replace(target)


def _make_room(output: Path, target: Path) -> None:
    """Make the folders down to `target` and clear its place: what was put in the way by
    hand (a file where a folder goes, a folder where a file goes) is removed, as a staged
    write would drop it; the output folder is sitegen's."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        folder = output
        for part in Path(os.path.relpath(target.parent, output)).parts:
            folder = folder / part
            if not folder.is_dir():
                folder.unlink(missing_ok=True)
                folder.mkdir()
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)


def _remove(output: Path, rel: str) -> None:
    path = output / rel
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)  # a folder made by hand where the file was
    path.unlink(missing_ok=True)
    folder = path.parent
    while folder != output and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


# ---- staged ---------------------------------------------------------------------------------

@record
class _Job:
    """A staged write's work, set before forking so the workers inherit it."""

    files: Sequence[PlannedFile]
    staging: Path
    output: Path
    stale: frozenset[int]  # ids of the files to make; the others are in the output already


_job: _Job | None = None  # set before forking: workers inherit it instead of pickling it


def _write_share(share: int, shares: int = 1) -> tuple[int, int, int]:
    """Write every `shares`-th file starting at `share` into the staging folder."""
    assert _job is not None
    made = written = unchanged = 0
    for planned in _job.files[share::shares]:
        target = _job.staging / planned.path
        target.parent.mkdir(parents=True, exist_ok=True)
        previous = _job.output / planned.path
        if id(planned) not in _job.stale:
            _keep_or_link(previous, target)
            unchanged += 1
            continue
        made += 1
        if planned.source is not None:
            shutil.copy2(planned.source, target)
            written += 1
            continue
        assert planned.make is not None
        data = planned.make()
        if _same_bytes(previous, data):
            _keep_or_link(previous, target)
            unchanged += 1
        else:
            target.write_bytes(data)
            written += 1
    return made, written, unchanged


def _keep_or_link(old: Path, target: Path) -> None:
    try:
        os.link(old, target)
    except OSError:  # another file system, or links not supported
        shutil.copy2(old, target)


def _write_staged(files: Sequence[PlannedFile], output: Path, stale: Sequence[PlannedFile],
                  workers: int) -> WriteReport:
    global _job
    staging = output.with_name(output.name + STAGING_SUFFIX)
    retired = output.with_name(output.name + RETIRED_SUFFIX)
    for leftover in (staging, retired):  # from a build that was killed
        if leftover.exists():
            shutil.rmtree(leftover)
    staging.mkdir(parents=True)
    _job = _Job(files, staging, output, frozenset(map(id, stale)))
    try:
        # The files are dealt into shares (every n-th file: each share holds pages of every
        # kind), several per worker, which take them in turn: a worker slowed down by the
        # machine writes fewer. The counts come back. Few files: this process alone.
        parallel = workers > 1 and len(files) >= PARALLEL_MIN
        shares = workers * SHARES_PER_WORKER if parallel else 1
        counts = fork_map(partial(_write_share, shares=shares), range(shares),
                          workers if parallel else 1, min_items=1,
                          pieces_per_worker=SHARES_PER_WORKER)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        _job = None
    _swap(staging, output, retired)
    made, written, unchanged = (sum(c[i] for c in counts) for i in range(3))
    return WriteReport(made, written, unchanged)


def _swap(staging: Path, output: Path, retired: Path) -> None:
    if output.exists():
        output.rename(retired)
    staging.rename(output)
    shutil.rmtree(retired, ignore_errors=True)
