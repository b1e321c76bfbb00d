"""sitegen/frontmatter.py: typed front matter, Jekyll and Hugo spellings, helpful warnings."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import post


def feed_items(site) -> dict[str, dict]:
    """The site's JSON Feed items by title: what the build made of each post's front matter."""
    return {item["title"]: item for item in json.loads(site.read("feed.json"))["items"]}


def problems_of(report, level: str) -> list[str]:
    return [str(p) for p in report.problems if p.level == level]


def front_matter(*lines: str, body: str = "Du texte.") -> str:
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


# ---- YAML 1.1 surprises: the author's text wins ---------------------------------------------

def test_title_no_stays_no(make_site):
    site = make_site({"content/posts/non.md": post("no"),
                      "content/posts/oui.md": post("yes", "2025-03-22"),
                      "content/posts/version.md": post("1.10", "2025-03-23")})
    site.build()
    assert set(feed_items(site)) == {"no", "yes", "1.10"}


def test_tags_keep_the_words_yaml_1_1_would_turn_into_booleans_and_numbers(make_site):
    site = make_site({"content/posts/a.md": post("A", tags="[no, on, 1.10, yes]")})
    site.build()
    assert feed_items(site)["A"]["tags"] == ["no", "on", "1.10", "yes"]
    for slug, name in [("no", "no"), ("on", "on"), ("1-10", "1.10"), ("yes", "yes")]:
        html = site.read(f"tags/{slug}/index.html")
        assert re.search(rf"<h1[^>]*>[^<]*(?<![\w.]){re.escape(name)}(?![\w.])", html), slug
    assert not (site.output / "tags/false").exists()
    assert not (site.output / "tags/1-1").exists()


# ---- Jekyll and Hugo spellings --------------------------------------------------------------

def test_categories_are_merged_into_tags(make_site):
    site = make_site({"content/posts/a.md": post("A", tags="[vélo]",
                                                 categories="[Ville, vélo]")})
    site.build()
    assert feed_items(site)["A"]["tags"] == ["vélo", "Ville"]
    assert (site.output / "tags/ville/index.html").is_file()


def test_tags_as_a_comma_separated_string(make_site):
    site = make_site({"content/posts/a.md": post("A", tags="vélo, ville, nuit")})
    site.build()
    assert feed_items(site)["A"]["tags"] == ["vélo", "ville", "nuit"]


def test_description_is_the_summary(make_site):
    site = make_site({"content/posts/a.md": post("A", description="Un résumé à la Jekyll",
                                                 body="Le premier paragraphe.")})
    site.build()
    assert feed_items(site)["A"]["summary"] == "Un résumé à la Jekyll"


def test_summary_wins_over_description(make_site):
    site = make_site({"content/posts/a.md": post("A", summary="Le nôtre",
                                                 description="Celui de Jekyll")})
    site.build()
    assert feed_items(site)["A"]["summary"] == "Le nôtre"


@pytest.mark.parametrize("key", ["updated", "lastmod", "last_modified_at"])
def test_update_date_spellings(make_site, key):
    site = make_site({"content/posts/a.md": post("A", "2025-03-01", **{key: "2025-03-10 09:15"})})
    site.build()
    assert feed_items(site)["A"]["date_modified"] == "2025-03-10T09:15:00+01:00"
    assert 'datetime="2025-03-10T09:15:00+01:00"' in site.read("2025/03/a/index.html")


def test_published_false_is_a_draft(make_site):
    site = make_site({"content/posts/a.md": post("Caché", published="false"),
                      "content/posts/b.md": post("Public", published="true")})
    assert site.build().posts == 1
    assert set(feed_items(site)) == {"Public"}
    assert not (site.output / "2025/03/a").exists()


# ---- drafts ---------------------------------------------------------------------------------

def test_drafts_are_left_out_unless_asked_for(make_site):
    site = make_site({"content/posts/brouillon.md": post("Brouillon", draft="true"),
                      "content/posts/fini.md": post("Fini")})
    assert site.build().posts == 1
    assert not (site.output / "2025/03/brouillon").exists()
    assert site.build(drafts=True).posts == 2
    html = site.read("2025/03/brouillon/index.html")
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize(("value", "posts"), [
    ('"true"', 0), ("'False'", 1), ("yes", 0), ("off", 1), ('"no"', 1)])
def test_draft_flags_quoted_or_in_yaml_1_1_words(make_site, value, posts):
    # A quoted "true" used to be refused as "must be true or false, not 'true'".
    site = make_site({"content/posts/a.md": post("A", draft=value)})
    assert site.build().posts == posts


def test_draft_must_be_true_or_false(make_site):
    site = make_site({"content/posts/a.md": post("A", draft="peut-être")})
    assert site.build_fails() == ["content/posts/a.md:4: 'draft' must be true or false, "
                                  "not 'peut-être'"]


def test_a_tag_that_does_not_fit_its_text_is_an_error_not_a_crash(make_site):
    site = make_site({"content/posts/a.md": post("A", draft="!!bool maybe")})
    assert site.build_fails() == ["content/posts/a.md:4: 'draft' must be true or false, "
                                  "not 'maybe'"]


# ---- required fields ------------------------------------------------------------------------

def test_a_date_key_with_nothing_after_it_is_a_missing_date(make_site):
    # Used to pass the check and crash later on an assert.
    site = make_site({"content/posts/a.md": front_matter("title: A", "date:")})
    assert site.build_fails() == ["content/posts/a.md:3: missing 'date' "
                                  "(add a line such as 'date: 2025-03-21')"]


def test_a_blank_title_is_a_missing_title(make_site):
    site = make_site({"content/posts/a.md": front_matter('title: "  "', "date: 2025-03-21")})
    assert site.build_fails() == ["content/posts/a.md:2: missing 'title' "
                                  "(add a line such as 'title: My post' to the front matter)"]


def test_a_list_where_one_value_is_expected(make_site):
    site = make_site({"content/posts/a.md": front_matter("title: [a, b]", "date: 2025-03-21")})
    assert site.build_fails() == ["content/posts/a.md:2: 'title' must be a single value, "
                                  "not a list"]


def test_every_problem_of_one_file_is_reported(make_site):
    site = make_site({"content/posts/a.md": front_matter("date: 2025-13-01", "draft: 3",
                                                         "tags: {a: b}")})
    assert site.build_fails() == [
        "content/posts/a.md:2: missing 'title' (add a line such as 'title: My post' to the "
        "front matter)",
        "content/posts/a.md:2: date: '2025-13-01' is not a real date (month must be in 1..12) "
        "(write it as 2025-03-21 or 2025-03-21 18:30)",
        "content/posts/a.md:3: 'draft' must be true or false, not '3'",
        "content/posts/a.md:4: 'tags' must be a list, not a mapping",
    ]


def test_a_page_needs_no_date(make_site):
    site = make_site({"content/pages/about.md": front_matter("title: À propos")})
    report = site.build()
    assert report.pages == 1
    assert report.problems == []


# ---- warnings with a "did you mean" ---------------------------------------------------------

def test_a_misspelt_key_is_kept_with_a_warning(make_site):
    site = make_site({"content/posts/a.md": post("A", tgas="[vélo]", couleur="bleu")})
    report = site.build()
    assert problems_of(report, "warning") == [
        "content/posts/a.md:4: warning: unknown key 'tgas' kept as is (did you mean 'tags'?)"]
    assert feed_items(site)["A"]["tags"] == []


def test_an_unknown_platform_is_ignored_with_a_warning(make_site):
    site = make_site({"content/posts/a.md": post("A", platforms="[mastodom, twitter, Bluesky]")})
    report = site.build()
    assert problems_of(report, "warning") == [
        "content/posts/a.md:4: warning: unknown platform 'mastodom', ignored "
        "(did you mean 'mastodon'?)"]


def test_an_unknown_platform_far_from_any_lists_the_known_ones(make_site):
    site = make_site({"content/posts/a.md": post("A", platforms="[myspace]")})
    [warning] = problems_of(site.build(), "warning")
    assert warning.startswith("content/posts/a.md:4: warning: unknown platform 'myspace', "
                              "ignored (known: x, mastodon, bluesky")


def test_an_unknown_author_id_gets_a_did_you_mean(make_site):
    site = make_site({"content/posts/a.md": post("A", author="alcie")})
    report = site.build()
    assert problems_of(report, "warning") == [
        "content/posts/a.md:4: warning: unknown author id 'alcie' (did you mean 'alice'?)"]


def test_a_free_author_name_is_no_mistake(make_site):
    site = make_site({"content/posts/a.md": post("A", author="Jeanne Dupont"),
                      "content/posts/b.md": post("B", authors="[alice, bob]")})
    report = site.build()
    assert report.problems == []
    items = feed_items(site)
    assert items["A"]["authors"] == [{"name": "Jeanne Dupont"}]
    assert items["B"]["authors"] == [{"name": "Alice Martin"}, {"name": "Bob Durand"}]
