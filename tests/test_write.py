"""Writing the output folder in place: whatever was changed in it by hand is put right by the
next build, which gives exactly what a build from scratch would."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import post
from tests.test_incremental import cold_build, snapshot

POSTS = {
    "content/posts/a.md": post("Alpha", "2025-01-01", "Texte alpha.", tags="[x]"),
    "content/posts/b.md": post("Beta", "2025-01-02", "Texte beta.", tags="[x]"),
    "static/files/notice.txt": "Lisez-moi.\n",
}


@pytest.fixture
def built(make_site):
    site = make_site(POSTS)
    site.build()
    return site


def test_a_folder_made_where_a_page_goes_is_replaced_by_the_page(built, tmp_path):
    page = built.output / "2025/01/a/index.html"
    page.unlink()
    (page / "inside").mkdir(parents=True)
    built.build()
    assert page.is_file()
    assert snapshot(built.output) == cold_build(built.root, tmp_path)


def test_a_file_made_where_a_folder_goes_is_replaced_by_the_folder(built, tmp_path):
    shutil.rmtree(built.output / "2025/01")
    (built.output / "2025/01").write_text("not a folder")
    built.build()
    assert snapshot(built.output) == cold_build(built.root, tmp_path)


def test_a_folder_made_where_a_static_file_goes_is_replaced_by_the_file(built, tmp_path):
    copy = built.output / "files/notice.txt"
    copy.unlink()
    copy.mkdir()
    built.build()
    assert copy.read_text() == "Lisez-moi.\n"
    assert snapshot(built.output) == cold_build(built.root, tmp_path)


def test_a_folder_made_where_a_removed_file_was_is_removed(built, tmp_path):
    (built.root / "content/posts/b.md").unlink()
    page = built.output / "2025/01/b/index.html"
    page.unlink()
    page.mkdir()
    built.build()
    assert not (built.output / "2025/01/b").exists()
    assert snapshot(built.output) == cold_build(built.root, tmp_path)
