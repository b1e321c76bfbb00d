"""Incremental rebuilds through the build cache: each kind of edit changes exactly the pages
that show it, the result is byte-identical to a cold build, and an untrustworthy cache is
never used."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build
from sitegen.cache import CACHE_DIR, State
from tests.conftest import SITE_YAML, post

# Four posts by alice: a and b share tag x, b and c share tag y, d stands alone.
POSTS = {
    "content/posts/a.md": post("Alpha", "2025-01-01", "Texte alpha.", tags="[x]",
                               author="alice"),
    "content/posts/b.md": post("Beta", "2025-01-02", "Texte beta.", tags="[x, y]",
                               author="alice"),
    "content/posts/c.md": post("Gamma", "2025-01-03", "Texte gamma.", tags="[y]",
                               author="alice"),
    "content/posts/d.md": post("Delta", "2025-01-04", "Texte delta.", tags="[z]",
                               author="alice"),
}
FEEDS = {"atom.xml", "rss.xml", "feed.json"}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def cold_build(site_root: Path, tmp_path: Path) -> dict[str, bytes]:
    """A build of a copy of the sources without any cache or previous output."""
    copy = tmp_path / "cold-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site_root, copy, ignore=shutil.ignore_patterns(CACHE_DIR, "public"))
    build(BuildOptions(copy))
    return snapshot(copy / "public")


@pytest.fixture
def built(make_site):
    site = make_site(POSTS)
    site.build()
    return site


def rebuild(site, tmp_path) -> tuple[set[str], object]:
    before = snapshot(site.output)
    report = site.build()
    after = snapshot(site.output)
    assert after == cold_build(site.root, tmp_path), "incremental output differs from cold"
    return changed(before, after), report


def test_no_change_makes_nothing(built, tmp_path):
    files, report = rebuild(built, tmp_path)
    assert files == set()
    assert report.made == 0


def test_title_change_refreshes_every_page_that_shows_it(built, tmp_path):
    (built.root / "content/posts/b.md").write_text(
        post("Beta renamed", "2025-01-02", "Texte beta.", tags="[x, y]", author="alice"))
    files, _ = rebuild(built, tmp_path)
    assert files == {
        "2025/01/b/index.html",  # the post itself
        "2025/01/b/card.png", "2025/01/b/qr.svg",  # its social card and QR code show it
        "2025/01/a/index.html", "2025/01/c/index.html",  # its neighbours and related posts
        "index.html", "404.html", "archives/2025/index.html",
        "tags/x/index.html", "tags/y/index.html", "authors/alice/index.html",
        *FEEDS, "tags/x/atom.xml", "tags/x/rss.xml", "tags/y/atom.xml", "tags/y/rss.xml",
        "authors/alice/atom.xml", "authors/alice/rss.xml",
    }


def test_body_change_refreshes_the_post_its_summaries_and_full_content_feeds(built, tmp_path):
    (built.root / "content/posts/d.md").write_text(
        post("Delta", "2025-01-04", "Texte delta modifié.", tags="[z]", author="alice"))
    files, report = rebuild(built, tmp_path)
    assert files == {
        "2025/01/d/index.html", "index.html", "tags/z/index.html", "authors/alice/index.html",
        *FEEDS, "tags/z/atom.xml", "tags/z/rss.xml", "authors/alice/atom.xml",
        "authors/alice/rss.xml",
    }
    # Pages that only link to it (its neighbour, the archive, the 404 page) are not even
    # made again: what a link shows did not change.
    assert report.made == len(files)


def test_deleted_post_disappears_everywhere(built, tmp_path):
    (built.root / "content/posts/d.md").unlink()
    files, _ = rebuild(built, tmp_path)
    assert not (built.output / "2025/01/d").exists()
    assert not (built.output / "tags/z").exists()
    assert {"2025/01/d/index.html", "tags/z/index.html", "tags/index.html", "sitemap.xml",
            "2025/01/c/index.html"} <= files


def test_template_change_refreshes_what_uses_it(built, tmp_path):
    (built.root / "templates").mkdir()
    (built.root / "templates/404.html").write_text("<p>Perdu</p>\n")
    files, _ = rebuild(built, tmp_path)
    assert files == {"404.html"}
    (built.root / "templates/404.html").write_text("<p>Perdu !</p>\n")
    files, _ = rebuild(built, tmp_path)
    assert files == {"404.html"}


def test_site_yaml_change_refreshes_every_page(built, tmp_path):
    (built.root / "site.yaml").write_text(SITE_YAML.replace("Test site", "Autre titre"))
    files, _ = rebuild(built, tmp_path)
    html = {p for p in snapshot(built.output) if p.endswith(".html")}
    assert html <= files


def test_unchanged_files_keep_their_modification_time(built):
    page = built.output / "2025/01/d/index.html"
    old = page.stat().st_mtime_ns - 10**9
    os.utime(page, ns=(old, old))
    (built.root / "content/posts/a.md").write_text(
        post("Alpha 2", "2025-01-01", "Texte alpha.", tags="[x]", author="alice"))
    built.build()
    assert page.stat().st_mtime_ns == old


def test_corrupted_cache_is_discarded_with_a_warning(built, tmp_path):
    (built.root / CACHE_DIR / "state.pickle").write_bytes(b"not a pickle at all")
    (built.root / CACHE_DIR / "cache.sqlite").write_bytes(b"not a database either")
    (built.root / "content/posts/d.md").write_text(post("Delta bis", "2025-01-04"))
    report = built.build()
    assert any("build cache unreadable" in str(p) for p in report.problems)
    assert snapshot(built.output) == cold_build(built.root, tmp_path)
    assert built.build().problems == []  # the cache written again is trusted


def test_a_database_damaged_inside_is_not_trusted(built, tmp_path):
    """What a crash during a commit can leave (the cache does not wait for the disk)."""
    database = built.root / CACHE_DIR / "cache.sqlite"
    data = bytearray(database.read_bytes())
    assert len(data) > 8192
    data[4096:8192] = b"\xff" * 4096  # a page in the middle, garbled
    database.write_bytes(bytes(data))
    (built.root / "content/posts/a.md").write_text(post("Alpha bis", "2025-01-01"))
    built.build()
    assert snapshot(built.output) == cold_build(built.root, tmp_path)


def test_cache_from_another_version_is_not_used(built, tmp_path):
    import sqlite3

    state_file = built.root / CACHE_DIR / "state.pickle"
    state = pickle.loads(state_file.read_bytes())
    assert isinstance(state, State)
    state.stamp = "sitegen 0.0.0"
    state_file.write_bytes(pickle.dumps(state))
    with sqlite3.connect(built.root / CACHE_DIR / "cache.sqlite") as db:
        rows = db.execute("SELECT rel, data FROM documents").fetchall()
        assert rows
        for rel, data in rows:  # poison every entry: must not be used
            cached = pickle.loads(data)
            if cached.document is not None:
                object.__setattr__(cached.document.fields, "title", "POISON")
            db.execute("UPDATE documents SET data = ? WHERE rel = ?", (pickle.dumps(cached), rel))
    fingerprint_file = built.root / CACHE_DIR / "fingerprint.pickle"
    fingerprint = pickle.loads(fingerprint_file.read_bytes())
    fingerprint.options = "sitegen 0.0.0"  # what an upgrade of sitegen looks like
    fingerprint_file.write_bytes(pickle.dumps(fingerprint))
    report = built.build()
    assert "POISON" not in (built.output / "index.html").read_text()
    assert report.made > 0
    assert snapshot(built.output) == cold_build(built.root, tmp_path)


def test_the_fingerprint_kept_in_memory_gives_way_to_one_written_by_another_build(built):
    from sitegen import freshness

    folder = built.root / CACHE_DIR
    mine = freshness.load(folder)
    assert mine is not None and freshness.load(folder) is mine  # this process's own save
    theirs = pickle.loads((folder / "fingerprint.pickle").read_bytes())
    theirs.due = 12345.0
    (folder / "fingerprint.pickle.new").write_bytes(pickle.dumps(theirs))
    (folder / "fingerprint.pickle.new").replace(folder / "fingerprint.pickle")
    loaded = freshness.load(folder)
    assert loaded is not mine and loaded is not None and loaded.due == 12345.0


def test_output_removed_by_hand_is_rebuilt(built, tmp_path):
    shutil.rmtree(built.output / "tags")
    (built.output / "index.html").unlink()
    built.build()
    assert snapshot(built.output) == cold_build(built.root, tmp_path)


def test_the_cache_keeps_documents_without_their_bodies(built):
    import sqlite3

    with sqlite3.connect(built.root / CACHE_DIR / "cache.sqlite") as db:
        rows = [pickle.loads(data) for (data,) in db.execute("SELECT data FROM documents")]
    assert len(rows) == len(POSTS)
    assert all(row.document.body == "" and row.document.body_digest for row in rows)


def test_a_page_planned_by_an_earlier_build_is_made_again_when_its_file_goes(built,
                                                                             tmp_path):
    """The preview keeps an unchanged post's planned page across builds: made again after
    its file was removed by hand, it shows what the current build knows."""
    from sitegen import cache

    pages = cache._memories[built.root / CACHE_DIR].table("post pages")
    planned = pages.known("/2025/01/d/")
    assert planned is not None
    (built.root / "content/posts/a.md").write_text(
        post("Alpha", "2025-01-01", "Texte alpha, revu.", tags="[x]", author="alice"))
    built.build()
    assert pages.known("/2025/01/d/") is planned  # kept: the edit shows nowhere on its page
    (built.output / "2025/01/d/index.html").unlink()
    report = built.build()
    assert report.made == 1 and pages.known("/2025/01/d/") is planned
    assert snapshot(built.output) == cold_build(built.root, tmp_path)


def test_another_output_folder_gets_a_complete_build(built, tmp_path):
    other = tmp_path / "elsewhere"
    build(BuildOptions(built.root, other))
    assert snapshot(other) == snapshot(built.output)


def test_a_failed_build_does_not_poison_the_next(built, tmp_path):
    good = (built.root / "content/posts/d.md").read_text()
    (built.root / "content/posts/d.md").write_text("---\ntitle: [broken\n---\n")
    built.build_fails()
    (built.root / "content/posts/d.md").write_text(good.replace("Delta", "Delta 3"))
    built.build()
    assert snapshot(built.output) == cold_build(built.root, tmp_path)


def test_warnings_are_repeated_by_cached_builds(make_site):
    site = make_site({"content/posts/a.md": post(
        "A", body="<script>x()</script> texte", platforms="[mastodom]")})
    first = {str(p) for p in site.build().problems}
    second = {str(p) for p in site.build().problems}
    assert first == second
    assert any("mastodom" in p for p in second) and any("<script>" in p for p in second)


def test_cache_is_ignored_by_git(built):
    assert (built.root / CACHE_DIR / ".gitignore").read_text() == "*\n"


# ---- the no-change fast path ------------------------------------------------------------

def test_scheduled_post_is_published_once_due(make_site, monkeypatch):
    site = make_site({"content/posts/a.md": post("A", "2025-01-01"),
                      "content/posts/later.md": post("Plus tard", "2025-06-01 12:00")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1740000000")  # 2025-02-19
    site.build()
    assert not (site.output / "2025/06/later").exists()
    assert site.build().made == 0  # nothing due yet: the fast path
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")  # 2025-06-15
    site.build()
    assert (site.output / "2025/06/later/index.html").is_file()


def test_output_file_deleted_deep_inside_is_restored(built):
    (built.output / "tags/y/atom.xml").unlink()
    built.build()
    assert (built.output / "tags/y/atom.xml").is_file()


def test_other_options_are_not_fresh(make_site):
    site = make_site({"content/posts/a.md": post("A"),
                      "content/posts/b.md": post("B", draft="true")})
    site.build()
    site.build(drafts=True)
    assert (site.output / "2025/03/b/index.html").is_file()
    site.build()
    assert not (site.output / "2025/03/b").exists()


def test_strict_fails_on_replayed_warnings(make_site):
    site = make_site({"content/posts/a.md": post("A", platforms="[mastodom]")})
    site.build()
    assert any("mastodom" in e for e in site.build_fails(strict=True))


def test_touched_but_unchanged_file_rewrites_nothing(built):
    page = built.output / "2025/01/a/index.html"
    before = page.stat().st_mtime_ns
    source = built.root / "content/posts/a.md"
    source.write_bytes(source.read_bytes())  # new modification time, same bytes
    report = built.build()
    assert report.made == 0 and page.stat().st_mtime_ns == before


def test_cache_pickled_by_an_older_sitegen_is_discarded(built, tmp_path):
    for name in ("state.pickle", "fingerprint.pickle"):
        path = built.root / CACHE_DIR / name
        old = pickle.loads(path.read_bytes())
        del old.__dict__[next(iter(vars(old)))]  # a field this version has and that one lacked
        path.write_bytes(pickle.dumps(old))
    (built.root / "content/posts/a.md").write_text(post("Alpha 4", "2025-01-01"))
    report = built.build()
    assert any("build cache unreadable" in str(p) for p in report.problems)
    assert snapshot(built.output) == cold_build(built.root, tmp_path)


def test_author_page_count_follows_a_post_added_on_a_later_page(make_site, tmp_path):
    site = make_site({f"content/posts/p{i}.md": post(f"P{i}", f"2025-01-0{i + 1}",
                                                     author="alice") for i in range(3)},
                     site_yaml=SITE_YAML + "paginate: 2\n")
    site.build()
    (site.root / "content/posts/old.md").write_text(post("Vieux", "2024-12-31", author="alice"))
    rebuild(site, tmp_path)  # asserts equality with a cold build, page 1 of alice included


def test_a_free_named_author_respelled_refreshes_every_page(make_site, tmp_path):
    site = make_site({"content/posts/a.md": post("A", "2025-01-01", author="Jane Doe"),
                      "content/posts/b.md": post("B", "2025-01-02", author="Jane Doe")})
    site.build()
    (site.root / "content/posts/a.md").write_text(post("A", "2025-01-01", author="Jane DOE"))
    files, _ = rebuild(site, tmp_path)
    assert {"authors/index.html", "2025/01/b/index.html"} <= files


def test_setting_the_clock_back_unpublishes_what_is_not_due_yet(make_site, monkeypatch):
    site = make_site({"content/posts/a.md": post("A", "2025-01-01"),
                      "content/posts/later.md": post("Plus tard", "2025-06-01 12:00")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")  # 2025-06-15: both published
    site.build()
    assert (site.output / "2025/06/later/index.html").is_file()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1740000000")  # 2025-02-19
    site.build()
    assert not (site.output / "2025/06/later").exists()


def test_an_interrupted_write_makes_the_next_build_write_everything(built, tmp_path):
    # What a build killed while writing in place leaves: its marker, no fingerprint (forgotten
    # when it started), and a page whose signature is unchanged but whose bytes are not.
    (built.root / CACHE_DIR / "writing").touch()
    (built.root / CACHE_DIR / "fingerprint.pickle").unlink()
    (built.output / "2025/01/d/index.html").write_text("half-written")
    built.build()
    assert snapshot(built.output) == cold_build(built.root, tmp_path)
    assert not (built.root / CACHE_DIR / "writing").exists()


def test_bodies_no_post_has_any_more_are_forgotten(built):
    import sqlite3

    from sitegen.cache import PRUNE_MIN

    edits = PRUNE_MIN + 5
    for n in range(edits):
        (built.root / "content/posts/d.md").write_text(post("Delta", "2025-01-04", f"V{n}."))
        built.build()
    db = sqlite3.connect(built.root / CACHE_DIR / "cache.sqlite")
    stored = db.execute("SELECT count(*) FROM bodies").fetchone()[0]
    db.close()
    # Four posts: dead bodies are pruned in batches, so at most PRUNE_MIN of them remain.
    assert stored < 4 + edits
    assert stored <= 4 + PRUNE_MIN


def test_a_template_in_a_linked_folder_is_followed(built, tmp_path):
    shared = tmp_path / "shared-templates"
    shared.mkdir()
    (shared / "404.html").write_text("<p>Un</p>\n")
    (built.root / "templates").symlink_to(shared, target_is_directory=True)
    built.build()
    (shared / "404.html").write_text("<p>Deux</p>\n")
    built.build()
    assert (built.output / "404.html").read_text() == "<p>Deux</p>\n"


def test_a_no_change_rebuild_imports_nothing_heavy(built):
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from sitegen.build import build, BuildOptions\n"
            f"report = build(BuildOptions(Path({str(built.root)!r})))\n"
            "assert report.made == 0\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'markdown', 'jinja2', "
            "'sqlite3', 'feedgen', 'pygments', 'babel', 'yaml'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def _modules_of_a_fresh_rebuild(root: Path, watched: set[str]) -> list[str]:
    """The `watched` modules a new process has imported after rebuilding the site at `root`,
    and 'url grammar' if it compiled counting's TLD patterns."""
    import json
    import subprocess
    import sys

    code = ("import json, sys; from pathlib import Path\n"
            "from sitegen.build import build, BuildOptions\n"
            f"report = build(BuildOptions(Path({str(root)!r})))\n"
            "assert report.made > 0\n"
            "from sitegen import counting\n"
            "grammar = ['url grammar'] if counting._url_grammar.cache_info().currsize else []\n"
            f"print(json.dumps(sorted(m for m in sys.modules if m in {sorted(watched)!r}) "
            "+ grammar))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def test_a_body_edit_rebuild_imports_only_what_it_uses(make_site):
    """A new process rebuilding after a post's text changed (its share texts are cached: it
    has a summary of its own) measures no text, draws no image and makes no view of a live
    event or campaign (the site has none): it loads none of the modules for that."""
    def alpha(body: str) -> str:
        return post("Alpha", "2025-01-01", body, summary="Résumé.", platforms="[mastodon, x]")

    site = make_site({**POSTS, "content/posts/a.md": alpha("Avant.")})
    site.build()
    site.write({"content/posts/a.md": alpha("Après.")})
    assert _modules_of_a_fresh_rebuild(site.root, {
        "regex", "PIL.Image", "sitegen.qrencode", "sitegen.liveviews", "sitegen.campaignviews",
        "sitegen.ics"}) == []


MARKDOWN_MODULES = {"markdown", "sitegen.converting", "markdown.extensions.codehilite",
                    "pygments", "importlib.metadata"}


def _markdown_modules_of_a_cli_rebuild(root: Path) -> list[str]:
    """The MARKDOWN_MODULES a new process has imported after `sitegen build` of `root`."""
    import json
    import subprocess
    import sys

    code = ("import json, sys; from sitegen.cli import main\n"
            f"assert main(['build', '--quiet', '--source', {str(root)!r}]) == 0\n"
            f"print(json.dumps(sorted(m for m in sys.modules if m in "
            f"{sorted(MARKDOWN_MODULES)!r})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def test_a_rebuild_converting_no_body_does_not_import_markdown(built):
    """A title edit renders pages but no body (they come from the cache): Python-Markdown,
    its extensions, and Pygments and importlib.metadata behind codehilite are not loaded."""
    (built.root / "content/posts/b.md").write_text(
        post("Beta renamed", "2025-01-02", "Texte beta.", tags="[x, y]", author="alice"))
    assert _markdown_modules_of_a_cli_rebuild(built.root) == []


def test_a_rebuild_converting_a_body_imports_markdown(built):
    """The other side of the test above: a body edit does load the converter, and Pygments
    only for a body that may hold code."""
    (built.root / "content/posts/b.md").write_text(
        post("Beta", "2025-01-02", "Texte beta, revu.", tags="[x, y]", author="alice"))
    assert _markdown_modules_of_a_cli_rebuild(built.root) == ["markdown", "sitegen.converting"]
    (built.root / "content/posts/b.md").write_text(post(
        "Beta", "2025-01-02", "Texte beta :\n\n```python\nprint(1)\n```", tags="[x, y]",
        author="alice"))
    assert set(_markdown_modules_of_a_cli_rebuild(built.root)) == MARKDOWN_MODULES
    assert '<div class="highlight">' in (built.output / "2025/01/b/index.html").read_text()


def test_a_rebuild_rendering_no_page_imports_no_template_engine(make_site):
    """Only a static file changed: it is copied, and Jinja is not even loaded."""
    site = make_site({**POSTS, "static/style.css": "body {}\n"})
    site.build()
    site.write({"static/style.css": "body { margin: 0 }\n"})
    assert _modules_of_a_fresh_rebuild(site.root, {"jinja2", "feedgen"}) == []


def test_a_second_build_of_the_same_site_waits_for_the_first(built):
    import subprocess
    import sys
    import time

    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys, time\n"
         f"lock = open({str(built.root / CACHE_DIR / 'lock')!r}, 'w')\n"
         "fcntl.flock(lock, fcntl.LOCK_EX); print('held', flush=True); time.sleep(1)"],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    started = time.monotonic()
    built.build()
    assert time.monotonic() - started >= 0.5  # it waited for the lock to be released
    holder.wait(timeout=10)


def test_a_process_keeping_the_cache_in_memory_sees_another_process_build(built, tmp_path):
    """The preview keeps the last build's cache in memory; a `sitegen build` run meanwhile
    from a terminal changes it on disk, and the preview must not trust its stale copy."""
    import subprocess
    import sys

    built.build()  # this process now keeps the cache
    (built.root / "content/posts/a.md").write_text(post("Alpha par la console", "2025-01-01"))
    subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(built.root),
                    "--quiet"], check=True)
    (built.root / "content/posts/b.md").write_text(post("Bravo 2", "2025-01-02"))
    built.build()
    assert "Alpha par la console" in (built.output / "index.html").read_text()
    assert snapshot(built.output) == cold_build(built.root, tmp_path)


