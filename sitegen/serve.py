"""The preview server: serves one output folder to the local machine, rebuilds when the
sources change, and tells open pages through the reload channel.

It knows nothing about the build (STYLE.md): it is given the paths to watch and a `rebuild`
callable from the changed paths to an `Outcome`. It serves nothing outside the output folder,
whatever the request, and by default answers only requests addressed to this machine.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import mimetypes
import os
import queue
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from sitegen.livereload import CLIENT_PATH, CLIENT_SCRIPT, EVENTS_PATH, Outcome, ReloadHub, inject
from sitegen.watch import Watcher

__all__ = ["Outcome", "PreviewServer", "ServeError", "ServeSettings", "locate"]
Rebuild = Callable[[frozenset[Path]], Outcome]
KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream (proxies close silent ones)


class ServeError(Exception):
    """The server cannot start; the message says why and what to do."""


def _never(path: Path) -> bool:
    return False


@dataclass(frozen=True)
class ServeSettings:
    """What the preview server serves and watches, given by `preview`: it knows no build."""

    output: Path  # the folder served
    prefix: str = "/"  # the site's sub-path, e.g. '/blog/' (from its base_url)
    host: str = "127.0.0.1"
    port: int = 8000
    watched: tuple[Path, ...] = ()  # files, and folders watched with everything inside
    ignore: Callable[[Path], bool] = field(default=_never)  # changes that need no rebuild

    @property
    def exposed(self) -> bool:
        """Listening beyond this machine (the author asked for it with --host)."""
        return not _is_loopback(self.host)


class PreviewServer:
    """Binds at construction (so a port in use is reported at once); `run()` serves and
    rebuilds until interrupted; `stop()` ends everything."""

    def __init__(self, settings: ServeSettings, rebuild: Rebuild,
                 idle: Callable[[], Outcome | None] | None = None):
        """`idle` runs whenever no change has come for a moment (every 0.2 s): housekeeping
        that must not delay a rebuild or its reload. What it returns, if anything, is
        published like a rebuild's outcome."""
        self.settings = settings
        self.hub = ReloadHub()
        self._rebuild = rebuild
        self._idle = idle
        self._http = _bind(settings, self.hub)
        # A short poll keeps Ctrl-C and stop() prompt; its cost is a wake-up every 0.1 s.
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.1,),
                                        name="sitegen-http", daemon=True)
        self._watcher = Watcher(settings.watched, settings.ignore)
        self._watching = False

    @property
    def url(self) -> str:
        host, port = str(self._http.server_address[0]), self._http.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}{quote(self.settings.prefix)}"

    def start(self) -> None:
        self._thread.start()
        self.watch()

    def watch(self) -> None:
        """Start watching (before the first build, so that no change made during it is
        missed); `start` does it too."""
        if not self._watching:
            self._watching = True
            self._watcher.start()

    def run(self, until: threading.Event | None = None) -> None:
        """Rebuild after each burst of changes, until `until` is set (or Ctrl-C)."""
        while until is None or not until.is_set():
            changed = self._watcher.batch(timeout=0.2)
            if changed:
                self.rebuild(frozenset(changed))
            elif self._idle is not None:
                outcome = _safely(self._idle)
                if outcome is not None:
                    self.hub.publish(outcome)

    def rebuild(self, changed: frozenset[Path]) -> Outcome:
        outcome = _safely(lambda: self._rebuild(changed))
        assert outcome is not None
        self.hub.publish(outcome)
        return outcome

    def stop(self) -> None:
        self.hub.close()
        if self._watching:
            self._watcher.stop()
        if self._thread.ident is not None:  # shutdown() waits for a loop that never ran
            self._http.shutdown()
        self._http.server_close()
        self._http.close_connections()


def _safely(call: Callable[[], Outcome | None]) -> Outcome | None:
    try:
        return call()
    except Exception as exc:  # a bug in the build must not take the preview down
        return Outcome(False, (f"internal error: {type(exc).__name__}: {exc}",))


def _bind(settings: ServeSettings, hub: ReloadHub) -> _HttpServer:
    try:
        return _HttpServer(settings, hub)
    except OSError as exc:
        where = f"{settings.host}:{settings.port}"
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {settings.port} is already in use on {settings.host}: stop "
                             f"the other server or pass --port {settings.port + 1}") from None
        if exc.errno == errno.EACCES:
            raise ServeError(f"not allowed to listen on {where}: choose a port above "
                             "1023") from None
        raise ServeError(f"cannot listen on {where}: {exc.strerror or exc}") from None


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not keep the process alive

    def __init__(self, settings: ServeSettings, hub: ReloadHub):
        self.settings, self.hub = settings, hub
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self.address_family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
        super().__init__((settings.host, settings.port), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Close kept-alive connections too: a browser would otherwise go on talking to this
        stopped server's threads instead of reconnecting to the next one."""
        with self._open_lock:
            for connection in self._open:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)


