"""The self-updating live page in headless Chromium, against a static server as a host would
serve it: an update posted with `sitegen live add` and built appears without a reload, waits
behind a button when the reader has scrolled away, the status follows the (injected) clock,
polling stops once the event is over, and the video is fetched only on request."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitegen.build import BuildOptions, build
from tests.browser import chromium, static_server
from tests.conftest import SITE_YAML

pytestmark = pytest.mark.browser
FAST = "?live-interval=200"


def event_file(start: datetime, end: datetime, updates: int = 1) -> str:
    text = (f"---\ntitle: Balade du canal\nstart: {start.isoformat()}\nend: {end.isoformat()}\n"
            "timezone: Europe/Paris\nvideo: https://vimeo.com/76979871\n---\n\nIntro.\n")
    for n in range(updates):
        stamp = (start + timedelta(minutes=n)).isoformat(sep=" ", timespec="seconds")
        text += f"\n## {stamp} | alice\n\nMise à jour numéro {n}.\n\n" + "Du texte. " * 40 + "\n"
    return text


class Live:
    def __init__(self, root: Path, url: str):
        self.root, self.url = root, url

    def add(self, text: str) -> None:
        result = subprocess.run([sys.executable, "-m", "sitegen", "live", "add", "balade", text,
                                 "--author", "bob"], cwd=self.root, capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        build(BuildOptions(self.root))


def serve(root: Path, text: str) -> Iterator[Live]:
    (root / "content/live").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML)
    (root / "content/live/balade.md").write_text(text)
    build(BuildOptions(root))
    with static_server(root / "public") as url:
        yield Live(root, url)


@pytest.fixture
def live_now(tmp_path) -> Iterator[Live]:
    now = datetime.now(UTC).replace(microsecond=0)
    yield from serve(tmp_path / "site", event_file(now - timedelta(hours=1),
                                                   now + timedelta(hours=2), updates=12))


def open_page(context, url: str, requests: list[str] | None = None):
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    if requests is not None:
        page.on("request", lambda r: requests.append(r.url))
    # Nothing leaves the machine: a request elsewhere would fail (and be seen in `requests`).
    page.route(lambda u: urlsplit(u).hostname != "127.0.0.1", lambda route: route.abort())
    page.goto(url)
    return page, errors


def test_a_new_update_appears_without_a_reload(live_now):
    with chromium() as context:
        page, errors = open_page(context, live_now.url + "/live/balade/" + FAST)
        page.evaluate("window.notReloaded = true")
        assert page.locator("[data-live-update]").count() == 12
        live_now.add("Le **pique-nique** est servi.")
        newest = page.locator("[data-live-update]").first
        newest.locator("text=pique-nique").wait_for(timeout=10_000)
        assert page.evaluate("window.notReloaded") is True
        assert page.locator("[data-live-update]").count() == 13
        assert "Bob Durand" in newest.inner_text()
        assert page.locator("[data-live-announce]").inner_text() == "1 nouvelle mise à jour"
        assert page.locator("[data-live-new]").is_hidden()
        assert errors == []


def test_new_updates_wait_behind_a_button_when_the_reader_scrolled_away(live_now):
    with chromium(viewport={"width": 800, "height": 600}) as context:
        page, errors = open_page(context, live_now.url + "/live/balade/" + FAST)
        reading = page.locator("[data-live-update]").nth(6)
        reading.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        scrolled = page.evaluate("scrollY")
        where = reading.bounding_box()
        assert scrolled > 0
        live_now.add("Crevaison au kilomètre 12.")
        button = page.locator("[data-live-new]")
        button.wait_for(state="visible", timeout=10_000)
        assert button.inner_text() == "1 nouvelle mise à jour"
        assert page.locator("[data-live-update]").count() == 12  # nothing moved
        assert page.evaluate("scrollY") == scrolled
        assert reading.bounding_box() == where
        button.click()
        assert page.locator("[data-live-update]").count() == 13
        assert "Crevaison" in page.locator("[data-live-update]").first.inner_text()
        assert page.evaluate("document.activeElement.dataset.liveUpdate") is not None
        assert errors == []


def test_status_flips_to_live_as_the_clock_passes_the_start(tmp_path):
    start = datetime(2030, 6, 1, 8, 0, tzinfo=UTC)
    for live in serve(tmp_path / "site", event_file(start, start + timedelta(hours=8), 0)):
        clock = (start - timedelta(seconds=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
        with chromium() as context:
            page, errors = open_page(context, f"{live.url}/live/balade/?live-clock={clock}")
            status = page.locator("[data-live] [data-live-status]")
            assert status.get_attribute("data-live-status") == "upcoming"
            assert page.locator("[data-live-badge]").text_content() == "À venir"
            assert page.locator("[data-live-countdown]").text_content().startswith("Commence dans")
            page.wait_for_function(
                "document.querySelector('[data-live] [data-live-status]').dataset.liveStatus"
                " === 'live'", timeout=10_000)
            assert page.locator("[data-live-badge]").text_content() == "En direct"
            assert page.locator("[data-live-countdown]").text_content() == ""
            # The home page's banner, hidden by the build (upcoming), shows when live.
            home, _ = open_page(context, f"{live.url}/?live-clock={clock}")
            banner = home.locator("[data-live-banner]")
            assert banner.is_hidden()
            banner.wait_for(state="visible", timeout=10_000)
            assert errors == []


def test_polling_stops_once_the_event_is_over(tmp_path):
    start = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
    for live in serve(tmp_path / "site", event_file(start, start + timedelta(hours=8), 1)):
        requests: list[str] = []
        with chromium() as context:
            page, errors = open_page(context, f"{live.url}/live/balade/{FAST}", requests)
            page.wait_for_timeout(1500)
            assert not [u for u in requests if "updates.json" in u]
            assert page.locator("[data-live-badge]").text_content() == "Terminé"
            assert errors == []


def test_polls_use_a_time_bucket_and_the_video_loads_only_on_request(live_now):
    requests: list[str] = []
    with chromium() as context:
        page, errors = open_page(context, live_now.url + "/live/balade/" + FAST, requests)
        page.wait_for_timeout(800)
        polls = [u for u in requests if "updates.json" in u]
        assert polls and all("?b=" in u for u in polls)
        assert {urlsplit(u).hostname for u in requests} == {"127.0.0.1"}
        assert page.locator("iframe").count() == 0
        page.get_by_role("button", name="Lancer la vidéo ici").click()
        assert page.locator("iframe.live-video-player").get_attribute("src") == \
            "https://player.vimeo.com/video/76979871"
        time.sleep(0.2)
        assert any(urlsplit(u).hostname == "player.vimeo.com" for u in requests)
        assert errors == []


def test_with_sitegen_serve_an_update_reaches_the_open_page(tmp_path):
    from sitegen.preview import PreviewOptions
    from tests.test_preview import _running

    root = tmp_path / "site"
    (root / "content/live").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML)
    now = datetime.now(UTC).replace(microsecond=0)
    (root / "content/live/balade.md").write_text(
        event_file(now - timedelta(hours=1), now + timedelta(hours=2)))
    for preview, _ in _running(PreviewOptions(root, port=0), root):
        with chromium() as context:
            page, errors = open_page(context, preview.url.rstrip("/") + "/live/balade/")
            result = subprocess.run([sys.executable, "-m", "sitegen", "live", "add", "balade",
                                     "Vu depuis la prévisualisation."], cwd=root,
                                    capture_output=True, text=True, timeout=60)
            assert result.returncode == 0, result.stderr
            page.locator("text=Vu depuis la prévisualisation.").wait_for(timeout=15_000)
            assert errors == []