def test_a_tag_respelled_by_other_posts_refreshes_an_unchanged_post(make_site, tmp_path):
    # The tag's shown spelling is its most used one: two new posts writing « Vélo » outvote
    # a's « vélo », so a's page changes although a.md did not.
    site = make_site({"content/posts/a.md": post("A", "2025-01-01", tags="[vélo]")})
    site.build()
    for name in ("b", "c"):
        (site.root / f"content/posts/{name}.md").write_text(
            post(name.upper(), "2025-01-02", tags="[Vélo]"))
    files, _ = rebuild(site, tmp_path)
    assert "2025/01/a/index.html" in files
    assert "Vélo" in (site.output / "2025/01/a/index.html").read_text()


def test_builds_in_one_process_reuse_what_unchanged_posts_made(built, tmp_path):
    """The preview's rebuilds keep the posts (and what is made from them) of unchanged
    files: the very same objects, while an edited post is made anew."""
    from sitegen import cache

    def posts() -> dict[str, object]:
        table = cache._memories[built.root / CACHE_DIR].table("posts")
        return {key: value for key, (_, value) in table._kept.items()}

    before = posts()  # of the first build: its documents, read anew, are kept as they are
    (built.root / "content/posts/d.md").write_text(post("Delta!", "2025-01-04", tags="[z]",
                                                        author="alice"))
    rebuild(built, tmp_path)
    after = posts()
    kept = {p.title for p in after.values()  # type: ignore[attr-defined]
            if any(p is q for q in before.values())}
    assert {"Alpha", "Beta", "Gamma"} <= kept
    assert "Delta!" in {p.title for p in after.values()} - kept  # type: ignore[attr-defined]


