"""One build: `build()` is the only entry point the CLI and the preview server need.

It first asks `freshness` whether anything the last build read has changed; only then does
it import and run the pipeline (`pipeline.run`), so a no-change rebuild pays for no Markdown,
template or database module. It returns a report or raises `BuildError` with every problem
found; either way the previous output is intact unless the new one was complete.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from sitegen import freshness
from sitegen.dates import now
from sitegen.digests import digest, environment_stamp
from sitegen.errors import BuildError, Diagnostics, Problem
from sitegen.options import BuildOptions, BuildReport

__all__ = ["BuildError", "BuildOptions", "BuildReport", "build", "now"]
LOCK_WAIT = 600  # seconds a build waits for another build of the same site


def build(options: BuildOptions, changed: Collection[Path] | None = None,
          even_if_fresh: bool = False) -> BuildReport:
    """Build the site; raise BuildError listing every problem when it cannot be built.

    For a long-running caller that watches the files (the preview):
    - `changed`: the source files changed since this process's last build. The build then
      looks at those alone, not at every file of the site, and trusts that nothing but builds
      touched the output folder. None (the command line): everything is looked at.
    - `even_if_fresh`: go through the whole build when nothing changed too (writing nothing
      then), so that the process holds the site's model and its next builds only remake what
      an edit touches."""
    # A build makes a large model that lives until it ends; the cyclic garbage collector
    # would walk it again and again and find nothing (a third of a 10,000-post rebuild).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build_or_skip(options, changed, even_if_fresh)
    finally:
        if collecting:
            gc.enable()


def _build_or_skip(options: BuildOptions, changed: Collection[Path] | None,
                   even_if_fresh: bool) -> BuildReport:
    started = time.perf_counter()
    root = options.source.resolve()
    diag = Diagnostics(root=root)
    output = options.output_folder(root).resolve()
    if options.campaign:
        from sitegen.campaignfile import unknown_campaign  # read before the lock and the cache

        if problem := unknown_campaign(root, options.campaign):
            raise BuildError([problem])
    _check_output(root, output, diag)
    with _one_build_at_a_time(root / freshness.CACHE_DIR):
        return _build_locked(options, root, output, diag, started, changed, even_if_fresh)


@contextmanager
def _one_build_at_a_time(cache_dir: Path) -> Iterator[None]:
    """Builds of one site share its cache and its staging folder: a second build (the
    preview server's and a deploy's, say) waits for the first to end."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no lock, as before
        yield
        return
    cache_dir.mkdir(exist_ok=True)
    with open(cache_dir / "lock", "w") as lock:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BuildError([Problem(cache_dir / "lock", None, "another build of this "
                                              "site has been running for "
                                              f"{LOCK_WAIT // 60} minutes",
                                              "stop it, or wait for it to end")]) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _build_locked(options: BuildOptions, root: Path, output: Path, diag: Diagnostics,
                  started: float, changed: Collection[Path] | None,
                  even_if_fresh: bool) -> BuildReport:
    cache_dir = freshness.cache_folder(root, options.campaign)
    stamp = _options_stamp(options)
    moment = now()
    last = freshness.load(cache_dir)
    scan = None
    if last:
        # Taken before anything is read, it also serves the build (see pipeline.run).
        inputs = freshness.rescan(last.inputs, changed) if changed is not None else None
        if inputs is None:
            inputs = freshness.scan_inputs(root, Path(last.theme_dir))
        scan = (last.theme_dir, inputs)
        if not even_if_fresh and freshness.still_fresh(
                last, inputs, output, stamp, moment.timestamp(), look_at_output=changed is None):
            return _unchanged(last, options, output, started)
    freshness.forget(cache_dir)
    from sitegen.pipeline import run  # the heavy modules: only when there is work to do

    report = run(options, root, output, diag, moment, last, stamp, scan,
                 look_at_output=changed is None)
    report.seconds = time.perf_counter() - started
    return report


def _options_stamp(options: BuildOptions) -> str:
    """What, besides the files, decides the output: the options and the software."""
    return digest(environment_stamp(), str(options.base_url), str(options.drafts),
                  str(options.future), str(options.campaign))


def _unchanged(last: freshness.Fingerprint, options: BuildOptions, output: Path,
               started: float) -> BuildReport:
    """The report of a build that found nothing to do: the last build's, problems included."""
    problems = list(last.problems)
    if options.strict and any(p.level == "warning" for p in problems):
        warnings = sum(1 for p in problems if p.level == "warning")
        raise BuildError([*problems, Problem(None, None,
                                             f"{warnings} warning(s) with --strict")])
    posts, pages, files = last.counts
    return BuildReport(output, posts, pages, files, 0, time.perf_counter() - started,
                       problems, 0, last.outputs)


def _check_output(root: Path, output: Path, diag: Diagnostics) -> None:
    """Refuse an output folder that is, holds, or lies inside the sources: the swap would
    delete them."""
    sources = [root / name for name in freshness.SITE_SOURCES]
    if output == root or output in root.parents:
        diag.error(None, None, f"--output {output} contains the site's sources",
                   "choose a folder such as public/")
    for source in sources:
        if output == source or source in output.parents:
            diag.error(None, None, f"--output {output} is inside the sources ({source.name}/)",
                       "choose a folder such as public/")
    diag.raise_if_errors()
