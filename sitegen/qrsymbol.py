"""QR symbols: the layout of a symbol of each version (function patterns, the path of the
data bits, format and version information) and the data mask segno chooses for it.

A symbol is one Python int on a grid: row after row of `size + 4` bits, 4 light modules
then the symbol's row, with 4 light rows above and 4 below; the grid's first module is the
int's most significant bit, 1 is dark. The margin is the light area the mask evaluation's
finder-like rule looks for, so that rule needs no special case at the symbol's edges, and
no run of modules continues from one row into the next.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

from sitegen.records import record

MARGIN = 4
_MASKS = (  # ISO/IEC 18004 Table 10: i is the row, j the column; True flips the module
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
)
_ERROR_BITS = {"L": 1, "M": 0, "Q": 3, "H": 2}  # ISO/IEC 18004 Table 12
_TO_BYTES = bytes.maketrans(b"01", b"\x00\x01")
_IS_DATA = bytes.maketrans(b"\x00\x01", b"10")  # from a map of function modules
_DATA = ord("1")


@record
class Grid:
    """A version's layout, positions counted on its grid from the top left. The bit masks
    (ints) mark where the mask evaluation's patterns may start."""

    size: int  # modules on a side
    stride: int  # grid positions of a row: size + MARGIN
    cells: int  # grid positions in all
    placement: tuple[int, ...]  # where the message's bits go, in order (ISO 7.7.3)
    dark_patterns: tuple[int, ...]  # dark modules of the finder, timing and alignment patterns
    flips: tuple[int, ...]  # by mask: its flipped modules, data modules only
    fixed: int  # dark modules of the version information, and the dark module
    format_cells: tuple[tuple[int, int], ...]  # (position, bit of the format word), both copies
    everything: int  # every grid position
    runs: tuple[int, int]  # a run of 5 modules fits: across, down
    finders: tuple[int, int]  # a 1:1:3:1:1 pattern (7 modules) fits: across, down
    blocks: int  # a 2×2 block fits


def best_masked(unmasked: int, version: int, error: str) -> tuple[int, tuple[bytes, ...]]:
    """The mask segno chooses for a symbol drawn without mask nor format and version
    information, and the finished symbol's rows of 0/1 bytes."""
    grid = layout(version)
    scores = [sum(_penalties(unmasked ^ flips, grid)) for flips in grid.flips]
    mask = scores.index(min(scores))  # the first of equal scores, as segno
    symbol = unmasked ^ grid.flips[mask] | grid.fixed | _format_bits(version, error, mask)
    text = format(symbol, f"0{grid.cells}b").encode().translate(_TO_BYTES)
    first = MARGIN * grid.stride + MARGIN
    return mask, tuple(text[at:at + grid.size]
                       for at in range(first, first + grid.size * grid.stride, grid.stride))


# ---- Mask evaluation -------------------------------------------------------------------------
# ISO/IEC 18004 7.8.3: of the eight data masks, a symbol uses the one whose masked matrix has
# the lowest penalty (N1 runs, N2 blocks, N3 finder-like patterns, N4 dark share). This is
# segno's evaluation (segno.encoder.mask_scores, quirks included: the format and version
# areas and the dark module count as light; a finder-like pattern is sought as segno's
# bytes.find loop does), on whole grids: shifting a grid left by `step` bits puts on each
# position the module `step` positions after it (1: the next across, stride: the next down).

def _penalties(masked: int, grid: Grid) -> tuple[int, int, int, int]:
    """N1, N2, N3 and N4 (segno's mask_scores) of a masked symbol."""
    stride = grid.stride
    light = masked ^ grid.everything
    across = masked ^ (masked << 1)  # the module differs from the next one across
    down = masked ^ (masked << stride)
    n1 = _long_runs(across, grid.runs[0], 1) + _long_runs(down, grid.runs[1], stride)
    n2 = 3 * (grid.blocks & ~(across | down | (across << stride))).bit_count()
    n3 = _finder_like(masked, light, grid.finders[0], 1) \
        + _finder_like(masked, light, grid.finders[1], stride)
    dark_share = masked.bit_count() / grid.size ** 2  # segno's float arithmetic
    return n1, n2, n3, 10 * int(abs(dark_share * 100 - 50) / 5)


