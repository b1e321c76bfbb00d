"""Reading content through the build cache: a file whose bytes (and the settings reading
depends on) are unchanged is not parsed again; its typed fields and its warnings come back
from the cache as they were."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sitegen.cache import BuildCache, CachedDocument
from sitegen.config import Config
from sitegen.content import MAX_FILE_BYTES, find_sources, read_document
from sitegen.digests import digest, file_digest
from sitegen.errors import Diagnostics
from sitegen.frontmatter import Document, read_fields
from sitegen.parallel import fork_map


def reading_settings(config: Config) -> str:
    """What reading front matter depends on besides the file: the time zone naive dates are
    read in, and the author given to posts that name none."""
    return f"{config.timezone}|{_single_author(config) or ''}"


def _never(path: str) -> bool:
    return False


def _single_author(config: Config) -> str | None:
    return next(iter(config.authors)) if len(config.authors) == 1 else None


Job = tuple[str, str, str]  # path, kind, digest of its cached entry ("" when none)
# What a job found: the file parsed, None when its bytes are those of its cached entry, or
# why it could not be read.
Outcome = CachedDocument | None | str


def load_documents(config: Config, diag: Diagnostics, cache: BuildCache,
                   untouched: Callable[[str], bool] = lambda path: False,
                   workers: int = 1, folders: tuple[object, ...] | None = None) -> list[Document]:
    """Every post and page of the site, typed; problems (new or replayed) go to `diag`.

    `untouched(path)` says a file has the size, time and inode it had at the last successful
    build: its cached entry is then used without reading the file (as git trusts its index).
    New and changed files are read and parsed by `workers` processes when there are many.
    `folders` is the state of every folder of content/ (see freshness.scan_inputs): while it
    is the same, so is the list of files, and an earlier listing of this process is used.
    """
    settings = reading_settings(config)
    if cache.state.reading != settings:
        untouched = _never  # cached digests were taken with other settings
        cache.state.reading = settings
    cached = cache.documents
    prefix = len(str(config.root)) + 1
    found: list[tuple[str, CachedDocument | Job]] = []  # in file order, as problems are
    for kind, path in _sources(config, diag, cache, folders):
        rel = path[prefix:].replace(os.sep, "/")
        entry = cached.get(rel)
        if entry is not None and untouched(path):
            found.append((rel, entry))
        else:
            found.append((rel, (path, kind, entry.digest if entry is not None else "")))
    jobs = [job for _, job in found if not isinstance(job, CachedDocument)]
    outcomes = iter(_parse_all(jobs, config, diag.root, workers))
    fresh: dict[str, CachedDocument] = {}
    documents = []
    for rel, item in found:
        if isinstance(item, CachedDocument):
            entry = item
        else:
            outcome = next(outcomes)
            if isinstance(outcome, str):  # unreadable
                diag.error(Path(item[0]), None, outcome)
                continue
            entry = cached[rel] if outcome is None else outcome  # None: without its body
        diag.problems.extend(entry.problems)
        fresh[rel] = entry
        if entry.document is not None:
            documents.append(entry.document)
    cache.documents = fresh
    return documents


def _sources(config: Config, diag: Diagnostics, cache: BuildCache,
             folders: tuple[object, ...] | None) -> list[tuple[str, str]]:
    """The content files to read. A folder's time changes when an entry is added, removed
    or renamed in it, so unchanged folders hold the files they held (warnings included)."""
    if folders is None:
        return find_sources(config.root, diag)
    local = Diagnostics(root=diag.root)
    found, problems = cache.memory.table("sources").get(
        "content", (config.root, folders),
        lambda: (find_sources(config.root, local), tuple(local.problems)))
    diag.problems.extend(problems)
    return list(found)


_context: tuple[Config, Path | None, str] | None = None  # set before forking: workers inherit it


def _parse_job(job: Job) -> Outcome:
    """Read a file and parse it, unless its bytes are its cached entry's. Done in the worker
    processes: read and hashed first in the parent, 10,000 files kept the other core idle."""
    assert _context is not None
    config, shown_root, settings = _context
    path, kind, known = job
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    key = file_digest(data, kind, settings) if len(data) <= MAX_FILE_BYTES else ""
    if key and key == known:
        return None
    # too large: read_document reads it all and reports its real size
    return _read(Path(path), config, kind, data if key else None, key, shown_root)


def _parse_all(jobs: list[Job], config: Config, shown_root: Path | None,
               workers: int) -> list[Outcome]:
    global _context
    _context = (config, shown_root, reading_settings(config))  # forked workers inherit it
    try:
        return fork_map(_parse_job, jobs, workers, pieces_per_worker=8)
    finally:
        _context = None


def _read(path: Path, config: Config, kind: str, data: bytes | None, key: str,
          shown_root: Path | None) -> CachedDocument:
    """Parse a new or changed file. Its body is kept in memory (this build renders it), not
    in the database (see BuildCache._save_documents)."""
    local = Diagnostics(root=shown_root)
    source = read_document(path, config.root, kind, local, data)
    document = None
    if source is not None:
        fields = read_fields(source, config.zone, local, _single_author(config))
        if fields is not None:
            document = Document(kind, source.rel, fields, source.body, source.body_line, key,
                                digest(source.body))
    return CachedDocument(key, document, local.problems)