# ---- campaigns --------------------------------------------------------------------------------


@pytest.fixture
def campaigned(make_site, monkeypatch):
    from tests.campaign_site import make_hub

    site = make_hub(make_site, monkeypatch)
    site.build()
    return site


CAMPAIGN_FILES = {"campaigns/index.html", "campaigns/plant/index.html",
                  "campaigns/plant/atom.xml", "campaigns/plant/rss.xml",
                  "campaigns/plant/feed.json"}


def test_campaign_edit_refreshes_what_shows_it(campaigned, tmp_path):
    from tests.campaign_site import PLANT

    (campaigned.root / "content/campaigns/plant.md").write_text(
        PLANT.replace('"Plantons des arbres"', '"Plantons ensemble"'))
    files, _ = rebuild(campaigned, tmp_path)
    assert CAMPAIGN_FILES | {"2026/05/a/index.html", "2026/05/b/index.html",
                             "campaigns/plant/qr.svg"} <= files
    assert not {"2025/01/autre/index.html", "index.html"} & files


def test_hashtag_edit_refreshes_member_posts_live_event_and_exports(campaigned, tmp_path):
    from tests.campaign_site import PLANT

    (campaigned.root / "content/campaigns/plant.md").write_text(
        PLANT.replace("#PlantonsDesArbres", "#ArbresEnVille"))
    files, _ = rebuild(campaigned, tmp_path)
    assert {"2026/05/a/index.html", "2026/05/b/index.html", "live/fete/index.html",
            "live/fete/updates.json", "share/snippets.json", "share/snippets.csv"} <= files
    assert "2025/01/autre/index.html" not in files


