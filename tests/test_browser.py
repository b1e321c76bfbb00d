"""The demo site in a real browser: it renders with its styles, needs no JavaScript, makes
no third-party request, and is usable with the keyboard."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from sitegen.build import BuildOptions, build
from tests.browser import chromium, static_server
from tests.test_demo_site import copy_demo

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> str:
    source = tmp_path_factory.mktemp("demo-browser")
    copy_demo(source)
    build(BuildOptions(source))
    with static_server(source / "public") as url:
        yield url


def test_demo_renders_without_javascript_or_third_parties(demo_url):
    requested: list[str] = []
    with chromium(java_script_enabled=False) as context:
        page = context.new_page()
        page.on("request", lambda request: requested.append(request.url))
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        response = page.goto(demo_url + "/")
        assert response is not None and response.ok
        assert page.title() == "Les Cyclistes du Canal"
        cards = page.locator("article.post-card")
        assert cards.count() == 6  # paginate: 6 in the demo's site.yaml
        # The stylesheet applied: the skip link waits out of the layout until focused.
        position = page.locator(".skip-link").evaluate("e => getComputedStyle(e).position")
        assert position in ("absolute", "fixed")
        cards.first.locator("h2 a").click()
        page.wait_for_load_state()
        assert page.locator("main h1").count() == 1
        assert page.locator("article .post-body p").count() > 0
        assert errors == []
    hosts = {urlsplit(u).hostname for u in requested}
    assert hosts == {"127.0.0.1"}, hosts


def test_skip_link_is_the_first_tab_stop_and_leads_to_main(demo_url):
    with chromium() as context:
        page = context.new_page()
        page.goto(demo_url + "/2025/05/carte-points-noirs/")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        assert "skip-link" in focused
        assert page.locator(".skip-link").is_visible()
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"


def test_404_page_is_served_and_links_home(demo_url):
    with chromium() as context:
        page = context.new_page()
        page.goto(demo_url + "/404.html")
        assert page.locator("h1").inner_text() == "Page introuvable"
        page.locator("main a", has_text="Retour à l’accueil").click()
        page.wait_for_load_state()
        assert urlsplit(page.url).path == "/"


def test_small_screen_has_no_horizontal_scroll(demo_url):
    with chromium(viewport={"width": 360, "height": 740}) as context:
        page = context.new_page()
        for path in ["/", "/2025/05/carte-points-noirs/", "/tags/"]:
            page.goto(demo_url + path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, (path, overflow)
