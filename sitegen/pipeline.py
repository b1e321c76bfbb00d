"""The work of a build once it is known there is some: config → content → model → markup →
render → write, through the build cache. `build.build` decides whether to come here at all."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path

from sitegen import freshness, locales
from sitegen.assemble import RelatedHint, Selection, assemble
from sitegen.bodies import Bodies
from sitegen.cache import BuildCache, OutputRecord
from sitegen.campaignfile import read_campaigns
from sitegen.campaignrender import campaign_qrs, with_look
from sitegen.campaignsite import campaign_hashtags, hub_links, standalone, with_campaigns
from sitegen.config import Config, load_config
from sitegen.content import list_static
from sitegen.dates import now
from sitegen.digests import digest, file_digest
from sitegen.errors import BuildError, Diagnostics, Problem, did_you_mean
from sitegen.live import LiveEvent
from sitegen.livefile import read_events
from sitegen.markup import MarkupSettings
from sitegen.model import Post, Site
from sitegen.options import BuildOptions, BuildReport
from sitegen.output import PlannedFile
from sitegen.parallel import Background, worker_count
from sitegen.reading import load_documents
from sitegen.recall import Memory
from sitegen.relays import Relays, ShareKit
from sitegen.render import Renderer
from sitegen.siteinfo import navigation_digest
from sitegen.theme import Theme
from sitegen.urls import Urls
from sitegen.visuals import Visuals, warm_up
from sitegen.write import write_output


def run(options: BuildOptions, root: Path, output: Path, diag: Diagnostics, moment: datetime,
        last: freshness.Fingerprint | None, stamp: str,
        scan: tuple[str, dict[str, freshness.Stat]] | None = None,
        look_at_output: bool = True) -> BuildReport:
    """Build for real; save the fingerprint the next build's freshness check reads. `scan`
    is the freshness check's (theme folder, scan of the inputs), taken before reading;
    without `look_at_output`, the caller vouches that only builds wrote to `output`."""
    # A campaign's --base-url is its microsite's: the hub keeps its own (the link back).
    config = load_config(root, diag, None if options.campaign else options.base_url)
    # Forked now, while this process is small; it gets ready to draw the images meanwhile.
    drawer = Background(partial(warm_up, config), fork=_draws(config))
    if scan and scan[0] == str(config.theme_dir):
        inputs = scan[1]
    else:  # before reading anything, so a change made during the build is seen next time
        inputs = freshness.scan_inputs(root, config.theme_dir)
    cache = BuildCache(root, diag, freshness.cache_folder(root, options.campaign),
                       options.last)
    locales.recall(cache.state.locale_answers)
    before = last.inputs if last and last.theme_dir == str(config.theme_dir) else {}
    try:
        report, due = _build(config, options, output, diag, cache, moment,
                             lambda path: path in before and before[path] == inputs.get(path),
                             inputs, look_at_output, drawer)
    finally:
        drawer.cancel()  # when the build failed before the images were drawn
        cache.close()
    freshness.save(cache.folder, freshness.Fingerprint(
        stamp, str(config.theme_dir), inputs, str(output), report.outputs, due,
        moment.timestamp(), (report.posts, report.pages, report.files),
        [p for p in report.problems if not str(p.path).startswith(freshness.CACHE_DIR)]))
    return report


def _build(config: Config, options: BuildOptions, output: Path, diag: Diagnostics,
           cache: BuildCache, moment: datetime, untouched: Callable[[str], bool],
           inputs: dict[str, freshness.Stat], look_at_output: bool,
           drawer: Background) -> tuple[BuildReport, float | None]:
    workers = worker_count()
    # The earlier build's own object when site.yaml did not change: what it made from it
    # is then recognised by identity (see recall.py).
    config = cache.memory.same("config", config)
    documents = load_documents(config, diag, cache, untouched, workers,
                               _content_folders(config.root, inputs))
    static = tuple(list_static(config.root, config.theme_dir, diag))
    state = cache.state
    site = assemble(config, documents, diag, Selection(moment, options.drafts, options.future),
                    static, RelatedHint(state.related_structure, state.related), cache.memory)
    scheduled = site.next_scheduled  # of the hub's posts, even for a campaign's microsite
    site = replace(site, events=read_events(config, diag, moment, options.drafts))
    site = with_campaigns(site, config, documents, diag, options.drafts)
    if site.structure != state.related_structure:
        state.related_structure = site.structure
        state.related = {key: tuple(p.key for p in posts) for key, posts in site.related.items()}
    diag.raise_if_errors()
    config, site = standalone(config, site, documents, options,
                              Selection(moment, options.drafts, options.future), diag)
    visuals = Visuals(site.posts, config, Urls(config.base_url), cache.folder / "images",
                      site.static_files, campaign_qrs(site, config), cache.memory)
    drawing = visuals.start(workers, drawer)  # goes on meanwhile, in another process if it can
    try:
        files = _plan(config, site, options, diag, cache, workers, visuals)
        drawing.wait()  # the images are files of the output
    except BaseException:
        drawing.cancel()
        raise
    # Signatures describe the output only if the last write of it finished: an interrupted
    # one (Ctrl-C, a full disk) leaves the marker, and the next build then writes everything.
    marker = cache.folder / "writing"
    previous = cache.output_record() if cache.state.output == str(output) and \
        not marker.exists() else None
    cache.close()  # worker processes open their own connection to the bodies
    cache.folder.mkdir(exist_ok=True)
    marker.touch()
    written = write_output(files, output, previous.pages if previous else None, workers,
                           previous.folders if previous else None, look_at_output)
    _remember(cache, output, files, written.folders)
    marker.unlink()
    report = BuildReport(output, len(site.posts), len(site.pages), len(files), written.written,
                         0.0, diag.problems, written.made, [f.path for f in files],
                         written.changed)
    return report, _next_due(scheduled, site.events, moment)


def _plan(config: Config, site: Site, options: BuildOptions, diag: Diagnostics,
          cache: BuildCache, workers: int, visuals: Visuals) -> list[PlannedFile]:
    """Bodies rendered, share kits made, and every output file planned; raises BuildError
    when anything is wrong (with --strict, a warning too)."""
    bodies = Bodies([*site.posts, *site.pages, *site.events, *site.campaigns,
                     *(u for e in site.events for u in e.updates)],
                    markup_settings(config), cache, config.root)
    bodies.prepare(diag, workers)
    relays = Relays(site.posts, bodies, config, Urls(config.base_url), cache,
                    campaign_hashtags(site))
    relays.prepare(diag, workers)
    renderer = Renderer(site, hub_links(bodies, site, config), config, lambda: with_look(
                        Theme(config, cache.folder / "templates"), site, config),
                        site_inputs(config, site, cache.stamp), relays, visuals, cache.memory)
    files = renderer.plan()
    _check_collisions(files, diag, config.root, cache.memory)
    if options.strict and diag.warnings:
        diag.error(None, None, f"{len(diag.warnings)} warning(s) with --strict")
    if diag.errors:
        raise BuildError(diag.problems)
    return files


def shares_of(options: BuildOptions, name: str,
              platform: str | None = None) -> tuple[Post, ShareKit]:
    """The share kit of one post, named by slug or by file (for `sitegen share`), through the
    build cache; with `platform`, for that network only (relayed there or not). Raises
    BuildError when the site cannot be read or no post has that name."""
    root = options.source.resolve()
    diag = Diagnostics(root=root)
    config = load_config(root, diag, options.base_url)
    cache = BuildCache(root, diag)
    try:
        documents = load_documents(config, diag, cache)
        site = assemble(config, documents, diag, Selection(now(), True, True))
        diag.raise_if_errors()
        wanted = name.removesuffix("/").removeprefix("content/posts/")
        matches = [p for p in site.posts if wanted in (p.slug, p.key.removeprefix(
            "content/posts/"), p.key.removeprefix("content/posts/").removesuffix(".md"))]
        if not matches:
            close = did_you_mean(wanted, [p.slug for p in site.posts])
            raise BuildError([Problem(None, None, f"no post named '{name}'",
                                      close or "give a post's slug or its file name")])
        post = matches[0] if platform is None else replace(matches[0], platforms=(platform,))
        bodies = Bodies([post], markup_settings(config), cache, config.root)
        relays = Relays([post], bodies, config, Urls(config.base_url), cache,
                        campaign_hashtags(replace(site, campaigns=read_campaigns(config, diag))))
        return post, relays[post.key]
    finally:
        cache.close()


def _draws(config: Config) -> bool:
    return config.share.cards or config.share.qr


def _content_folders(root: Path, inputs: dict[str, freshness.Stat]) -> tuple[object, ...]:
    """The state of content/ and its folders in the scan (a file's size is never negative)."""
    content = str(root / "content")
    return tuple(item for item in inputs.items()
                 if item[1][0] < 0 and item[0].startswith(content))


def _next_due(scheduled: datetime | None, events: Sequence[LiveEvent],
              moment: datetime) -> float | None:
    """When the first scheduled post comes due, or a live event starts or ends (its status
    is shown): the output is stale from then on."""
    due = [t for e in events for t in (e.start, e.end) if t > moment]
    due += [scheduled] if scheduled else []
    return min(due).timestamp() if due else None


def _remember(cache: BuildCache, output: Path, files: Sequence[PlannedFile],
              folders: dict[str, int]) -> None:
    cache.record = OutputRecord({f.path: f.signature for f in files}, folders)
    cache.state.output = str(output)
    cache.state.locale_answers = locales.remembered()
    cache.save()


def site_inputs(config: Config, site: Site, stamp: str) -> str:
    """Digest of what every page may show besides its own posts: the settings, the theme's
    templates and strings, the site's template overrides, the navigation, sitegen itself."""
    parts = [stamp, repr(config), navigation_digest(site)]
    for folder in (config.theme_dir / "templates", config.theme_dir / "i18n",
                   config.root / "templates"):
        # os.walk follows linked folders as Jinja does (Path.rglob does not on Python 3.11).
        for dirpath, _, names in sorted(os.walk(folder, followlinks=True)):
            for name in sorted(names):
                path = Path(dirpath, name)
                parts += [path.relative_to(folder).as_posix(), file_digest(path.read_bytes())]
    return digest(*parts)


def markup_settings(config: Config) -> MarkupSettings:
    return MarkupSettings(config.language, Urls(config.base_url).root,
                          config.markdown.raw_html == "sanitize",
                          frozenset(config.markdown.embed_hosts))


def _check_collisions(files: Sequence[PlannedFile], diag: Diagnostics, root: Path,
                      memory: Memory) -> None:
    """Two things writing one file (also when only the case differs: macOS and Windows
    hosts would merge them) is an error naming every source involved."""
    paths = [planned.path for planned in files]
    checked = memory.table("collisions")
    if checked.known("paths") == paths:  # the same files as a build that had no collision
        return
    by_path: dict[str, list[PlannedFile]] = defaultdict(list)
    for planned in files:
        by_path[planned.path.lower()].append(planned)
    reported: set[tuple[str, ...]] = set()
    for clashing in by_path.values():
        if len(clashing) == 1:
            continue
        # Posts that clash on their page clash on their card and QR code too: once is enough.
        sources = tuple(sorted(str(f.source_file or f.origin) for f in clashing))
        if sources not in reported:
            reported.add(sources)
            origins = " and ".join(f"{f.origin}" for f in clashing)
            first = next((f.source_file for f in clashing if f.source_file), None)
            diag.error(root / first if first else None, None,
                       f"{origins} would all write {clashing[0].path}",
                       "give one of them another 'slug' or rename the file")
    if not reported:
        checked.keep("paths", paths)