def locate(output: Path, prefix: str, target: str) -> Path | str | None:
    """The file a request target names inside `output`; a str is where to redirect (the
    folder's URL with its slash, or the site's sub-path); None: nothing to serve.

    The path is decoded once and then taken literally: no segment may be '.' or '..' and no
    backslash or NUL may appear, and the real path (symbolic links followed) must stay inside
    the output folder.
    """
    path = urlsplit(target).path  # also takes the path out of 'http://host/...' targets
    decoded = unquote(path, errors="replace")
    if not decoded.startswith("/") or "\x00" in decoded or "\\" in decoded:
        return None
    if not decoded.startswith(prefix):
        return quote(prefix) if decoded == "/" or decoded + "/" == prefix else None
    parts = [part for part in decoded[len(prefix):].split("/") if part]
    if any(part in (".", "..") for part in parts):
        return None
    base = os.path.realpath(output)
    real = os.path.realpath(os.path.join(base, *parts))
    if real != base and not real.startswith(base + os.sep):
        return None
    if os.path.isdir(real):
        if not decoded.endswith("/"):  # relative links in the page need the slash
            return quote(prefix + "".join(part + "/" for part in parts))
        real = os.path.join(real, "index.html")
    return Path(real) if os.path.isfile(real) else None


class _Handler(BaseHTTPRequestHandler):
    server: _HttpServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal shows builds, not every request

    def _answer(self, with_body: bool) -> None:
        settings, hub = self.server.settings, self.server.hub
        if not (settings.exposed or _addressed_to_this_machine(self.headers.get("Host"))):
            self._send(403, "text/plain; charset=utf-8",
                       b"sitegen serve answers only requests for this machine (localhost)\n",
                       with_body)
            return
        path = urlsplit(self.path).path
        if path == EVENTS_PATH:
            self._stream(hub)
            return
        if path == CLIENT_PATH:
            self._send(200, "text/javascript; charset=utf-8", CLIENT_SCRIPT, with_body)
            return
        found = locate(settings.output, settings.prefix, self.path)
        if isinstance(found, str):
            self.send_response(301)
            self.send_header("Location", found)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif found is not None:
            self._send_file(200, found, with_body)
        elif isinstance(page := locate(settings.output, settings.prefix,
                                       settings.prefix + "404.html"), Path):
            self._send_file(404, page, with_body)
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found\n", with_body)

    def _send_file(self, status: int, path: Path, with_body: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError:  # removed by a rebuild between locating and reading
            self._send(404, "text/plain; charset=utf-8", b"not found\n", with_body)
            return
        kind = _content_type(path)
        if kind.startswith("text/html"):
            data = inject(data, self.server.hub.client_tag(self.server.settings.prefix))
        self._send(status, kind, data, with_body)

    def _send(self, status: int, kind: str, data: bytes, with_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")  # a preview is always the latest build
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def _stream(self, hub: ReloadHub) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")  # the stream ends with the connection
        self.end_headers()
        self.close_connection = True
        listener = hub.listen()
        try:
            # Reconnect quickly after the server restarts; then the state of the last build.
            self.wfile.write(b"retry: 1000\n\n" + hub.state_event())
            self.wfile.flush()
            while True:
                try:
                    event = listener.get(timeout=KEEP_ALIVE)
                except queue.Empty:
                    event = b": keep-alive\n\n"
                if event is None:
                    break
                self.wfile.write(event)
                self.wfile.flush()
        except OSError:
            pass  # the page went away
        finally:
            hub.forget(listener)


def _content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json",
                                            "application/xml", "image/svg+xml"):
        kind += "; charset=utf-8"
    return kind


def _is_loopback(host: str) -> bool:
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _addressed_to_this_machine(host_header: str | None) -> bool:
    """A request whose Host names another machine is a DNS-rebinding attempt: a page of some
    web site using the author's browser to read the preview (drafts included)."""
    if host_header is None:
        return True  # HTTP/1.0 tools; browsers always send Host
    host = host_header.strip()
    if host.startswith("["):
        name = host[1:host.find("]")] if "]" in host else host
    else:
        name = host.rsplit(":", 1)[0]
    return _is_loopback(name)
