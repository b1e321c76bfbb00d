"""Reading content through the build cache: a file whose bytes (and the settings reading
depends on) are unchanged is not parsed again; its typed fields and its warnings come back
from the cache as they were."""

from __future__ import annotations

from pathlib import Path

from sitegen.cache import BuildCache, CachedDocument, digest
from sitegen.config import Config
from sitegen.content import MAX_FILE_BYTES, find_sources, read_document
from sitegen.errors import Diagnostics
from sitegen.frontmatter import Document, read_fields


def reading_settings(config: Config) -> str:
    """What reading front matter depends on besides the file: the time zone naive dates are
    read in, and the author given to posts that name none."""
    return f"{config.timezone}|{_single_author(config) or ''}"


def _single_author(config: Config) -> str | None:
    return next(iter(config.authors)) if len(config.authors) == 1 else None


def load_documents(config: Config, diag: Diagnostics, cache: BuildCache) -> list[Document]:
    """Every post and page of the site, typed; problems (new or replayed) go to `diag`."""
    root = config.root
    settings = reading_settings(config)
    cached = cache.state.documents
    fresh: dict[str, CachedDocument] = {}
    documents = []
    for kind, path in find_sources(root, diag):
        rel = path.relative_to(root).as_posix()
        try:
            data = path.read_bytes() if path.stat().st_size <= MAX_FILE_BYTES else None
        except OSError as exc:
            diag.error(path, None, f"cannot read: {exc.strerror or exc}")
            continue
        key = digest(kind, settings, data) if data is not None else ""
        entry = cached.get(rel)
        if entry is None or not key or entry.digest != key:
            entry = _read(path, config, kind, data, key, diag.root)
            cache.mark_dirty()
        diag.problems.extend(entry.problems)
        fresh[rel] = entry
        if entry.document is not None:
            documents.append(entry.document)
    if fresh.keys() != cached.keys():
        cache.mark_dirty()
    cache.state.documents = fresh
    return documents


def _read(path: Path, config: Config, kind: str, data: bytes | None, key: str,
          shown_root: Path | None) -> CachedDocument:
    local = Diagnostics(root=shown_root)
    source = read_document(path, config.root, kind, local, data)
    document = None
    if source is not None:
        fields = read_fields(source, config.zone, local, _single_author(config))
        if fields is not None:
            document = Document(kind, source.rel, fields, source.body, source.body_line, key)
    return CachedDocument(key, document, local.problems)
