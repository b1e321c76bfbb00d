"""The rendered bodies of one build: taken from the cache when their Markdown and settings are
unchanged, rendered otherwise — in worker processes when there are enough to pay off.

Pages ask for bodies by item key; a body nobody asks for (an unchanged page is not rendered)
is never loaded, which keeps a no-change rebuild of thousands of posts fast.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.cache import BuildCache
from sitegen.campaign import Campaign
from sitegen.content import FrontMatterError, decode_text
from sitegen.digests import digest
from sitegen.errors import BuildError, Diagnostics, Problem
from sitegen.live import LiveEvent, LiveUpdate
from sitegen.markup import MarkupSettings, RenderedBody
from sitegen.model import Page, Post
from sitegen.parallel import fork_map

if TYPE_CHECKING:  # imported when a body is converted, see _converter()
    from sitegen.converting import Renderer

Item = Post | Page | LiveEvent | LiveUpdate | Campaign  # what has a Markdown body
_worker_renderer: Renderer | None = None


def body_text(item: Item, root: Path) -> str:
    """The Markdown of an item: kept from reading, or read again when it came from the
    cache (where only its digest is kept)."""
    if item.source.body or not item.source.body_digest:
        return item.source.body
    try:
        text = decode_text((root / item.source.path).read_bytes())
    except (OSError, FrontMatterError):
        raise BuildError([Problem(item.source.path, None, "changed during the build",
                                  "build again")]) from None
    lines = text.split("\n", item.source.body_line - 1)
    body = lines[-1] if len(lines) == item.source.body_line else ""
    if digest(body) != item.source.body_digest:  # its render would be cached under the old key
        raise BuildError([Problem(item.source.path, None, "changed during the build",
                                  "build again")])
    return body


def _converter(settings: MarkupSettings) -> Renderer:
    """A Markdown converter. Imported here: a build whose bodies all come from the cache
    does without Python-Markdown and Pygments (~30 ms of imports)."""
    from sitegen.converting import Renderer

    return Renderer(settings)


def _init_worker(settings: MarkupSettings) -> None:
    global _worker_renderer
    _worker_renderer = _converter(settings)


def _render_in_worker(job: tuple[str, str, str]) -> tuple[bytes, tuple[str, ...]]:
    """A body rendered and pickled here, with what the sanitizer removed from it: the parent
    stores these bytes in the cache as they are, and unpickles a body only when it is asked
    for (by a share kit or a page, in worker processes of a cold build) instead of 10,000 in
    a row on its own core."""
    assert _worker_renderer is not None
    body = _worker_renderer.render(*job)
    return pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL), body.removed


class Bodies(Mapping[str, RenderedBody]):
    """Rendered bodies by item key, loaded on demand."""

    def __init__(self, items: Sequence[Item], settings: MarkupSettings,
                 cache: BuildCache, root: Path):
        self.sources = {item.key: item for item in items}
        self.settings = settings
        self.cache = cache
        self.root = root
        stamp = settings.stamp()
        known = cache.memory.table("body keys")
        self.digests = {item.key: known.get(item.key, (item, stamp), digest, stamp,
                                            item.source.body_digest, item.summary, item.lang)
                        for item in items}
        self.loaded: dict[str, RenderedBody] = {}
        self._made: dict[str, bytes] = {}  # by digest: bodies rendered by this build, pickled
        self._renderer: Renderer | None = None

    def prepare(self, diag: Diagnostics, workers: int) -> int:
        """Render every body the cache lacks (in parallel when many), store them, and report
        what the sanitizer removed from each body, new or cached. Returns how many rendered."""
        missing = self.cache.missing("bodies", self.digests.values())
        keys = sorted(k for k, d in self.digests.items() if d in missing)
        unique = list(dict.fromkeys(self.digests[k] for k in keys))
        by_digest = {self.digests[k]: self.sources[k] for k in keys}
        jobs = [self._job(by_digest[d]) for d in unique]
        self.cache.close()  # forked workers must not share the parent's database connection
        made = dict(zip(unique, self._render_all(jobs, workers), strict=True))
        self.cache.store("bodies", {d: data for d, (data, _) in made.items()})
        if unique:
            self.cache.keep_only("bodies", self.digests.values())
        self._made = {d: data for d, (data, _) in made.items()}
        self._report({d: removed for d, (_, removed) in made.items()}, diag)
        return len(unique)

    def _job(self, item: Item) -> tuple[str, str, str]:
        return body_text(item, self.root), item.summary, item.lang

    def _render_all(self, jobs: list[tuple[str, str, str]],
                    workers: int) -> list[tuple[bytes, tuple[str, ...]]]:
        if not jobs:  # fork_map would still run _init_worker, importing Python-Markdown
            return []
        return fork_map(_render_in_worker, jobs, workers, _init_worker, (self.settings,),
                        pieces_per_worker=64)

    def _render(self, body: str, summary: str, lang: str) -> RenderedBody:
        if self._renderer is None:
            self._renderer = _converter(self.settings)
        return self._renderer.render(body, summary, lang)

    def _report(self, removed: dict[str, tuple[str, ...]], diag: Diagnostics) -> None:
        """Warn about what the sanitizer removed: `removed` holds the new bodies' (by digest),
        the cache state the others'."""
        state = self.cache.state
        warnings = {d: found for d, found in removed.items() if found}
        live = set(self.digests.values())
        kept = {d: w for d, w in state.body_warnings.items() if d in live}
        state.body_warnings = {**kept, **warnings}
        for key in sorted(self.sources):
            for what in state.body_warnings.get(self.digests[key], ()):
                diag.warn(diag.root / self.sources[key].source.path if diag.root else None, None,
                          f"removed from the body: {what}",
                          "set markdown.raw_html: keep in site.yaml if every author is trusted")

    def __getitem__(self, key: str) -> RenderedBody:
        body = self.loaded.get(key)
        if body is None:
            made = self._made.get(self.digests[key])
            body = pickle.loads(made) if made else self.cache.body(self.digests[key])
            if body is None:  # damaged or evicted entry: render it again
                body = self._render(*self._job(self.sources[key]))
            self.loaded[key] = body
        return body

    def __iter__(self) -> Iterator[str]:
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)
