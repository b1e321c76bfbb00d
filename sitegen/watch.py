"""Watching the sources for the preview: file-system events from watchdog, filtered and
gathered into batches, so that an editor's burst of writes makes one rebuild."""

from __future__ import annotations

import os
import queue
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

QUIET = 0.02  # seconds without events that end a burst (editors save in a few ms; a burst
# cut in two costs a second rebuild, never a wrong one)
LONGEST = 1.0  # a burst that goes on longer is built anyway, so the preview keeps up


class Watcher:
    """Watches files and folders (folders with everything inside); `batch()` waits for the
    next burst of changes and returns the paths involved."""

    def __init__(self, watched: Iterable[Path], ignore: Callable[[Path], bool]):
        self._ignore = ignore
        self._events: queue.Queue[Path] = queue.Queue()
        self._observer = Observer()
        handler = _Handler(self._events.put)
        self._watched = tuple(watched)
        only_for_files = _parents_of_files(self._watched)
        folders = _existing_folders(self._watched)
        # The system watches a folder's own entries, not what a symbolic link points to (a
        # watched folder that is a link included): each target is watched where it is, and
        # its changes are told under the link's name, as the build reads them.
        for folder in folders:
            recursive = folder not in only_for_files
            if folder.is_symlink():
                self._watch_through(folder, folder.resolve(), recursive)
            else:
                self._observer.schedule(handler, str(folder), recursive=recursive)
        linked_folders, linked_files = _links([f for f in folders if f not in only_for_files])
        for link, target in linked_folders.items():
            self._watch_through(link, target, recursive=True)
        by_folder: dict[Path, dict[Path, Path]] = {}
        for link, target in linked_files.items():
            by_folder.setdefault(target.parent, {})[target] = link
        for folder, links in by_folder.items():
            self._observer.schedule(_Handler(self._events.put, links.get), str(folder))

    def _watch_through(self, link: Path, target: Path, recursive: bool) -> None:
        self._observer.schedule(_Handler(self._events.put, partial(_under, target, link)),
                                str(target), recursive=recursive)

    def start(self) -> None:
        self._observer.start()

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join(timeout=5)

    def batch(self, timeout: float | None = None) -> set[Path] | None:
        """The paths of the next burst of changes, or None when `timeout` passes first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        changed: set[Path] = set()
        while not changed:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                path = self._events.get(timeout=wait)
            except queue.Empty:
                return None
            if self._concerns(path):
                changed.add(path)
        ends = time.monotonic() + LONGEST
        while time.monotonic() < ends:
            try:
                path = self._events.get(timeout=QUIET)
            except queue.Empty:
                break
            if self._concerns(path):
                changed.add(path)
        return changed

    def _concerns(self, path: Path) -> bool:
        if self._ignore(path):
            return False
        return any(path == w or w in path.parents for w in self._watched)


class _Handler(FileSystemEventHandler):
    """Puts the path of each change, or what `rename` makes of it (None: not a change the
    watcher is after)."""

    def __init__(self, put: Callable[[Path], None],
                 rename: Callable[[Path], Path | None] | None = None):
        self._put, self._rename = put, rename

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reading a file changes nothing (the build itself reads them all)
        if event.is_directory and event.event_type == "modified":
            return  # an entry added or removed: that entry has its own event
        self._changed(event.src_path)
        destination = getattr(event, "dest_path", "")
        if destination:  # an editor saving by renaming a temporary file over the original
            self._changed(destination)

    def _changed(self, raw: bytes | str) -> None:
        path = Path(os.fsdecode(raw))
        renamed = self._rename(path) if self._rename else path
        if renamed is not None:
            self._put(renamed)


def _under(target: Path, link: Path, path: Path) -> Path | None:
    """`path` in the folder `target` as seen through `link`."""
    return link / path.relative_to(target) if path == target or target in path.parents \
        else None


def _parents_of_files(watched: Iterable[Path]) -> set[Path]:
    """Folders watched only for a file in them (site.yaml's folder holds the output too)."""
    return {path.parent for path in watched if not path.is_dir()}


def _existing_folders(watched: Iterable[Path]) -> list[Path]:
    """The folders to ask the system about: each watched folder, and the folder of each
    watched file. A folder that does not exist yet is watched through its parent."""
    folders: list[Path] = []
    for path in watched:
        folder = path if path.is_dir() else path.parent
        while not folder.is_dir() and folder != folder.parent:
            folder = folder.parent
        if folder not in folders:
            folders.append(folder)
    return folders


def _links(folders: Iterable[Path]) -> tuple[dict[Path, Path], dict[Path, Path]]:
    """The symbolic links found in `folders` and in the folders they link to (each real
    folder walked once, so a link loop ends), to folders and to files, with their targets.
    A link whose target is in a walked folder needs no watch of its own."""
    walked: set[Path] = set()
    linked_folders: dict[Path, Path] = {}
    linked_files: dict[Path, Path] = {}
    todo = list(folders)
    while todo:
        top = todo.pop()
        real = top.resolve()
        if real in walked:
            continue
        walked.add(real)
        for link in _symlinks_in(top):
            target = link.resolve()
            if any(target == w or w in target.parents for w in walked):
                continue
            if target.is_dir():
                linked_folders[link] = target
                todo.append(link)
            elif target.is_file():
                linked_files[link] = target
    return linked_folders, linked_files


def _symlinks_in(folder: Path) -> list[Path]:
    """The symbolic links anywhere under `folder`, not followed. From the folders' listings
    alone: a site of 10,000 posts is looked through without a call per file."""
    found, todo = [], [str(folder)]
    while todo:
        try:
            entries = list(os.scandir(todo.pop()))
        except OSError:
            continue  # gone, or not readable: nothing to watch there
        for entry in entries:
            if entry.is_symlink():
                found.append(Path(entry.path))
            elif entry.is_dir(follow_symlinks=False):
                todo.append(entry.path)
    return found
