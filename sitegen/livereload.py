"""The reload channel of the preview: the state of the last rebuild, the Server-Sent Events
sent to open pages, and the client script added to HTML responses (never to the output)."""

from __future__ import annotations

import html
import json
import queue
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

CLIENT_PATH = "/__sitegen/livereload.js"
EVENTS_PATH = "/__sitegen/events"
CLIENT_SCRIPT = (Path(__file__).with_name("livereload.js")).read_bytes()
_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Outcome:
    """What a rebuild tells the open pages."""

    ok: bool
    errors: tuple[str, ...] = ()  # 'path:line: message', as the terminal shows them
    changed: tuple[str, ...] | None = None  # output files changed; None: unknown (all)


class ReloadHub:
    """The last rebuild's state, and one queue of events per open page. Thread-safe: the
    watch loop publishes while request threads stream."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: set[queue.Queue[bytes | None]] = set()
        # Unique across server runs: a page from before a restart reloads on reconnecting.
        self._run = f"{time.time_ns():x}"
        self._count = 0
        self._errors: tuple[str, ...] = ()

    @property
    def build_id(self) -> str:
        return f"{self._run}-{self._count}"

    def state_event(self) -> bytes:
        """The event a page receives when it connects."""
        with self._lock:
            return _event("state", {"build": self.build_id, "errors": list(self._errors) or None})

    def publish(self, outcome: Outcome) -> None:
        with self._lock:
            if outcome.ok:
                self._count += 1
                self._errors = ()
                event = _event("rebuilt", {"build": self.build_id, "changed":
                                           None if outcome.changed is None
                                           else list(outcome.changed)})
            else:
                self._errors = outcome.errors
                event = _event("failed", {"errors": list(outcome.errors)})
            for listener in self._listeners:
                listener.put(event)

    def listen(self) -> queue.Queue[bytes | None]:
        listener: queue.Queue[bytes | None] = queue.Queue()
        with self._lock:
            self._listeners.add(listener)
        return listener

    def forget(self, listener: queue.Queue[bytes | None]) -> None:
        with self._lock:
            self._listeners.discard(listener)

    def close(self) -> None:
        """End every stream (the server is stopping)."""
        with self._lock:
            for listener in self._listeners:
                listener.put(None)

    def client_tag(self, prefix: str) -> bytes:
        return (f'<script src="{CLIENT_PATH}" data-prefix="{html.escape(prefix)}" '
                f'data-build="{self.build_id}" defer></script>').encode()


def _event(name: str, data: object) -> bytes:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def inject(page: bytes, tag: bytes) -> bytes:
    """Add the client to a page: before </head>, else before </body>, else at the end (a page
    without either still gets it, unlike preview servers that need a <body>)."""
    for end in (_HEAD_END, _BODY_END):
        found = end.search(page)
        if found:
            return page[:found.start()] + tag + page[found.start():]
    return page + tag