def test_member_title_edit_refreshes_the_landing_page_and_feeds(campaigned, tmp_path):
    from tests.campaign_site import FILES

    (campaigned.root / "content/posts/b.md").write_text(
        FILES["content/posts/b.md"].replace("Deuxième arbre", "Second arbre"))
    files, _ = rebuild(campaigned, tmp_path)
    assert {"campaigns/plant/index.html", "campaigns/plant/atom.xml"} <= files


def test_leaving_and_joining_a_campaign(campaigned, tmp_path):
    from tests.campaign_site import FILES

    (campaigned.root / "content/posts/b.md").write_text(
        FILES["content/posts/b.md"].replace("campaign: plant\n", ""))
    files, _ = rebuild(campaigned, tmp_path)
    assert {"2026/05/b/index.html", *CAMPAIGN_FILES} <= files
    assert 'title"><a href="/2026/05/b/"' not in campaigned.read("campaigns/plant/index.html")
    (campaigned.root / "content/posts/autre.md").write_text(
        FILES["content/posts/autre.md"].replace("tags:", "campaign: plant\ntags:"))
    files, _ = rebuild(campaigned, tmp_path)
    assert {"2025/01/autre/index.html", *CAMPAIGN_FILES} <= files
    assert 'title"><a href="/2025/01/autre/"' in campaigned.read("campaigns/plant/index.html")
