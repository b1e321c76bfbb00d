"""Worker processes for the heavy stages of a cold build (front matter, Markdown, pages).

Workers are forked: they inherit what the parent prepared (the plan, rendered bodies,
settings) instead of receiving it pickled. A stage decides what it sends and gets back.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, BinaryIO, TypeVar

PARALLEL_MIN = 200  # items below which starting processes costs more than it saves
T = TypeVar("T")
R = TypeVar("R")


def worker_count() -> int:
    """Processes for parallel work: the machine's cores (SITEGEN_WORKERS overrides)."""
    configured = os.environ.get("SITEGEN_WORKERS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def fork_map(function: Callable[[T], R], items: Sequence[T], workers: int,
             initializer: Callable[..., Any] | None = None, initargs: tuple[Any, ...] = (),
             pieces_per_worker: int = 16, min_items: int = PARALLEL_MIN) -> list[R]:
    """`[function(item) for item in items]`, in `workers` forked processes when there are at
    least `min_items` items (in order, whatever the number of workers); here otherwise."""
    if workers <= 1 or len(items) < min_items or os.name != "posix":
        if initializer is not None:
            initializer(*initargs)
        return [function(item) for item in items]
    import multiprocessing  # only for parallel work: it costs ~15 ms to import

    with multiprocessing.get_context("fork").Pool(workers, initializer, initargs) as pool:
        return pool.map(function, items,
                        chunksize=max(1, len(items) // (workers * pieces_per_worker)))


class Background:
    """`fork_map(function, items, workers, ...)` in a process forked *before* the work is
    known, for work that leaves files and returns nothing: forked while the caller is still
    small (a fork, and the copy-on-write faults the caller takes after it, cost more as its
    memory grows), the process gets ready (`warm`: imports, fonts) while the caller reads the
    site, then works once `run` hands it the items.

    Only in a process with one thread: a fork copies the calling thread alone, and a lock
    another thread held (the preview's server threads) would stay locked in the copy.
    Otherwise, or when the fork, the hand-over or the process fails, the work is done at
    `wait()`, where its error shows as it would have without a fork."""

    def __init__(self, warm: Callable[[], object] | None = None, fork: bool = True):
        """`fork`: False when it is known there will be no work (nothing is forked)."""
        self._work: Callable[[], object] | None = None
        self._pid: int | None = None
        self._pipe: BinaryIO | None = None
        self._done = False
        if fork and _may_fork():
            self._fork(warm)

    def _fork(self, warm: Callable[[], object] | None) -> None:
        try:
            read, write = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the copy: get ready, work, then leave without the parent's exit handlers
            code = 1
            try:
                os.close(write)
                _own_group(0)
                with contextlib.suppress(Exception):  # a head start only: the work tells errors
                    if warm is not None:
                        warm()
                with os.fdopen(read, "rb") as stream:
                    handed = stream.read()
                if handed:
                    function, items, workers, options = pickle.loads(handed)
                    fork_map(function, items, workers, **options)
                code = 0
            finally:
                os._exit(code)
        os.close(read)
        _own_group(pid)  # set on both sides: whichever runs first, cancel() finds the group
        self._pid, self._pipe = pid, os.fdopen(write, "wb")

    def run(self, function: Callable[[T], object], items: Sequence[T], workers: int,
            **options: Any) -> None:
        """Start the work: hand it to the forked process, if there is one. With no items,
        the process is stopped at once, even if it is still getting ready."""
        self._work = partial(fork_map, function, items, workers, **options)
        if not items:
            self.cancel()
            return
        pipe, self._pipe = self._pipe, None
        if pipe is None:
            return
        try:
            with pipe:
                pickle.dump((function, items, workers, options), pipe,
                            protocol=pickle.HIGHEST_PROTOCOL)
        except (OSError, pickle.PicklingError):
            self._stop()  # wait() does the work here

    def wait(self) -> None:
        """Until the work is done. Work the forked process did not finish is done here, where
        an error it raises shows as it would have without a fork."""
        if self._done:
            return
        if self._pid is not None:
            if self._pipe is not None:  # never run: the process ends at once
                self._pipe.close()
                self._pipe = None
            _, status = os.waitpid(self._pid, 0)
            self._pid = None
            self._done = os.waitstatus_to_exitcode(status) == 0
        if not self._done and self._work is not None:
            self._work()
        self._done = True

    def cancel(self) -> None:
        """Stop the forked process and the workers it started (the build failed, or ended
        before the work was known): what they left half done is only temporary files."""
        self._stop()
        self._done = True

    def _stop(self) -> None:
        if self._pipe is not None:
            with contextlib.suppress(OSError):
                self._pipe.close()
            self._pipe = None
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):  # already gone
                os.killpg(self._pid, signal.SIGTERM)
            os.waitpid(self._pid, 0)
            self._pid = None


def _may_fork() -> bool:
    return os.name == "posix" and threading.active_count() == 1


def _own_group(pid: int) -> None:
    """Puts the forked process in a process group of its own, which its workers join: one
    signal stops them all (Ctrl-C reaches the caller, which cancels)."""
    with contextlib.suppress(OSError):  # the other side did it first, or it has ended
        os.setpgid(pid, pid)
