"""Worker processes for the heavy stages of a cold build (front matter, Markdown, pages).

Workers are forked: they inherit what the parent prepared (the plan, rendered bodies,
settings) instead of receiving it pickled. A stage decides what it sends and gets back.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import struct
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
    """`[function(item) for item in items]`, shared between this process and `workers - 1`
    forked copies when there are at least `min_items` items (in order, whatever the number of
    workers); here alone otherwise.

    The copies inherit `items` and `function` (nothing is pickled on the way in) and send
    their results back pickled. Items are taken in pieces from a queue, so a process slowed
    down by the machine takes fewer. A piece a copy did not send back (it raised, or died)
    is done again here, where its error then shows as it would without workers."""
    if workers <= 1 or len(items) < min_items or os.name != "posix":
        if initializer is not None:
            initializer(*initargs)
        return [function(item) for item in items]
    size = max(1, len(items) // (workers * pieces_per_worker), -(-len(items) // _MAX_PIECES))
    pieces = [range(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    queue = _piece_queue(len(pieces))
    copies: list[_Copy] = []
    try:
        for _ in range(min(workers, len(pieces)) - 1):
            copy = _Copy.fork(function, items, pieces, queue, initializer, initargs)
            if copy is None:  # no more processes to be had: fewer hands
                break
            copies.append(copy)
        if initializer is not None:
            initializer(*initargs)
        done = _work(function, items, pieces, queue)
        for copy in copies:
            done.update(copy.results())
    finally:
        os.close(queue)
        for copy in copies:  # this process failed: the others stop
            copy.kill()
    for number, piece in enumerate(pieces):
        if number not in done:
            done[number] = [function(items[i]) for i in piece]
    return [result for number in range(len(pieces)) for result in done[number]]


_PIECE = struct.Struct("=I")
_MAX_PIECES = 4096  # their numbers must fit in a pipe's buffer (16 KiB on macOS)


def _piece_queue(count: int) -> int:
    """A pipe holding the numbers of the pieces: each process reads one number at a time
    (a read of 4 bytes from a pipe is not split between readers) until it is empty."""
    read, write = os.pipe()
    try:
        os.write(write, b"".join(_PIECE.pack(n) for n in range(count)))
    finally:
        os.close(write)  # empty and closed: a read then returns b"" to everyone
    return read


def _work(function: Callable[[T], R], items: Sequence[T], pieces: Sequence[range],
          queue: int) -> dict[int, list[R]]:
    done: dict[int, list[R]] = {}
    while taken := os.read(queue, _PIECE.size):
        (number,) = _PIECE.unpack(taken)
        done[number] = [function(items[i]) for i in pieces[number]]
    return done


class _Copy:
    """A forked copy of this process working on pieces of a fork_map."""

    def __init__(self, pid: int, results: int):
        self._pid: int | None = pid
        self._results: int | None = results

    @classmethod
    def fork(cls, function: Callable[[T], R], items: Sequence[T], pieces: Sequence[range],
             queue: int, initializer: Callable[..., Any] | None,
             initargs: tuple[Any, ...]) -> _Copy | None:
        def work(read: int, write: int) -> None:  # in the copy: work, send the results
            os.close(read)
            if initializer is not None:
                initializer(*initargs)
            done = pickle.dumps(_work(function, items, pieces, queue),
                                protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as stream:
                stream.write(done)

        forked = _fork_piped(work)
        if forked is None:
            return None
        pid, read, write = forked
        os.close(write)
        return cls(pid, read)

    def results(self) -> dict[int, list[Any]]:
        """The pieces this copy did, once it has ended; none if it failed."""
        assert self._results is not None and self._pid is not None
        stream, self._results = os.fdopen(self._results, "rb"), None
        with stream:
            data = stream.read()
        if self._reap() != 0 or not data:
            return {}
        try:
            return dict(pickle.loads(data))
        except Exception:  # its pieces are done again here
            return {}

    def kill(self) -> None:
        if self._results is not None:
            os.close(self._results)
            self._results = None
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGTERM)
            self._reap()

    def _reap(self) -> int:
        assert self._pid is not None
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        return os.waitstatus_to_exitcode(status)


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
        def get_ready_and_work(read: int, write: int) -> None:  # in the forked process
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

        forked = _fork_piped(get_ready_and_work)
        if forked is None:
            return
        pid, read, write = forked
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


def _fork_piped(child: Callable[[int, int], None]) -> tuple[int, int, int] | None:
    """Forks a copy of this process that runs `child(read, write)` with the two ends of a new
    pipe, then leaves without this process's exit handlers (status 0 when `child` returned,
    1 when it raised). Here: (pid, read, write), or None when no pipe or process could be had.
    Each side closes the end it does not use."""
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:
        code = 1
        try:
            child(read, write)
            code = 0
        finally:
            os._exit(code)
    return pid, read, write


def _may_fork() -> bool:
    return os.name == "posix" and threading.active_count() == 1


def _own_group(pid: int) -> None:
    """Puts the forked process in a process group of its own, which its workers join: one
    signal stops them all (Ctrl-C reaches the caller, which cancels)."""
    with contextlib.suppress(OSError):  # the other side did it first, or it has ended
        os.setpgid(pid, pid)
