"""Share kits in real builds: the share block of post pages, the exports, the warnings, the
`sitegen share` command, and the copy button in Chromium."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from sitegen.cli import main
from sitegen.counting import length
from sitegen.platforms import rule_for
from tests.browser import chromium, static_server
from tests.conftest import SITE_YAML, campaign, post

SOCIAL = SITE_YAML + """\
social:
  x: "@CyclistesCanal"
  mastodon: "@cyclistes@piaille.fr"
"""
LONG_SUMMARY = ("Samedi, l’atelier a accueilli vingt-deux personnes et leurs vélos : freins, "
                "dérailleurs, éclairage, tout y est passé, avec le sourire et du café. ") * 3


@pytest.fixture
def relayed(make_site):
    site = make_site({
        "content/posts/atelier.md": post(
            "\"Atelier de réparation : on remet en selle les vélos oubliés\"", "2025-03-21",
            "Premier paragraphe du billet.", slug="atelier", tags="[atelier, vélo-école]",
            platforms="[x, mastodon, bluesky, email]", summary=f'"{LONG_SUMMARY}"'),
        "content/posts/balade.md": post("Balade du dimanche", "2025-03-23",
                                        "On roule le long du canal.", slug="balade",
                                        platforms="[linkedin]", campaign="printemps"),
        "content/posts/silence.md": post("Rien à relayer", "2025-03-24", slug="silence"),
        "content/campaigns/printemps.md": campaign("Printemps"),
    }, site_yaml=SOCIAL)
    site.build()
    return site


def _textareas(page: str) -> dict[str, str]:
    return {platform: html.unescape(text) for platform, text in re.findall(
        r'<textarea id="snippet-([a-z]+)"[^>]*>(.*?)</textarea>', page, re.S)}


def _intents(page: str) -> dict[str, str]:
    return {platform: html.unescape(href) for platform, href in re.findall(
        r'<a class="share-link share-([a-z]+)" href="([^"]+)"', page)}


def test_each_network_gets_a_link_to_its_share_page_with_the_text(relayed):
    page = relayed.read("2025/03/atelier/index.html")
    texts, intents = _textareas(page), _intents(page)
    assert list(intents) == ["x", "mastodon", "bluesky", "email"]
    assert urlsplit(intents["x"]).netloc == "x.com"
    assert parse_qs(urlsplit(intents["x"]).query)["text"] == [texts["x"]]
    assert intents["mastodon"].startswith("https://share.joinmastodon.org/?text=")
    assert parse_qs(urlsplit(intents["bluesky"]).query)["text"] == [texts["bluesky"]]
    subject, body = intents["email"].removeprefix("mailto:?").split("&")
    assert unquote(subject.removeprefix("subject=")).startswith("Atelier de réparation")
    assert unquote(body.removeprefix("body=")) == texts["email"].replace("\n", "\r\n")
    assert "+" not in intents["email"]


def test_automatic_texts_fit_and_end_with_the_tagged_link(relayed):
    texts = _textareas(relayed.read("2025/03/atelier/index.html"))
    for platform, text in texts.items():
        link = text.splitlines()[-1]
        query = parse_qs(urlsplit(link).query)
        assert query["utm_source"] == [platform]
        assert query["utm_medium"] == ["email" if platform == "email" else "social"]
        assert query["utm_campaign"] == ["atelier"]
        if platform != "email":
            rule = rule_for(platform)
            assert rule.limit is not None and length(text, rule) <= rule.limit, platform
    assert "…" in texts["x"]  # the long summary was shortened for X
    assert "#Atelier #VéloÉcole" in texts["mastodon"]
    assert "via @cyclistes@piaille.fr" in texts["mastodon"]
    assert "via @CyclistesCanal" in texts["x"]
    assert "via" not in texts["bluesky"]  # the site has no Bluesky account


def test_canonical_and_open_graph_urls_stay_clean(relayed):
    page = relayed.read("2025/03/atelier/index.html")
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page)[1]
    og_url = re.search(r'<meta property="og:url" content="([^"]+)"', page)[1]
    assert canonical == og_url == "https://example.org/2025/03/atelier/"


def test_a_post_relayed_nowhere_has_only_its_qr_code_to_share(relayed):
    page = relayed.read("2025/03/silence/index.html")
    assert 'class="share-links"' not in page and "share.js" not in page
    assert '<a href="/2025/03/silence/qr.svg">' in page


def test_the_campaign_names_the_campaign_in_links(relayed):
    intents = _intents(relayed.read("2025/03/balade/index.html"))
    url = parse_qs(urlsplit(intents["linkedin"]).query)["url"][0]
    assert parse_qs(urlsplit(url).query)["utm_campaign"] == ["printemps"]


def test_exports_list_every_post_and_network_as_the_pages_show_them(relayed):
    exported = json.loads(relayed.read("share/snippets.json"))["snippets"]
    rows = list(csv.DictReader(io.StringIO(relayed.read("share/snippets.csv")
                                           .removeprefix("\ufeff"))))
    pairs = [(row["post_url"], row["platform"]) for row in exported]
    assert pairs == [("https://example.org/2025/03/atelier/", p)
                     for p in ("x", "mastodon", "bluesky", "email")] + \
        [("https://example.org/2025/03/balade/", "linkedin")]  # oldest first
    assert [(r["post_url"], r["platform"]) for r in rows] == pairs
    texts = _textareas(relayed.read("2025/03/atelier/index.html"))
    for row, line in zip(exported, rows, strict=False):
        assert row["text"] == line["text"]
        assert row["scheduled_at"] == line["scheduled_at"]
        if row["post_url"].endswith("/atelier/"):
            assert row["text"] == texts[row["platform"]]
            assert row["fits"] is True and line["fits"] == "yes"
    assert exported[0]["scheduled_at"] == "2025-03-21T00:00:00+01:00"
    assert exported[0]["limit"] == 280 and exported[3]["limit"] is None


def test_an_override_is_kept_as_written_and_a_too_long_one_is_a_warning(make_site):
    long_text = "Trop long " * 40
    site = make_site({"content/posts/a.md": post(
        "Un billet", "2025-03-21", slug="a", platforms="[x, mastodon]",
        share=f'{{x: "{long_text.strip()}", default: "Venez nombreux !"}}')})
    report = site.build()
    warnings = [str(p) for p in report.problems if p.level == "warning"]
    assert any(w.startswith("content/posts/a.md: warning: share: the X text is ")
               and "over its limit of 280" in w for w in warnings), warnings
    texts = _textareas(site.read("2025/03/a/index.html"))
    assert texts["mastodon"].startswith("Venez nombreux !\nhttps://example.org/2025/03/a/")
    assert texts["x"].startswith(long_text.strip())
    problems = site.build_fails(strict=True)
    assert any("share: the X text is" in p for p in problems)


def test_links_can_go_untagged_and_mastodon_through_a_chosen_server(make_site):
    site = make_site({"content/posts/a.md": post("Un billet", slug="a",
                                                 platforms="[mastodon]")},
                     site_yaml=SITE_YAML + "share:\n  utm: false\n  mastodon_instance: "
                                           "piaille.fr\n")
    site.build()
    intent = _intents(site.read("2025/03/a/index.html"))["mastodon"]
    assert intent.startswith("https://piaille.fr/share?text=")
    assert unquote(intent).endswith("\nhttps://example.org/2025/03/a/")


def test_share_settings_are_checked(make_site):
    site = make_site({"content/posts/a.md": post()},
                     site_yaml=SITE_YAML + "share:\n  mastodon_instanse: x\n  utm: maybe\n")
    problems = site.build_fails()
    assert any("share.mastodon_instanse: unknown key (did you mean 'mastodon_instance'"
               in p for p in problems), problems
    assert any("share.utm: must be true or false, not 'maybe'" in p for p in problems)


def _exported_posts(site) -> list[str]:
    rows = json.loads(site.read("share/snippets.json"))["snippets"]
    return list(dict.fromkeys(urlsplit(row["post_url"]).path for row in rows))


@pytest.mark.parametrize("setting, expected", [
    ("", ["/2025/01/p1/", "/2025/01/p2/", "/2025/01/p3/", "/2025/01/p4/"]),  # 100 by default
    ("share:\n  export_posts: 2\n", ["/2025/01/p3/", "/2025/01/p4/"]),
    ("share:\n  export_posts: all\n", ["/2025/01/p1/", "/2025/01/p2/", "/2025/01/p3/",
                                        "/2025/01/p4/"]),
])
def test_the_exports_hold_the_newest_relayed_posts(make_site, setting, expected):
    posts = {f"content/posts/p{n}.md": post(f"P{n}", f"2025-01-0{n}", slug=f"p{n}",
                                            platforms="[mastodon]") for n in range(1, 5)}
    posts["content/posts/quiet.md"] = post("Quiet", "2025-01-09", slug="quiet")
    site = make_site(posts, site_yaml=SITE_YAML + setting)
    site.build()
    assert _exported_posts(site) == expected  # oldest first, the unrelayed post left out


def test_an_edit_of_a_post_older_than_the_exported_ones_leaves_them_alone(make_site):
    posts = {f"content/posts/p{n}.md": post(f"P{n}", f"2025-01-0{n}", slug=f"p{n}",
                                            platforms="[mastodon]") for n in range(1, 4)}
    site = make_site(posts, site_yaml=SITE_YAML + "share:\n  export_posts: 2\n")
    site.build()
    before = (site.output / "share/snippets.json").stat().st_mtime_ns
    (site.root / "content/posts/p1.md").write_text(post("P1 bis", "2025-01-01", slug="p1",
                                                        platforms="[mastodon]"))
    report = site.build()
    assert "share/snippets.json" not in report.changed
    assert (site.output / "share/snippets.json").stat().st_mtime_ns == before


def test_a_body_edit_remakes_a_kit_only_when_the_summary_comes_from_the_body(make_site,
                                                                           monkeypatch):
    """A kit shows the author's summary, else the body's: editing the text of a post with a
    summary of its own measures no text again."""
    import sitegen.relays as relays

    def edited(slug: str, body: str, **summary: str) -> str:
        return post(slug, "2025-03-21", body, slug=slug, platforms="[mastodon]", **summary)

    site = make_site({"content/posts/own.md": edited("own", "Avant.", summary="Le sien."),
                      "content/posts/body.md": edited("body", "Avant.")})
    site.build()
    made: list[str] = []
    real = relays.share_kit
    monkeypatch.setattr(relays, "share_kit",
                        lambda item, *rest: made.append(item.slug) or real(item, *rest))
    site.write({"content/posts/own.md": edited("own", "Après.", summary="Le sien."),
                "content/posts/body.md": edited("body", "Après.")})
    site.build()
    assert made == ["body"]
    exported = site.read("share/snippets.json")
    assert "Le sien." in exported and "Après." in exported and "Avant." not in exported


def test_export_posts_must_be_a_number_or_all(make_site):
    site = make_site({"content/posts/a.md": post()},
                     site_yaml=SITE_YAML + "share:\n  export_posts: some\n")
    assert any("share.export_posts: must be a number of posts or 'all', not 'some'" in p
               for p in site.build_fails())


def test_an_edit_changes_the_exports_like_a_cold_build(relayed, tmp_path):
    (relayed.root / "content/posts/balade.md").write_text(
        post("Balade du lundi", "2025-03-23", "On roule.", slug="balade",
             platforms="[linkedin, x]"))
    relayed.build()
    incremental = relayed.read("share/snippets.json")
    assert "Balade du lundi" in incremental
    cold = type(relayed)(tmp_path / "cold")
    cold.write({rel: (relayed.root / rel).read_text() for rel in (
        "site.yaml", "content/posts/atelier.md", "content/posts/balade.md",
        "content/posts/silence.md")})
    cold.build()
    assert cold.read("share/snippets.json") == incremental
    assert cold.read("share/snippets.csv") == relayed.read("share/snippets.csv")


def test_the_share_command_prints_ready_texts(relayed, capsys):
    assert main(["share", "atelier", "--source", str(relayed.root), "--platform", "x"]) == 0
    out = capsys.readouterr().out
    assert out == _textareas(relayed.read("2025/03/atelier/index.html"))["x"] + "\n"
    assert main(["share", "atelier.md", "--source", str(relayed.root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("── X (") and "── Email (" in out


def test_the_share_command_names_what_is_wrong(relayed, capsys):
    assert main(["share", "ateliers", "--source", str(relayed.root)]) == 1
    assert capsys.readouterr().err.strip() == \
        "no post named 'ateliers' (did you mean 'atelier'?)"
    assert main(["share", "atelier", "--source", str(relayed.root), "--platform", "myspace"]) == 1
    assert "unknown platform 'myspace'" in capsys.readouterr().err


@pytest.mark.browser
def test_the_copy_button_copies_and_nothing_loads_from_elsewhere(relayed):
    from playwright.sync_api import expect

    with static_server(relayed.output) as base, \
            chromium(permissions=["clipboard-read", "clipboard-write"]) as context:
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{base}/2025/03/atelier/")
        page.locator("summary", has_text="Textes prêts à publier").click()
        button = page.locator('.copy-button[data-copy="snippet-mastodon"]')
        button.click()
        expect(button).to_have_text("Copié\u00a0!")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.locator("#snippet-mastodon").input_value()
        assert copied.endswith("utm_campaign=atelier")
        assert requested and all(url.startswith(base) for url in requested), requested
