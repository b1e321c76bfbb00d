"""Text drawn from kept glyphs: the same pixels as ImageDraw.text and the same lengths as
FreeTypeFont.getlength, for any text the card fonts can draw, wherever it lands."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

from sitegen import glyphs
from sitegen.cards import _coverage, _stamp, default_fonts
from sitegen.glyphs import Face, boxes_overlap, draw_lines

SIZES = (76, 46, 32)
CANVAS = (700, 260)


@cache
def font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    fonts = default_fonts()
    return ImageFont.truetype(str(fonts.bold if bold else fonts.regular), size,
                              layout_engine=ImageFont.Layout.BASIC)


@cache
def face(bold: bool, size: int) -> Face:
    return Face(font(bold, size))


@cache
def drawable() -> list[str]:
    """Everything the regular font draws below the Arabic block: Latin, Greek, Cyrillic,
    punctuation, and combining marks that overhang their neighbours."""
    covered = _coverage(*_stamp(default_fonts().regular)) & _coverage(
        *_stamp(default_fonts().bold))
    return [chr(c) for c in sorted(covered) if 0x20 <= c < 0x600]


# Mostly French, with pairs that kern (AV, Te) or overlap (f, j, ď), and any drawable character.
characters = st.one_of(st.sampled_from("AVTeWaoyfjďgp'’«» éÉàœ"), st.sampled_from(drawable()))
texts = st.text(characters, max_size=24)
lines = st.lists(st.tuples(st.booleans(), st.sampled_from(SIZES), st.integers(-40, 600),
                           st.integers(-40, 220), texts, st.sampled_from(["la", "ls"])),
                 min_size=1, max_size=4)


def pillows(drawn: list[tuple[bool, int, int, int, str, str]]) -> bytes:
    canvas = Image.new("L", CANVAS, 0)
    for bold, size, x, y, text, anchor in drawn:
        ImageDraw.Draw(canvas).text((x, y), text, font=font(bold, size), fill=255,
                                    anchor=anchor)
    return canvas.tobytes()


def ours(drawn: list[tuple[bool, int, int, int, str, str]]) -> bytes:
    canvas = Image.new("L", CANVAS, 0)
    made = draw_lines([(face(bold, size), x, y, text, anchor)
                       for bold, size, x, y, text, anchor in drawn])
    if made is not None:
        coverage, (left, top, right, bottom) = made
        assert coverage.size == (right - left, bottom - top)
        canvas.paste(coverage, (left, top))
    return canvas.tobytes()


@settings(max_examples=300, deadline=None)
@given(lines)
def test_lines_are_drawn_exactly_as_pillow_draws_them(drawn):
    assert ours(drawn) == pillows(drawn)


@settings(max_examples=300, deadline=None)
@given(st.booleans(), st.sampled_from(SIZES), texts)
def test_lengths_are_pillows(bold, size, text):
    assert face(bold, size).length(text) == font(bold, size).getlength(text)


@pytest.mark.parametrize("drawn", [
    [(True, 76, 20, 20, "AVATAR Tête", "la")],  # kerned pairs
    [(True, 76, 20, 20, "Te Te Te Te Ta", "la")],  # kerning adding up to a whole pixel
    [(False, 76, 20, 150, "ďj ďb affût", "ls")],  # glyphs over their neighbours
    [(True, 76, 10, 10, "Égypte jpg", "la"), (True, 76, 10, 60, "Œuvre Éa", "la")],  # lines over
    [(True, 46, -30, -20, "Coin", "la"), (False, 32, 650, 250, "Bord", "ls")],  # off the edges
])
def test_hard_cases_are_pillows(drawn):
    assert ours(drawn) == pillows(drawn)


def test_overlapping_glyphs_and_lines_blend_as_pillow_not_as_the_lighter():
    """Where two coverages meet, Pillow adds the second over the first (242 over 36 gives
    244): a maximum would give 242. These cases hold such pixels."""
    for drawn in ([(False, 76, 20, 150, "aďb", "ls")],
                  [(True, 76, 10, 10, "gjpq", "la"), (True, 76, 10, 40, "ÉÈÊ", "la")]):
        made = draw_lines([(face(b, s), x, y, t, a) for b, s, x, y, t, a in drawn])
        assert made is not None
        boxes = [box for b, s, x, y, t, a in drawn
                 for _, box in face(b, s).placed(x, y, t, a)]
        assert any(boxes_overlap(one, other) for k, one in enumerate(boxes)
                   for other in boxes[k + 1:])
        assert ours(drawn) == pillows(drawn)


def test_text_without_ink_draws_nothing():
    assert draw_lines([(face(True, 46), 0, 0, "", "la"), (face(True, 46), 9, 9, "   ", "la")]) \
        is None
    assert face(True, 46).length("") == 0


def test_each_glyph_is_rendered_once(monkeypatch):
    calls = []
    render = glyphs._render
    monkeypatch.setattr(glyphs, "_render", lambda *args: calls.append(args[1:]) or render(*args))
    fresh = Face(font(True, 46))
    draw_lines([(fresh, 0, 40, "élan élan", "ls"), (fresh, 0, 90, "nalé", "ls")])
    assert sorted(calls) == sorted([(c, "ls") for c in "élan "])
