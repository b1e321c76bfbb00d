"""Text drawn from glyphs rendered once: the same pixels and lengths as Pillow's basic layout,
without FreeType loading, hinting and rasterizing every character of every card again.

Pillow's basic layout puts each glyph at its pen position rounded to a whole pixel (hinted
advances are whole pixels; kerning is in 1/64 pixel), so a glyph's bitmap never depends on
where it lands. A card's title lines (46–76 px) are drawn from kept glyphs ~3.5× faster
than by ImageDraw.text, and measured ~4.5× faster than by getlength.
tests/test_glyphs.py holds the pixels and lengths to Pillow's own.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image, ImageFont

Box = tuple[int, int, int, int]  # left, top, right, bottom
_Glyph = tuple["Image.Image | None", int, int]  # coverage (None: no ink), offset from the pen


class Face:
    """A FreeType font at one size, with each character's advance, each pair's kerning and
    each glyph's bitmap kept after the first time (in 1/64 pixel, Pillow's unit)."""

    def __init__(self, font: ImageFont.FreeTypeFont):
        self.font = font
        self._advances: dict[str, int] = {}
        self._kernings: dict[tuple[str, str], int] = {}
        self._glyphs: dict[tuple[str, str], _Glyph] = {}

    def length(self, text: str) -> float:
        """`font.getlength(text)`: the pen's advance over the text, in pixels."""
        advances, kernings = self._advances, self._kernings
        try:
            units = sum([advances[char] for char in text])
            units += sum([kernings[pair] for pair in itertools.pairwise(text)])
        except KeyError:  # a character or pair met for the first time
            units = sum(map(self._advance, text))
            units += sum(self._kerning(*pair) for pair in itertools.pairwise(text))
        return units / 64

    def placed(self, x: int, y: int, text: str, anchor: str) -> list[tuple[Image.Image, Box]]:
        """Each inked glyph of `text` drawn at (x, y), and its box."""
        placed = []
        pen, previous = 0, ""
        for char in text:
            if previous:
                pen += self._kerning(previous, char)
            bitmap, dx, dy = self._glyph(char, anchor)
            if bitmap is not None:
                left, top = x + ((pen + 32) >> 6) + dx, y + dy  # rounded as Pillow does
                placed.append((bitmap, (left, top, left + bitmap.width, top + bitmap.height)))
            pen += self._advance(char)
            previous = char
        return placed

    def _advance(self, char: str) -> int:
        advance = self._advances.get(char)
        if advance is None:
            advance = self._advances[char] = round(self.font.getlength(char) * 64)
        return advance

    def _kerning(self, first: str, second: str) -> int:
        kerning = self._kernings.get((first, second))
        if kerning is None:
            kerning = self._kernings[first, second] = (
                round(self.font.getlength(first + second) * 64)
                - self._advance(first) - self._advance(second))
        return kerning

    def _glyph(self, char: str, anchor: str) -> _Glyph:
        glyph = self._glyphs.get((char, anchor))
        if glyph is None:
            glyph = self._glyphs[char, anchor] = _render(self.font, char, anchor)
        return glyph


def _render(font: ImageFont.FreeTypeFont, char: str, anchor: str) -> _Glyph:
    """A character drawn by Pillow alone, on a canvas just its size, and where that lies."""
    from PIL import Image, ImageDraw

    # Whole pixels for a TrueType font (typed as floats for other kinds of font).
    left, top, right, bottom = map(int, font.getbbox(char, "L", anchor=anchor))
    if right <= left or bottom <= top:
        return None, left, top
    bitmap = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(bitmap).text((-left, -top), char, font=font, fill=255, anchor=anchor)
    return (bitmap if bitmap.getbbox() else None), left, top


def draw_lines(lines: list[tuple[Face, int, int, str, str]]) -> tuple[Image.Image, Box] | None:
    """Lines of text (face, x, y, text, anchor) drawn in order as `ImageDraw.text(fill=255)`
    draws them on a black "L" canvas, on one just around their ink: that canvas and where it
    lies, or None without ink.

    Pillow puts each glyph's coverage `c` over the line's so far (`t`) as `c + t·(255 − c)/255`,
    rounded, which is what pasting 255 through the glyph gives; then the line over the
    canvas, alike. A line that overlaps no earlier one has its glyphs pasted straight on."""
    from PIL import Image

    placed = [glyphs for face, x, y, text, anchor in lines
              if (glyphs := face.placed(x, y, text, anchor))]
    if not placed:
        return None
    boxes = [_union([box for _, box in glyphs]) for glyphs in placed]
    left, top, right, bottom = whole = _union(boxes)
    canvas = Image.new("L", (right - left, bottom - top), 0)
    for k, (glyphs, box) in enumerate(zip(placed, boxes, strict=True)):
        if any(boxes_overlap(box, earlier) for earlier in boxes[:k]):
            line = Image.new("L", (box[2] - box[0], box[3] - box[1]), 0)
            _paste(line, glyphs, box[0], box[1])
            _paste(canvas, [(line, box)], left, top)
        else:
            _paste(canvas, glyphs, left, top)
    return canvas, whole


def _paste(canvas: Image.Image, glyphs: list[tuple[Image.Image, Box]], left: int,
           top: int) -> None:
    """Each coverage over the canvas, whose top left lies at (left, top)."""
    for coverage, (x0, y0, x1, y1) in glyphs:
        canvas.paste(255, (x0 - left, y0 - top, x1 - left, y1 - top), coverage)


def _union(boxes: list[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def boxes_overlap(first: Box, second: Box) -> bool:
    """Whether two boxes share a pixel (right and bottom edges excluded)."""
    return (first[0] < second[2] and second[0] < first[2]
            and first[1] < second[3] and second[1] < first[3])
