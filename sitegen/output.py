"""What a build produces: output files, each knowing where it comes from (for collisions)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple


class PlannedFile(NamedTuple):
    """One file of the output folder, made on demand so the plan itself is cheap. (A named
    tuple: a build plans a file per page, image and copy, 35,000 at 10,000 posts, and one is
    made in a third of the time of a frozen dataclass.)"""

    path: str  # relative to the output folder, POSIX style: '2025/03/x/index.html'
    origin: str  # what produces it, as shown to authors: a source file or 'tag page «vélo»'
    make: Callable[[], bytes] | None = None  # the bytes, or None when copied from `source`
    source: Path | None = None  # a static file copied as is
    source_file: Path | None = None  # the content file behind it (for error messages)
    # Digest of everything the file shows; '' means "always make it". Equal to the previous
    # build's signature (and the file still there) means the file need not be made again.
    signature: str = ""
