"""`sitegen serve` end to end: a real site, the real build, the real server, headless Chromium."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.build import BuildOptions
from sitegen.cli import main
from sitegen.preview import PreviewOptions, preview_output, run_preview
from sitegen.serve import PreviewServer
from tests.browser import chromium
from tests.conftest import post

LONG_BODY = "\n\n".join(f"Paragraphe {i} : du texte pour pouvoir défiler." for i in range(60))
ORIGINAL = "Texte d’origine du billet."
EDITED = "Texte modifié pendant la prévisualisation."


class Preview:
    def __init__(self, server: PreviewServer, messages: list[str]):
        self.server, self.messages = server, messages
        self.url = server.url


@pytest.fixture
def preview(make_site) -> Iterator[tuple[Preview, Path]]:
    site = make_site({
        "content/posts/a.md": post("Premier billet", body=f"{ORIGINAL}\n\n{LONG_BODY}",
                                   slug="premier"),
        "content/posts/b.md": post("Brouillon", body="Pas encore prêt.", draft="true",
                                   slug="brouillon"),
        "content/posts/c.md": post("Plus tard", date="2999-01-01", body="Un jour.",
                                   slug="plus-tard"),
    })
    yield from _running(PreviewOptions(site.root, port=0), site.root)


def _running(options: PreviewOptions, root: Path) -> Iterator[tuple[Preview, Path]]:
    messages: list[str] = []
    started: list[PreviewServer] = []
    stop = threading.Event()
    thread = threading.Thread(target=run_preview,
                              args=(options, messages.append, started.append, stop))
    thread.start()
    deadline = time.monotonic() + 30
    while not started:
        assert thread.is_alive() and time.monotonic() < deadline, messages
        time.sleep(0.02)
    try:
        yield Preview(started[0], messages), root
    finally:
        stop.set()
        thread.join(timeout=10)


def _page_url(preview: Preview, path: str) -> str:
    return preview.url.rstrip("/") + path


def test_the_preview_is_built_apart_with_drafts_and_their_banners(preview):
    _, root = preview
    out = preview_output(root)
    assert not (root / "public").exists()  # a deploy folder never gets a preview's drafts
    draft = (out / "2025/03/brouillon/index.html").read_text()
    assert "Brouillon" in draft and 'class="notice"' in draft
    assert 'class="notice"' in (out / "2999/01/plus-tard/index.html").read_text()
    assert "__sitegen" not in (out / "2025/03/premier/index.html").read_text()


@pytest.mark.browser
def test_edits_errors_and_fixes_reach_the_open_page(preview):
    running, root = preview
    source = root / "content/posts/a.md"
    with chromium() as context:
        page = context.new_page()
        page.goto(_page_url(running, "/2025/03/premier/"))
        assert page.get_by_text(ORIGINAL).is_visible()
        page.evaluate("window.scrollTo(0, 700)")
        page.wait_for_function("window.scrollY >= 690")

        source.write_text(post("Premier billet", body=f"{EDITED}\n\n{LONG_BODY}",
                               slug="premier"), encoding="utf-8")
        page.get_by_text(EDITED).wait_for(state="attached", timeout=10_000)
        page.wait_for_function("window.scrollY >= 690", timeout=5_000)  # the place is kept

        source.write_text("---\ntitle: [pas fermé\ndate: 2025-03-21\n---\nTexte.\n",
                          encoding="utf-8")
        overlay = page.locator("#sitegen-errors")
        overlay.wait_for(timeout=10_000)
        assert "content/posts/a.md:2:" in overlay.inner_text()
        assert any("content/posts/a.md:2:" in line for line in running.messages)
        assert EDITED in page.content()  # the last good build is still there

        source.write_text(post("Premier billet", body=ORIGINAL, slug="premier"),
                          encoding="utf-8")
        overlay.wait_for(state="detached", timeout=10_000)
        page.get_by_text(ORIGINAL).wait_for(timeout=10_000)


@pytest.mark.browser
def test_a_stylesheet_change_swaps_the_css_without_reloading(preview):
    running, root = preview
    with chromium() as context:
        page = context.new_page()
        page.goto(_page_url(running, "/2025/03/premier/"))
        page.evaluate("window.notReloaded = true")
        css = root / "static/css/style.css"
        css.parent.mkdir(parents=True, exist_ok=True)
        css.write_text("body { background-color: rgb(1, 2, 3); }\n", encoding="utf-8")
        page.wait_for_function(
            "getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'",
            timeout=10_000)
        assert page.evaluate("window.notReloaded === true")


@pytest.mark.browser
def test_a_page_reconnects_and_catches_up_after_the_server_restarts(make_site):
    site = make_site({"content/posts/a.md": post("Premier billet", body=ORIGINAL,
                                                 slug="premier")})
    with chromium() as context:
        page = context.new_page()
        first = _running(PreviewOptions(site.root, port=0), site.root)
        running, _ = next(first)
        port = running.server._http.server_address[1]
        page.goto(_page_url(running, "/2025/03/premier/"))
        page.get_by_text(ORIGINAL).wait_for()
        next(first, None)  # stop the server
        (site.root / "content/posts/a.md").write_text(
            post("Premier billet", body=EDITED, slug="premier"), encoding="utf-8")
        second = _running(PreviewOptions(site.root, port=port), site.root)
        next(second)
        page.get_by_text(EDITED).wait_for(timeout=15_000)
        next(second, None)


def test_serve_reports_a_port_in_use_in_one_line(make_site, capsys):
    site = make_site({"content/posts/a.md": post()})
    for running, _ in _running(PreviewOptions(site.root, port=0), site.root):
        port = running.server._http.server_address[1]
        assert main(["serve", "--source", str(site.root), "--port", str(port)]) == 1
        error = capsys.readouterr().err.strip()
        assert error == (f"sitegen: port {port} is already in use on 127.0.0.1: stop the "
                         f"other server or pass --port {port + 1}")


def test_serve_with_a_broken_site_yaml_says_what_to_fix(make_site, capsys):
    site = make_site(site_yaml="title: [\n")
    assert main(["serve", "--source", str(site.root), "--port", "0"]) == 1
    error = capsys.readouterr().err
    assert "site.yaml:" in error and "Traceback" not in error


def test_serve_stops_cleanly_on_sigterm_even_after_a_parallel_build(make_site):
    """Build workers inherit the preview's SIGTERM handler: their pool ending them must not
    print tracebacks in the author's terminal."""
    import signal
    import subprocess
    import sys

    posts = {f"content/posts/p{i}.md": post(f"Billet {i}", body=f"Texte {i}.", slug=f"p{i}")
             for i in range(260)}  # enough for the build to use worker processes
    site = make_site(posts)
    server = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--source",
                               str(site.root), "--port", "0"], stderr=subprocess.PIPE,
                              text=True, env={**__import__("os").environ,
                                              "SITEGEN_WORKERS": "2"})
    assert server.stderr is not None
    stream = server.stderr
    lines: list[str] = []
    serving = threading.Event()

    def read() -> None:
        for line in stream:
            lines.append(line)
            if line.startswith("serving "):
                serving.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not serving.wait(timeout=180):  # never hang the suite: fail with what it printed
        server.kill()
        pytest.fail("the preview did not start:\n" + "".join(lines))
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=20) == 0
    reader.join(timeout=10)
    output = "".join(lines)
    assert "Traceback" not in output and output.rstrip().endswith("stopped"), output


