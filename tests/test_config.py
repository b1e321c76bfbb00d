"""site.yaml: every key validated, all errors at once, with line and a 'did you mean'."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import load_config
from sitegen.errors import BuildError, Diagnostics


def config_errors(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(BuildError) as info:
        load_config(tmp_path, Diagnostics(root=tmp_path))
    return [str(p) for p in info.value.problems]


def load(tmp_path: Path, text: str):
    (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
    return load_config(tmp_path, Diagnostics(root=tmp_path))


def test_minimal_config_gets_documented_defaults(tmp_path):
    config = load(tmp_path, "title: T\nbase_url: https://example.org\n")
    assert config.base_url == "https://example.org/"
    assert config.language == "en" and config.timezone == "UTC"
    assert config.permalinks.post == "/{year}/{month}/{slug}/"
    assert config.paginate == 10
    assert config.feeds.items == 20 and config.feeds.full_content is True
    assert config.theme_dir.name == "default"


def test_unknown_key_names_line_and_suggests(tmp_path):
    errors = config_errors(tmp_path, "title: T\nbase_url: https://e.org/\ntimezon: UTC\n")
    assert errors == ["site.yaml:3: timezon: unknown key (did you mean 'timezone'?)"]


def test_nested_unknown_keys_are_named_with_their_parent(tmp_path):
    errors = config_errors(tmp_path, "title: T\nbase_url: https://e.org/\nfeeds:\n"
                                     "  item: 5\nauthors:\n  a:\n    nmae: A\n")
    assert "site.yaml:4: feeds.item: unknown key (did you mean 'items'?)" in errors
    assert "site.yaml:7: authors.a.nmae: unknown key (did you mean 'name'?)" in errors


def test_all_errors_are_reported_at_once(tmp_path):
    errors = config_errors(tmp_path, "base_url: example.org\nlanguage: xx-nope\n"
                                     "timezone: Europe/Pariss\npaginate: zero\n"
                                     "platforms: [mastodom]\n")
    text = "\n".join(errors)
    assert "title: is required" in text
    assert "site.yaml:1: base_url: base_url 'example.org' needs a scheme" in text
    assert "site.yaml:2: language: unknown language 'xx-nope'" in text
    assert "site.yaml:3: timezone: unknown time zone 'Europe/Pariss' (did you mean " \
           "'Europe/Paris'?)" in text
    assert "site.yaml:4: paginate: must be a whole number" in text
    assert "site.yaml:5: platforms: unknown platform 'mastodom' (did you mean " \
           "'mastodon'?)" in text
    assert len(errors) == 6


def test_permalink_patterns_are_checked(tmp_path):
    errors = config_errors(tmp_path, "title: T\nbase_url: https://e.org/\npermalinks:\n"
                                     "  post: /{year}/{titre}/\n  page: /pages/\n")
    assert any("site.yaml:4: permalinks.post: unknown placeholder {titre}" in e for e in errors)
    assert any("site.yaml:5: permalinks.page:" in e and "{slug}" in e for e in errors)


def test_invalid_yaml_names_the_line(tmp_path):
    errors = config_errors(tmp_path, "title: T\nbase_url: [https://e.org/\n")
    assert errors[0].startswith("site.yaml:")
    assert "invalid YAML" in errors[0]


def test_missing_site_yaml_says_what_to_do(tmp_path):
    with pytest.raises(BuildError) as info:
        load_config(tmp_path, Diagnostics(root=tmp_path))
    assert "no site.yaml here" in str(info.value)
    assert "sitegen init" in str(info.value)


def test_unknown_theme_is_an_error(tmp_path):
    errors = config_errors(tmp_path, "title: T\nbase_url: https://e.org/\ntheme: fancy\n")
    assert errors[0].startswith("site.yaml:3: theme: theme 'fancy' not found")


def test_twitter_is_an_alias_of_x_and_authors_are_read(tmp_path):
    config = load(tmp_path, "title: T\nbase_url: https://e.org/blog\nsocial:\n"
                            "  twitter: '@site'\nplatforms: [twitter, Mastodon]\nauthors:\n"
                            "  ana:\n    name: Ana\n    links:\n"
                            "      - {title: Site, url: 'https://ana.example'}\n")
    assert config.social == {"x": "@site"}
    assert config.platforms == ("x", "mastodon")
    assert config.authors["ana"].links[0].url == "https://ana.example"
    assert config.base_url == "https://e.org/blog/"


def test_markdown_raw_html_setting_is_validated(tmp_path):
    errors = config_errors(tmp_path, "title: T\nbase_url: https://e.org/\nmarkdown:\n"
                                     "  raw_html: allow\n")
    assert errors == ["site.yaml:4: markdown.raw_html: must be 'sanitize' or 'keep', "
                      "not 'allow'"]
