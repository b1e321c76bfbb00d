"""sitegen/content.py: which files are read, and how their text reaches the build."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from sitegen.content import MAX_FILE_BYTES, read_document, split_front_matter
from sitegen.errors import Diagnostics
from tests.conftest import post

SECRET = "TOP-SECRET-OUTSIDE-THE-SITE"


def headings(html: str) -> list[str]:
    """The text of every <h1> of a page (the post's title is one of them)."""
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h1\b[^>]*>(.*?)</h1>", html,
                                                                 re.S)]


def every_output_text(site) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in site.output.rglob("*") if p.is_file())


def problems_of(report, level: str) -> list[str]:
    return [str(p) for p in report.problems if p.level == level]


# ---- what editors do to files ---------------------------------------------------------------

def test_a_byte_order_mark_is_not_content(make_site):
    site = make_site({"content/posts/bom.md": "\ufeff" + post("Avec BOM")})
    report = site.build()
    assert report.problems == []
    html = site.read("2025/03/bom/index.html")
    assert "Avec BOM" in headings(html)
    assert "\ufeff" not in html


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_windows_and_old_mac_line_endings_just_work(make_site, newline):
    text = post("Fin de ligne", body="Première ligne.\n\nSeconde ligne.", tags="[a, b]")
    site = make_site({"content/posts/eol.md": text.replace("\n", newline).encode()})
    report = site.build()
    assert report.problems == []
    html = site.read("2025/03/eol/index.html")
    assert "Fin de ligne" in headings(html)
    assert "<p>Seconde ligne.</p>" in html
    assert (site.output / "tags/b/index.html").is_file()  # the list was read, not '[a, b]\r'
    assert not any(b"\r" in p.read_bytes() for p in site.output.rglob("*.html"))


def test_bom_and_crlf_together(make_site):
    data = ("\ufeff" + post("Les deux")).replace("\n", "\r\n").encode("utf-8")
    site = make_site({"content/posts/both.md": data})
    site.build()
    assert "Les deux" in headings(site.read("2025/03/both/index.html"))


def test_front_matter_may_end_with_three_dots(make_site):
    site = make_site({"content/posts/dots.md": "---\ntitle: Points\ndate: 2025-03-21\n...\n"
                                               "Le corps.\n"})
    site.build()
    html = site.read("2025/03/dots/index.html")
    assert "Points" in headings(html)
    assert "<p>Le corps.</p>" in html


def test_split_front_matter_counts_lines_from_the_top():
    fm, fm_line, body, body_line = split_front_matter("---\na: 1\nb: 2\n---\nbody\n")
    assert (fm, fm_line, body, body_line) == ("a: 1\nb: 2\n", 2, "body\n", 5)


def test_read_document_keeps_the_body_and_where_it_starts(tmp_path):
    path = tmp_path / "content/posts/a.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\ntitle: A\ndate: 2025-03-21\n---\n\nLe corps.\n", encoding="utf-8")
    diag = Diagnostics(root=tmp_path)
    doc = read_document(path, tmp_path, "post", diag)
    assert diag.problems == []
    assert doc is not None
    assert doc.rel == Path("content/posts/a.md")
    assert doc.meta.text("title") == "A"
    assert doc.body == "\nLe corps.\n"
    assert doc.body_line == 5


def test_read_document_reports_instead_of_raising(tmp_path):
    path = tmp_path / "content/posts/a.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"---\ntitle: A\n---\n\x00\n")
    diag = Diagnostics(root=tmp_path)
    assert read_document(path, tmp_path, "post", diag) is None
    assert [str(p) for p in diag.problems] == [
        "content/posts/a.md:4: binary data (NUL byte) in a text file"]


# ---- files that are skipped, with a word to the author --------------------------------------

@pytest.mark.parametrize("text", ["", "   \n\n\t\n", "\ufeff"], ids=["empty", "blank", "bom"])
def test_an_empty_file_is_skipped_with_a_warning(make_site, text):
    site = make_site({"content/posts/vide.md": text,
                      "content/posts/plein.md": post("Plein")})
    report = site.build()
    assert problems_of(report, "warning") == ["content/posts/vide.md: warning: empty file, skipped"]
    assert report.posts == 1


def test_a_non_markdown_file_in_posts_is_skipped_with_a_warning(make_site):
    site = make_site({"content/posts/photo.jpg": b"\xff\xd8\xff\xe0 not text",
                      "content/posts/notes.txt": "title: x\n",
                      "content/posts/a.md": post("A")})
    report = site.build()
    assert problems_of(report, "warning") == [
        "content/posts/notes.txt: warning: not a Markdown file (.md), skipped "
        "(images and downloads belong in static/)",
        "content/posts/photo.jpg: warning: not a Markdown file (.md), skipped "
        "(images and downloads belong in static/)",
    ]
    assert report.posts == 1


def test_markdown_suffixes_in_any_case_are_read(make_site):
    site = make_site({"content/posts/a.markdown": post("A"),
                      "content/posts/b.MD": post("B")})
    report = site.build()
    assert report.posts == 2
    assert report.problems == []


