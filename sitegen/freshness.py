"""Deciding from file metadata alone that nothing a build reads has changed, so a rebuild can
stop at once: the no-change rebuild of a large site costs a directory scan, not a build.

Like git's index, a file counts as unchanged only while its size, modification time and
inode are all the same; any difference sends the build down the normal (cached) path, which
compares contents. The output folder must still hold every file, the build options must be
the same, and no scheduled post may have come due.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field, fields
from pathlib import Path

from sitegen.errors import Problem

FINGERPRINT_FILE = "fingerprint.pickle"
Stat = tuple[int, int, int]  # size, modification time (ns), inode


@dataclass
class Fingerprint:
    """What a successful build saw, and what it reported."""

    options: str  # build options and the versions of sitegen and its libraries
    theme_dir: str
    inputs: dict[str, Stat]  # every file the build read
    output: str
    outputs: list[str]  # every file it wrote, relative to `output`
    due: float | None  # earliest publish time (epoch seconds) of a post still scheduled
    counts: tuple[int, int, int]  # posts, pages, files
    problems: list[Problem] = field(default_factory=list)


def scan_inputs(root: Path, theme_dir: Path) -> dict[str, Stat]:
    """Size, time and inode of every file a build of `root` may read."""
    found: dict[str, Stat] = {}
    for folder in (root / "site.yaml", root / "content", root / "static", root / "templates",
                   root / "themes", theme_dir):
        _scan(str(folder), found)
    return found


def _scan(path: str, found: dict[str, Stat]) -> None:
    try:
        info = os.stat(path)
    except OSError:
        found[path] = (-1, -1, -1)  # absent: appearing later is a change too
        return
    if not os.path.isdir(path):
        found[path] = (info.st_size, info.st_mtime_ns, info.st_ino)
        return
    # A folder's own time changes when an entry is added, removed or renamed in it.
    found[path] = (-2, info.st_mtime_ns, info.st_ino)
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _scan(entry.path, found)
            else:
                try:
                    stat = entry.stat()
                except OSError:
                    stat = entry.stat(follow_symlinks=False)
                found[entry.path] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def load(cache_dir: Path) -> Fingerprint | None:
    try:
        with (cache_dir / FINGERPRINT_FILE).open("rb") as stream:
            fingerprint = pickle.load(stream)
    except Exception:  # absent or unreadable: the normal path decides
        return None
    # Unpickling does not check fields: one written by an older sitegen may lack some.
    current = isinstance(fingerprint, Fingerprint) and \
        set(vars(fingerprint)) == {f.name for f in fields(Fingerprint)}
    return fingerprint if current else None


def save(cache_dir: Path, fingerprint: Fingerprint) -> None:
    cache_dir.mkdir(exist_ok=True)
    temporary = cache_dir / (FINGERPRINT_FILE + ".tmp")
    with temporary.open("wb") as stream:
        pickle.dump(fingerprint, stream, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(cache_dir / FINGERPRINT_FILE)


def forget(cache_dir: Path) -> None:
    """A build that failed or changed things: the next one must look properly."""
    (cache_dir / FINGERPRINT_FILE).unlink(missing_ok=True)


def still_fresh(fingerprint: Fingerprint, root: Path, output: Path, options: str,
                now: float) -> bool:
    """True when a build now would produce exactly what `output` holds."""
    if fingerprint.options != options or fingerprint.output != str(output):
        return False
    if fingerprint.due is not None and now >= fingerprint.due:
        return False
    if scan_inputs(root, Path(fingerprint.theme_dir)) != fingerprint.inputs:
        return False
    base = str(output) + os.sep
    return all(os.path.isfile(base + rel) for rel in fingerprint.outputs)
