"""The preview server on its own: a fake rebuild, real sockets, real files."""

from __future__ import annotations

import http.client
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.livereload import Outcome, inject
from sitegen.serve import PreviewServer, ServeError, ServeSettings, locate
from sitegen.watch import Watcher

SECRET = "the-secret-beside-the-output"


@pytest.fixture
def output(tmp_path: Path) -> Path:
    """An output folder, with a secret file beside it that must never be served."""
    (tmp_path / "secret.txt").write_text(SECRET)
    out = tmp_path / "public"
    (out / "blog" / "post").mkdir(parents=True)
    (out / "index.html").write_text("<html><head><title>Home</title></head><body>home</body>")
    (out / "blog" / "post" / "index.html").write_text("<p>no head, no body</p>")
    (out / "404.html").write_text("<html><head></head><body>lost</body></html>")
    (out / "style.css").write_text("body { color: red }")
    return out


class Running:
    def __init__(self, server: PreviewServer, calls: list[frozenset[Path]]):
        self.server, self.calls = server, calls
        self.port = server._http.server_address[1]

    def get(self, path: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        headers = {} if host is None else {"Host": host}
        connection.request("GET", path, headers=headers, )
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), body

    def raw(self, request_line: str) -> bytes:
        """Send a request line exactly as written (no client-side normalization)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as raw:
            raw.sendall(f"{request_line}\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .encode("latin-1"))
            chunks = []
            while chunk := raw.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)


@pytest.fixture
def serving(output: Path) -> Iterator[Running]:
    yield from _serve(ServeSettings(output, "/", "127.0.0.1", 0))


def _serve(settings: ServeSettings) -> Iterator[Running]:
    calls: list[frozenset[Path]] = []

    def rebuild(changed: frozenset[Path]) -> Outcome:
        calls.append(changed)
        return Outcome(True)

    server = PreviewServer(settings, rebuild)
    server.start()
    try:
        yield Running(server, calls)
    finally:
        server.stop()


# ---- what is served -------------------------------------------------------------------------

def test_pages_are_served_with_the_reload_client_added_only_in_the_response(serving, output):
    status, headers, body = serving.get("/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body.index(b'<script src="/__sitegen/livereload.js"') < body.index(b"</head>")
    assert headers["Cache-Control"] == "no-store"
    assert "__sitegen" not in (output / "index.html").read_text()
    status, _, script = serving.get("/__sitegen/livereload.js")
    assert status == 200 and b"EventSource" in script


def test_a_page_without_head_or_body_still_gets_the_client(serving):
    status, _, body = serving.get("/blog/post/")
    assert status == 200 and body.startswith(b"<p>no head, no body</p><script src=")


def test_injection_goes_before_the_first_head_end_whatever_its_case():
    page = b"<HTML><HEAD></HEAD ><BODY><pre>&lt;/head&gt;</pre></BODY></HTML>"
    assert inject(page, b"<s>") == \
        b"<HTML><HEAD><s></HEAD ><BODY><pre>&lt;/head&gt;</pre></BODY></HTML>"
    assert inject(b"<body>x</body>", b"<s>") == b"<body>x<s></body>"


def test_other_files_are_served_as_they_are(serving):
    status, headers, body = serving.get("/style.css")
    assert (status, body) == (200, b"body { color: red }")
    assert headers["Content-Type"] == "text/css; charset=utf-8"


def test_a_folder_without_its_slash_is_redirected(serving):
    status, headers, _ = serving.get("/blog/post?x=1")
    assert (status, headers["Location"]) == (301, "/blog/post/")


def test_unknown_paths_get_the_site_404_page_with_status_404(serving):
    status, _, body = serving.get("/nowhere/")
    assert status == 404 and b"lost" in body and b"livereload.js" in body


def test_without_a_404_page_a_plain_404(serving, output):
    (output / "404.html").unlink()
    status, _, body = serving.get("/nowhere/")
    assert (status, body) == (404, b"not found\n")


def test_a_site_under_a_sub_path_is_served_there(output):
    for running in _serve(ServeSettings(output / "blog", "/blog/", "127.0.0.1", 0)):
        assert running.get("/")[:2][0] == 301
        assert running.get("/")[1]["Location"] == "/blog/"
        assert running.get("/blog")[1]["Location"] == "/blog/"
        status, _, body = running.get("/blog/post/")
        assert status == 200 and b'data-prefix="/blog/"' in body
        assert running.get("/post/")[0] == 404


# ---- safety ---------------------------------------------------------------------------------

TRAVERSALS = [
    "/../secret.txt", "/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
    "/blog/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt",
    "/..%5csecret.txt", "/%5c..%5csecret.txt", "/..\\secret.txt", "/.%2e/secret.txt",
    "//secret.txt", "/%2fsecret.txt", "/%252e%252e/secret.txt", "/secret.txt%00.html",
    "/./../secret.txt", "http://localhost/../secret.txt", "/blog/post/../../../secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_nothing_outside_the_output_folder_is_served(serving, target):
    answer = serving.raw(f"GET {target} HTTP/1.1")
    assert SECRET.encode() not in answer
    assert answer.split(b"\r\n", 1)[0].split()[1] in (b"404", b"400", b"301")


@pytest.mark.parametrize("target", TRAVERSALS)
def test_locate_refuses_every_escape(output, target):
    found = locate(output, "/", target)
    assert not isinstance(found, Path) or output in found.parents


def test_an_absolute_path_is_taken_inside_the_output(output):
    assert locate(output, "/", str(output.parent / "secret.txt")) is None


def test_symbolic_links_leading_outside_are_refused_inside_allowed(output):
    os.symlink(output.parent / "secret.txt", output / "leak.txt")
    os.symlink(output / "style.css", output / "alias.css")
    assert locate(output, "/", "/leak.txt") is None
    assert locate(output, "/", "/alias.css") == output / "style.css"


def test_a_redirect_never_leaves_the_site(output):
    (output / "evil.com").mkdir()
    assert locate(output, "/", "//evil.com") is None  # a host, not a path
    assert locate(output, "/", "/%2fevil.com") == "/evil.com/"  # never '//evil.com/'
    assert locate(output, "/", "/%2f%2fevil.com") == "/evil.com/"


def test_requests_for_another_host_are_refused(serving):
    assert serving.get("/", host="evil.example")[0] == 403
    assert serving.get("/", host="127.0.0.1.evil.example:80")[0] == 403
    for host in (f"localhost:{serving.port}", f"127.0.0.1:{serving.port}", "[::1]:8000",
                 "preview.localhost"):
        assert serving.get("/", host=host)[0] == 200, host


def test_when_exposed_on_purpose_any_host_is_answered(output):
    for running in _serve(ServeSettings(output, "/", "0.0.0.0", 0)):
        assert running.get("/", host="laptop.lan:8000")[0] == 200


def test_a_port_in_use_is_a_clear_error(serving, output):
    with pytest.raises(ServeError, match=rf"port {serving.port} is already in use .*--port"):
        PreviewServer(ServeSettings(output, "/", "127.0.0.1", serving.port),
                      lambda changed: Outcome(True))


# ---- the reload channel ---------------------------------------------------------------------

class EventReader:
    """Reads Server-Sent Events from the server over a real connection."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        self.connection.request("GET", "/__sitegen/events")
        self.response = self.connection.getresponse()
        assert self.response.getheader("Content-Type").startswith("text/event-stream")

    def next(self) -> tuple[str, str]:
        name = data = ""
        while True:
            line = self.response.fp.readline().decode().rstrip("\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif line == "" and name:
                return name, data

    def close(self) -> None:
        self.connection.close()


def test_a_page_hears_the_state_then_each_rebuild(serving):
    import json

    events = EventReader(serving.port)
    name, data = events.next()
    first = json.loads(data)
    assert name == "state" and first["errors"] is None
    serving.server.hub.publish(Outcome(True, (), ("blog/post/index.html",)))
    name, data = events.next()
    assert name == "rebuilt"
    assert json.loads(data)["changed"] == ["blog/post/index.html"]
    assert json.loads(data)["build"] != first["build"]
    serving.server.hub.publish(Outcome(False, ("content/posts/a.md:2: bad",)))
    assert events.next() == ("failed", '{"errors": ["content/posts/a.md:2: bad"]}')
    events.close()
    late = EventReader(serving.port)  # a page opened while the build is broken
    name, data = late.next()
    assert name == "state" and json.loads(data)["errors"] == ["content/posts/a.md:2: bad"]
    late.close()


def test_a_crashing_rebuild_is_shown_and_the_server_goes_on(output):
    def rebuild(changed: frozenset[Path]) -> Outcome:
        raise ValueError("boom")

    server = PreviewServer(ServeSettings(output, "/", "127.0.0.1", 0), rebuild)
    server.start()
    try:
        outcome = server.rebuild(frozenset())
        assert outcome == Outcome(False, ("internal error: ValueError: boom",))
        status = Running(server, []).get("/")[0]
        assert status == 200
    finally:
        server.stop()


def test_stop_ends_open_event_streams(output):
    server = PreviewServer(ServeSettings(output, "/", "127.0.0.1", 0), lambda c: Outcome(True))
    server.start()
    events = EventReader(server._http.server_address[1])
    events.next()
    started = time.monotonic()
    server.stop()
    assert events.response.fp.readline() == b""  # the stream ended
    assert time.monotonic() - started < 3
    events.close()


# ---- watching and rebuilding ------------------------------------------------------------------

def test_a_burst_of_changes_makes_one_rebuild_and_ignored_files_none(tmp_path, output):
    sources = tmp_path / "content"
    sources.mkdir()
    settings = ServeSettings(output, "/", "127.0.0.1", 0, (sources, tmp_path / "site.yaml"),
                             lambda path: path.name.endswith("~"))
    for running in _serve(settings):
        calls = running.calls
        stop = threading.Event()
        loop = threading.Thread(target=running.server.run, args=(stop,))
        loop.start()
        try:
            time.sleep(0.2)
            (sources / "a.md~").write_text("backup")
            (output / "index.html").write_text("written by a build")  # not watched
            time.sleep(0.5)
            assert running.calls == []
            for name in ("a.md", "b.md", "c.md"):
                (sources / name).write_text(name)
            (tmp_path / "site.yaml").write_text("title: x")
            _wait_for(lambda calls=calls: calls)
            time.sleep(0.3)
        finally:
            stop.set()
            loop.join()
        assert len(running.calls) == 1
        assert {p.name for p in running.calls[0]} == {"a.md", "b.md", "c.md", "site.yaml"}



def test_changes_behind_symbolic_links_are_seen_under_the_links_names(tmp_path):
    """An author may link a folder or a file kept elsewhere into content/: the system
    watches neither target through the link's folder, the watcher must watch them."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "shared").mkdir(parents=True)
    (elsewhere / "shared" / "a.md").write_text("a")
    (elsewhere / "b.md").write_text("b")
    (elsewhere / "c.md").write_text("c")
    posts = tmp_path / "site" / "content" / "posts"
    posts.mkdir(parents=True)
    (posts / "shared").symlink_to(elsewhere / "shared")
    (posts / "b.md").symlink_to(elsewhere / "b.md")
    (elsewhere / "shared" / "back").symlink_to(posts.parent)  # a loop ends the walk
    (elsewhere / "static").mkdir()
    (tmp_path / "site" / "static").symlink_to(elsewhere / "static")  # a watched folder
    watcher = Watcher((posts.parent, tmp_path / "site" / "static"), lambda path: False)
    watcher.start()
    try:
        time.sleep(0.2)
        (elsewhere / "shared" / "a.md").write_text("edited")
        assert watcher.batch(timeout=5) == {posts / "shared" / "a.md"}
        (elsewhere / "b.md").write_text("edited")
        assert watcher.batch(timeout=5) == {posts / "b.md"}
        (elsewhere / "static" / "style.css").write_text("body {}")
        assert watcher.batch(timeout=5) == {tmp_path / "site" / "static" / "style.css"}
        (elsewhere / "c.md").write_text("edited, but linked from nowhere")
        assert watcher.batch(timeout=0.5) is None
    finally:
        watcher.stop()


def _wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_housekeeping_runs_only_while_no_change_comes(tmp_path, output):
    sources = tmp_path / "content"
    sources.mkdir()
    log: list[str] = []

    def rebuild(changed: frozenset[Path]) -> Outcome:
        log.append("rebuild")
        return Outcome(True)

    server = PreviewServer(ServeSettings(output, "/", "127.0.0.1", 0, (sources,)), rebuild,
                           lambda: log.append("idle"))
    server.start()
    stop = threading.Event()
    loop = threading.Thread(target=server.run, args=(stop,))
    loop.start()
    try:
        _wait_for(lambda: "idle" in log)
        log.clear()
        (sources / "a.md").write_text("a")
        _wait_for(lambda: "rebuild" in log and log[-1] == "idle")
        assert log[log.index("rebuild") + 1] == "idle"  # after the reload was published
    finally:
        stop.set()
        loop.join()
        server.stop()


def test_a_server_stopped_before_it_served_stops_at_once(tmp_path, output):
    """Ctrl-C during the preview's first build stops a server whose loop never ran (a
    socket server's shutdown() would wait for that loop forever)."""
    server = PreviewServer(ServeSettings(output, "/", "127.0.0.1", 0, (tmp_path,)),
                           lambda changed: Outcome(True))
    server.watch()  # the preview watches during its first build
    stopping = threading.Thread(target=server.stop, daemon=True)
    stopping.start()
    stopping.join(timeout=10)
    assert not stopping.is_alive()
