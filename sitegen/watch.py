"""Watching the sources for the preview: file-system events from watchdog, filtered and
gathered into batches, so that an editor's burst of writes makes one rebuild."""

from __future__ import annotations

import os
import queue
import time
from collections.abc import Callable, Iterable
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
        for folder in _existing_folders(self._watched):
            self._observer.schedule(handler, str(folder), recursive=folder not in only_for_files)

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
    def __init__(self, put: Callable[[Path], None]):
        self._put = put

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reading a file changes nothing (the build itself reads them all)
        if event.is_directory and event.event_type == "modified":
            return  # an entry added or removed: that entry has its own event
        self._put(Path(os.fsdecode(event.src_path)))
        destination = getattr(event, "dest_path", "")
        if destination:  # an editor saving by renaming a temporary file over the original
            self._put(Path(os.fsdecode(destination)))


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
