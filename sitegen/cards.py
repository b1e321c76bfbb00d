"""Social cards: the 1200×630 PNG drawn for a post's link previews, and the key it is cached by.

Pure drawing: plain values in, PNG bytes out, no file written and no system font read. The
text is drawn with fonts the caller names (`default_fonts()` gives the default theme's bundled
DejaVu Sans); every character the font lacks is replaced or dropped first, so no card ever
shows a missing-glyph box. Same inputs give the same bytes (no timestamp or metadata chunk), and
`card_key` names those inputs, so a build can cache cards by content hash.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import struct
import unicodedata
import zlib  # its version shapes the compression
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

# Only the version here: Pillow's drawing modules (PIL.Image, ~15 ms with what it pulls) are
# imported to draw a card, and a rebuild whose cards are cached draws none.
import PIL

from sitegen.colours import rgb
from sitegen.digests import digest, file_digest
from sitegen.fontcmap import read_cmap
from sitegen.glyphs import Box, Face, boxes_overlap, draw_lines
from sitegen.png import palette_png
from sitegen.records import record

if TYPE_CHECKING:
    from PIL import Image

CARD_WIDTH, CARD_HEIGHT = 1200, 630
# Bump when the drawing changes (layout, sizes, palette, encoding): every cached card is redrawn.
CARD_VERSION = "3"

_PACKAGE = Path(__file__).resolve().parent
# The places sitegen.config looks for built-in themes: inside the package (wheel install), then
# the repository's top-level themes/ (checkout, editable install). config sits above this layer.
_DEFAULT_THEME_DIRS = (_PACKAGE / "themes" / "default", _PACKAGE.parent / "themes" / "default")
REGULAR_FONT, BOLD_FONT = "fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf"


@record
class CardFonts:
    """The two TrueType files a card is drawn with."""

    regular: Path  # author and date
    bold: Path  # title and site name


@record
class CardStyle:
    """Colours ('#rrggbb' or any CSS colour Pillow reads) and fonts of a card.

    The defaults are the default theme's light palette (themes/default/static/css/style.css).
    """

    background: str = "#fdf8f2"  # --bg
    text: str = "#2b211c"  # --text: the title
    muted: str = "#6b5a4f"  # --muted: author and date
    accent: str = "#a63c17"  # --accent: site name, side band and rule
    fonts: CardFonts | None = None  # None: the default theme's bundled fonts

    def __post_init__(self) -> None:
        for name in ("background", "text", "muted", "accent"):
            value = getattr(self, name)
            try:
                _rgb(value)
            except ValueError:
                raise ValueError(f"card style: {name}: '{value}' is not a colour "
                                 "(write it like '#a63c17')") from None


@record
class Card:
    """What a card says. `date_text` comes formatted by the caller (« 21 mars 2026 »)."""

    title: str
    site_name: str
    author: str = ""  # empty: no author shown
    date_text: str = ""  # empty: no date shown


def theme_fonts(theme_dir: Path) -> CardFonts:
    """The card fonts a theme folder bundles (`fonts/DejaVuSans.ttf` and its bold)."""
    return CardFonts(regular=theme_dir / REGULAR_FONT, bold=theme_dir / BOLD_FONT)


def default_fonts() -> CardFonts:
    """The default theme's bundled fonts, wherever sitegen is installed."""
    for folder in _DEFAULT_THEME_DIRS:
        if (folder / BOLD_FONT).is_file():
            return theme_fonts(folder)
    raise FileNotFoundError(f"the default theme's fonts are missing: looked for {BOLD_FONT} in "
                            + ", ".join(str(f) for f in _DEFAULT_THEME_DIRS))


def card_key(card: Card, style: CardStyle | None = None) -> str:
    """A stable hash of everything that shapes a card's bytes: its text, colours, the fonts'
    contents, the drawing's version, Pillow's (whose FreeType shapes the pixels) and zlib's
    (which shapes the compression)."""
    style = style or CardStyle()
    fonts = style.fonts or default_fonts()
    parts = [CARD_VERSION, PIL.__version__, zlib.ZLIB_RUNTIME_VERSION, card.title,
             card.site_name, card.author, card.date_text,
             *(_rgb(c) for c in (style.background, style.text, style.muted,
                                 style.accent)),  # '#FFF' draws as '#ffffff'
             _font_digest(*_stamp(fonts.regular)), _font_digest(*_stamp(fonts.bold))]
    return digest(json.dumps(parts))  # JSON, not NUL-joined: a title may hold any character


def unsupported_characters(text: str, font: Path) -> str:
    """The characters of `text` that `font` has no glyph for, each once, in order of
    appearance (for a warning; `draw_card` replaces or drops them)."""
    covered = _coverage(*_stamp(font))
    seen = dict.fromkeys(c for c in unicodedata.normalize("NFC", text)
                         if ord(c) not in covered and not c.isspace())
    return "".join(seen)


