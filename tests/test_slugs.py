"""sitegen/slugs.py, and the slugs posts get: from the file name or `slug:`, never clashing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.slugs import is_safe_segment, slugify
from tests.conftest import post


@pytest.mark.parametrize(("text", "slug"), [
    ("L’été à vélo", "lete-a-velo"),
    ("L'hiver", "lhiver"),
    ("Vélorution printanière !", "velorution-printaniere"),
    ("  Ça   roule  ", "ca-roule"),
    ("Œuvre & maïs", "oeuvre-mais"),
    ("Straße", "strasse"),
    ("Vélo", "velo"),
    ("...", ""),
])
def test_slugify_transliterates_and_joins_words(text, slug):
    assert slugify(text) == slug


def test_slugify_stops_at_a_word_boundary():
    slug = slugify("mot " * 100)
    assert len(slug) <= 120
    assert slug.endswith("mot")


@pytest.mark.parametrize(("segment", "safe"), [
    ("velo", True), ("", False), (".", False), ("..", False), ("a/b", False),
    ("..\\x", False), ("a\0b", False), ("...", True),
])
def test_is_safe_segment(segment, safe):
    assert is_safe_segment(segment) is safe


# ---- through a build ------------------------------------------------------------------------

def test_slug_from_the_file_name_without_its_date(make_site):
    site = make_site({"content/posts/2025-03-21-velorution.md": post("Un autre titre")})
    site.build()
    assert (site.output / "2025/03/velorution/index.html").is_file()


def test_slug_from_the_folder_of_an_index_file(make_site):
    site = make_site({"content/posts/2025-03-21-sortie/index.md": post("Sortie")})
    site.build()
    assert (site.output / "2025/03/sortie/index.html").is_file()


def test_slug_given_in_front_matter(make_site):
    site = make_site({"content/posts/2025-03-21-brouillon-3.md": post("A", slug="vraie-adresse"),
                      "content/posts/b.md": post("B", slug="'L’été à vélo'")})
    site.build()
    assert (site.output / "2025/03/vraie-adresse/index.html").is_file()
    assert (site.output / "2025/03/lete-a-velo/index.html").is_file()
    assert not (site.output / "2025/03/brouillon-3").exists()


def test_accents_in_a_file_name_are_transliterated(make_site):
    site = make_site({"content/posts/2025-03-21-L’été à vélo.md": post("Titre")})
    site.build()
    assert (site.output / "2025/03/lete-a-velo/index.html").is_file()


@pytest.mark.parametrize("slug", ["../../etc", "a/b", "..", "'...'"])
def test_a_slug_that_is_not_one_path_segment_is_an_error(make_site, slug):
    site = make_site({"content/posts/x.md": post("X", slug=slug)})
    [line] = site.build_fails()
    shown = slug.strip("'")
    assert line == (f"content/posts/x.md:4: slug '{shown}' cannot be a path segment "
                    "(use letters, digits and '-' only)")
    assert not site.output.exists()


def test_two_posts_with_one_slug_in_one_month_name_both_files(make_site):
    site = make_site({"content/posts/2025-03-01-a.md": post("A", "2025-03-01", slug="velo"),
                      "content/posts/2025-03-20-velo.md": post("B", "2025-03-20")})
    [line] = site.build_fails()
    assert "content/posts/2025-03-01-a.md" in line
    assert "content/posts/2025-03-20-velo.md" in line
    assert "2025/03/velo/index.html" in line
    assert line.endswith("(give one of them another 'slug' or rename the file)")


def test_slugs_differing_only_by_case_clash_too(make_site):
    site = make_site({"content/posts/a.md": post("A", "2025-03-01", slug="Velo"),
                      "content/posts/b.md": post("B", "2025-03-20", slug="velo")})
    [line] = site.build_fails()
    assert "content/posts/a.md" in line and "content/posts/b.md" in line


def test_one_slug_in_two_months_is_fine(make_site):
    site = make_site({"content/posts/a.md": post("A", "2025-03-01", slug="velo"),
                      "content/posts/b.md": post("B", "2025-04-01", slug="velo")})
    assert site.build().posts == 2


def test_a_tag_of_punctuation_stays_inside_the_output(make_site):
    # Such a tag used to be its own slug: '../..' wrote tags/../../index.html beside the
    # output folder, and '/' or '.' overwrote the tag index.
    site = make_site({"content/posts/a.md": post("A", tags='["../..", "/", ".", "!!!"]')})
    site.build()
    assert sorted(p.name for p in site.root.iterdir()) == [".sitegen-cache", "content", "public",
                                                           "site.yaml"]
    tag_pages = sorted((site.output / "tags").glob("*/index.html"))
    assert len(tag_pages) == 4
    index = site.read("tags/index.html")
    assert all(f'/tags/{page.parent.name}/"' in index for page in tag_pages)


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127), max_size=140))
@settings(max_examples=400, deadline=None)
def test_the_ascii_fast_path_agrees_with_python_slugify(text):
    from slugify import slugify as library

    from sitegen.slugs import _REPLACEMENTS, MAX_LENGTH

    expected = library(text, replacements=_REPLACEMENTS, max_length=MAX_LENGTH,
                       word_boundary=True)
    assert slugify.__wrapped__(text) == expected


LATIN = st.lists(st.sampled_from([
    *"abcdeéèêëàâäîïôöùûüçœæßÿñåøłđþ ÀÉÈÇŒÆ", *"AZaz09 ,.;:!?-–—_/()[]«»“”‘’'ʼ…&#@€$%",
    "\u00a0", "\u202f", "\u0301", "\u0308", "ﬁ", "½", "²", "Ⅻ", "K", "＆", "﹠", "&amp;", "&#38;",
    "&eacute;", "1,5", "日本", "Ж", "ש", "🚲", "vélo "]), max_size=120).map("".join)


@given(LATIN | st.text(max_size=140))
@settings(max_examples=1000, deadline=None)
def test_slugs_agree_with_python_slugify_whatever_the_text(text):
    """Text python-slugify transliterates to ASCII without entities is slugged by the fast
    path; the rest by python-slugify itself. Both must be python-slugify's slug."""
    from slugify import slugify as library

    from sitegen.slugs import _REPLACEMENTS, MAX_LENGTH

    expected = library(text, replacements=_REPLACEMENTS, max_length=MAX_LENGTH,
                       word_boundary=True)
    assert slugify.__wrapped__(text) == expected


@pytest.mark.parametrize("size", range(116, 126))
@pytest.mark.parametrize("words", ["é", "vélo ", "Œuvre-à-l’été "])
def test_accented_slugs_are_cut_at_120_characters_as_python_slugify_cuts_them(words, size):
    from slugify import slugify as library

    from sitegen.slugs import _REPLACEMENTS, MAX_LENGTH

    text = (words * size)[:size]
    slug = slugify.__wrapped__(text)
    assert slug == library(text, replacements=_REPLACEMENTS, max_length=MAX_LENGTH,
                           word_boundary=True)
    assert len(slug) <= MAX_LENGTH
