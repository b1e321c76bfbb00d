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
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path

from sitegen.errors import Problem

CACHE_DIR = ".sitegen-cache"  # in the site folder; never deployed
FINGERPRINT_FILE = "fingerprint.pickle"
# What a build of a site reads, besides its theme (the layout of DESIGN.md).
SITE_SOURCES = ("site.yaml", "content", "static", "templates", "themes")
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
    moment: float  # the build's "now": a later build with an earlier one is not fresh
    counts: tuple[int, int, int]  # posts, pages, files
    problems: list[Problem] = field(default_factory=list)


def cache_folder(root: Path, campaign: str | None = None) -> Path:
    """The build cache of a site; a campaign's standalone builds keep theirs inside it, so
    that hub and campaign builds never evict each other's entries nor take each other's
    fingerprint as their own (`campaign` is an id checked to name a campaign file)."""
    folder = root / CACHE_DIR
    return folder / f"campaign-{campaign}" if campaign else folder


def scan_inputs(root: Path, theme_dir: Path) -> dict[str, Stat]:
    """Size, time and inode of every file a build of `root` may read."""
    found: dict[str, Stat] = {}
    for folder in (*(root / name for name in SITE_SOURCES), theme_dir):
        _scan(str(folder), found)
    return found


def _scan(path: str, found: dict[str, Stat], seen: set[tuple[int, int]] | None = None) -> None:
    seen = set() if seen is None else seen
    try:
        info = os.stat(path)
    except OSError:
        found[path] = (-1, -1, -1)  # absent: appearing later is a change too
        return
    if not os.path.isdir(path):
        found[path] = (info.st_size, info.st_mtime_ns, info.st_ino)
        return
    # A folder's own time changes when an entry is added, removed or renamed in it. Linked
    # folders are followed (templates read through them), each folder once (no loops).
    found[path] = (-2, info.st_mtime_ns, info.st_ino)
    if (info.st_dev, info.st_ino) in seen:
        return
    seen.add((info.st_dev, info.st_ino))
    try:
        entries = list(os.scandir(path))
    except OSError:
        found[path] = (-3, -3, -3)  # unreadable: never taken as unchanged
        return
    for entry in entries:
        try:
            is_folder = entry.is_dir()
        except OSError:  # a loop of links: the link itself is what can change
            is_folder = False
        if is_folder:
            _scan(entry.path, found, seen)
        else:
            try:
                stat = entry.stat()
            except OSError:
                stat = entry.stat(follow_symlinks=False)
            found[entry.path] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def rescan(previous: dict[str, Stat], changed: Iterable[Path]) -> dict[str, Stat] | None:
    """What `scan_inputs` would find now, from its `previous` result and the paths that
    changed since (the preview's watcher names them): those files and their folders are
    looked at again, nothing else. None when only a full scan can tell: a folder made,
    removed or renamed, or a path outside the folders scanned."""
    found = dict(previous)
    for path in changed:
        key, parent = str(path), os.path.dirname(path)
        inside = found.get(parent, (0,))[0] == -2
        if found.get(key, (0,))[0] == -2 or not (inside or key in found):
            return None  # a folder (what was inside it is unknown), or a path never scanned
        if not _rescan_file(found, key, inside):
            return None
        if inside:
            folder = _stat(parent)
            if folder is None or not stat.S_ISDIR(folder.st_mode):
                return None
            found[parent] = (-2, folder.st_mtime_ns, folder.st_ino)
    return found


def _rescan_file(found: dict[str, Stat], key: str, inside: bool) -> bool:
    """Record the file `key` as `_scan` does, inside a scanned folder or as one of the
    sources named at the top; False when it has become a folder."""
    info = _stat(key) or (_stat(key, follow=False) if inside else None)  # a broken link
    if info is None:
        if inside:
            found.pop(key, None)
        else:
            found[key] = (-1, -1, -1)
    elif stat.S_ISDIR(info.st_mode):
        return False
    else:
        found[key] = (info.st_size, info.st_mtime_ns, info.st_ino)
    return True


def _stat(path: str, follow: bool = True) -> os.stat_result | None:
    try:
        return os.stat(path, follow_symlinks=follow)
    except OSError:
        return None


# The fingerprint this process saved last, by cache folder, with the state of its file: a
# long-lived process (the preview) takes it back while the file is still that one.
_saved: dict[Path, tuple[Stat, Fingerprint]] = {}


def load(cache_dir: Path) -> Fingerprint | None:
    path = cache_dir / FINGERPRINT_FILE
    kept = _saved.get(cache_dir)
    if kept and kept[0] == file_stat(path):
        return kept[1]
    try:
        with path.open("rb") as stream:
            fingerprint = pickle.load(stream)
    except Exception:  # absent or unreadable: the normal path decides
        return None
    return fingerprint if has_current_shape(fingerprint, Fingerprint) else None


def has_current_shape(value: object, kind: type) -> bool:
    """Unpickling does not check fields: an object pickled by an older sitegen may lack some."""
    return isinstance(value, kind) and set(vars(value)) == {f.name for f in fields(kind)}


def save(cache_dir: Path, fingerprint: Fingerprint) -> None:
    cache_dir.mkdir(exist_ok=True)
    temporary = cache_dir / (FINGERPRINT_FILE + ".tmp")
    with temporary.open("wb") as stream:
        pickle.dump(fingerprint, stream, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(cache_dir / FINGERPRINT_FILE)
    stat = file_stat(cache_dir / FINGERPRINT_FILE)
    if stat:
        _saved[cache_dir] = (stat, fingerprint)


def file_stat(path: Path) -> Stat | None:
    """Size, time and inode of a file; None when absent."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino


def forget(cache_dir: Path) -> None:
    """A build that failed or changed things: the next one must look properly."""
    (cache_dir / FINGERPRINT_FILE).unlink(missing_ok=True)


def still_fresh(fingerprint: Fingerprint, inputs: dict[str, Stat], output: Path, options: str,
                now: float, look_at_output: bool = True) -> bool:
    """True when a build now would produce exactly what `output` holds; `inputs` is a scan
    of the sources taken now, with the fingerprint's theme. Without `look_at_output`, the
    caller vouches that only builds wrote to `output`."""
    if fingerprint.options != options or fingerprint.output != str(output):
        return False
    if fingerprint.due is not None and now >= fingerprint.due:
        return False
    if now < fingerprint.moment:  # SOURCE_DATE_EPOCH set back: published posts may not be
        return False
    if inputs != fingerprint.inputs:
        return False
    if not look_at_output:
        return True
    base = str(output) + os.sep
    return all(os.path.isfile(base + rel) for rel in fingerprint.outputs)
