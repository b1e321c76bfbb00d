"""QR encoding: the symbol of a QR code (ISO/IEC 18004) holding an ASCII text, module for
module the one segno draws (`segno.make_qr(text, error=..., boost_error=True)`), in ~0.2 ms
where segno takes ~8 (a 150-character URL).

The text goes in the mode segno picks (numeric, alphanumeric or byte), into the smallest
version (1-40) that holds it at the asked error level, raised to Q or H when that still fits
the version (segno's `boost_error`). Where segno departs from the standard's letter, this
follows segno, since the symbol must stay segno's bit for bit: a whole zero codeword after a
byte-aligned terminator, and its evaluation of the masks (see qrsymbol).

Speed comes from tables made once per version and error level: the error correction
codewords as XORs of looked-up remainders, and one permutation that puts every bit of the
codewords, already interleaved, in its place on the grid.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache, lru_cache, reduce
from operator import getitem, itemgetter, xor
from typing import NamedTuple

from sitegen.qrsymbol import best_masked, layout
from sitegen.records import record

ERROR_LEVELS = "LMQH"  # from the least to the most redundant
TOO_LONG = "Data too large. No QR Code can handle the provided data"  # segno's words

# ISO/IEC 18004 Table 9, one string of 40 versions per level: error correction codewords per
# block, and number of blocks.
_EC_PER_BLOCK = {
    "L": (7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
          28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
    "M": (10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
          26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28),
    "Q": (13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
          28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
    "H": (17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
          30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
}
_BLOCKS = {
    "L": (1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
          8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25),
    "M": (1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
          17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49),
    "Q": (1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
          23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68),
    "H": (1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
          25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81),
}
_ALPHANUMERIC_CHARACTERS = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_ONLY_ALPHANUMERIC = re.compile(b"[" + re.escape(_ALPHANUMERIC_CHARACTERS) + b"]+")


class _Mode(NamedTuple):
    indicator: int  # the 4 bits that open the segment
    count_bits: tuple[int, int, int]  # bits of the character count: versions 1-9, 10-26, 27-40


_NUMERIC = _Mode(1, (10, 12, 14))
_ALPHANUMERIC = _Mode(2, (9, 11, 13))
_BYTE = _Mode(4, (8, 16, 16))


@record
class QrMatrix:
    """A QR code's symbol: its rows of modules, each a byte 1 (dark) or 0 (light), without
    the quiet zone."""

    version: int  # 1-40: the size is 17 + 4 × version modules
    error: str  # the error correction level in the symbol, after boosting: L, M, Q or H
    mask: int  # 0-7, the data mask segno's evaluation chose
    rows: tuple[bytes, ...]


def qr_matrix(text: str, error: str = "M") -> QrMatrix:
    """The symbol segno.make_qr(text, error=error, boost_error=True) draws. Raises ValueError
    for text that is not ASCII or too long for any QR code (segno's message)."""
    version, error, unmasked = _unmasked(text, error)
    mask, rows = best_masked(unmasked, version, error)
    return QrMatrix(version, error, mask, rows)


def _unmasked(text: str, error: str) -> tuple[int, str, int]:
    """The version, the error level and the grid (see qrsymbol) of `text`'s symbol, before
    masking and format information."""
    if not text.isascii():
        raise ValueError(f"a QR code here holds ASCII text only: {text!r}")
    mode, count, value, length = _segment(text.encode("ascii"))
    version = next((v for v in range(1, 41)
                    if _capacity(v, error) >= _bit_length(mode, length, v)), None)
    if version is None:
        raise ValueError(TOO_LONG)
    needed = _bit_length(mode, length, version)
    for higher in ERROR_LEVELS[ERROR_LEVELS.index(error) + 1:]:
        if _capacity(version, higher) < needed:
            break
        error = higher
    head = (mode.indicator << mode.count_bits[_range(version)]) | count
    bits = (head << length) | value
    data = _data_codewords(bits, needed, _capacity(version, error))
    plan = _plan(version, error)
    message = data + b"".join(
        reduce(xor, map(getitem, plan.ec_tables[len(block)], block), 0)
        .to_bytes(plan.ec_per_block) for block in map(data.__getitem__, plan.blocks))
    # The message's bits as text, then a "0" and a "1" for the patterns' modules to take.
    stream = format(int.from_bytes(message), f"0{8 * len(message)}b").encode() + b"01"
    return version, error, int(bytes(plan.place(stream)), 2)


def _segment(data: bytes) -> tuple[_Mode, int, int, int]:
    """segno's mode for `data` and its encoding: (mode, character count, bits as an int, number
    of bits). Kanji needs bytes above 0x7F, which ASCII has not."""
    if data.isdigit():
        value = 0
        for at in range(0, len(data), 3):
            chunk = data[at:at + 3]
            value = (value << (3 * len(chunk) + 1)) | int(chunk)
        return _NUMERIC, len(data), value, 10 * (len(data) // 3) + (0, 4, 7)[len(data) % 3]
    if _ONLY_ALPHANUMERIC.fullmatch(data):
        code = _ALPHANUMERIC_CHARACTERS.index
        value = 0
        for at in range(0, len(data) - 1, 2):
            value = (value << 11) | (code(data[at]) * 45 + code(data[at + 1]))
        if len(data) % 2:
            value = (value << 6) | code(data[-1])
        return _ALPHANUMERIC, len(data), value, 11 * (len(data) // 2) + 6 * (len(data) % 2)
    return _BYTE, len(data), int.from_bytes(data), 8 * len(data)


def _range(version: int) -> int:
    return 0 if version < 10 else 1 if version < 27 else 2


def _bit_length(mode: _Mode, length: int, version: int) -> int:
    return 4 + mode.count_bits[_range(version)] + length


def _data_codewords(bits: int, length: int, capacity: int) -> bytes:
    """The data codewords (ISO 7.4.9-10, as segno writes them): 4 terminator bits, then zero
    bits to the next codeword boundary, a whole zero codeword when already on one (segno's
    quirk), then the pad codewords 0xEC and 0x11 in turn, all cut to the capacity (which cuts
    the terminator too where less than 4 bits are left, as the standard asks)."""
    terminated = length + 4
    padded = terminated + 8 - terminated % 8
    data = (bits << (padded - length)).to_bytes(padded // 8)
    pads = capacity // 8 - len(data)
    return (data + b"\xec\x11" * (pads // 2 + 1))[:capacity // 8]


@cache
def _capacity(version: int, error: str) -> int:
    """Data bits of a symbol: its codewords less the error correction ones, times 8."""
    return 8 * (_raw_modules(version) // 8
                - _EC_PER_BLOCK[error][version - 1] * _BLOCKS[error][version - 1])


def _raw_modules(version: int) -> int:
    """Modules of the data and error correction codewords and remainder bits: the symbol less
    its function patterns and format and version information (ISO/IEC 18004 Table 1)."""
    modules = (16 * version + 128) * version + 64
    if version >= 2:
        alignments = version // 7 + 2
        modules -= (25 * alignments - 10) * alignments - 55
        if version >= 7:
            modules -= 36
    return modules


# ---- Error correction and placement ----------------------------------------------------------
# Reed-Solomon over GF(256) (ISO/IEC 18004 7.5.2, polynomial x⁸+x⁴+x³+x²+1). A block's error
# correction codewords are the remainder of data(x)·xⁿ by the generator, a linear function of
# the data: the XOR of each data byte's own remainder, looked up by its value and its distance
# from the block's end.

def _gf_tables() -> tuple[tuple[int, ...], tuple[int, ...]]:
    exp, log = [0] * 512, [0] * 256
    value = 1
    for power in range(255):
        exp[power] = exp[power + 255] = value
        log[value] = power
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    return tuple(exp), tuple(log)


_EXP, _LOG = _gf_tables()


def _gf_multiply(a: int, b: int) -> int:
    return _EXP[_LOG[a] + _LOG[b]] if a and b else 0


@cache  # one per count of error correction codewords (13 in all)
def _generator(count: int) -> tuple[int, ...]:
    """The generator polynomial's coefficients after its leading 1, highest degree first."""
    poly = [1]
    for power in range(count):  # times (x - α^power)
        poly = [a ^ _gf_multiply(b, _EXP[power])
                for a, b in zip([*poly, 0], [0, *poly], strict=True)]
    return tuple(poly[1:])


@cache  # at most 13 counts × 123 distances
def _remainders(count: int, distance: int) -> tuple[int, ...]:
    """By byte value, the remainder (as a `count`-byte int) of that byte `distance` places
    before a block's last data byte. Linear in the byte: made from those of its 8 bits."""
    if distance == 0:
        bits = [int.from_bytes(bytes(_gf_multiply(1 << k, c) for c in _generator(count)))
                for k in range(8)]
    else:  # one place further: times x, less the generator times what passes degree count
        last, before = _remainders(count, 0), _remainders(count, distance - 1)
        top, keep = 8 * (count - 1), (1 << 8 * count) - 1
        bits = [((r << 8) & keep) ^ last[r >> top] for r in (before[1 << k] for k in range(8))]
    table = [0]
    for bit in bits:
        table += [r ^ bit for r in table]
    return tuple(table)


class _Plan(NamedTuple):
    """What the codewords of one version and error level need."""

    blocks: tuple[slice, ...]  # each block's data codewords
    ec_per_block: int
    ec_tables: dict[int, tuple[tuple[int, ...], ...]]  # by block length: _remainders in order
    # The message's bits (blocks one after the other) and the patterns' -> the unmasked grid.
    place: Callable[[bytes], Sequence[int]]


@lru_cache(maxsize=160)  # one per version and error level
def _plan(version: int, error: str) -> _Plan:
    ec_count, count = _EC_PER_BLOCK[error][version - 1], _BLOCKS[error][version - 1]
    total = _raw_modules(version) // 8
    short, longer = divmod(total - ec_count * count, count)  # `longer` blocks have 1 more
    lengths = [short] * (count - longer) + [short + 1] * longer
    starts = [sum(lengths[:k]) for k in range(count)]
    data = sum(lengths)
    # ISO 7.6: the symbol's codeword k of the data (then of the error correction) codewords is
    # taken from each block in turn.
    interleaved = [starts[k] + i for i in range(short + 1) for k in range(count)
                   if i < lengths[k]]
    interleaved += [data + k * ec_count + i for i in range(ec_count) for k in range(count)]
    grid = layout(version)
    light, dark = 8 * total, 8 * total + 1  # the '0' and '1' after the message's bits
    source = [light] * grid.cells
    for at in grid.dark_patterns:
        source[at] = dark
    bits = [8 * codeword + k for codeword in interleaved for k in range(8)]
    # The remainder bits (ISO 7.6), placed last, stay light.
    for at, bit in zip(grid.placement, bits, strict=False):
        source[at] = bit
    tables = {length: tuple(_remainders(ec_count, d) for d in reversed(range(length)))
              for length in set(lengths)}
    blocks = tuple(slice(s, s + n) for s, n in zip(starts, lengths, strict=True))
    return _Plan(blocks, ec_count, tables, itemgetter(*source))
