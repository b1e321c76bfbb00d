"""Campaign colours: only hex codes and CSS names are read, and the variant used for text
reaches WCAG AA on every background of the default theme, light and dark."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.campaignfile import DARK_BACKGROUNDS, LIGHT_BACKGROUNDS
from sitegen.colours import AA_TEXT, ColourError, contrast, parse_colour, readable_on


@pytest.mark.parametrize(("text", "colour"), [
    ("#1F6F43", "#1f6f43"), ("1f6f43", "#1f6f43"), ("#abc", "#aabbcc"),
    ("ForestGreen", "#228b22"), (" rebeccapurple ", "#663399")])
def test_hex_codes_and_css_names_are_read(text, colour):
    assert parse_colour(text) == colour


@pytest.mark.parametrize("text", [
    "red; background: url(x)", "#12345", "rgb(1, 2, 3)", "var(--x)", "#ggg", "", "tomato}"])
def test_anything_else_is_refused(text):
    with pytest.raises(ColourError):
        parse_colour(text)


def test_contrast_matches_wcag():
    assert round(contrast("#000000", "#ffffff"), 2) == 21
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48


def test_a_readable_colour_is_kept_and_a_pale_one_darkened():
    assert readable_on("#1f6f43", LIGHT_BACKGROUNDS) == "#1f6f43"
    pale = readable_on("#ffff00", LIGHT_BACKGROUNDS)
    assert pale != "#ffff00"
    assert all(contrast(pale, bg) >= AA_TEXT for bg in LIGHT_BACKGROUNDS)
    dark = readable_on("#000080", DARK_BACKGROUNDS)  # navy on a dark page: lightened
    assert all(contrast(dark, bg) >= AA_TEXT for bg in DARK_BACKGROUNDS)


@given(st.from_regex(r"#[0-9a-f]{6}", fullmatch=True))
def test_every_colour_gets_readable_variants(colour):
    for backgrounds in (LIGHT_BACKGROUNDS, DARK_BACKGROUNDS):
        variant = readable_on(colour, backgrounds)
        assert all(contrast(variant, bg) >= AA_TEXT for bg in backgrounds)
