"""`sitegen serve`: the author's preview. It joins the build and the preview server, which know
nothing of each other: the site is built (drafts and scheduled posts included, with their
banners) into a folder of the cache that is never deployed, served, and rebuilt on change.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.build import BuildOptions, build
from sitegen.config import load_config
from sitegen.content import is_editor_leftover
from sitegen.errors import BuildError, Diagnostics
from sitegen.freshness import CACHE_DIR, SITE_SOURCES
from sitegen.livereload import Outcome
from sitegen.records import record
from sitegen.serve import PreviewServer, Rebuild, ServeSettings

PREVIEW_FOLDER = "preview"  # inside the cache: public/ never receives drafts from a preview
Say = Callable[[str], None]


@record
class PreviewOptions:
    """What `sitegen serve` is asked to do on the command line."""

    source: Path
    host: str = "127.0.0.1"
    port: int = 8000
    drafts: bool = True  # drafts and scheduled posts are shown, each with its banner
    open_browser: bool = False
    debug: bool = False  # a crash of a rebuild prints its traceback


def preview_output(root: Path) -> Path:
    return root / CACHE_DIR / PREVIEW_FOLDER


def build_options(options: PreviewOptions) -> BuildOptions:
    root = options.source.resolve()
    return BuildOptions(root, preview_output(root), drafts=options.drafts,
                        future=options.drafts)


def serve_settings(options: PreviewOptions) -> ServeSettings:
    """Where to listen and what to watch; raises BuildError when site.yaml is unusable (the
    sub-path to serve under and the theme to watch come from it)."""
    root = options.source.resolve()
    config = load_config(root, Diagnostics(root=root))
    watched = (*(root / name for name in SITE_SOURCES), config.theme_dir)
    return ServeSettings(preview_output(root), urlsplit(config.base_url).path or "/",
                         options.host, options.port, watched, _ignored(root))


def _ignored(root: Path) -> Callable[[Path], bool]:
    cache = root / CACHE_DIR

    def ignored(path: Path) -> bool:
        return is_editor_leftover(path.name) or path == cache or cache in path.parents
    return ignored


class Housekeeping:
    """Work kept off the author's path, done while no change comes (the server's idle).

    - Garbage collection. Automatic collections would walk the whole kept model (0.3–0.5 s
      at 10,000 posts) right after a rebuild, before the reload. Instead: the young objects
      of a rebuild at the first quiet moment after it (a few ms), and the cycles left by
      earlier builds once the preview has been quiet for a while.
    - A look at the whole site. A rebuild after a change looks only at the files the watcher
      named, and trusts that only builds write to the preview's output folder. Once the
      author pauses, one build looks at everything, in case the watcher missed a change."""

    QUIET_FOR_LOOK = 1.0  # seconds without a rebuild before the whole site is looked at
    QUIET_FOR_FULL = 3.0  # seconds without a rebuild before a full collection

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._young = self._full = self._unlooked = False
        self._last = 0.0

    def rebuilt(self, looked_at_everything: bool = True) -> None:
        self._young = self._full = True
        self._unlooked = not looked_at_everything
        self._last = self._clock()

    def idle(self, look: Callable[[], Outcome] | None = None) -> Outcome | None:
        """Do what is due; `look` builds looking at everything. Returns its outcome when the
        pages must hear of it (it failed, or changed files)."""
        quiet = self._clock() - self._last
        if self._young:
            self._young = False
            gc.collect(1)
        elif self._unlooked and look is not None and quiet >= self.QUIET_FOR_LOOK:
            self._unlooked = False
            outcome = look()
            return outcome if not outcome.ok or outcome.changed != () else None
        elif self._full and quiet >= self.QUIET_FOR_FULL:
            self._full = False
            gc.collect()
        return None


def _stop_on_terminate() -> None:
    """`kill` or a closing terminal stops the preview as cleanly as Ctrl-C."""
    if threading.current_thread() is threading.main_thread():
        owner = os.getpid()

        def interrupt(signum: int, frame: object) -> None:
            if os.getpid() != owner:  # a build's worker process, ended by its pool: quietly
                os._exit(128 + signum)
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, interrupt)


def rebuilder(options: BuildOptions, say: Say, housekeeping: Housekeeping | None = None,
              debug: bool = False) -> Callable[[frozenset[Path]], Outcome]:
    """The server's rebuild: build, tell the terminal, and give the pages the outcome.
    A crash (a bug in sitegen) is told both; the preview keeps serving the last good build."""
    builds = 0

    def rebuild(changed: frozenset[Path]) -> Outcome:
        """`changed`: the files the watcher saw change (none: look at everything)."""
        nonlocal builds
        # The first build goes all the way even when the output is fresh: the model it
        # leaves in memory is what makes the next ones fast.
        outcome = _build(changed, even_if_fresh=builds == 0)
        builds += 1
        if housekeeping:
            housekeeping.rebuilt(looked_at_everything=not changed or not outcome.ok)
        return outcome

    def _build(changed: frozenset[Path], even_if_fresh: bool) -> Outcome:
        try:
            report = build(options, changed or None, even_if_fresh)
        except BuildError as exc:
            lines = tuple(str(problem) for problem in exc.problems)
            for line in lines:
                say(line)
            say("build failed: the preview shows the last good build until this is fixed")
            return Outcome(False, lines)
        except Exception as exc:  # a bug in sitegen: the author must hear of it, not only pages
            line = f"internal error: {type(exc).__name__}: {exc}"
            say(traceback.format_exc().rstrip() if debug else
                f"{line} (a bug in sitegen: run serve with --debug for the traceback and "
                "report it)")
            return Outcome(False, (line,))
        for problem in report.problems:
            if problem.level == "warning":
                say(str(problem))
        if report.written or report.changed:
            say(f"rebuilt in {report.seconds:.2f} s: {report.written} file(s) changed")
        return Outcome(True, (), report.changed)
    return rebuild


def run_preview(options: PreviewOptions, say: Say,
                ready: Callable[[PreviewServer], None] | None = None,
                until: threading.Event | None = None) -> None:
    """Serve until Ctrl-C (or `until`); raises BuildError or ServeError when it cannot start.
    `ready` is called once the server answers (tests and benchmarks use it)."""
    settings = serve_settings(options)
    housekeeping = Housekeeping()
    rebuild = rebuilder(build_options(options), say, housekeeping, options.debug)
    collecting = gc.isenabled()
    gc.disable()  # see Housekeeping
    try:
        _serve(options, settings, rebuild, housekeeping, say, ready, until)
    finally:
        if collecting:
            gc.enable()


def _serve(options: PreviewOptions, settings: ServeSettings, rebuild: Rebuild,
           housekeeping: Housekeeping, say: Say, ready: Callable[[PreviewServer], None] | None,
           until: threading.Event | None) -> None:
    # Binds now: a port in use fails before the first build.
    server = PreviewServer(settings, rebuild, lambda: housekeeping.idle(
        lambda: rebuild(frozenset())))
    if settings.exposed:
        say(f"warning: listening on {options.host}: other machines can read this preview, "
            "drafts included")
    _stop_on_terminate()
    try:
        server.watch()
        server.rebuild(frozenset())
        server.start()
        say(f"serving {server.url} (Ctrl-C to stop)")
        if options.open_browser:
            webbrowser.open(server.url)
        if ready is not None:
            ready(server)
        server.run(until)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()

