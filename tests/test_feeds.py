"""Feeds, read back with a real feed parser: valid, right entries, absolute links, stable."""

from __future__ import annotations

import json

import feedparser

from tests.conftest import SITE_YAML, post


def parse(site, rel):
    parsed = feedparser.parse(site.read(rel))
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def site_with_posts(make_site, n=25, yaml=SITE_YAML):
    files = {f"content/posts/p{i:02d}.md": post(
        f"Billet {i}", f"2025-01-{i + 1:02d} 10:00", f"Texte [lien](/2025/01/p00/) "
        f"![img](images/i.png) ![abs](/images/a.png) {i}.", tags="[vélo]", author="alice")
        for i in range(n)}
    return make_site(files, site_yaml=yaml)


def test_atom_and_rss_are_valid_with_newest_twenty_first(make_site):
    site = site_with_posts(make_site)
    site.build()
    for rel in ["atom.xml", "rss.xml"]:
        feed = parse(site, rel)
        titles = [e.title for e in feed.entries]
        assert len(titles) == 20
        assert titles[0] == "Billet 24" and titles[-1] == "Billet 5"
        assert feed.entries[0].link == "https://example.org/2025/01/p24/"


def test_full_content_with_absolute_urls(make_site):
    site = site_with_posts(make_site, 2)
    site.build()
    entry = parse(site, "atom.xml").entries[0]
    content = entry.content[0].value
    assert 'href="https://example.org/2025/01/p00/"' in content
    assert 'src="https://example.org/2025/01/p01/images/i.png"' in content
    assert 'src="https://example.org/images/a.png"' in content
    assert entry.author == "Alice Martin"
    assert [t.term for t in entry.tags] == ["vélo"]


def test_summary_only_feeds(make_site):
    yaml = SITE_YAML + "feeds:\n  full_content: false\n  items: 3\n"
    site = site_with_posts(make_site, 5, yaml)
    site.build()
    feed = parse(site, "atom.xml")
    assert len(feed.entries) == 3
    assert "<content" not in site.read("atom.xml")
    assert feed.entries[0].summary.startswith("Texte lien")


def test_tag_and_author_feeds(make_site):
    site = site_with_posts(make_site, 3)
    site.build()
    assert len(parse(site, "tags/velo/atom.xml").entries) == 3
    assert len(parse(site, "authors/alice/rss.xml").entries) == 3
    home = site.read("tags/velo/index.html")
    assert 'type="application/atom+xml"' in home and "tags/velo/atom.xml" in home


def test_feed_dates_come_from_posts_not_the_clock(make_site):
    site = site_with_posts(make_site, 2)
    site.build()
    atom = parse(site, "atom.xml")
    assert atom.feed.updated == "2025-01-02T10:00:00+01:00"
    rss = site.read("rss.xml")
    assert "<lastBuildDate>Thu, 02 Jan 2025 10:00:00 +0100</lastBuildDate>" in rss


def test_json_feed_1_1(make_site):
    site = site_with_posts(make_site, 2)
    site.build()
    data = json.loads(site.read("feed.json"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == "https://example.org/feed.json"
    assert [i["title"] for i in data["items"]] == ["Billet 1", "Billet 0"]
    assert data["items"][0]["content_html"].count("https://example.org/") >= 2


def test_hostile_titles_are_escaped_in_feeds(make_site):
    site = make_site({"content/posts/a.md": post(
        "'<script>alert(1)</script> & ]]> \"x\"'", tags="['<b>', 'a&b']")})
    site.build()
    feed = parse(site, "atom.xml")
    assert feed.entries[0].title == "<script>alert(1)</script> & ]]> \"x\""
    assert "<script>" not in site.read("atom.xml")
    assert "<script>" not in site.read("rss.xml")
    assert json.loads(site.read("feed.json"))["items"][0]["tags"] == ["<b>", "a&b"]
