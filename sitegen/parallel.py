"""Worker processes for the heavy stages of a cold build (front matter, Markdown, pages).

Workers are forked: they inherit what the parent prepared (the plan, rendered bodies,
settings) instead of receiving it pickled. A stage decides what it sends and gets back.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar

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
    """`fork_map(function, items, workers, ...)` in a forked process while the caller goes
    on, for work that leaves files and returns nothing. Only in a process with one thread:
    a fork copies the calling thread alone, and a lock another thread held (the preview's
    server threads) would stay locked in the copy. Otherwise, or when the fork fails, the
    work is done at `wait()`."""

    def __init__(self, function: Callable[[T], object], items: Sequence[T], workers: int,
                 **options: Any):
        self._work = partial(fork_map, function, items, workers, **options)
        self._pid = self._fork() if items and _may_fork() else None
        self._done = False

    def _fork(self) -> int | None:
        try:
            pid = os.fork()
        except OSError:
            return None
        if pid == 0:  # the copy: work, then leave without the parent's exit handlers
            code = 1
            try:
                _own_group(0)
                self._work()
                code = 0
            finally:
                os._exit(code)
        _own_group(pid)  # set on both sides: whichever runs first, cancel() finds the group
        return pid

    def wait(self) -> None:
        """Until the work is done. Work the forked process did not finish is done here, where
        an error it raises shows as it would have without a fork."""
        if self._done:
            return
        if self._pid is not None:
            _, status = os.waitpid(self._pid, 0)
            self._pid = None
            self._done = os.waitstatus_to_exitcode(status) == 0
        if not self._done:
            self._work()
            self._done = True

    def cancel(self) -> None:
        """Stop the forked process and the workers it started (the build failed): what they
        left half done is only temporary files."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):  # already gone
                os.killpg(self._pid, signal.SIGTERM)
            os.waitpid(self._pid, 0)
            self._pid = None
        self._done = True


def _may_fork() -> bool:
    return os.name == "posix" and threading.active_count() == 1


def _own_group(pid: int) -> None:
    """Puts the forked process in a process group of its own, which its workers join: one
    signal stops them all (Ctrl-C reaches the caller, which cancels)."""
    with contextlib.suppress(OSError):  # the other side did it first, or it has ended
        os.setpgid(pid, pid)
