"""Telling which files of the previous build are still in the output folder with one look at
each folder instead of one per file (a 10,000-post site has ~35,000 files in ~14,700 folders).

A folder's modification time changes whenever an entry in it is created, removed or renamed.
So a build that saw every file it needed in a folder records the folder's time (its *mark*);
while the folder still has that time, those files are still there and are not looked at one
by one. Only existence is checked, as before marks: a file whose bytes were changed in place
by hand keeps its name and is not noticed (a build from scratch puts it right).

Times are coarse (a clock tick of a few milliseconds, a second on ext3 or HFS+, two on FAT):
a file removed in the same tick as the look that made the mark would leave the folder's time
unchanged. Like git's "racily clean" entries, a folder whose time is less than
`RACY_MARGIN_NS` older than the look is therefore not marked; its files are looked at one by
one again by the next build, which marks it then. Folders a build writes into are not marked
either (their time has just changed), so they are checked file by file once more, then
trusted. Setting a folder's time back by hand after removing a file defeats marks, as it
defeats git's index.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

# More than the coarsest tick of a local file system (two seconds on FAT): anything done to a
# folder after a look at least this long after its time was set gives it a different time.
# The times compared are the file system's and this machine's clock: a network file system
# whose server clock is off by more than this is not safe.
RACY_MARGIN_NS = 2 * 10**9

FolderMarks = dict[str, int]  # folder relative to the output ('' for its top) -> mtime_ns

_ABSENT, _PRESENT, _EACH = 0, 1, 2  # what a look at a folder says of its files


class Presence:
    """For one build: is each file of the previous build still in `output`? Also gathers the
    marks to record for the next build."""

    def __init__(self, output: Path, marks: Mapping[str, int], look: bool = True):
        """`look` False: the caller vouches that only builds wrote to `output` since the
        build that recorded `marks`, so every file is there and the marks still hold."""
        self._base = str(output)
        # Recorded by an earlier build; anything not of the right shape is not trusted.
        self._marks = marks if isinstance(marks, Mapping) else {}
        self._looking = look
        self._since = time.time_ns()  # taken before any folder is looked at
        self._verdicts: dict[str, int] = {}  # by folder, once looked at
        self._vouched: FolderMarks = {}  # folders whose files were all found (so far)
        self.looked_up = 0  # folders and files stat'ed

    def has(self, rel: str) -> bool:
        """Whether the file `rel` (POSIX, relative to the output), which the previous build
        wrote, is still there as a file."""
        if not self._looking:
            return True
        folder = rel.rpartition("/")[0]
        verdict = self._verdicts.get(folder)
        if verdict is None:
            verdict = self._verdicts[folder] = self._look(folder)
        if verdict != _EACH:
            return verdict == _PRESENT
        self.looked_up += 1
        if os.path.isfile(f"{self._base}{os.sep}{rel}"):
            return True
        self._vouched.pop(folder, None)
        return False

    def _look(self, folder: str) -> int:
        self.looked_up += 1
        mtime = _folder_time(self._base, folder)
        if mtime is None:
            return _ABSENT  # removed, or replaced by a file: none of its files are there
        recorded = self._marks.get(folder)
        if isinstance(recorded, int) and recorded == mtime:
            self._vouched[folder] = mtime
            return _PRESENT
        # Taken before its files are looked at: a removal after that look changes the time.
        if self._since - mtime >= RACY_MARGIN_NS:
            self._vouched[folder] = mtime
        return _EACH

    def marks(self, changed: Iterable[str]) -> FolderMarks:
        """The marks to record once the output is written, `changed` being the files written
        or removed: folders where every file asked about was found, except those the write
        changed (a file replaced or removed in them, a folder made or removed in them)."""
        marks = dict(self._vouched if self._looking else self._marks)
        for rel in changed:
            folder = rel
            while folder:
                folder = folder.rpartition("/")[0]
                marks.pop(folder, None)
        return marks


def marks_of_full_write(output: Path, files: Iterable[str]) -> FolderMarks:
    """The marks of an output just written in full (every file in place): each folder of
    `files` changed long enough before this look not to be racy (see above)."""
    since = time.time_ns()
    marks: FolderMarks = {}
    for folder in {rel.rpartition("/")[0] for rel in files}:
        mtime = _folder_time(str(output), folder)
        if mtime is not None and since - mtime >= RACY_MARGIN_NS:
            marks[folder] = mtime
    return marks


def _folder_time(base: str, folder: str) -> int | None:
    """The modification time of `folder` (relative to `base`); None when it is absent or
    not a folder."""
    try:
        info = os.stat(f"{base}{os.sep}{folder}" if folder else base)
    except OSError:
        return None
    return info.st_mtime_ns if stat.S_ISDIR(info.st_mode) else None