def _long_runs(differs: int, starts: int, step: int) -> int:
    """N1: a run of n ≥ 5 modules of one colour costs n - 2 points, that is one per module
    where five equal ones start (n - 4 of them), plus two where such a chain begins."""
    differs |= differs << step
    differs |= differs << 2 * step  # a change within the next 5 modules
    five_equal = starts & ~differs
    chain_starts = five_equal & ~(five_equal >> step)
    return five_equal.bit_count() + 2 * chain_starts.bit_count()


def _finder_like(dark: int, light: int, starts: int, step: int) -> int:
    """N3, 40 points per dark:light:dark×3:light:dark pattern with four light modules (or
    the margin) before or after it. segno searches with bytes.find, from 7 modules after a
    counted pattern and from 4 after another: a pattern that starts 4 or 6 modules after a
    counted one (the only overlaps there can be) is never seen."""
    three = dark & (dark << step) & (dark << 2 * step)
    found = starts & dark & (light << step) & (three << 2 * step) & (light << 5 * step) \
        & (dark << 6 * step)
    if not found:
        return 0
    four = light & (light << step)
    four &= four << 2 * step
    counted = found & ((four >> 4 * step) | (four << 7 * step))
    unseen = 0
    if found & ((found >> 4 * step) | (found >> 6 * step)):  # overlaps: follow segno's scan
        while True:  # each round settles one more pattern of a chain of overlapping ones
            seen_counted = counted & ~unseen
            skipped = found & ((seen_counted >> 4 * step) | (seen_counted >> 6 * step))
            if skipped == unseen:
                break
            unseen = skipped
    return 40 * (counted & ~unseen).bit_count()


@cache  # at most 40 versions × 4 levels × 8 masks
def _format_bits(version: int, error: str, mask: int) -> int:
    """The 15-bit format word of `error` and `mask` (BCH-protected, ISO/IEC 18004 7.9), both
    copies, on the grid."""
    grid = layout(version)
    data = _ERROR_BITS[error] << 3 | mask
    remainder = data
    for _ in range(10):
        remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
    word = (data << 10 | remainder) ^ 0x5412
    return _bits((at for at, bit in grid.format_cells if word >> bit & 1), grid.cells)


# ---- Layout ----------------------------------------------------------------------------------

@lru_cache(maxsize=40)  # one per version
def layout(version: int) -> Grid:
    """Version `version`'s grid (1-40)."""
    size = 17 + 4 * version
    stride, cells = size + MARGIN, (size + 2 * MARGIN) * (size + MARGIN)
    function = _function_modules(size, version)
    data = _grid_text([function[i:i + size].translate(_IS_DATA)
                       for i in range(0, size * size, size)])
    # Each mask repeats every 12 rows and columns: a tile of 12 × 12 makes any size.
    repeat = size // 12 + 1
    tiles = [[bytes(48 + flips(i, j) for j in range(12)) * repeat for i in range(12)]
             for flips in _MASKS]
    ones, zeros = b"1" * size, b"0" * size

    def starts(across: int, down: int) -> int:  # where `across` × `down` modules fit
        return int(_grid_text([ones[across - 1:] + zeros[:across - 1]] * (size - down + 1)
                              + [zeros] * (down - 1)), 2)

    def at(i: int, j: int) -> int:
        return (i + MARGIN) * stride + MARGIN + j

    return Grid(
        size, stride, cells,
        placement=tuple(position for position in _placement(size, stride)
                        if data[position] == _DATA),
        dark_patterns=tuple(at(i, j) for i, j in _dark_patterns(size, version)),
        flips=tuple(int(data, 2) & int(_grid_text([tile[i % 12][:size] for i in range(size)]), 2)
                    for tile in tiles),
        fixed=_bits((at(i, j) for i, j in _fixed_dark(size, version)), cells),
        format_cells=tuple((at(i, j), bit) for i, j, bit in _format_cells(size)),
        everything=(1 << cells) - 1,
        runs=(starts(5, 1), starts(1, 5)),
        finders=(starts(7, 1), starts(1, 7)),
        blocks=starts(2, 2))


def _grid_text(rows: Sequence[bytes]) -> bytes:
    """A grid as text, b"0" and b"1", from the symbol's rows."""
    light, margin = b"0" * (len(rows) + MARGIN), b"0" * MARGIN
    return light * MARGIN + b"".join(margin + row for row in rows) + light * MARGIN