_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _rgb(colour: str) -> tuple[int, ...]:
    """A colour's channels as Pillow reads it. The '#rrggbb' form (the default palette's) is
    read here: Pillow's ImageColor imports PIL.Image, which a build drawing no card skips."""
    if _HEX_COLOUR.fullmatch(colour):
        return rgb(colour)
    from PIL import ImageColor

    return ImageColor.getrgb(colour)


def draw_card(card: Card, style: CardStyle | None = None) -> bytes:
    """The card as PNG bytes: 1200×630, 8-bit palette, typically 10–30 KB."""
    style = style or CardStyle()
    fonts = style.fonts or default_fonts()
    bold, regular = _stamp(fonts.bold), _stamp(fonts.regular)
    # Grey coverage per colour, which `_encode` turns into exactly the style's colours and shades.
    title = _title_lines(_fit_text(card.title, bold), bold)
    meta = _meta_line(_fit_text(card.author, regular), _fit_text(card.date_text, regular),
                      regular)
    return _encode(style.background, [(style.text, _text_mask(title)),
                                      (style.muted, _text_mask(meta)),
                                      (style.accent, _site_patches(card.site_name, bold))],
                   band=_BAND_BOX)


# ---- Layout ----------------------------------------------------------------------------------

_LEFT, _RIGHT = 100, CARD_WIDTH - 100  # text column
_BAND = 20  # accent band along the left edge
_SITE_SIZE, _SITE_TOP = 34, 64
_TITLE_SIZES = (76, 68, 60, 52, 46)  # largest that fits wins; the last one is ellipsized
_TITLE_TOP, _TITLE_BOTTOM = 140, 480
_LINE_SPACING = 1.2
_META_SIZE, _META_BASELINE = 32, 566
_RULE = (_LEFT, 500, _LEFT + 96, 506)  # short accent rule above author and date
_BAND_BOX = (0, 0, _BAND - 1, CARD_HEIGHT - 1)  # solid; corners included
_SEPARATOR = " · "
_ELLIPSIS = "…"

FontStamp = tuple[str, int, int]  # path, size and mtime: a changed font file is read again
_Line = tuple[int, int, str, Face, str]  # x, y, text, font, anchor
Patch = tuple["Image.Image", tuple[int, int]]  # coverage, and where its top left is on the card


def _site_name_line(name: str, bold: FontStamp) -> list[_Line]:
    font = _font(*bold, _SITE_SIZE)
    return [(_LEFT, _SITE_TOP, _ellipsize_line(name, font, _RIGHT - _LEFT), font, "la")]


def _title_lines(title: str, bold: FontStamp) -> list[_Line]:
    size, lines = _fit_title(title, bold)
    font = _font(*bold, size)
    line_height = round(size * _LINE_SPACING)
    # Centred in its box: a one-line title does not float at the top of an empty card.
    top = _TITLE_TOP + (_TITLE_BOTTOM - _TITLE_TOP - line_height * len(lines)) // 2
    return [(_LEFT, top + i * line_height, line, font, "la") for i, line in enumerate(lines)]


def _meta_line(author: str, date_text: str, regular: FontStamp) -> list[_Line]:
    """'Author · date' on one line; a long author is shortened, the date never is."""
    font = _font(*regular, _META_SIZE)
    width = _RIGHT - _LEFT
    date_text = _ellipsize_line(date_text, font, width)
    if author and date_text:
        room = width - font.length(_SEPARATOR + date_text)
        line = _ellipsize_line(author, font, int(room)) + _SEPARATOR + date_text
    else:
        line = _ellipsize_line(author or date_text, font, width)
    return [(_LEFT, _META_BASELINE, line, font, "ls")]


@lru_cache(maxsize=8)
def _site_patches(site_name: str, bold: FontStamp) -> tuple[Patch, ...]:
    """The site's name and the accent rule: alike on every card of a site, drawn once and
    shared (a tuple, so that no caller can change them; the band is `_encode`'s)."""
    from PIL import Image

    x, y, right, bottom = _RULE
    rule = Image.new("L", (right - x + 1, bottom - y + 1), 255)
    return (*_text_mask(_site_name_line(_fit_text(site_name, bold), bold)), (rule, (x, y)))


def _text_mask(lines: list[_Line]) -> list[Patch]:
    """The lines in white on black on a canvas just around their ink: a whole card's pixels
    (as ImageDraw.text draws them), without a 1200×630 image to allocate and scan per colour.
    `_encode` clips what falls off the card."""
    drawn = draw_lines([(font, x, y, text, anchor) for x, y, text, font, anchor in lines])
    return [(drawn[0], drawn[1][:2])] if drawn else []


