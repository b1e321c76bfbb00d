"""sitegen/cards.py: social cards are valid, small, deterministic PNGs whose text fits and
never shows a missing glyph."""

from __future__ import annotations

import io
import math
import os
import struct
import subprocess
import sys
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageColor, ImageDraw

from sitegen import cards, fontcmap, png
from sitegen.cards import (
    CARD_HEIGHT,
    CARD_WIDTH,
    Card,
    CardFonts,
    CardStyle,
    card_key,
    default_fonts,
    draw_card,
    theme_fonts,
    unsupported_characters,
)

REPO = Path(__file__).resolve().parent.parent
FRENCH = Card(title="L’été « à vélo »\u202f: la balade à 21\u00a0€, c’est parti !",
              site_name="Les Cyclistes du Canal", author="Camille Dupont-Lefèvre",
              date_text="21 mars 2026")
LONG_TITLE = " ".join(["Un titre vraiment très long qui ne tiendra jamais sur la carte"] * 6)
DENSE = Card(title=LONG_TITLE, site_name="Un site au nom long " * 6, author="Ann " * 30,
             date_text="21 mars 2026")  # as much ink as a card holds


def rgb(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def exact_mask(png: bytes, colour: str) -> Image.Image:
    """White where a pixel is exactly `colour`, black elsewhere."""
    image = rgb(png)
    solid = Image.new("RGB", image.size, ImageColor.getrgb(colour))
    red, green, blue = ImageChops.difference(image, solid).split()
    largest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    return largest.point(lambda v: 255 if v == 0 else 0)


def pixels_of(png: bytes, colour: str, box: tuple[int, int, int, int]) -> int:
    """How many pixels inside `box` are exactly `colour`."""
    return exact_mask(png, colour).crop(box).histogram()[255]


def ink_box(png: bytes, colour: str) -> tuple[int, int, int, int] | None:
    """The bounding box of the pixels of exactly `colour`."""
    return exact_mask(png, colour).getbbox()


def png_chunks(png: bytes) -> list[str]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    names, at = [], 8
    while at < len(png):
        length, name = struct.unpack(">I4s", png[at:at + 8])
        names.append(name.decode("ascii"))
        at += 12 + length
    return names


@pytest.mark.parametrize("card", [FRENCH, DENSE])
def test_a_card_is_a_1200_by_630_png_under_a_megabyte(card):
    png = draw_card(card)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (CARD_WIDTH, CARD_HEIGHT) == (1200, 630)
    assert image.mode == "P"  # palette: exactly the theme's colours and their shades
    image.verify()
    assert len(png) < 1_000_000
    assert len(png) < 60_000  # typically 10–30 KB: far under every platform's limit


def drawn_on_whole_masks(card: Card, style: CardStyle) -> Image.Image:
    """The card drawn the plain way: band, rule and text on three full-size coverage masks,
    each mapped to its palette shades and merged over the whole canvas (the way before the
    drawing was limited to where the text is)."""
    fonts = default_fonts()
    bold, regular = cards._stamp(fonts.bold), cards._stamp(fonts.regular)
    text, muted, accent = (Image.new("L", (CARD_WIDTH, CARD_HEIGHT), 0) for _ in range(3))
    for box in (cards._BAND_BOX, cards._RULE):  # solid; corners as in rectangle()
        ImageDraw.Draw(accent).rectangle(box, fill=255)
    for mask, lines in [
        (accent, cards._site_name_line(cards._fit_text(card.site_name, bold), bold)),
        (text, cards._title_lines(cards._fit_text(card.title, bold), bold)),
        (muted, cards._meta_line(cards._fit_text(card.author, regular),
                                 cards._fit_text(card.date_text, regular), regular)),
    ]:
        for x, y, line, font, anchor in lines:
            ImageDraw.Draw(mask).text((x, y), line, font=font.font, fill=255, anchor=anchor)
    ground = ImageColor.getrgb(style.background)
    palette, indexes = list(ground), Image.new("L", (CARD_WIDTH, CARD_HEIGHT), 0)
    for k, (mask, colour) in enumerate([(text, style.text), (muted, style.muted),
                                        (accent, style.accent)]):
        base = 1 + k * 31
        table = [0] + [base + (v * 31 + 254) // 255 - 1 for v in range(1, 256)]
        indexes = ImageChops.lighter(indexes, mask.point(table))
        for shade in range(1, 32):
            alpha = shade / 31
            palette += [round(g + (c - g) * alpha)
                        for g, c in zip(ground, ImageColor.getrgb(colour), strict=True)]
    image = Image.frombytes("P", indexes.size, indexes.tobytes())
    image.putpalette(palette)
    return image


@pytest.mark.parametrize(("card", "style"), [
    (FRENCH, CardStyle()),
    (DENSE, CardStyle(background="#102030", accent="#ff8800")),
    (Card(title="Écluse, gué, jupe : Œuvres « pq »", site_name="S"), CardStyle()),
    (Card(title="", site_name=""), CardStyle()),  # accent shapes only
    (DENSE, CardStyle()),
    (Card(title="Court", site_name="Site", author="Zoë"), CardStyle()),  # no date
    (Card(title=LONG_TITLE, site_name="Site", date_text="1er mai"), CardStyle()),  # no author
    (FRENCH, CardStyle(background="#FFF", text="#000", muted="#888", accent="#F80")),
])
def test_the_pixels_and_palette_are_those_of_the_plain_whole_mask_drawing(card, style):
    image = Image.open(io.BytesIO(draw_card(card, style)))
    expected = drawn_on_whole_masks(card, style)
    assert image.tobytes() == expected.tobytes()
    assert image.getpalette() == expected.getpalette()


def test_a_text_mask_is_the_whole_card_drawing_even_clipped_or_overlapping():
    font = cards._font(*cards._stamp(default_fonts().bold), 120)
    lines = [(-40, -30, "Égypte", font, "la"),  # off the top left corner
             (-40, 40, "jpg Œuvre", font, "la"),  # overlaps the line above
             (900, 660, "gjpq", font, "ls")]  # past the right and bottom edges
    whole = Image.new("L", (CARD_WIDTH, CARD_HEIGHT), 0)
    for x, y, text, _, anchor in lines:
        ImageDraw.Draw(whole).text((x, y), text, font=font.font, fill=255, anchor=anchor)
    [(mask, origin)] = cards._text_mask(lines)
    placed = Image.new("L", (CARD_WIDTH, CARD_HEIGHT), 0)
    placed.paste(mask, origin)  # clipped at the card's edges, as `_encode` pastes it
    assert placed.tobytes() == whole.tobytes()
    png = cards._encode("#ffffff", [("#000000", [(mask, origin)])])
    shades = whole.point(lambda v: (v * 31 + 254) // 255)  # the first colour's indexes
    assert Image.open(io.BytesIO(png)).tobytes() == shades.tobytes()
    assert cards._text_mask([(100, 100, "", font, "la")]) == []


PLAIN_CARDS = [FRENCH, DENSE, Card(title="", site_name=""), Card(title="Court", site_name="S")]


def chunks(png: bytes) -> dict[str, bytes]:
    """Each chunk's data (IDATs joined), after checking its CRC."""
    found: dict[str, bytes] = {}
    at = 8
    while at < len(png):
        length, name = struct.unpack(">I4s", png[at:at + 8])
        data = png[at + 8:at + 8 + length]
        assert struct.unpack(">I", png[at + 8 + length:at + 12 + length])[0] == \
            zlib.crc32(name + data), name
        found[name.decode("ascii")] = found.get(name.decode("ascii"), b"") + data
        at += 12 + length
    assert at == len(png)
    return found


@pytest.mark.parametrize("card", PLAIN_CARDS)
def test_the_png_is_valid_down_to_its_checksums(card):
    png = draw_card(card)
    Image.open(io.BytesIO(png)).verify()
    image = Image.open(io.BytesIO(png))
    image.load()
    found = chunks(png)
    assert found["IHDR"] == struct.pack(">IIBBBBB", CARD_WIDTH, CARD_HEIGHT, 8, 3, 0, 0, 0)
    rows = zlib.decompress(found["IDAT"])  # checks the Adler-32 too, unlike Pillow
    width = CARD_WIDTH + 1
    assert len(rows) == width * CARD_HEIGHT
    assert rows[::width] == bytes(CARD_HEIGHT)  # every row unfiltered
    assert b"".join(rows[y * width + 1:(y + 1) * width] for y in range(CARD_HEIGHT)) == \
        image.tobytes()


@pytest.mark.parametrize(("card", "style"), [
    *((card, CardStyle()) for card in PLAIN_CARDS),
    (FRENCH, CardStyle(background="#FFF", text="#000", muted="#888", accent="#F80")),
])
def test_the_png_decodes_to_what_pillows_encoder_gave(card, style, monkeypatch):
    """The card's indexes and palette saved by `Image.save`, as before the PNG was written
    here: the same pixels, for about the same size."""
    drawn = []

    def rows(image: Image.Image, boxes: object) -> list[bytes]:  # every row, read
        drawn.append(image.copy())
        data = image.tobytes()
        return [data[at:at + CARD_WIDTH] for at in range(0, len(data), CARD_WIDTH)]

    monkeypatch.setattr(cards, "_rows", rows)
    png = draw_card(card, style)
    [image] = drawn
    image.putpalette(Image.open(io.BytesIO(png)).getpalette())
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)
    pillows, ours = Image.open(out), Image.open(io.BytesIO(png))
    assert ours.tobytes() == pillows.tobytes() and ours.getpalette() == pillows.getpalette()
    assert len(png) < len(out.getvalue()) * 1.2


def test_the_bytes_do_not_depend_on_what_was_cached_before():
    first = [draw_card(card) for card in PLAIN_CARDS]
    png._blank_run.cache_clear()
    cards._palette.cache_clear()
    assert [draw_card(card) for card in reversed(PLAIN_CARDS)] == first[::-1]


@pytest.mark.parametrize("inked", [
    set(),  # blank rows only
    {0, 1, 2, 629},  # ink at both ends: the bottom row, the "blank" one, has ink
    {5, 7, 8, 300, 301, 500},  # runs of every length between
    set(range(CARD_HEIGHT)),  # no two rows alike
])
def test_the_image_data_holds_every_row_whatever_the_runs(inked):
    blank = bytes([93]) * 20 + bytes(CARD_WIDTH - 20)
    rows = [bytes((y * 7 + x) % 94 for x in range(CARD_WIDTH)) if y in inked else blank
            for y in range(CARD_HEIGHT)]
    data = png.image_data(rows, 3)
    assert zlib.decompress(data) == b"".join(b"\0" + row for row in rows)
    assert png.image_data(rows, 3) == data


def test_adler32_combine_is_zlibs():
    pieces = [b"", b"a", bytes(range(256)) * 300, b"\xff" * 70_000, b"card"]
    for first in pieces:
        for second in pieces:
            assert png.adler32_combine(zlib.adler32(first), zlib.adler32(second),
                                       len(second)) == zlib.adler32(first + second)


def test_the_png_holds_no_metadata_that_could_change_between_builds():
    assert png_chunks(draw_card(FRENCH)) == ["IHDR", "PLTE", "IDAT", "IEND"]


def test_same_inputs_give_the_same_bytes_even_in_another_process():
    here = draw_card(FRENCH)
    assert draw_card(FRENCH) == here
    script = ("import sys; from sitegen.cards import Card, draw_card; "
              "sys.stdout.buffer.write(draw_card(Card(*sys.argv[1:])))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", script, FRENCH.title, FRENCH.site_name,
                            FRENCH.author, FRENCH.date_text], check=True, capture_output=True,
                           env=env, cwd=REPO, timeout=60).stdout
    assert other == here


def test_the_title_is_drawn_in_the_text_colour_inside_its_area():
    style = CardStyle()
    png = draw_card(FRENCH)
    assert pixels_of(png, style.text, (cards._LEFT, cards._TITLE_TOP, cards._RIGHT,
                                       cards._TITLE_BOTTOM)) > 2000
    assert draw_card(replace(FRENCH, title="Un autre titre")) != png


def test_site_name_author_and_date_are_drawn_in_their_colours():
    style = CardStyle()
    png = draw_card(FRENCH)
    assert pixels_of(png, style.accent, (cards._LEFT, 0, cards._RIGHT, cards._TITLE_TOP)) > 300
    meta = (cards._LEFT, cards._RULE[3] + 1, cards._RIGHT, CARD_HEIGHT)
    assert pixels_of(png, style.muted, meta) > 300
    for change in ({"author": "Léa"}, {"date_text": "1er avril 2026"}, {"site_name": "Autre"}):
        assert draw_card(replace(FRENCH, **change)) != png


def test_empty_author_and_date_leave_the_meta_line_blank():
    meta = (cards._LEFT, cards._RULE[3] + 1, cards._RIGHT, CARD_HEIGHT)
    muted = CardStyle().muted
    blank = draw_card(Card(title="Titre", site_name="Site"))
    assert pixels_of(blank, muted, meta) == 0
    dated = draw_card(Card(title="Titre", site_name="Site", date_text="21 mars 2026"))
    assert pixels_of(dated, muted, meta) > 100


def test_custom_colours_are_used_exactly():
    style = CardStyle(background="#102030", text="#f0e0d0", muted="#a0b0c0", accent="#ff8800")
    png = draw_card(FRENCH, style)
    assert rgb(png).getpixel((CARD_WIDTH - 1, CARD_HEIGHT - 1)) == (0x10, 0x20, 0x30)
    assert rgb(png).getpixel((0, 0)) == (0xFF, 0x88, 0x00)  # the accent band
    assert pixels_of(png, style.text, (0, 0, CARD_WIDTH, CARD_HEIGHT)) > 2000


@pytest.mark.parametrize("title", [
    LONG_TITLE,
    "Anticonstitutionnellement" * 8,  # one word wider than many lines
    "Un mot " + "x" * 400 + " et la suite",
    "Court",
    "",
])
def test_any_title_stays_inside_the_title_area(title):
    png = draw_card(Card(title=title, site_name="Site", author="Ann", date_text="2026"))
    box = ink_box(png, CardStyle().text)
    if title:
        assert box is not None
        left, top, right, bottom = box
        # A glyph's ink may overhang its advance by a pixel or two, as in any typesetting.
        assert left >= cards._LEFT - 3 and right <= cards._RIGHT + 3
        assert top >= cards._TITLE_TOP and bottom <= cards._TITLE_BOTTOM + 20  # descenders
    else:
        assert box is None


def test_a_long_title_shrinks_then_ends_with_an_ellipsis():
    bold = cards._stamp(default_fonts().bold)
    size, lines = cards._fit_title("Une balade au canal", bold)
    assert size == cards._TITLE_SIZES[0] and lines == ["Une balade au canal"]
    size, lines = cards._fit_title(" ".join(["Balade"] * 30), bold)
    assert size < cards._TITLE_SIZES[0] and not lines[-1].endswith("…")
    size, lines = cards._fit_title(LONG_TITLE, bold)
    assert size == cards._TITLE_SIZES[-1]
    assert lines[-1].endswith("…") and not lines[-1].endswith(" …")
    assert " ".join(lines)[:-1] in LONG_TITLE


def test_a_word_wider_than_the_card_is_cut_only_when_nothing_else_fits():
    bold = cards._stamp(default_fonts().bold)
    size, lines = cards._fit_title("Anticonstitutionnellement", bold)
    assert lines == ["Anticonstitutionnellement"]  # a smaller size, the word whole
    assert size < cards._TITLE_SIZES[0]
    _, lines = cards._fit_title("Anticonstitutionnellement" * 3, bold)
    assert len(lines) > 1 and "".join(lines) == "Anticonstitutionnellement" * 3


@pytest.mark.parametrize("title", [
    LONG_TITLE, "Anticonstitutionnellement " * 12, "Un  mot " * 40, "x" * 300, "Court", "",
])
@pytest.mark.parametrize("cut_words", [False, True])
def test_wrapping_stops_past_the_lines_wanted_with_the_same_first_lines(title, cut_words):
    font = cards._font(*cards._stamp(default_fonts().bold), 60)
    whole = cards._wrap(title, font, 1000, cut_words=cut_words)
    for max_lines in (1, 3, 5):
        lines = cards._wrap(title, font, 1000, cut_words=cut_words, max_lines=max_lines)
        if whole is not None and len(whole) <= max_lines:
            assert lines == whole
        elif lines is not None:  # None: a word too wide came first, as without the limit
            assert len(lines) > max_lines
            assert whole is None or lines[:max_lines] == whole[:max_lines]
        else:
            assert whole is None


def test_a_trailing_space_past_the_lines_wanted_starts_no_line():
    font = cards._font(*cards._stamp(default_fonts().bold), 60)
    width = math.ceil(font.length("Court"))
    assert font.length("Court ") > width  # the empty word after the space overflows
    assert cards._wrap("Court ", font, width, cut_words=False) == ["Court"]
    assert cards._wrap("Court ", font, width, cut_words=False, max_lines=1) == ["Court"]


def test_no_break_spaces_keep_french_punctuation_with_its_word():
    font = cards._font(*cards._stamp(default_fonts().bold), 76)
    lines = cards._wrap("Elle a dit «\u00a0oui\u00a0» au\u202fvélo", font, 400, cut_words=True)
    assert lines is not None
    assert not any(line.startswith(("»", "\u00a0")) for line in lines)


def test_the_bundled_font_draws_french_typography():
    fonts = default_fonts()
    text = "àâäçéèêëîïôöùûüÿœæÀÂÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ « » ’ ‘ “ ” … – — € · \u202f\u00a0 ‑"
    for font in (fonts.regular, fonts.bold):
        assert unsupported_characters(text, font) == ""
        stamp = cards._stamp(font)
        assert cards._fit_text("L’été «\u202fà vélo\u202f» : 21\u00a0€…", stamp) == \
            "L’été «\u202fà vélo\u202f» : 21\u00a0€…"


def test_characters_the_font_lacks_are_named_then_replaced_or_dropped():
    fonts = default_fonts()
    title = "Fête 🎉 du vélo 日本 👨‍👩‍👧"
    assert unsupported_characters(title, fonts.bold) == "🎉日本👨👩👧"  # it has U+200D
    bold = cards._stamp(fonts.bold)
    assert cards._fit_text(title, bold) == "Fête du vélo \ufffd\ufffd"
    png = draw_card(Card(title=title, site_name="Site 🚲", author="Zoë ✨"))
    assert Image.open(io.BytesIO(png)).size == (1200, 630)


def test_a_font_without_typographic_characters_gets_stand_ins():
    ascii_only = frozenset(range(0x20, 0x7F))
    expected = {"’": "'", "«": '"', "»": '"', "é": "e", "Ç": "C", "\u202f": " ", "€": "EUR",
                "…": "...", "œ": "oe", "🎉": "", "\u200d": "", "\ufe0f": "", "日": "?"}
    for char, stand_in in expected.items():
        assert cards._drawable(char, ascii_only) == stand_in, char


def test_line_breaks_and_runs_of_spaces_in_a_title_become_one_space():
    bold = cards._stamp(default_fonts().bold)
    assert cards._fit_text("  Un\ttitre\n\nsur   deux lignes ", bold) == \
        "Un titre sur deux lignes"


def test_the_cmap_reader_agrees_between_its_two_table_formats():
    data = default_fonts().regular.read_bytes()
    tables = fontcmap.cmap_subtables(data)
    full = fontcmap.read_format_12(data, tables[(3, 10)])
    bmp = fontcmap.read_format_4(data, tables[(3, 1)])
    assert bmp == {c for c in full if c < 0x10000}
    assert {ord(c) for c in "Aé€«\u202f…"} <= bmp and ord("🎉") not in full


def test_the_key_changes_with_every_input_and_only_with_them():
    key = card_key(FRENCH)
    assert card_key(FRENCH) == key == card_key(FRENCH, CardStyle(accent="#A63C17"))
    changed = [replace(FRENCH, title="x"), replace(FRENCH, site_name="x"),
               replace(FRENCH, author="x"), replace(FRENCH, date_text="x")]
    keys = {card_key(card) for card in changed}
    keys |= {card_key(FRENCH, CardStyle(**{name: "#123456"}))
             for name in ("background", "text", "muted", "accent")}
    assert len(keys) == 8 and key not in keys


def test_the_key_follows_the_drawing_version_and_the_font_files(monkeypatch, tmp_path):
    key = card_key(FRENCH)
    monkeypatch.setattr(cards, "CARD_VERSION", "test")
    assert card_key(FRENCH) != key
    monkeypatch.undo()
    fonts = default_fonts()
    copied = CardFonts(regular=tmp_path / "r.ttf", bold=tmp_path / "b.ttf")
    copied.regular.write_bytes(fonts.regular.read_bytes())
    copied.bold.write_bytes(fonts.bold.read_bytes())
    assert card_key(FRENCH, CardStyle(fonts=copied)) == key  # same contents, same key
    copied.bold.write_bytes(fonts.regular.read_bytes())
    assert card_key(FRENCH, CardStyle(fonts=copied)) != key


def test_the_default_fonts_are_the_default_themes_with_their_licence():
    fonts = default_fonts()
    assert fonts == theme_fonts(REPO / "themes" / "default")
    assert fonts.regular.is_file() and fonts.bold.is_file()
    assert "Bitstream" in (fonts.regular.parent / "LICENSE-DejaVu.txt").read_text()


def test_bad_styles_and_fonts_are_reported_clearly(tmp_path):
    with pytest.raises(ValueError, match="accent: 'terracota' is not a colour"):
        CardStyle(accent="terracota")
    missing = CardFonts(regular=tmp_path / "none.ttf", bold=tmp_path / "none-bold.ttf")
    with pytest.raises(FileNotFoundError, match=r"none-bold\.ttf"):
        draw_card(FRENCH, CardStyle(fonts=missing))
    (tmp_path / "fake.ttf").write_bytes(b"not a font")
    fake = CardFonts(regular=tmp_path / "fake.ttf", bold=tmp_path / "fake.ttf")
    with pytest.raises(ValueError, match=r"fake\.ttf: not a TrueType"):
        draw_card(FRENCH, CardStyle(fonts=fake))


def test_patches_wholly_off_the_card_leave_it_blank():
    ink = Image.new("L", (50, 40), 255)
    band = (0, 0, 9, CARD_HEIGHT - 1)
    png = cards._encode("#ffffff", [("#000000", [(ink, (10, -100)), (ink, (10, CARD_HEIGHT)),
                                                  (ink, (-80, 10)), (ink, (CARD_WIDTH, 10))])],
                        band=band)
    drawn = Image.open(io.BytesIO(png))
    expected = Image.new("P", (CARD_WIDTH, CARD_HEIGHT), 0)
    expected.paste(31, (0, 0, 10, CARD_HEIGHT))  # the band, the colour at full strength
    assert drawn.tobytes() == expected.tobytes()
