"""Campaigns in the hub, built for real: who belongs (posts, the live event), the landing page
and the index, the campaign feeds, the badge on member posts, the hashtag and utm_campaign in
every share text, and one broken file per mistake, each with its exact message."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from urllib.parse import parse_qs, unquote, urlsplit

import feedparser
import pytest

from tests.campaign_site import FILES, PLANT, make_hub
from tests.conftest import post
from tests.test_qrcodes import decode, rasterize


@pytest.fixture
def hub(make_site, monkeypatch):
    site = make_hub(make_site, monkeypatch)
    site.build()
    return site


def test_posts_and_the_live_event_belong_to_the_campaign(hub):
    landing = hub.read("campaigns/plant/index.html")
    listed = re.findall(r'<h3 class="post-card-title"><a href="([^"]+)"', landing)
    assert listed == ["/2026/05/b/", "/2026/05/a/"]  # newest first, and only the members
    # The event the campaign names is on its landing page, status and key moments.
    assert 'id="campaign-live-fete"><a href="/live/fete/">Fête de la plantation</a>' in landing
    assert 'data-live-status="ended"' in landing
    assert '<a href="/live/fete/#u-20260510-080500"><time datetime="2026-05-10T10:05:00+02:00">' \
        in landing and "Premier arbre planté</a>" in landing
    for page in ("2026/05/a/index.html", "2026/05/b/index.html"):
        badge = re.search(r'<p class="campaign-badge">.*?</p>', hub.read(page)).group(0)
        assert 'href="/campaigns/plant/">Plantons des arbres</a>' in badge
        assert "#PlantonsDesArbres" in badge
    assert "campaign-badge" not in hub.read("2025/01/autre/index.html")


def test_the_landing_page(hub):
    page = hub.read("campaigns/plant/index.html")
    body = re.search(r"<body[^>]*>", page).group(0)
    assert "data-campaign-look" in body
    assert "--campaign-accent: #467546" in body  # the given #7fd47f is too light for text
    assert '--campaign-image: url(&#34;/images/tree.svg&#34;)' in body
    assert '<div class="campaign-hero-image" role="img" aria-label="Un chêne dessiné">' in page
    assert '<a class="campaign-cta" href="https://example.com/plant">Je plante mon arbre</a>' \
        in page
    assert "du 1 mai 2026 au 31 mai 2026" in page
    assert "<p>Chaque arbre compte." in page
    assert ('<a href="https://mairie.example.org/"><img class="partner-logo" '
            'src="/images/tree.svg" alt=""') in page
    assert '<span class="partner-name">Arbres &amp; Cie</span>' in page
    assert ('<a href="https://news.example.org/a">Des arbres partout</a> <span class='
            '"coverage-meta">La Dépêche, <time datetime="2026-05-03T00:00:00+02:00">3 mai 2026'
            '</time></span>') in page
    assert '<a href="/campaigns/plant/qr.svg">' in page
    assert '<meta property="og:title" content="Plantons des arbres">' in page
    assert '<meta property="og:url" content="https://example.org/campaigns/plant/">' in page
    assert 'href="https://example.org/campaigns/plant/atom.xml"' in page  # autodiscovery
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                page).group(1))
    assert data["@type"] == "CollectionPage"
    assert [p["url"] for p in data["hasPart"]] == ["https://example.org/2026/05/b/",
                                                    "https://example.org/2026/05/a/"]
    assert data["keywords"] == ["#PlantonsDesArbres"]


def test_the_index_the_navigation_and_the_sitemap(hub):
    index = hub.read("campaigns/index.html")
    assert '<a href="/campaigns/plant/">Plantons des arbres</a>' in index
    assert "2 billets" in index
    assert '<li><a href="/campaigns/">Campagnes</a></li>' in hub.read("index.html")
    sitemap = hub.read("sitemap.xml")
    assert "<loc>https://example.org/campaigns/</loc>" in sitemap
    assert "<loc>https://example.org/campaigns/plant/</loc>" in sitemap


def test_campaign_feeds_are_valid_and_hold_its_posts(hub):
    for name in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse((hub.output / "campaigns/plant" / name).read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.feed.title == "Test site · Plantons des arbres"
        assert [e.link for e in parsed.entries] == ["https://example.org/2026/05/b/",
                                                   "https://example.org/2026/05/a/"]
    feed = json.loads(hub.read("campaigns/plant/feed.json"))
    assert len(feed["items"]) == 2


def _textareas(page: str) -> dict[str, str]:
    return {platform: html.unescape(text) for platform, text in re.findall(
        r'<textarea id="snippet-([a-z]+)"[^>]*>(.*?)</textarea>', page, re.S)}


def test_share_texts_carry_the_hashtag_and_the_campaign(hub):
    texts = _textareas(hub.read("2026/05/a/index.html"))
    assert set(texts) == {"mastodon", "bluesky", "x"}
    for platform, text in texts.items():
        assert "#PlantonsDesArbres" in text, platform
        link = text.split("\n")[-1]
        assert parse_qs(urlsplit(link).query)["utm_campaign"] == ["plant"], platform
    rows = json.loads(hub.read("share/snippets.json"))["snippets"]
    members = [r for r in rows if r["post_url"].startswith("https://example.org/2026/")]
    assert members and all("#PlantonsDesArbres" in r["text"] for r in members)
    assert all("utm_campaign=plant" in r["url"] for r in members)
    other = [r for r in rows if r["post_url"].endswith("/autre/")]
    assert other and not any("#PlantonsDesArbres" in r["text"] for r in other)
    # The live event's updates, shared from its page.
    live = hub.read("live/fete/index.html")
    intents = [unquote(u) for u in re.findall(r'href="(https://bsky.app/intent/[^"]+)"', live)]
    assert intents and all("#PlantonsDesArbres" in u and "utm_campaign=plant" in u
                           for u in intents)
    # The landing page's own share links.
    landing = hub.read("campaigns/plant/index.html")
    shared = unquote(re.search(r'href="(https://share.joinmastodon.org/[^"]+)"',
                               landing).group(1))
    assert "#PlantonsDesArbres" in shared and "utm_campaign=plant" in shared


def test_editing_the_hashtag_refreshes_the_share_kits(hub):
    (hub.root / "content/campaigns/plant.md").write_text(
        PLANT.replace("#PlantonsDesArbres", "ArbresEnVille"))
    hub.build()
    text = _textareas(hub.read("2026/05/b/index.html"))["mastodon"]
    assert "#ArbresEnVille" in text and "#PlantonsDesArbres" not in text
    assert "#ArbresEnVille" in hub.read("share/snippets.csv")


def test_the_landing_page_has_a_qr_code_of_its_print_tagged_link(hub):
    [url] = decode(rasterize(hub.read("campaigns/plant/qr.svg")))
    assert url == ("https://example.org/campaigns/plant/?utm_source=qr&utm_medium=print"
                   "&utm_campaign=plant")


# ---- mistakes ---------------------------------------------------------------------------------


def test_a_post_naming_no_campaign_is_an_error_at_its_line(hub):
    (hub.root / "content/posts/c.md").write_text(post("Troisième", "2026-05-04", author="alice",
                                                      campaign="plnt"))
    before = hub.read("index.html")
    assert hub.build_fails() == [
        "content/posts/c.md:5: campaign: no campaign 'plnt' (did you mean 'plant'?)"]
    assert hub.read("index.html") == before  # the previous output is intact


def test_a_live_event_naming_no_campaign_is_an_error_at_its_line(hub):
    (hub.root / "content/live/fete.md").write_text(
        FILES["content/live/fete.md"].replace("platforms:", "campaign: arbres\nplatforms:"))
    assert hub.build_fails() == [
        "content/live/fete.md:5: campaign: no campaign 'arbres' (create "
        "content/campaigns/arbres.md, or remove the line)"]


def test_live_must_name_an_event(hub):
    (hub.root / "content/campaigns/plant.md").write_text(PLANT.replace("live: fete",
                                                                       "live: fetes"))
    assert hub.build_fails() == [
        "content/campaigns/plant.md:18: live: no live event 'fetes' (did you mean 'fete'?)"]


def test_a_campaign_file_name_that_cannot_be_an_address(hub):
    (hub.root / "content/campaigns/Plant Été.md").write_text(PLANT)
    assert hub.build_fails() == [
        "content/campaigns/Plant Été.md: 'Plant Été.md' cannot be a campaign's address "
        "(rename it plant-ete.md: lowercase letters, digits and '-')"]


@pytest.mark.parametrize(("line", "replacement", "message"), [
    ('accent: "#7fd47f"', 'accent: "red; background: url(https://evil.example/)"',
     "content/campaigns/plant.md:9: accent: 'red; background: url(https://evil.example/)' is "
     "not a colour sitegen accepts (write a hex code such as '#1f6f43' or a CSS colour name "
     "such as 'forestgreen')"),
    ('accent: "#7fd47f"', "accent: rebeccapurpel",
     "content/campaigns/plant.md:9: accent: 'rebeccapurpel' is not a colour sitegen accepts "
     "(did you mean 'rebeccapurple'?)"),
    ('url: "https://example.com/plant"', 'url: "javascript:alert(1)"',
     "content/campaigns/plant.md:10: call_to_action.url: 'javascript:alert(1)' is not a link "
     "sitegen writes into pages (use an https:// address or a path such as /images/x.png)"),
    ("end: 2026-05-31", "end: 2026-04-30",
     "content/campaigns/plant.md:4: end: the campaign ends before it starts ('end' must come "
     "after 'start')"),
    ("end: 2026-05-31", "end: 31 mai",
     "content/campaigns/plant.md:4: end: '31 mai' is not a date (write it as 2025-03-21 or "
     "2025-03-21 18:30)"),
    ("base_url: https://camp.example.org/plant/", "base_url: camp.example.org",
     "content/campaigns/plant.md:19: base_url: 'camp.example.org' needs a scheme and a host, "
     "e.g. 'https://example.org/'"),
    ('hashtag: "#PlantonsDesArbres"', 'hashtag: "#2026"',
     "content/campaigns/plant.md:5: hashtag: '#2026' cannot be a hashtag (use letters and "
     "digits, e.g. #MaiÀVélo (64 at most))"),
    ("live: fete", "template: festival.html",
     "content/campaigns/plant.md:18: template: no template 'festival.html' (looked in "
     "templates/ and {theme}/templates)"),
    ('  - {name: "Arbres & Cie"}', '  - {url: "https://arbres.example.org/"}',
     "content/campaigns/plant.md:13: partners: each item needs a 'name' (known keys: name, "
     "url, logo)"),
])
def test_each_mistake_in_a_campaign_file_is_reported_at_its_line(hub, line, replacement,
                                                                 message):
    from sitegen.config import SOURCE_THEMES

    (hub.root / "content/campaigns/plant.md").write_text(PLANT.replace(line, replacement))
    assert hub.build_fails() == [message.format(theme=SOURCE_THEMES / "default")]


def test_an_unknown_campaign_on_the_command_line_is_one_line_and_exit_1(hub):
    result = subprocess.run([sys.executable, "-m", "sitegen", "build", "--source",
                             str(hub.root), "--campaign", "plnt"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == \
        "--campaign: no campaign 'plnt' in this site (did you mean 'plant'?)"
    assert "Traceback" not in result.stderr