def _fit_title(title: str, bold: FontStamp) -> tuple[int, list[str]]:
    """The largest size at which the title fits its box without cutting a word; else the
    smallest size, words cut where they must be, and an ellipsis after the last line."""
    width = _RIGHT - _LEFT
    for size in _TITLE_SIZES:
        max_lines = (_TITLE_BOTTOM - _TITLE_TOP) // round(size * _LINE_SPACING)
        lines = _wrap(title, _font(*bold, size), width, cut_words=False, max_lines=max_lines)
        if lines is not None and len(lines) <= max_lines:
            return size, lines
    font = _font(*bold, size)
    lines = _wrap(title, font, width, cut_words=True, max_lines=max_lines) or []
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _with_ellipsis(lines[-1], font, width)
    return size, lines


def _wrap(text: str, font: Face, width: int, cut_words: bool,
          max_lines: int | None = None) -> list[str] | None:
    """Greedy line breaking at spaces (no-break spaces hold: « and its word stay together).
    A word wider than a line is cut between characters, or gives None when `cut_words` is
    False. Past `max_lines` lines it stops, with more lines than that: greedy lines do not
    depend on the words after them, and measuring a long title's end at every size tried
    cost more than drawing the card."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if font.length(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        if max_lines is not None and len(lines) >= max_lines and word:
            return [*lines, word]  # `word` starts one more line; how it ends does not matter
        if font.length(word) <= width:
            line = word
        elif not cut_words:
            return None
        else:
            *pieces, line = _cut_word(word, font, width)
            lines += pieces
    if line:
        lines.append(line)
    return lines


def _cut_word(word: str, font: Face, width: int) -> list[str]:
    pieces, piece = [], ""
    for char in word:
        if piece and font.length(piece + char) > width and not unicodedata.combining(char):
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece]


def _ellipsize_line(text: str, font: Face, width: int) -> str:
    return text if font.length(text) <= width else _with_ellipsis(text, font, width)


def _with_ellipsis(text: str, font: Face, width: int) -> str:
    """`text` shortened (at a space when one is near) so that it and '…' fit `width`."""
    while text and font.length(text.rstrip(" ,;:.-–—") + _ELLIPSIS) > width:
        cut = text.rfind(" ")
        # Back to the previous word, unless that throws away more than a third of the line.
        text = text[:cut] if cut > len(text) * 2 // 3 else text[:-1]
    return text.rstrip(" ,;:.-–—") + _ELLIPSIS


# ---- Characters the font lacks ---------------------------------------------------------------

# Stand-ins for typographic characters a font may lack, tried before anything is dropped.
_STAND_INS = {
    "\u202f": "\u00a0", "\u2009": " ", "\u2007": "\u00a0", "\u00a0": " ",  # narrow/thin spaces
    "’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
    "‹": "'", "›": "'", "–": "-", "—": "-", "‑": "-", "…": "...", "€": "EUR", "œ": "oe",
    "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss",
}
_REPLACEMENT = "\ufffd"


def _fit_text(text: str, font: FontStamp) -> str:
    """`text` on one line (NFC, spaces collapsed) with only characters the font draws:
    a stand-in ('’' → "'"), else the letter without its accent, else nothing for symbols,
    emoji and invisible characters (joiners too: basic layout does no shaping), else '�'
    (or '?') so that a missing letter still shows."""
    covered = _coverage(*font)
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char.isspace() and char not in "\u00a0\u202f\u2007":
            out.append(" ")  # line breaks and tabs in a title are plain spaces on a card
        elif unicodedata.category(char) not in ("Cc", "Cf"):  # invisible without shaping
            out.append(_drawable(char, covered))
    return " ".join(word for word in "".join(out).split(" ") if word)


def _drawable(char: str, covered: frozenset[int]) -> str:
    if ord(char) in covered:
        return char
    if char in _STAND_INS:
        return "".join(_drawable(c, covered) for c in _STAND_INS[char])
    base = "".join(c for c in unicodedata.normalize("NFKD", char)
                   if not unicodedata.combining(c))
    if base and all(ord(c) in covered for c in base):
        return base
    if unicodedata.category(char)[0] in "SCMZ":  # symbols, emoji, controls, marks, separators
        return ""
    return _REPLACEMENT if ord(_REPLACEMENT) in covered else "?"


# ---- Fonts -----------------------------------------------------------------------------------


def _stamp(path: Path) -> FontStamp:
    try:
        info = os.stat(path)
    except OSError as exc:
        raise FileNotFoundError(f"card font not found: {path} ({exc.strerror})") from None
    return str(path), info.st_size, info.st_mtime_ns


@lru_cache(maxsize=32)
def _font(path: str, file_size: int, mtime_ns: int, size: int) -> Face:
    from PIL import ImageFont

    # Pillow's basic layout, not Raqm: it is always built in, so the pixels do not depend on
    # which shaping libraries a machine has (French needs no shaping).
    return Face(ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC))


@lru_cache(maxsize=8)
def _font_digest(path: str, file_size: int, mtime_ns: int) -> str:
    return file_digest(Path(path).read_bytes())


@lru_cache(maxsize=8)
def _coverage(path: str, file_size: int, mtime_ns: int) -> frozenset[int]:
    """The code points a TrueType/OpenType font maps to a glyph, read from its 'cmap' table
    (Pillow does not tell: it draws a box for a missing glyph)."""
    data = Path(path).read_bytes()
    try:
        return read_cmap(data)
    except (struct.error, KeyError, ValueError):
        raise ValueError(f"card font {path}: not a TrueType or OpenType font with a "
                         "Unicode character map") from None


# ---- PNG -------------------------------------------------------------------------------------

_SHADES = 32  # anti-aliasing levels per colour: smooth to the eye, a small palette
# zlib level, measured on benchmark-like cards with the encoder below (whole card ms, median
# KB, densest card KB): 1: 3.45, 25.3, 34.6; 2: 3.5, 23.1, 31.8; 3: 3.5, 22.3, 29.8;
# 4: 4.1, 20.8, 28.6; 6: 5.0, 17.3, 23.9. From 4 on zlib's lazy matching costs more than the
# few KB are worth to a preview image (platforms take 5 MB).
_PNG_LEVEL = 3


def _encode(background: str, layers: list[tuple[str, Sequence[Patch]]],
            band: Box | None = None) -> bytes:
    """A palette PNG from coverage patches: index 0 is the background, then `_SHADES - 1`
    blends towards each layer's colour. Exactly the style's colours, ~3× smaller than RGB and
    faster than quantizing; no metadata chunk, so the bytes depend on the inputs only. The
    `band` (left, top, right, bottom; corners included) is the last layer's colour, whole."""
    from PIL import Image, ImageChops

    # Indexes straight into a "P" image: ImageChops and paste copy 8-bit values as they are.
    card = Image.new("P", (CARD_WIDTH, CARD_HEIGHT), 0)
    if band:
        card.paste(_shade_table(len(layers) - 1)[255], (band[0], band[1], band[2] + 1,
                                                        band[3] + 1))
    boxes: list[Box] = []
    for k, (_, patches) in enumerate(layers):
        table = _shade_table(k)
        for mask, (left, top) in patches:
            box = (left, top, left + mask.width, top + mask.height)
            shades = mask.point(table)
            if (band and boxes_overlap(box, band)) or any(boxes_overlap(box, b) for b in boxes):
                # Where layers overlap, the higher index (a whole colour) wins.
                shades = ImageChops.lighter(card.crop(box), shades)
            card.paste(shades, box)
            boxes.append(box)
    palette = _palette(background, tuple(colour for colour, _ in layers))
    return palette_png(_rows(card, boxes), palette, _PNG_LEVEL)


