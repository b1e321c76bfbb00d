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
from collections.abc import Sequence
from functools import lru_cache
from html import escape as _html_escape
from urllib.parse import quote, urlsplit, urlunsplit

from sitegen.digests import digest
from sitegen.qrencode import qr_matrix
from sitegen.records import record

# Level M restores ~15 % of a damaged code: enough for a creased or scuffed poster, while a
# long UTM-tagged URL stays a few versions smaller (so larger modules at a given print size)
# than at Q or H, which only pay off with a logo over the code. The encoder raises the level
# for free when the higher one fits in the same symbol size (as segno does).
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
# Over rows of 0/1 bytes joined by newlines: a run of dark modules with the light ones that
# follow it in its row up to the next run, or light modules and new lines up to the next run.
_PIECE = re.compile(rb"\x01+(?:\x00+(?=\x01))?|[\x00\n]+")


@record
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
    safe = "!#$%&'()*+,/:;=?@[]~"  # reserved characters and existing %XX stay as they are
    if not netloc.isascii():
        userinfo, at, hostport = netloc.rpartition("@")
        host, colon, port = hostport.partition(":")
        netloc = (f"{quote(userinfo, safe=safe)}{at}{host.encode('idna').decode('ascii')}"
                  f"{colon}{quote(port, safe=safe)}")
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
    rows = qr_matrix(qr_payload(url), ERROR_LEVEL).rows
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
        f'<title id="{ident}">{_escape(name)}</title>',
    ]
    if style.light is not None:
        svg.append(f'<rect width="100%" height="100%" fill={_attr(style.light)}/>')
    svg.append(f'<path stroke={_attr(style.dark)} stroke-width="1" shape-rendering="crispEdges" '
               f'd="{_modules_path(rows)}"/>')
    if lines:
        svg.append(f'<g fill={_attr(style.dark)} font-family={_attr(style.font_family)} '
                   f'font-size="{_num(font)}" text-anchor="middle">')
        for i, line in enumerate(lines):
            # Baselines start one font size below the quiet zone, which stays blank.
            y = side + font + i * line_height
            svg.append(f'<text x="{_num(side / 2)}" y="{_num(y)}">{_escape(line)}</text>')
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
    """The dark modules as one path of horizontal lines a module thick (stroked with width
    1, as segno draws them): one line per run of dark modules in a row, at mid-height, each
    reached by a relative move from the end of the one before. A regular expression cuts all
    rows in pieces in one pass, and a table spells each piece."""
    steps = _path_steps(len(rows))
    matrix = b"\n".join(rows).rstrip(b"\x00\n")
    # The top left module, a corner of a finder pattern, is always dark.
    return f"M{QUIET_ZONE} {QUIET_ZONE}.5" + "".join(map(steps.__getitem__,
                                                         _PIECE.findall(matrix)))


class _PathSteps(dict[bytes, str]):
    """Path steps by _PIECE of rows of `size` modules: a table filled as pieces are met (at
    most `size`² runs with their gap, and as many moves to a next row)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def __missing__(self, piece: bytes) -> str:
        if piece[0] == 1:  # a line, and a move over the gap after it
            dark = piece.find(0)
            step = f"h{len(piece)}" if dark == -1 else f"h{dark}m{len(piece) - dark} 0"
        else:  # from the end of a row's last run to the next row's first
            before, after = piece.index(b"\n"), len(piece) - piece.rindex(b"\n") - 1
            rows = piece.count(b"\n")
            step = f"m{before + after - self.size} {rows}"
        self[piece] = step
        return step


@lru_cache(maxsize=40)  # one per symbol size
def _path_steps(size: int) -> _PathSteps:
    return _PathSteps(size)


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _attr(value: str) -> str:
    """A quoted, escaped attribute value."""
    return '"' + _escape(_xml_safe(value)).replace('"', "&quot;") + '"'


def _escape(text: str) -> str:
    """&, < and > as XML entities (what xml.sax.saxutils.escape does, without the ~20 ms
    its import costs a process that draws codes: it pulls in urllib and http)."""
    return _html_escape(text, quote=False)


def _num(value: float) -> str:
    """A short, stable decimal: '12', '12.5', '3.33'."""
    if math.isclose(value, round(value)):
        return str(round(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _mm(value: float) -> str:
    return _num(value) + "mm"
