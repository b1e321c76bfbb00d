"""Whole builds of small sites: the hub's pages, reproducibility, sub-paths, output safety."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import SITE_YAML, post


def many_posts(n: int, **fields: str) -> dict[str, str]:
    return {f"content/posts/p{i:02d}.md": post(f"Billet {i}", f"2025-01-{i + 1:02d}",
                                                f"Corps {i}.", **fields)
            for i in range(n)}


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_hub_pages_are_all_written(make_site):
    site = make_site({**many_posts(12, author="alice", tags="[vélo, atelier]"),
                      "content/pages/a-propos.md": "---\ntitle: À propos\n---\nNous.\n"})
    site.build()
    files = set(tree(site.output))
    for expected in ["index.html", "page/2/index.html", "2025/01/p00/index.html",
                     "a-propos/index.html", "tags/index.html", "tags/velo/index.html",
                     "tags/velo/page/2/index.html", "tags/velo/atom.xml", "tags/velo/rss.xml",
                     "authors/index.html", "authors/alice/index.html",
                     "authors/alice/atom.xml", "archives/index.html",
                     "archives/2025/index.html", "404.html", "sitemap.xml", "robots.txt",
                     "atom.xml", "rss.xml", "feed.json", "css/style.css"]:
        assert expected in files, expected
    assert "page/3/index.html" not in files  # 12 posts at 10 per page


def test_home_lists_newest_first_and_paginates(make_site):
    site = make_site(many_posts(12))
    site.build()
    home = site.read("index.html")
    assert home.index("Billet 11") < home.index("Billet 2")
    assert "Billet 1<" not in home and "Billet 0<" not in home
    page2 = site.read("page/2/index.html")
    assert "Billet 1<" in page2 and "Billet 0<" in page2
    assert 'rel="prev" href="/"' in page2


def test_post_page_has_neighbours_related_author_and_reading_time(make_site):
    words = " ".join(["mot"] * 450)
    site = make_site({
        "content/posts/a.md": post("Alpha", "2025-01-01", tags="[vélo]", author="alice"),
        "content/posts/b.md": post("Beta", "2025-01-02", words, tags="[vélo, quartier]",
                                   author="alice"),
        "content/posts/c.md": post("Gamma", "2025-01-03", tags="[autre]", author="bob"),
    })
    site.build()
    html = site.read("2025/01/b/index.html")
    assert re.search(r'rel="prev" href="/2025/01/a/"', html)
    assert re.search(r'rel="next" href="/2025/01/c/"', html)
    related = html.split('id="related-heading"')[1]
    assert "Alpha" in related and "Gamma" not in related
    assert "Alice Martin" in html and "Writes tests." in html
    assert "2 min de lecture" in html
    assert 'href="/tags/quartier/"' in html


def test_two_builds_are_byte_identical(make_site, tmp_path):
    site = make_site(many_posts(5, tags="[a, b]"))
    site.build(output=tmp_path / "one")
    site.build(output=tmp_path / "two")
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_deleted_post_disappears_everywhere(make_site):
    site = make_site(many_posts(3, tags="[seul]"))
    site.build()
    (site.root / "content/posts/p01.md").unlink()
    site.build()
    assert not (site.output / "2025/01/p01").exists()
    for rel in ["index.html", "tags/seul/index.html", "atom.xml", "sitemap.xml"]:
        assert "p01" not in site.read(rel), rel


def test_unchanged_files_keep_their_bytes_and_mtime(make_site):
    site = make_site(many_posts(3))
    site.build()
    untouched = site.output / "2025/01/p00/index.html"
    before = untouched.stat().st_mtime_ns
    os.utime(untouched, ns=(before - 10**9, before - 10**9))
    before = untouched.stat().st_mtime_ns
    (site.root / "content/posts/p02.md").write_text(post("Billet 2 modifié", "2025-01-03"))
    report = site.build()
    assert untouched.stat().st_mtime_ns == before
    assert "modifié" in site.read("2025/01/p02/index.html")
    assert 0 < report.written < report.files


def test_sub_path_base_url_reaches_every_link(make_site):
    site = make_site({"content/posts/a.md": post(
        "A", body="![img](/images/x.png) [rel](/2025/03/a/) [ext](https://ext.example/)"),
        "static/images/x.png": b"\x89PNG"},
        site_yaml=SITE_YAML.replace("https://example.org/", "https://example.org/blog/"))
    site.build()
    html = site.read("2025/03/a/index.html")
    assert 'src="/blog/images/x.png"' in html
    assert 'href="/blog/2025/03/a/"' in html
    assert 'href="https://ext.example/"' in html
    assert 'href="/blog/css/style.css"' in html
    assert '<link rel="canonical" href="https://example.org/blog/2025/03/a/">' in html
    hrefs = re.findall(r'(?:href|src)="(/[^"]*)"', html)
    assert hrefs and all(h.startswith("/blog/") for h in hrefs), hrefs
    atom = site.read("atom.xml")
    assert "https://example.org/blog/images/x.png" in atom


def test_base_url_override_from_the_command_line(make_site):
    site = make_site({"content/posts/a.md": post("A")})
    site.build(base_url="https://other.example/sub/")
    assert 'href="/sub/2025/03/a/"' in site.read("index.html")


@pytest.mark.parametrize("where", ["content", "static", "."])
def test_output_inside_or_equal_to_sources_is_refused(make_site, where):
    site = make_site({"content/posts/a.md": post("A")})
    target = site.root / where / "out" if where != "." else site.root
    if where == ".":
        target = site.root
    errors = site.build_fails(output=target)
    assert any("--output" in e for e in errors)
    assert (site.root / "content/posts/a.md").exists()


def test_output_containing_the_sources_is_refused(make_site):
    site = make_site({"content/posts/a.md": post("A")})
    errors = site.build_fails(output=site.root.parent)
    assert any("contains the site's sources" in e for e in errors)


def test_failed_build_leaves_previous_output_intact(make_site):
    site = make_site({"content/posts/a.md": post("A")})
    site.build()
    before = tree(site.output)
    (site.root / "content/posts/b.md").write_text("---\ntitle: [unclosed\n---\n")
    site.build_fails()
    assert tree(site.output) == before
    assert not any(p.name.endswith((".sitegen-new", ".sitegen-old"))
                   for p in site.root.iterdir())


def test_static_file_colliding_with_a_page_is_an_error(make_site):
    site = make_site({"content/posts/a.md": post("A"),
                      "static/2025/03/a/index.html": "<p>x</p>"})
    errors = site.build_fails()
    assert any("content/posts/a.md" in e and "static/2025/03/a/index.html" in e
               and "would all write" in e for e in errors), errors


def test_page_slug_colliding_with_generated_page_is_an_error(make_site):
    site = make_site({"content/pages/tags.md": "---\ntitle: Tags\n---\nx\n"})
    errors = site.build_fails()
    assert any("content/pages/tags.md" in e and "tag index" in e for e in errors), errors


def test_site_templates_override_theme_file_by_file(make_site):
    site = make_site({"content/posts/a.md": post("A"),
                      "templates/404.html": "<p>Perdu {{ site.title }}</p>\n"})
    site.build()
    assert site.read("404.html") == "<p>Perdu Test site</p>\n"
    assert "<main" in site.read("index.html")  # other templates still from the theme


def test_template_error_is_reported_with_its_file(make_site):
    site = make_site({"content/posts/a.md": post("A"),
                      "templates/404.html": "{% if %}\n"})
    with pytest.raises(Exception) as info:
        site.build()
    assert "404.html:1: template error" in str(info.value)


def test_strict_turns_warnings_into_failure(make_site):
    site = make_site({"content/posts/a.md": post("A", platforms="[mastodom]")})
    site.build()
    errors = site.build_fails(strict=True)
    assert any("warning(s) with --strict" in e for e in errors)


def test_robots_and_sitemap_use_absolute_urls(make_site):
    site = make_site({"content/posts/a.md": post("A", updated="2025-04-01")})
    site.build()
    assert "Sitemap: https://example.org/sitemap.xml" in site.read("robots.txt")
    sitemap = site.read("sitemap.xml")
    assert "<loc>https://example.org/2025/03/a/</loc><lastmod>2025-04-01T00:00:00+02:00" \
           in sitemap
    assert "404" not in sitemap


def test_a_site_without_static_files_still_has_the_theme_icon(make_site):
    site = make_site({"content/posts/a.md": post()})
    site.build()
    assert '<link rel="icon" href="/favicon.svg"' in site.read("index.html")
    assert site.read("favicon.svg").startswith("<svg")