def test_editor_backup_and_lock_files_are_ignored_silently(make_site):
    site = make_site({"content/posts/a.md": post("A"),
                      "content/posts/a.md~": "junk",
                      "content/posts/.a.md.swp": b"\x00\x01",
                      "content/posts/#a.md#": "junk",
                      "content/posts/.hidden.md": "junk"})
    report = site.build()
    assert report.problems == []
    assert report.posts == 1


def test_a_stray_file_in_content_gets_a_warning(make_site):
    site = make_site({"content/a.md": post("Perdu"), "content/posts/b.md": post("B")})
    report = site.build()
    assert problems_of(report, "warning") == [
        "content/a.md: warning: not read: content/ holds posts/ and pages/ "
        "(move it to content/posts/ or content/pages/, or images to static/)"]


# ---- symbolic links -------------------------------------------------------------------------

@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the site, with a post and a file that must never be published."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text(post("Secret", body=SECRET), encoding="utf-8")
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    return folder


def test_a_symlinked_file_leading_outside_is_not_followed(make_site, outside):
    site = make_site({"content/posts/a.md": post("A")})
    os.symlink(outside / "secret.md", site.root / "content/posts/secret.md")
    report = site.build()
    assert problems_of(report, "warning") == [
        "content/posts/secret.md: warning: symbolic link leads outside the site, not followed"]
    assert report.posts == 1
    assert SECRET not in every_output_text(site)


def test_a_symlinked_folder_is_not_followed(make_site, outside):
    site = make_site({"content/posts/a.md": post("A")})
    os.symlink(outside, site.root / "content/posts/more")
    report = site.build()
    assert problems_of(report, "warning") == [
        "content/posts/more: warning: symbolic link to a folder not followed "
        "(copy the folder into content/ instead)"]
    assert SECRET not in every_output_text(site)


def test_a_symlink_inside_the_site_is_followed(make_site):
    site = make_site({"drafts/real.md": post("Lien interne")})
    (site.root / "content/posts").mkdir(parents=True)
    os.symlink(site.root / "drafts/real.md", site.root / "content/posts/real.md")
    report = site.build()
    assert report.problems == []
    assert "Lien interne" in headings(site.read("2025/03/real/index.html"))


def test_a_loop_of_symlinks_is_skipped_with_a_warning(make_site):
    # Path.resolve() raises RuntimeError on a loop (Python < 3.13): it used to crash the build.
    site = make_site({"content/posts/a.md": post("A"), "static/ok.txt": "ok"})
    os.symlink("boucle.md", site.root / "content/posts/boucle.md")
    os.symlink("boucle.txt", site.root / "static/boucle.txt")
    report = site.build()
    assert problems_of(report, "warning") == [
        "content/posts/boucle.md: warning: symbolic link loops, not followed",
        "static/boucle.txt: warning: symbolic link leads outside the site, not copied"]
    assert report.posts == 1
    assert not (site.output / "boucle.txt").exists()


def test_a_symlink_to_nothing_is_an_error_naming_it(make_site):
    site = make_site({"content/posts/a.md": post("A")})
    os.symlink("supprime.md", site.root / "content/posts/lien.md")
    assert site.build_fails() == [
        "content/posts/lien.md: cannot read: No such file or directory"]


def test_a_static_symlink_leading_outside_is_not_copied(make_site, outside):
    site = make_site({"content/posts/a.md": post("A"), "static/ok.txt": "ok"})
    os.symlink(outside / "secret.txt", site.root / "static/secret.txt")
    report = site.build()
    assert problems_of(report, "warning") == [
        "static/secret.txt: warning: symbolic link leads outside the site, not copied"]
    assert site.read("ok.txt") == "ok"
    assert not (site.output / "secret.txt").exists()


# ---- size -----------------------------------------------------------------------------------

def test_a_very_large_post_is_refused_quickly(make_site):
    body = "Un mot de plus. " * (5 * 1024 * 1024 // 16 + 1)
    site = make_site({"content/posts/enorme.md": post("Énorme", body=body),
                      "content/posts/a.md": post("A")})
    started = time.perf_counter()
    lines = site.build_fails()
    assert time.perf_counter() - started < 5
    assert lines == ["content/posts/enorme.md:1: file is 5 MB, more than the 4 MB a post may be "
                     "(split it, or link large data from static/)"]


def test_a_one_megabyte_post_builds(make_site):
    paragraph = "Du texte, encore du texte, toujours du texte pour remplir la page. " * 10
    body = "\n\n".join([paragraph] * (1024 * 1024 // len(paragraph) + 1))
    assert 1024 * 1024 < len(body.encode()) < MAX_FILE_BYTES
    site = make_site({"content/posts/long.md": post("Long", body=body)})
    started = time.perf_counter()
    site.build()
    assert time.perf_counter() - started < 30
    assert "Long" in headings(site.read("2025/03/long/index.html"))