@lru_cache(maxsize=8)
def _shade_table(layer: int) -> list[int]:
    """Coverage (0–255) to the layer's palette index; 0 (no ink) stays the background."""
    base = 1 + layer * (_SHADES - 1)
    return [0] + [base + (v * (_SHADES - 1) + 254) // 255 - 1 for v in range(1, 256)]


@lru_cache(maxsize=16)
def _palette(background: str, colours: tuple[str, ...]) -> bytes:
    """The PLTE chunk's data: the background, then each colour's shades over it."""
    ground = _rgb(background)[:3]
    return bytes([*ground] + [
        round(g + (c - g) * shade / (_SHADES - 1)) for colour in colours
        for shade in range(1, _SHADES) for g, c in zip(ground, _rgb(colour)[:3], strict=True)])


def _rows(card: Image.Image, boxes: list[Box]) -> list[bytes]:
    """The card's rows of palette indexes, top to bottom. The rows that no patch's box
    crosses are alike (background, and the band): one is read for all of them."""
    inked = bytearray(CARD_HEIGHT)
    for _, top, _, bottom in boxes:  # clipped to the card (a slice never resizes `inked`)
        top = min(max(top, 0), CARD_HEIGHT)
        bottom = min(max(bottom, top), CARD_HEIGHT)
        inked[top:bottom] = b"\1" * (bottom - top)
    rows: list[bytes] = []
    blank = b""
    for is_inked, group in itertools.groupby(range(CARD_HEIGHT), inked.__getitem__):
        ys = list(group)
        if is_inked:
            strip = card.crop((0, ys[0], CARD_WIDTH, ys[-1] + 1)).tobytes()
            rows += [strip[at:at + CARD_WIDTH] for at in range(0, len(strip), CARD_WIDTH)]
        else:
            blank = blank or card.crop((0, ys[0], CARD_WIDTH, ys[0] + 1)).tobytes()
            rows += [blank] * len(ys)
    return rows
