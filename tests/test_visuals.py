"""Social cards and QR codes in real builds: drawn, linked from the page, cached, pruned."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

from PIL import Image

from tests.conftest import SITE_YAML, post
from tests.test_qrcodes import decode, rasterize


def _meta(page: str, name: str) -> str | None:
    found = re.search(rf'<meta property="{name}" content="([^"]*)"', page)
    return found[1] if found else None


def test_a_post_without_image_gets_a_card_in_its_link_preview(make_site):
    site = make_site({
        "content/posts/a.md": post("Vélorution d’automne", slug="a", author="alice"),
        "content/posts/b.md": post("Avec photo", slug="b", image="/images/b.jpg",
                                   image_alt="Une photo"),
    })
    site.build()
    page = site.read("2025/03/a/index.html")
    assert _meta(page, "og:image") == "https://example.org/2025/03/a/card.png"
    assert (_meta(page, "og:image:width"), _meta(page, "og:image:height")) == ("1200", "630")
    assert _meta(page, "og:image:alt") == "Vélorution d’automne"
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    data = (site.output / "2025/03/a/card.png").read_bytes()
    card = Image.open(io.BytesIO(data))
    assert (card.format, card.size) == ("PNG", (1200, 630)) and len(data) < 1_000_000
    other = site.read("2025/03/b/index.html")
    assert _meta(other, "og:image") == "https://example.org/images/b.jpg"
    assert _meta(other, "og:image:width") is None
    assert not (site.output / "2025/03/b/card.png").exists()


def test_each_post_has_a_qr_code_of_its_print_tagged_link(make_site):
    site = make_site({"content/posts/a.md": post("Un billet", slug="a", campaign="printemps")})
    site.build()
    page = site.read("2025/03/a/index.html")
    assert '<a href="/2025/03/a/qr.svg">' in page
    svg = site.read("2025/03/a/qr.svg")
    [url] = decode(rasterize(svg))
    assert url.startswith("https://example.org/2025/03/a/?")
    query = parse_qs(urlsplit(url).query)
    assert (query["utm_source"], query["utm_medium"], query["utm_campaign"]) == \
        (["qr"], ["print"], ["printemps"])
    printed = "".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    assert printed == "https://example.org/2025/03/a/"  # printed clean, to be typed


def test_cards_and_qr_codes_can_be_turned_off(make_site):
    site = make_site({"content/posts/a.md": post("Un billet", slug="a")},
                     site_yaml=SITE_YAML + "share:\n  cards: false\n  qr: false\n")
    site.build()
    page = site.read("2025/03/a/index.html")
    assert _meta(page, "og:image") is None and "qr.svg" not in page
    assert sorted(p.name for p in (site.output / "2025/03/a").iterdir()) == ["index.html"]


def test_images_are_drawn_once_and_forgotten_with_their_post(make_site):
    site = make_site({"content/posts/a.md": post("Premier", slug="a"),
                      "content/posts/b.md": post("Second", slug="b")})
    site.build()
    drawn = site.root / ".sitegen-cache" / "images"
    before = {p.name: p.stat().st_mtime_ns for p in drawn.iterdir()}
    assert len(before) == 4  # two cards, two QR codes
    card_b = site.output / "2025/03/b/card.png"
    card_b_bytes = card_b.read_bytes()
    (site.root / "content/posts/a.md").write_text(post("Premier, revu", slug="a"))
    site.build()
    after = {p.name: p.stat().st_mtime_ns for p in drawn.iterdir()}
    kept = before.keys() & after.keys()
    # a's card and QR code (whose title is the post's) are drawn again, b's are kept
    assert len(kept) == 2 and all(before[n] == after[n] for n in kept)
    assert card_b.read_bytes() == card_b_bytes
    (site.root / "content/posts/b.md").unlink()
    site.build()
    assert len(list(drawn.iterdir())) == 2 and not card_b.exists()


def test_an_incremental_build_copies_the_same_images_as_a_cold_one(make_site, tmp_path):
    site = make_site({"content/posts/a.md": post("Premier", slug="a")})
    site.build()
    (site.root / "content/posts/a.md").write_text(post("Premier, revu", slug="a"))
    site.build()
    cold = type(site)(tmp_path / "cold")
    cold.write({"site.yaml": (site.root / "site.yaml").read_text(),
                "content/posts/a.md": (site.root / "content/posts/a.md").read_text()})
    cold.build()
    for name in ("card.png", "qr.svg"):
        assert (site.output / "2025/03/a" / name).read_bytes() == \
            (cold.output / "2025/03/a" / name).read_bytes()
