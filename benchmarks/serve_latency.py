"""Benchmark the preview: time from saving a post to the reload event open pages receive.

Usage: python benchmarks/serve_latency.py [--posts 10000] [--repeat 5] [--workdir DIR]

A site is generated (benchmarks/generate.py), `python -m sitegen serve` is started on it as a
user starts it, and this script listens to the server's event stream like an open page does.
Each round edits one post's body (or title) and measures from just before the file is
written to the moment the `rebuilt` event arrives: watching, debouncing, rebuilding, writing
and notifying, everything the author waits for. Prints the median and every round.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import body_edited, generate_site, post_files, title_edited

REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Events:
    """The server's Server-Sent Events, read as a page's EventSource reads them."""

    def __init__(self, port: int, timeout: float):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.connection.request("GET", "/__sitegen/events")
        self.response = self.connection.getresponse()

    def next(self) -> tuple[str, dict]:
        name, data = "", ""
        while True:
            line = self.response.fp.readline()
            if not line:
                raise ConnectionError("the server closed the event stream")
            text = line.decode().rstrip("\n")
            if text.startswith("event: "):
                name = text[7:]
            elif text.startswith("data: "):
                data = text[6:]
            elif text == "" and name:
                return name, json.loads(data)


def start_server(site: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: see build_env in run.py
    server = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--source", str(site),
                               "--port", str(port)], env=env, stderr=subprocess.PIPE, text=True)
    assert server.stderr is not None
    for line in server.stderr:  # the first build, then "serving http://..."
        if line.startswith("serving "):
            # Keep reading what it says (a full pipe would block it), and show the rebuild
            # times it reports: the rest of the latency is watching, debouncing, notifying.
            threading.Thread(target=_echo, args=(server.stderr,), daemon=True).start()
            return server
        print(f"  serve: {line.rstrip()}", file=sys.stderr)
    raise RuntimeError(f"sitegen serve exited with {server.wait()}")


def _echo(stream: IO[str]) -> None:
    for line in stream:
        print(f"  serve: {line.rstrip()}", file=sys.stderr)


def measure(events: Events, path: Path, text: str) -> float:
    """Seconds from writing `text` into `path` (the new text is made beforehand: finding and
    reading the file is not the preview's time) to the `rebuilt` event."""
    started = time.perf_counter()
    path.write_text(text, encoding="utf-8")
    while True:
        name, data = events.next()
        if name == "rebuilt":
            return time.perf_counter() - started
        if name == "failed":
            raise RuntimeError(f"rebuild failed: {data}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, help="keep the site here (default: temporary)")
    args = parser.parse_args(argv)
    base = Path(args.workdir or tempfile.mkdtemp(dir="/dev/shm" if Path("/dev/shm").is_dir()
                                                 else None))
    site = base / f"site-{args.posts}"
    if not (site / "site.yaml").exists():
        print(f"generating {args.posts} posts in {site}", file=sys.stderr)
        generate_site(site, args.posts)
    port = free_port()
    server = start_server(site, port)
    try:
        events = Events(port, timeout=120)
        events.next()  # the state on connecting
        rows = []
        files = post_files(site)
        for label, edited in (("body", body_edited), ("title", title_edited)):
            times = []
            for round_ in range(args.repeat):
                path = files[100 + round_]
                times.append(measure(events, path, edited(path)))
                time.sleep(0.3)  # let the server save its cache before the next edit
            rows.append((label, times))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"| {args.posts} posts: save -> reload event | median | rounds |")
    print("|---|---|---|")
    for label, times in rows:
        rounds = ", ".join(f"{t:.2f}" for t in times)
        print(f"| edit {label} | {statistics.median(times):.2f} s | {rounds} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