def test_housekeeping_collects_young_objects_first_and_everything_once_quiet():
    import gc

    from sitegen.preview import Housekeeping

    now = [100.0]
    housekeeping = Housekeeping(clock=lambda: now[0])
    generations: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            generations.append(info["generation"])

    collecting = gc.isenabled()
    gc.disable()  # as in the preview: only housekeeping collects
    gc.callbacks.append(seen)
    try:
        housekeeping.idle()
        assert generations == []  # nothing rebuilt: nothing to collect
        housekeeping.rebuilt()
        housekeeping.idle()
        assert generations == [1]  # the rebuild's young objects, at once
        now[0] += 1.0
        housekeeping.idle()
        assert generations == [1]  # not quiet for long enough to walk everything
        now[0] += Housekeeping.QUIET_FOR_FULL
        housekeeping.idle()
        housekeeping.idle()
        assert generations == [1, 2]  # once
    finally:
        gc.callbacks.remove(seen)
        if collecting:
            gc.enable()


@pytest.mark.parametrize("debug", [False, True])
def test_a_crashing_rebuild_is_told_in_the_terminal_as_in_the_pages(make_site, monkeypatch,
                                                                     debug):
    """A bug in the build (stood in for by a build that raises) must reach the author's
    terminal, not only the overlay of open pages; --debug prints the traceback."""
    import sitegen.preview

    site = make_site({"content/posts/a.md": post("Billet", body="Texte.")})

    def crashing_build(*args: object) -> None:
        raise KeyError("broken")
    monkeypatch.setattr(sitegen.preview, "build", crashing_build)
    said: list[str] = []
    rebuild = sitegen.preview.rebuilder(BuildOptions(site.root), said.append, debug=debug)
    outcome = rebuild(frozenset())
    assert not outcome.ok
    assert outcome.errors == ("internal error: KeyError: 'broken'",)
    assert len(said) == 1
    if debug:
        assert said[0].startswith("Traceback (most recent call last):")
        assert "crashing_build" in said[0]
    else:
        assert said[0].startswith("internal error: KeyError: 'broken' (a bug in sitegen")
        assert "\n" not in said[0]
