"""Writing the output folder atomically and deterministically.

Everything is written into a fresh folder beside the output, which then replaces it in two
renames: a build that fails part-way leaves the previous output as it was. A file whose bytes
did not change is hard-linked from the previous output, so it keeps its modification time and
rsync or git deploys stay small.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sitegen.output import PlannedFile

STAGING_SUFFIX = ".sitegen-new"
RETIRED_SUFFIX = ".sitegen-old"


@dataclass(frozen=True)
class WriteReport:
    written: int  # files whose bytes are new or changed
    unchanged: int  # files kept from the previous output


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _same_file(old: Path, new: Path) -> bool:
    try:
        a, b = old.stat(), new.stat()
    except OSError:
        return False
    if a.st_size != b.st_size:
        return False
    if (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev):
        return True
    return old.read_bytes() == new.read_bytes()


def _keep_or_link(old: Path, target: Path) -> None:
    try:
        os.link(old, target)
    except OSError:  # another file system, or links not supported
        shutil.copy2(old, target)


def write_output(files: Iterable[PlannedFile], output: Path) -> WriteReport:
    """Write every planned file into `output`, replacing its previous content atomically."""
    staging = output.with_name(output.name + STAGING_SUFFIX)
    retired = output.with_name(output.name + RETIRED_SUFFIX)
    for leftover in (staging, retired):  # from a build that was killed
        if leftover.exists():
            shutil.rmtree(leftover)
    staging.mkdir(parents=True)
    written = unchanged = 0
    try:
        for planned in files:
            target = staging / planned.path
            target.parent.mkdir(parents=True, exist_ok=True)
            previous = output / planned.path
            if planned.source is not None:
                if _same_file(previous, planned.source):
                    _keep_or_link(previous, target)
                    unchanged += 1
                else:
                    shutil.copy2(planned.source, target)
                    written += 1
                continue
            assert planned.make is not None
            data = planned.make()
            if _same_bytes(previous, data):
                _keep_or_link(previous, target)
                unchanged += 1
            else:
                target.write_bytes(data)
                written += 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, output, retired)
    return WriteReport(written, unchanged)


def _swap(staging: Path, output: Path, retired: Path) -> None:
    if output.exists():
        output.rename(retired)
    staging.rename(output)
    shutil.rmtree(retired, ignore_errors=True)
