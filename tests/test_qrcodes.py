"""sitegen/qrcodes.py: QR codes are valid, printable SVG that a real decoder reads back as the
exact URL."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import segno
import zxingcpp
from PIL import Image, ImageDraw

from sitegen import qrcodes
from sitegen.qrcodes import ERROR_LEVEL, QUIET_ZONE, QrStyle, qr_payload, qr_svg, wrap_url
from tests.browser import chromium

SVG = "{http://www.w3.org/2000/svg}"
POST = "https://velorution.example.org/2026/03/l-ete-a-velo/"
TAGGED = POST + "?utm_source=qr&utm_medium=print&utm_campaign=fete-du-velo-2026"
# Accents already percent-encoded by the caller, as URLs built by sitegen are.
LONG = ("https://les-cyclistes-du-canal.example.org/2026/03/f%C3%AAte-du-v%C3%A9lo-%C3%A0-"
        "l-%C3%A9cluse-de-la-gar%C3%A8re/?utm_source=qr&utm_medium=print&utm_campaign="
        "f%C3%AAte-du-v%C3%A9lo-2026&utm_content=affiche-a3")
# The module path's steps: a move to (x, y) or by (dx, dy), a line of n modules across.
STEP = re.compile(r"([Mm])(-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)|h(\d+)")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def text_lines(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(SVG + "text")]


def dark_modules(svg: str) -> list[tuple[int, int]]:
    """The modules (column, row, in the viewBox) the SVG's module path paints: a path of
    horizontal lines stroked 1 wide, so each line must lie at a row's mid-height and span
    whole modules. Listed as painted: a module painted twice shows twice."""
    path = parse(svg).find(SVG + "path")
    assert path is not None
    assert (path.get("stroke-width"), path.get("fill")) == ("1", None)
    assert path.get("shape-rendering") == "crispEdges"
    d = path.get("d", "")
    assert STEP.sub("", d) == ""  # every step is one this painter understands
    x = y = 0.0
    painted = []
    for command, dx, dy, run in STEP.findall(d):
        if command == "M":
            x, y = float(dx), float(dy)
        elif command == "m":
            x, y = x + float(dx), y + float(dy)
        else:
            assert x == int(x) and y - 0.5 == int(y - 0.5) and int(run) > 0, (x, y, run)
            painted += [(int(x) + i, int(y - 0.5)) for i in range(int(run))]
            x += int(run)
    return painted


def rasterize(svg: str, scale: int = 6) -> Image.Image:
    """Paints the SVG's module path (and nothing else) the way a renderer would."""
    width = int(parse(svg).get("viewBox", "").split()[2])
    image = Image.new("L", (width * scale, width * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y in dark_modules(svg):
        draw.rectangle((x * scale, y * scale, (x + 1) * scale - 1, (y + 1) * scale - 1), fill=0)
    return image


def decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_the_svg_is_standalone_xml_with_a_title_first():
    svg = qr_svg(TAGGED)
    assert svg.startswith("<svg ") and svg.endswith("</svg>\n")  # no XML declaration
    root = parse(svg)
    assert root.tag == SVG + "svg" and root.get("role") == "img"
    title = root[0]
    assert title.tag == SVG + "title" and title.text == "QR code: " + TAGGED
    assert root.get("aria-labelledby") == title.get("id")


def test_the_size_is_in_millimetres_and_the_view_box_in_modules():
    root = parse(qr_svg(TAGGED, style=QrStyle(module_mm=0.5)))
    side = segno.make_qr(TAGGED, error=ERROR_LEVEL).symbol_size(border=QUIET_ZONE)[0]
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
    assert width == side
    assert root.get("width") == f"{side * 0.5:g}mm"
    assert root.get("height") == f"{height * 0.5:g}mm"
    assert height > width  # room for the URL under the code


def test_the_url_is_printed_under_the_code_escaped():
    svg = qr_svg(TAGGED)
    assert "utm_source=qr&amp;utm_medium=print" in svg
    root = parse(svg)
    assert "".join(text_lines(root)) == TAGGED
    side = float(root.get("viewBox", "").split()[2])
    assert all(float(t.get("y", 0)) > side for t in root.iter(SVG + "text"))  # quiet zone kept


def test_labels_and_titles_with_markup_are_escaped():
    svg = qr_svg(TAGGED, label='<b>"x" & y</b>', title="Code QR « l’été » <script>")
    root = parse(svg)
    assert "".join(text_lines(root)) == '<b>"x" & y</b>'
    assert root[0].text == "Code QR « l’été » <script>"
    assert "<script>" not in svg and "<b>" not in svg
    assert text_lines(parse(qr_svg(TAGGED, label=""))) == []


def test_a_style_cannot_break_out_of_its_attribute():
    root = parse(qr_svg(TAGGED, style=QrStyle(dark='#000" onload="x', light=None)))
    assert root.find(SVG + "rect") is None  # transparent background
    assert root.find(SVG + "path").get("stroke") == '#000" onload="x'  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="positive"):
        QrStyle(module_mm=0)


def test_output_is_deterministic():
    assert qr_svg(LONG) == qr_svg(LONG)


@pytest.mark.parametrize("url", [TAGGED, LONG, "https://a.io/?utm_source=qr&utm_medium=print"])
def test_the_code_decodes_to_the_exact_url(url):
    assert decode(rasterize(qr_svg(url))) == [url]


def test_an_url_with_raw_accents_is_encoded_as_ascii_and_printed_as_written():
    iri = "https://exemple.fr/fête du vélo/?utm_source=qr&utm_medium=print"
    payload = "https://exemple.fr/f%C3%AAte%20du%20v%C3%A9lo/?utm_source=qr&utm_medium=print"
    assert qr_payload(iri) == payload
    svg = qr_svg(iri)
    assert decode(rasterize(svg)) == [payload]
    assert "".join(text_lines(parse(svg))) == iri


@pytest.mark.parametrize("url", [LONG, TAGGED, "HTTPS://A.IO/"])
def test_the_path_draws_exactly_the_dark_modules_of_segnos_code(url):
    reference = segno.make_qr(url, error=ERROR_LEVEL, boost_error=True)
    expected = {(x, y) for y, row in enumerate(reference.matrix_iter(border=QUIET_ZONE))
                for x, dark in enumerate(row) if dark}
    painted = dark_modules(qr_svg(url))
    assert len(painted) == len(set(painted))  # none twice
    assert set(painted) == expected


def test_the_path_moves_to_the_next_row_across_light_rows():
    """Rows with no dark module (never in a QR code, but the path must not assume it)."""
    rows = [b"\x01\x00\x01", b"\x00\x00\x00", b"\x00\x01\x01"]
    d = qrcodes._modules_path(rows)
    svg = f'<svg xmlns="{SVG[1:-1]}" viewBox="0 0 11 11"><path stroke="#000" stroke-width="1" ' \
          f'shape-rendering="crispEdges" d="{d}"/></svg>'
    assert dark_modules(svg) == [(4, 4), (6, 4), (5, 6), (6, 6)]


def test_payloads():
    assert qr_payload(TAGGED) == TAGGED
    assert qr_payload(LONG) == LONG  # existing %XX stay as they are
    assert qr_payload("https://a.io/x\x01y") == "https://a.io/x%01y"
    assert qr_payload("https://café.example/menu") == "https://xn--caf-dma.example/menu"
    assert qr_payload("https://usér@café.example:８０/") == \
        "https://us%C3%A9r@xn--caf-dma.example:%EF%BC%98%EF%BC%90/"  # ASCII, all of it
    with pytest.raises(ValueError, match="needs a URL"):
        qr_payload("  ")


def test_an_url_too_long_for_any_qr_code_is_a_value_error():
    with pytest.raises(ValueError, match=r"^Data too large\. No QR Code can handle the "
                                         r"provided data$"):
        qr_svg("https://example.org/?q=" + "x" * 3000)


def test_long_urls_break_after_separators_without_adding_characters():
    lines = wrap_url(LONG, 27)
    assert "".join(lines) == LONG
    assert all(len(line) <= 27 for line in lines)
    assert all(line[-1] in "/?&=.-#" for line in lines[:-1])
    assert wrap_url("x" * 30, 12) == ["x" * 12, "x" * 12, "x" * 6]  # no separator: hard cut
    assert wrap_url("", 10) == []


@pytest.mark.browser
def test_chromium_renders_a_code_that_decodes_with_its_text_inside(tmp_path):
    page_file = tmp_path / "qr.svg"
    page_file.write_text(qr_svg(LONG), encoding="utf-8")
    with chromium(device_scale_factor=2) as context:
        page = context.new_page()
        page.goto(page_file.as_uri())
        boxes = page.evaluate("""() => {
            const svg = document.documentElement;
            return [svg.viewBox.baseVal.width,
                    ...[...svg.querySelectorAll('text')].map(t => {
                        const b = t.getBBox(); return [b.x, b.x + b.width]; })]; }""")
        png = page.locator("svg").screenshot()
    width, *lines = boxes
    assert lines and all(left >= 0 and right <= width for left, right in lines)
    assert decode(Image.open(io.BytesIO(png)).convert("L")) == [LONG]


def test_drawing_a_code_imports_no_network_modules():
    """Each process that draws codes imports this module: xml.sax.saxutils would pull in
    urllib.request, http and ssl (~20 ms) for three character entities."""
    script = ("import sys; from sitegen.qrcodes import qr_svg; qr_svg('https://example.org/'); "
              "print(sorted(m for m in ('urllib.request', 'http.client', 'ssl', 'xml.sax') "
              "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
