"""QR codes: the printable SVG that sends a poster's or flyer's reader to a URL, with the URL
written under it for those who type it.

Pure: a URL in, an SVG string out (no XML declaration, so the same text works as a standalone
`.svg` file and inlined in HTML; XML without a declaration is UTF-8 XML 1.0). Sizes are in
millimetres on the root element and in modules in the viewBox, so the code prints at a known,
scannable size and still scales cleanly. Same inputs give the same text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urlsplit, urlunsplit
from xml.sax.saxutils import escape

import segno

from sitegen.digests import digest

# Level M restores ~15 % of a damaged code: enough for a creased or scuffed poster, while a
# long UTM-tagged URL stays a few versions smaller (so larger modules at a given print size)
# than at Q or H, which only pay off with a logo over the code. segno raises the level for
# free when the higher one fits in the same symbol size.
ERROR_LEVEL = "M"
QUIET_ZONE = 4  # modules of blank margin all round: the minimum ISO/IEC 18004 asks for
_CHAR_WIDTH = 0.6  # advance of a monospace character, in ems (DejaVu Sans Mono: 0.602)
_LINE_SPACING = 1.3
_TEXT_MARGIN = 1  # modules between the text and the sides
# Where a long URL may go to the next line: after these characters, never inside a word
# (nor after '_', which joins words: utm_source).
_BREAK_AFTER = "/?&=.-#"
# Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class QrStyle:
    """How a QR code prints. The defaults suit A4 flyers and A3 posters read at arm's length
    to a few metres (about 4–6 cm wide for a blog post's tagged URL)."""

    module_mm: float = 1.0  # printed side of one module (a black or white square)
    text_mm: float = 3.0  # printed font size of the URL under the code (≈ 8.5 pt)
    dark: str = "#000000"  # modules and text: black on white scans best
    light: str | None = "#ffffff"  # background, or None for transparent (on a light paper)
    font_family: str = "'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace"

    def __post_init__(self) -> None:
        if not (self.module_mm > 0 and self.text_mm > 0):
            raise ValueError("QR style: module_mm and text_mm must be positive numbers")


def qr_payload(url: str) -> str:
    """The exact text a QR code for `url` holds: the URL made pure ASCII (an accented host in
    IDNA, other non-ASCII characters and spaces percent-encoded as UTF-8). QR byte mode does
    not say its encoding, and scanners guess differently; ASCII reads the same in all of them.
    """
    url = url.strip()
    if not url:
        raise ValueError("a QR code needs a URL")
    if url.isascii() and url.isprintable() and " " not in url:
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii():
        userinfo, at, hostport = netloc.rpartition("@")
        host, colon, port = hostport.partition(":")
        netloc = f"{userinfo}{at}{host.encode('idna').decode('ascii')}{colon}{port}"
    safe = "!#$%&'()*+,/:;=?@[]~"  # reserved characters and existing %XX stay as they are
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe=safe),
                       quote(parts.query, safe=safe), quote(parts.fragment, safe=safe)))


def qr_svg(url: str, *, label: str | None = None, title: str | None = None,
           style: QrStyle | None = None) -> str:
    """An SVG QR code linking to `url` (already tagged `utm_source=qr&utm_medium=print` by
    the caller), with `label` (default: the URL) printed under it and `title` (default:
    'QR code: URL') read out by screen readers. Raises ValueError for an empty URL or one too
    long for any QR code (about 2,300 characters at level M)."""
    style = style or QrStyle()
    url = url.strip()
    # Drawn with a fixed mask, then re-masked here with segno's own choice: segno evaluates
    # the eight masks in pure Python (~7 ms of its ~9 ms), `_best_masked` in ~1 ms.
    _, rows = _best_masked(segno.make_qr(qr_payload(url), error=ERROR_LEVEL, boost_error=True,
                                         mask=0))
    side = len(rows) + 2 * QUIET_ZONE
    font = style.text_mm / style.module_mm  # in modules, the viewBox's unit
    per_line = max(8, int((side - 2 * _TEXT_MARGIN) / (font * _CHAR_WIDTH)))
    lines = wrap_url(_xml_safe(url if label is None else label), per_line)
    line_height = font * _LINE_SPACING
    height = round(side + (len(lines) * line_height + font * 0.5 if lines else 0), 2)
    name = _xml_safe(title if title is not None else f"QR code: {url}")
    ident = "qr-" + digest(url, name)[:10]
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" role="img" '
        f'aria-labelledby="{ident}" width="{_mm(side * style.module_mm)}" '
        f'height="{_mm(height * style.module_mm)}" viewBox="0 0 {side} {_num(height)}">',
        f'<title id="{ident}">{escape(name)}</title>',
    ]
    if style.light is not None:
        svg.append(f'<rect width="100%" height="100%" fill={_attr(style.light)}/>')
    svg.append(f'<path fill={_attr(style.dark)} shape-rendering="crispEdges" '
               f'd="{_modules_path(rows)}"/>')
    if lines:
        svg.append(f'<g fill={_attr(style.dark)} font-family={_attr(style.font_family)} '
                   f'font-size="{_num(font)}" text-anchor="middle">')
        for i, line in enumerate(lines):
            # Baselines start one font size below the quiet zone, which stays blank.
            y = side + font + i * line_height
            svg.append(f'<text x="{_num(side / 2)}" y="{_num(y)}">{escape(line)}</text>')
        svg.append("</g>")
    svg.append("</svg>")
    return "\n".join(svg) + "\n"


