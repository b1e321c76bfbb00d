"""PNG files of 8-bit palette images, written here rather than by Pillow: most rows of a
social card are alike (blank but for the accent band), and deflating each run of them once
and reusing it makes a card's encoding about twice as fast.

Same rows, palette and level give the same bytes (no metadata chunk).
"""

from __future__ import annotations

import itertools
import struct
import zlib
from functools import lru_cache

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ZLIB_HEADER = b"\x78\x5e"  # deflate, 32 KB window, "fast" level (a hint, as zlib writes it)
_ADLER_MOD = 65521


def palette_png(rows: list[bytes], palette: bytes, level: int) -> bytes:
    """A PNG of `rows` (one palette index per byte, all rows as long) and `palette` (RGB
    triples), deflated at zlib `level`."""
    header = struct.pack(">IIBBBBB", len(rows[0]), len(rows), 8, 3, 0, 0, 0)  # 8-bit palette
    return b"".join([_SIGNATURE, _chunk(b"IHDR", header), _chunk(b"PLTE", palette),
                     _chunk(b"IDAT", image_data(rows, level)), _chunk(b"IEND", b"")])


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(kind))
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def image_data(rows: list[bytes], level: int) -> bytes:
    """The IDAT stream: each row behind filter byte 0 (what Pillow wrote for a palette image),
    deflated. Most rows are blank, like the bottom one (the accent band only): each run of
    them is a deflate piece compressed once per length and reused; the rows with ink are
    compressed in pieces that a full flush ends, so that no piece refers to another's data."""
    blank = rows[-1]
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)  # raw deflate: pieces
    parts, checksum = [_ZLIB_HEADER], 1
    for is_blank, group in itertools.groupby(rows, blank.__eq__):
        run = list(group)
        if is_blank:
            data, run_checksum = _blank_run(blank, len(run), level)
            parts.append(data)
            checksum = adler32_combine(checksum, run_checksum, len(run) * (len(blank) + 1))
        else:
            data = b"\0" + b"\0".join(run)
            parts += [compressor.compress(data), compressor.flush(zlib.Z_FULL_FLUSH)]
            checksum = zlib.adler32(data, checksum)
    parts += [compressor.flush(), struct.pack(">I", checksum)]  # the final (empty) block
    return b"".join(parts)


@lru_cache(maxsize=128)
def _blank_run(row: bytes, count: int, level: int) -> tuple[bytes, int]:
    """`count` filtered copies of `row` as a deflate piece ending in a full flush, and their
    Adler-32. Cards of a site have a handful of run lengths."""
    data = (b"\0" + row) * count
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH), zlib.adler32(data)


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two pieces of data from theirs (zlib's adler32_combine, which Python's
    zlib lacks): a blank run's checksum is not recomputed over its 100s of KB."""
    low = (first & 0xFFFF) + (second & 0xFFFF) - 1
    high = (first >> 16) + (second >> 16) + second_length * ((first & 0xFFFF) - 1)
    return (high % _ADLER_MOD) << 16 | low % _ADLER_MOD
