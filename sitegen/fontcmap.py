"""The characters a TrueType or OpenType font has a glyph for, read from its 'cmap' table:
Pillow does not tell (it draws a box for a missing glyph), and a card must not show one."""

from __future__ import annotations

import struct


def read_cmap(data: bytes) -> frozenset[int]:
    """The code points the font file `data` maps to a glyph. Raises struct.error, KeyError
    or ValueError when it is not a font with a Unicode character map."""
    subtables = cmap_subtables(data)
    # Full-Unicode tables (format 12) first, then the BMP ones (format 4).
    for key in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 1), (0, 0)):
        start = subtables.get(key, -1)
        kind = struct.unpack_from(">H", data, start)[0] if start >= 0 else None
        if kind in (4, 12):
            return (read_format_12 if kind == 12 else read_format_4)(data, start)
    raise ValueError("no Unicode cmap")


def cmap_subtables(data: bytes) -> dict[tuple[int, int], int]:
    """Where each (platform, encoding) character map of the 'cmap' table starts."""
    tables = {}
    for i in range(struct.unpack_from(">H", data, 4)[0]):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag] = offset
    cmap = tables[b"cmap"]
    subtables = {}
    for i in range(struct.unpack_from(">H", data, cmap + 2)[0]):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        subtables[(platform, encoding)] = cmap + offset
    return subtables


def read_format_12(data: bytes, start: int) -> frozenset[int]:
    groups = struct.unpack_from(">I", data, start + 12)[0]
    codes: set[int] = set()
    for i in range(groups):
        first, last, _ = struct.unpack_from(">III", data, start + 16 + 12 * i)
        codes.update(range(first, last + 1))
    return frozenset(codes)


def read_format_4(data: bytes, start: int) -> frozenset[int]:
    segments = struct.unpack_from(">H", data, start + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, start + 14)
    starts = struct.unpack_from(f">{segments}H", data, start + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, start + 16 + 4 * segments)
    range_at = start + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", data, range_at)
    codes: set[int] = set()
    for i, (first, last, delta, offset) in enumerate(zip(starts, ends, deltas, offsets,
                                                          strict=True)):
        for code in range(first, last + 1):
            if code == 0xFFFF:
                continue
            if offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:  # the spec's pointer arithmetic: from idRangeOffset[i] into glyphIdArray
                at = range_at + 2 * i + offset + 2 * (code - first)
                glyph = struct.unpack_from(">H", data, at)[0]
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                codes.add(code)
    return frozenset(codes)
