"""The `sitegen` command: argument parsing and messages only; each command calls one function.

Imports of the pipeline happen inside the commands, so `sitegen --version` stays instant.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from sitegen import __version__

if TYPE_CHECKING:  # imported by the commands that need it, so --version stays instant
    from sitegen.config import Config

EXIT_OK, EXIT_PROBLEMS, EXIT_INTERNAL = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen", description="Static site generator for community blogs.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of crashes")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build the site into its output folder")
    build.add_argument("--source", type=Path, default=Path("."), help="site folder (default .)")
    build.add_argument("--output", type=Path, help="output folder (default SOURCE/public, "
                       "or SOURCE/public-ID with --campaign ID)")
    build.add_argument("--drafts", action="store_true", help="include drafts")
    build.add_argument("--future", action="store_true", help="include posts dated in the future")
    build.add_argument("--base-url", help="override site.yaml's base_url (with --campaign: "
                       "the campaign's)")
    build.add_argument("--campaign", metavar="ID",
                       help="build only campaign ID, as a standalone microsite")
    build.add_argument("--strict", action="store_true", help="fail when there are warnings")
    build.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    build.add_argument("--debug", action="store_true", help="show tracebacks of crashes")

    serve = commands.add_parser(
        "serve", help="preview the site with live reload (drafts and scheduled posts shown)")
    serve.add_argument("--source", type=Path, default=Path("."), help="site folder (default .)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--no-drafts", action="store_true",
                       help="leave out drafts and scheduled posts, as the real build does")
    serve.add_argument("--open", action="store_true", help="open the preview in a browser")
    serve.add_argument("--debug", action="store_true", help="show tracebacks of crashes")

    share = commands.add_parser("share", help="print a post's ready-to-post texts")
    share.add_argument("post", help="the post's slug or file name")
    share.add_argument("--platform", help="only this network's text (x, mastodon, bluesky …)")
    share.add_argument("--source", type=Path, default=Path("."), help="site folder (default .)")

    init = commands.add_parser("init", help="create a new site in a folder")
    init.add_argument("folder", type=Path)
    init.add_argument("--language", default="fr", help="fr (default) or en")
    init.add_argument("--timezone", default="Europe/Paris")

    new = commands.add_parser("new", help="create a post or a page")
    new.add_argument("kind", choices=["post", "page"])
    new.add_argument("title")
    new.add_argument("--source", type=Path, default=Path("."), help="site folder (default .)")
    _live_parser(commands)
    return parser


def _live_parser(commands: argparse._SubParsersAction) -> None:
    live = commands.add_parser("live", help="cover an event live: create it, post updates")
    actions = live.add_subparsers(dest="live_command", metavar="ACTION", required=True)
    new = actions.add_parser("new", help="create content/live/ID.md")
    new.add_argument("id", help="the event's id, its address: /live/ID/")
    new.add_argument("--title", required=True)
    new.add_argument("--start", required=True, help="e.g. '2026-05-19 08:00'")
    new.add_argument("--end", required=True, help="e.g. '2026-05-22 18:00'")
    new.add_argument("--timezone", help="IANA zone of the event (default: the site's)")
    new.add_argument("--location", default="")
    add = actions.add_parser("add", help="append an update, stamped now")
    add.add_argument("id", help="the event's id")
    add.add_argument("text", help="the update (Markdown); - reads it from the standard input")
    add.add_argument("--author", default="", help="an author id of site.yaml, or a name")
    add.add_argument("--pin", action="store_true", help="a key moment, listed at the top")
    add.add_argument("--title", default="")
    for action in (new, add):
        action.add_argument("--source", type=Path, default=Path("."),
                            help="site folder (default .)")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return EXIT_OK
    try:
        return int(COMMANDS[args.command](args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in sitegen: say so plainly, never dump on an author
        if args.debug:
            raise
        print(f"sitegen: internal error: {type(exc).__name__}: {exc} "
              "(run again with --debug and report it)", file=sys.stderr)
        return EXIT_INTERNAL


def run() -> NoReturn:
    """The `sitegen` command: `main`, then exit at once. A large build leaves a large model in
    memory (and the build cache's in-process tables); freeing it object by object at exit
    would add a third to a 10,000-post rebuild, and nothing is left to clean up: files are
    closed, worker processes joined, the cache saved."""
    # The process ends after its one command, or collects when idle (`serve`): automatic
    # collections would walk a build's model after the build, a fifth of a rebuild's time.
    gc.disable()
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _print_problems(problems: list, stream: TextIO, quiet: bool) -> None:
    for problem in problems:
        if quiet and not problem.is_error:
            continue
        print(problem, file=stream)


def cmd_build(args: argparse.Namespace) -> int:
    from sitegen.build import BuildOptions, build
    from sitegen.errors import BuildError

    interactive = sys.stderr.isatty() and not args.quiet
    if interactive:
        print(f"building {args.source.resolve()} …", file=sys.stderr)
    options = BuildOptions(args.source, args.output, args.drafts, args.future, args.base_url,
                           args.strict, args.campaign, last=True)
    try:
        report = build(options)
    except BuildError as exc:
        _print_problems(list(exc.problems), sys.stderr, False)
        errors = sum(1 for p in exc.problems if p.is_error)
        print(f"build failed: {errors} error(s); the previous output is unchanged",
              file=sys.stderr)
        return EXIT_PROBLEMS
    _print_problems(report.problems, sys.stderr, args.quiet)
    if interactive:  # in a pipe or CI log, silence means success
        print(f"built {report.posts} posts, {report.pages} pages: {report.files} files "
              f"({report.written} changed) in {report.output} in {report.seconds:.2f} s",
              file=sys.stderr)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from sitegen.errors import BuildError
    from sitegen.preview import PreviewOptions, run_preview
    from sitegen.serve import ServeError

    options = PreviewOptions(args.source, args.host, args.port, not args.no_drafts, args.open,
                             args.debug)
    try:
        run_preview(options, lambda line: print(line, file=sys.stderr, flush=True))
    except BuildError as exc:
        _print_problems(list(exc.problems), sys.stderr, False)
        print("cannot preview: fix site.yaml first", file=sys.stderr)
        return EXIT_PROBLEMS
    except ServeError as exc:
        print(f"sitegen: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print("stopped", file=sys.stderr)
    return EXIT_OK


def cmd_share(args: argparse.Namespace) -> int:
    from sitegen.build import BuildOptions
    from sitegen.errors import BuildError
    from sitegen.pipeline import shares_of
    from sitegen.platforms import PLATFORMS, canonical_platform

    platform = canonical_platform(args.platform) if args.platform else None
    if args.platform and platform is None:
        print(f"sitegen: unknown platform '{args.platform}' (known: {', '.join(PLATFORMS)})",
              file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        post, kit = shares_of(BuildOptions(args.source), args.post, platform)
    except BuildError as exc:
        _print_problems(list(exc.problems), sys.stderr, False)
        return EXIT_PROBLEMS
    if platform:  # the text alone, ready to pipe into a clipboard tool
        print(kit.shares[0].text)
        return EXIT_OK
    if not kit.shares:
        print(f"'{post.title}' is relayed to no network: add 'platforms:' to its front matter "
              "or to site.yaml", file=sys.stderr)
        return EXIT_OK
    for share in kit.shares:
        size = f"{share.length}/{share.limit}" if share.limit else f"{share.length}"
        print(f"── {share.label} ({size}{'' if share.fits else ', TOO LONG'}) ──")
        print(share.text, end="\n\n")
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from sitegen.scaffold import ScaffoldError, init_site

    try:
        files = init_site(args.folder, args.language, args.timezone)
    except ScaffoldError as exc:
        print(f"sitegen: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"created a site in {args.folder} ({len(files)} files). Next:\n"
          f"  cd {args.folder} && sitegen build")
    return EXIT_OK


def _site_config(source: Path) -> Config | None:
    """The site's settings, or None after printing what is wrong with site.yaml."""
    from sitegen.config import load_config
    from sitegen.errors import BuildError, Diagnostics

    root = source.resolve()
    try:
        return load_config(root, Diagnostics(root=root))
    except BuildError as exc:
        _print_problems(list(exc.problems), sys.stderr, False)
        return None


def cmd_new(args: argparse.Namespace) -> int:
    from sitegen.scaffold import ScaffoldError, new_item

    root = args.source.resolve()
    config = _site_config(root)
    if config is None:
        return EXIT_PROBLEMS
    author = next(iter(config.authors)) if len(config.authors) == 1 else None
    try:
        path = new_item(root, args.kind, args.title, config.zone, author)
    except ScaffoldError as exc:
        print(f"sitegen: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(path.relative_to(root))
    if args.kind == "post":
        print("it is a draft: remove 'draft: true' to publish it", file=sys.stderr)
    return EXIT_OK


def cmd_live(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from sitegen.liveedit import LiveEditError, add_update, new_event

    root = args.source.resolve()
    config = _site_config(root)
    if config is None:
        return EXIT_PROBLEMS
    try:
        if args.live_command == "new":
            path = new_event(config, args.id, args.title, args.start, args.end,
                             args.timezone, args.location)
            print(path.relative_to(root))
            return EXIT_OK
        text = sys.stdin.read() if args.text == "-" else args.text
        added = add_update(config, args.id, text, datetime.now(UTC), args.author, args.pin,
                           args.title)
    except LiveEditError as exc:
        print(f"sitegen: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    for warning in added.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{added.path.relative_to(root)}: {added.heading}")
    return EXIT_OK


COMMANDS = {"build": cmd_build, "serve": cmd_serve, "share": cmd_share, "init": cmd_init,
            "new": cmd_new, "live": cmd_live}