def wrap_url(text: str, per_line: int) -> list[str]:
    """`text` in lines of at most `per_line` characters, each break just after a URL
    separator (/ ? & = . - #) when one lies in the second half of the line. No hyphen is
    added: a reader typing the URL must not type one."""
    lines = []
    while len(text) > per_line:
        window = text[:per_line]
        cut = max(window.rfind(c) for c in _BREAK_AFTER) + 1
        if cut <= per_line // 2:
            cut = per_line
        lines.append(text[:cut])
        text = text[cut:]
    return [*lines, text] if text else lines


def _modules_path(rows: Sequence[bytes]) -> str:
    """One path of the dark modules, row by row, each horizontal run a rectangle (smaller
    than a square per module; `fill` only, so nothing bleeds into the light modules)."""
    return "".join(f"M{QUIET_ZONE + run.start()} {QUIET_ZONE + y}h{len(run[0])}v1h-{len(run[0])}z"
                   for y, row in enumerate(rows) for run in _DARK_RUN.finditer(row))


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _attr(value: str) -> str:
    """A quoted, escaped attribute value."""
    return '"' + escape(_xml_safe(value), {'"': "&quot;"}) + '"'


def _num(value: float) -> str:
    """A short, stable decimal: '12', '12.5', '3.33'."""
    if math.isclose(value, round(value)):
        return str(round(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _mm(value: float) -> str:
    return _num(value) + "mm"


# ---- Mask choice -----------------------------------------------------------------------------
# ISO/IEC 18004 7.8: of the eight data masks, a symbol uses the one whose masked matrix has the
# lowest penalty (N1 runs, N2 blocks, N3 finder-like patterns, N4 dark share). This is segno's
# own evaluation (segno.encoder.mask_scores, quirks included: the format and version areas and
# the dark module count as light, the first lowest score wins) on whole byte strings: rows
# and columns as 0/1 bytes, each followed by a 2 so that no run or pattern spans two lines.
# tests/test_qrcodes.py checks that the result is segno's matrix, for every version.

_LINE_END = b"\x02"
_DARK_RUN = re.compile(rb"\x01+")
_FINDER_LIKE = b"\x01\x00\x01\x01\x01\x00\x01"  # N3: dark:light:dark×3:light:dark
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


@dataclass(frozen=True)
class _Layout:
    """What a symbol size needs for re-masking, as integers over its lines (one byte a
    module, rows of `size + 1` bytes): each mask's flips on the data modules, the modules the
    evaluation sees light (format, version, dark module), and where a 2×2 block may start."""

    size: int
    flips: tuple[int, ...]
    keep: int  # 0xFF, or 0x00 where the evaluation sees a light module
    block_starts: int  # 0x01 at every module that is the top left of a 2×2 block
    run_starts: int  # 0x01 at every module followed by four more in its line
    format_cells: tuple[tuple[int, int, int], ...]  # (row, column, bit of the format word)


def _best_masked(code: segno.QRCode) -> tuple[int, list[bytes]]:
    """The mask segno chooses by default for `code` (drawn with mask 0) and the matrix with
    it, rows of 0/1 bytes: exactly `segno.make(..., mask=None)`'s."""
    size = len(code.matrix)
    layout = _layout(size)
    data = int.from_bytes(_lines(code.matrix)) ^ layout.flips[0]  # unmasked
    seen = data & layout.keep
    scores = [_penalty(seen ^ flips, layout) for flips in layout.flips]
    best = scores.index(min(scores))  # the first of equal scores, as segno
    matrix = bytearray((data ^ layout.flips[best]).to_bytes(size * (size + 1)))
    _write_format(matrix, layout, str(code.error), best)
    return best, [bytes(matrix[at:at + size]) for at in range(0, len(matrix), size + 1)]


def _lines(rows: Sequence[bytes | bytearray]) -> bytes:
    return _LINE_END.join(rows) + _LINE_END


def _penalty(masked: int, layout: _Layout) -> int:
    size = layout.size
    rows = masked.to_bytes(size * (size + 1))
    columns = _lines([rows[j::size + 1] for j in range(size)])
    n1 = _long_runs(masked, layout) + _long_runs(int.from_bytes(columns), layout)
    # N2, 3 points per 2×2 block of one colour: a module equal to its right, lower and
    # lower-right neighbours (shifting by one byte, one line, one line and a byte).
    line = 8 * (size + 1)
    differs = (masked ^ (masked << 8)) | (masked ^ (masked << line)) \
        | (masked ^ (masked << (line + 8)))
    n2 = 3 * (layout.block_starts & ~differs).bit_count()
    n3 = _finder_like(rows, size) + _finder_like(columns, size)
    dark_share = rows.count(1) / size ** 2  # segno's float arithmetic, to round as it does
    n4 = 10 * int(abs(dark_share * 100 - 50) / 5)
    return n1 + n2 + n3 + n4


def _long_runs(lines: int, layout: _Layout) -> int:
    """N1: a run of n ≥ 5 modules of one colour costs n - 2 points, that is one per module
    where five equal ones start (n - 4 of them), plus two where such a chain begins."""
    differs = 0
    for shift in range(8, 40, 8):
        differs |= lines ^ (lines << shift)
    five_equal = layout.run_starts & ~differs
    chain_starts = five_equal & ~(five_equal >> 8)
    return five_equal.bit_count() + 2 * chain_starts.bit_count()


def _finder_like(lines: bytes, size: int) -> int:
    """N3, 40 points per 1:1:3:1:1 pattern with four light modules (or the edge) on one side,
    scanned as segno does: after a counted pattern the search resumes past it, else 4 later."""
    score = 0
    at = lines.find(_FINDER_LIKE)
    while at != -1:
        line_start = at - at % (size + 1)
        before = lines[max(at - 4, line_start):at]
        after = lines[at + 7:min(at + 11, line_start + size)]
        if 1 not in before or 1 not in after:
            score += 40
            at = lines.find(_FINDER_LIKE, at + 7)
        else:
            at = lines.find(_FINDER_LIKE, at + 4)
    return score


def _write_format(matrix: bytearray, layout: _Layout, error: str, mask: int) -> None:
    """The 15-bit format word of `error` and `mask` (BCH-protected, ISO/IEC 18004 7.9), both
    copies, and the dark module."""
    data = _ERROR_BITS[error] << 3 | mask
    remainder = data
    for _ in range(10):
        remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
    word = (data << 10 | remainder) ^ 0x5412
    stride = layout.size + 1
    for row, column, bit in layout.format_cells:
        matrix[row * stride + column] = (word >> bit) & 1
    matrix[(layout.size - 8) * stride + 8] = 1


@lru_cache(maxsize=40)  # one per QR version
def _layout(size: int) -> _Layout:
    version = (size - 17) // 4
    function = _function_modules(size, version)
    format_cells = _format_cells(size)
    light = {(row, column) for row, column, _ in format_cells} | {(size - 8, 8)}
    if version >= 7:  # the two 6×3 version information blocks
        light |= {(i, j) for i in range(6) for j in range(size - 11, size - 8)}
        light |= {(i, j) for i in range(size - 11, size - 8) for j in range(6)}
    cells = [(i, j) for i in range(size) for j in range(size + 1)]
    flips = tuple(_bytes_int(j < size and (i, j) not in function and mask(i, j)
                             for i, j in cells) for mask in _MASKS)
    keep = _bytes_int((i, j) not in light for i, j in cells) * 0xFF
    block_starts = _bytes_int(i < size - 1 and j < size - 1 for i, j in cells)
    run_starts = _bytes_int(j < size - 4 for _, j in cells)
    return _Layout(size, flips, keep, block_starts, run_starts, format_cells)


def _bytes_int(flags: Iterable[bool]) -> int:
    return int.from_bytes(bytes(map(int, flags)))


def _function_modules(size: int, version: int) -> set[tuple[int, int]]:
    """The modules no mask touches: finder patterns with their separators and the format
    areas, timing patterns, alignment patterns, version information."""
    cells: set[tuple[int, int]] = set()

    def block(top: int, left: int, height: int, width: int) -> None:
        cells.update((i, j) for i in range(top, top + height) for j in range(left, left + width))

    block(0, 0, 9, 9)
    block(0, size - 8, 9, 8)
    block(size - 8, 0, 8, 9)
    block(6, 0, 1, size)
    block(0, 6, size, 1)
    centres = _alignment_centres(version)
    finders = {(6, 6), (6, size - 7), (size - 7, 6)}  # no alignment pattern over these
    for row in centres:
        for column in centres:
            if (row, column) in finders:
                continue
            block(row - 2, column - 2, 5, 5)
    if version >= 7:
        block(0, size - 11, 6, 3)
        block(size - 11, 0, 3, 6)
    return cells


def _alignment_centres(version: int) -> list[int]:
    """Rows (and columns) of the alignment patterns' centres (ISO/IEC 18004 Annex E)."""
    if version == 1:
        return []
    count = version // 7 + 2
    step = 26 if version == 32 else (version * 4 + count * 2 + 1) // (count * 2 - 2) * 2
    last = 17 + 4 * version - 7
    return [6, *reversed([last - i * step for i in range(count - 1)])]


def _format_cells(size: int) -> tuple[tuple[int, int, int], ...]:
    """Where each bit of the format word goes, both copies (segno's placement, ISO 7.9.1)."""
    near = [(i if i < 6 else i + 1, 8, i) for i in range(8)]  # column 8, skipping timing
    near += [(8, i if i < 6 else i + 1, 14 - i) for i in range(8)]  # row 8
    far = [(8, size - 1 - i, i) for i in range(8)]  # top right, row 8
    far += [(size - 1 - i, 8, 14 - i) for i in range(7)]  # bottom left, column 8
    return tuple(near + far)
