"""Benchmark sitegen builds: cold, no-change, and single-post edits, with a correctness check.

Usage: python benchmarks/run.py [--sizes 1000 10000] [--repeat 3] [--workdir DIR]

For each size, a site is generated (benchmarks/generate.py) and the real CLI is timed as a
subprocess, exactly as a user runs it. Every incremental rebuild is then checked against a
cold build of the same sources: an incremental build that is fast but wrong is a bug, so
the "output identical" column matters as much as the timings.

Set SITEGEN_CMD to replace `python -m sitegen` (split on spaces), e.g. to try an installed
`sitegen` script or a stand-in while the CLI does not exist yet.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import edit_post_body, edit_post_title, generate_site

REPO_ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ".sitegen-cache"

# Peak memory: ru_maxrss of RUSAGE_CHILDREN is the maximum over *all* children the calling
# process has ever waited for, so measuring from this process would report the largest build
# so far, not the current one. Each measured build therefore runs under a fresh
# `python -c WRAPPER` process whose only child is the build: its RUSAGE_CHILDREN maxrss is
# exactly that build's peak (the largest single process in the build's tree, not a sum
# across concurrent workers; `/usr/bin/time -v` reports the same thing). The wall time is
# taken in the wrapper too, so the wrapper's own interpreter start-up is not counted. The
# build's stdout goes to stderr, leaving the wrapper's stdout for its one JSON line.
WRAPPER = """\
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=sys.stderr)
seconds = time.perf_counter() - start
maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"returncode": code, "seconds": seconds, "maxrss": maxrss}))
"""


class BuildError(Exception):
    """A build exited non-zero: the benchmark stops, since its numbers would mean nothing."""

    def __init__(self, command: list[str], returncode: int, stderr: str) -> None:
        super().__init__(f"build failed with exit code {returncode}: {' '.join(command)}")
        self.stderr = stderr


@dataclass
class Measure:
    """One timed build."""

    seconds: float
    peak_rss_mb: float


@dataclass
class Result:
    """All measurements for one site size; `diffs` maps a scenario to its differing files."""

    posts: int
    floor: float = 0.0  # seconds Python-Markdown alone takes for the bodies, on one core
    times: dict[str, list[float]] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    diffs: dict[str, list[str]] = field(default_factory=dict)


def sitegen_command() -> list[str]:
    """The CLI to run: SITEGEN_CMD if set (split on spaces), else this interpreter's module."""
    override = os.environ.get("SITEGEN_CMD", "").split()
    return override or [sys.executable, "-m", "sitegen"]


def build_env() -> dict[str, str]:
    """Environment for builds: the repository first on PYTHONPATH, so `python -m sitegen`
    runs this checkout even when it is not installed (and the installed one when it is)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    # An installed sitegen has its bytecode compiled (pip does it at install time). A machine
    # that forbids writing it would have every build compile sitegen from source (about
    # 0.1 s), which users do not pay.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def maxrss_to_mb(maxrss: int) -> float:
    """ru_maxrss is in KiB on Linux and in bytes on macOS."""
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def run_build(source: Path, output: Path) -> Measure:
    """Run one build through the measuring wrapper; raise BuildError if it fails."""
    command = [
        *sitegen_command(),
        "build",
        "--source",
        str(source),
        "--output",
        str(output),
        "--quiet",
    ]
    proc = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, env=build_env()
    )
    if proc.returncode != 0 or not proc.stdout.strip():
        raise BuildError(command, proc.returncode, proc.stderr)
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    if report["returncode"] != 0:
        raise BuildError(command, report["returncode"], proc.stderr)
    return Measure(report["seconds"], maxrss_to_mb(report["maxrss"]))


def remove_build_state(site: Path, output: Path) -> None:
    """Make the next build cold: no output folder, no cache."""
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(site / CACHE_DIR, ignore_errors=True)


def tree_files(root: Path) -> set[str]:
    """Relative paths of every file under root."""
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def compare_trees(actual: Path, expected: Path) -> list[str]:
    """Byte-for-byte comparison of two output trees; returns the differences, sorted."""
    got, want = tree_files(actual), tree_files(expected)
    diffs = [f"only in incremental: {f}" for f in got - want]
    diffs += [f"missing from incremental: {f}" for f in want - got]
    diffs += [
        f"differs: {f}"
        for f in got & want
        if not filecmp.cmp(actual / f, expected / f, shallow=False)
    ]
    return sorted(diffs)


def check_against_cold(site: Path, output: Path, scratch: Path) -> list[str]:
    """Cold-build a copy of the sources and compare it with the incremental output.

    The copy (without the cache) is what makes the reference build truly cold, and keeps it
    from touching the cache the incremental scenarios rely on. Not timed.
    """
    shutil.rmtree(scratch, ignore_errors=True)
    source = scratch / "site"
    shutil.copytree(site, source, ignore=shutil.ignore_patterns(CACHE_DIR))
    run_build(source, scratch / "out")
    try:
        return compare_trees(output, scratch / "out")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# Python-Markdown alone, on one core: every post body converted by the very converter a build
# uses (same extensions and settings), timing only the conversions. The cold-build target is
# a fraction of this, which says whether both cores are put to work.
FLOOR_SCRIPT = """
import os, sys, time
from pathlib import Path
from sitegen.content import decode_text, split_front_matter
from markdown.treeprocessors import InlineProcessor
from sitegen.converting import make_markdown
from sitegen.shortcuts import restore_stock
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
bodies = [split_front_matter(decode_text(p.read_bytes()))[2]
          for p in sorted(Path(sys.argv[1], "content", "posts").rglob("*.md"))]
