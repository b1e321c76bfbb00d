"""Worker processes for the heavy stages of a cold build (front matter, Markdown, pages).

Workers are forked: they inherit what the parent prepared (the plan, rendered bodies,
settings) instead of receiving it pickled. A stage decides what it sends and gets back.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
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