def _bits(positions: Iterable[int], cells: int) -> int:
    """A grid with the modules at `positions` dark."""
    grid = bytearray(b"0" * cells)
    for at in positions:
        grid[at] = ord("1")
    return int(grid, 2)


def _placement(size: int, stride: int) -> list[int]:
    """Every module of the grid's symbol in the order segno's add_codewords visits them (ISO
    7.7.3): two-module wide columns from the right, each module to the right first, upwards
    then downwards, skipping the vertical timing pattern."""
    order = []
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        upwards = ((right & 2) == 0) ^ (right < 6)
        top = MARGIN * stride + MARGIN + right  # row 0 of the right column
        rows = range(size - 1, -1, -1) if upwards else range(size)
        order += [at for i in rows for at in (top + i * stride, top + i * stride - 1)]
    return order


def _fixed_dark(size: int, version: int) -> set[tuple[int, int]]:
    """The modules drawn after masking: the dark module, and the dark ones of the version
    information (BCH-protected, ISO/IEC 18004 7.10) from version 7 on."""
    dark = {(size - 8, 8)}
    if version >= 7:
        word = version
        for _ in range(12):
            word = (word << 1) ^ ((word >> 11) * 0x1F25)
        word |= version << 12
        for k in range(18):
            if word >> k & 1:
                dark |= {(size - 11 + k % 3, k // 3), (k // 3, size - 11 + k % 3)}
    return dark


def _function_modules(size: int, version: int) -> bytes:
    """The modules that hold no data, 1 in a map of the symbol's rows: finder patterns with
    their separators and the format areas, timing patterns, alignment patterns, version
    information."""
    cells = bytearray(size * size)

    def block(top: int, left: int, height: int, width: int) -> None:
        for i in range(top, top + height):
            cells[i * size + left:i * size + left + width] = b"\x01" * width

    block(0, 0, 9, 9)
    block(0, size - 8, 9, 8)
    block(size - 8, 0, 8, 9)
    block(6, 0, 1, size)
    block(0, 6, size, 1)
    for row, column in _alignment_centres(size, version):
        block(row - 2, column - 2, 5, 5)
    if version >= 7:
        block(0, size - 11, 6, 3)
        block(size - 11, 0, 3, 6)
    return bytes(cells)


def _dark_patterns(size: int, version: int) -> set[tuple[int, int]]:
    """The dark modules of the finder patterns, the timing patterns and the alignment
    patterns (ISO/IEC 18004 6.3)."""
    dark = set()
    for top, left in ((0, 0), (0, size - 7), (size - 7, 0)):  # rings of 7, 5 (light) and 3
        dark |= {(top + i, left + j) for i in range(7) for j in range(7)
                 if max(abs(i - 3), abs(j - 3)) != 2}
    for k in range(8, size - 8, 2):
        dark |= {(6, k), (k, 6)}
    for row, column in _alignment_centres(size, version):  # rings of 5 and 3 (light), centre
        dark |= {(row + i, column + j) for i in range(-2, 3) for j in range(-2, 3)
                 if max(abs(i), abs(j)) != 1}
    return dark


def _alignment_centres(size: int, version: int) -> list[tuple[int, int]]:
    """The centres of the alignment patterns (ISO/IEC 18004 Annex E), but those that would
    lie over a finder pattern."""
    if version == 1:
        return []
    count = version // 7 + 2
    step = 26 if version == 32 else (version * 4 + count * 2 + 1) // (count * 2 - 2) * 2
    lines = [6, *reversed([size - 7 - i * step for i in range(count - 1)])]
    finders = {(6, 6), (6, size - 7), (size - 7, 6)}
    return [(row, column) for row in lines for column in lines if (row, column) not in finders]


def _format_cells(size: int) -> tuple[tuple[int, int, int], ...]:
    """Where each bit of the format word goes, both copies (segno's placement, ISO 7.9.1):
    (row, column, bit)."""
    near = [(i if i < 6 else i + 1, 8, i) for i in range(8)]  # column 8, skipping timing
    near += [(8, i if i < 6 else i + 1, 14 - i) for i in range(8)]  # row 8
    far = [(8, size - 1 - i, i) for i in range(8)]  # top right, row 8
    far += [(size - 1 - i, 8, 14 - i) for i in range(7)]  # bottom left, column 8
    return tuple(near + far)