# Python-Markdown alone: the build's extensions and settings, without sitegen's own passes
# (typography, the attribute check, the quicker inline pass) and with the stock processors
# back in place of sitegen's shortcuts through them (sitegen/shortcuts.py), so the floor stays
# put when those get faster.
converter = make_markdown("fr")
converter.treeprocessors.deregister("typography")
converter.treeprocessors.register(InlineProcessor(converter), "inline", 20)
restore_stock(converter)
start = time.perf_counter()
for body in bodies:
    converter.reset()
    converter.convert(body)
print(time.perf_counter() - start)
"""


def markdown_floor(site: Path, runs: int = 1) -> float:
    """Seconds Python-Markdown alone takes to convert the site's bodies on one core: the
    fastest of `runs` runs (a shared machine only ever slows a run down)."""
    return min(_floor_run(site) for _ in range(runs))


def _floor_run(site: Path) -> float:
    done = subprocess.run([sys.executable, "-c", FLOOR_SCRIPT, str(site)], env=build_env(),
                          capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


def scenarios(site: Path, output: Path, edit_index: int) -> dict[str, Callable[[], object]]:
    """Scenario name -> what to do before its timed build, in the order they must run."""
    return {
        "cold": lambda: remove_build_state(site, output),
        "no change": lambda: None,
        "edit body": lambda: edit_post_body(site, edit_index),
        "edit title": lambda: edit_post_title(site, edit_index),
    }


NO_IMAGES = "share:\n  cards: false\n  qr: false\n"


def bench_size(posts: int, repeat: int, base: Path, images: bool = True) -> Result:
    """Generate a site of `posts` posts and run every scenario `repeat` times on it;
    without `images`, the site draws no social cards and no QR codes."""
    root = base / f"posts-{posts}"
    shutil.rmtree(root, ignore_errors=True)
    site, output, scratch = root / "site", root / "out", root / "check"
    log(f"[{posts}] generating site in {site}")
    generate_site(site, posts, seed=1)
    if not images:
        with (site / "site.yaml").open("a", encoding="utf-8") as config:
            config.write(NO_IMAGES)
    result = Result(posts, floor=markdown_floor(site, repeat))
    log(f"[{posts}] Python-Markdown alone, one core: {result.floor:.2f} s")
    for name, prepare in scenarios(site, output, edit_index=posts // 2).items():
        result.times[name] = []
        for i in range(repeat):
            prepare()
            measure = run_build(site, output)
            result.times[name].append(measure.seconds)
            result.peak_rss_mb = max(result.peak_rss_mb, measure.peak_rss_mb)
            log(
                f"[{posts}] {name} {i + 1}/{repeat}: {measure.seconds:.2f} s, "
                f"{measure.peak_rss_mb:.0f} MB"
            )
            if name != "cold":  # every incremental rebuild is checked, not just the last
                diffs = check_against_cold(site, output, scratch)
                if diffs:
                    result.diffs.setdefault(f"{name} #{i + 1}", diffs)
                log(
                    f"[{posts}] {name} {i + 1}/{repeat}: "
                    + ("identical" if not diffs else f"{len(diffs)} files differ")
                )
    return result


def machine_description() -> str:
    """CPU, core count, Python and OS, so results from different machines are not mixed up."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.platform()}"
    )


def report(results: list[Result], repeat: int) -> str:
    """The Markdown report: context, table of medians, then any differing files."""
    lines = [
        "## sitegen benchmark",
        "",
        f"- date: {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- machine: {machine_description()}",
        f"- command: `{' '.join(sitegen_command())} build --quiet`",
        f"- median of {repeat} runs, wall time in seconds; peak RSS is the largest build",
        "",
        "| posts | cold | no change | edit body | edit title | peak RSS MB | Markdown floor "
        "(1 core) | cold / floor | output identical |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        medians = [
            f"{statistics.median(r.times[name]):.2f}"
            for name in ("cold", "no change", "edit body", "edit title")
        ]
        identical = "yes" if not r.diffs else "**no**"
        ratio = statistics.median(r.times["cold"]) / r.floor if r.floor else 0.0
        lines.append(f"| {r.posts} | {' | '.join(medians)} | {r.peak_rss_mb:.0f} | "
                     f"{r.floor:.2f} | {ratio:.2f} | {identical} |")
    for r in results:
        for scenario, diffs in r.diffs.items():
            lines += ["", f"{r.posts} posts, {scenario}: {len(diffs)} differences", ""]
            lines += [f"- {d}" for d in diffs[:50]]
            if len(diffs) > 50:
                lines.append(f"- … and {len(diffs) - 50} more")
    return "\n".join(lines)


def log(message: str) -> None:
    """Progress goes to stderr, so stdout is only the Markdown report."""
    print(message, file=sys.stderr, flush=True)


def default_base() -> Path:
    """A fresh temporary folder, in RAM (/dev/shm) when possible so disk speed stays out."""
    shm = Path("/dev/shm")
    return Path(tempfile.mkdtemp(prefix="sitegen-bench-", dir=shm if shm.is_dir() else None))


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; exits non-zero if any build fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[1000, 10000],
        help="numbers of posts (default: 1000 10000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario (default 3)")
    parser.add_argument("--no-images", action="store_true",
                        help="turn off social cards and QR codes (share.cards/qr: false)")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="work folder, kept afterwards for inspection (default: a temporary folder, removed)",
    )
    args = parser.parse_args(argv)
    base = args.workdir or default_base()
    base.mkdir(parents=True, exist_ok=True)
    try:
        results = [bench_size(n, args.repeat, base, not args.no_images) for n in args.sizes]
    except BuildError as error:
        print(error, file=sys.stderr)
        print(error.stderr, file=sys.stderr, end="")
        return 1
    finally:
        if args.workdir is None:
            shutil.rmtree(base, ignore_errors=True)
    print(report(results, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
