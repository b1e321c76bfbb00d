"""Social cards and QR codes in real builds: drawn, linked from the page, cached, pruned."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

from PIL import Image

from sitegen import cards
from sitegen.cards import Card, default_fonts, draw_card
from sitegen.markup import typeset
from tests.conftest import SITE_YAML, campaign, post
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
    assert _meta(other, "og:image:width") is None  # not in static/: size unknown
    assert _meta(other, "og:image:alt") == "Une photo"
    assert not (site.output / "2025/03/b/card.png").exists()


def test_own_images_give_their_size_and_svg_ones_a_card(make_site):
    photo = io.BytesIO()
    Image.new("RGB", (800, 450), "teal").save(photo, "JPEG")
    site = make_site({
        "static/images/photo.jpg": photo.getvalue(),
        "static/images/dessin.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
        "content/posts/a.md": post("Photo", slug="a", image="/images/photo.jpg"),
        "content/posts/b.md": post("Dessin", slug="b", image="/images/dessin.svg"),
    })
    site.build()
    page = site.read("2025/03/a/index.html")
    assert (_meta(page, "og:image:width"), _meta(page, "og:image:height")) == ("800", "450")
    drawn = site.read("2025/03/b/index.html")  # networks refuse SVG previews
    assert _meta(drawn, "og:image") == "https://example.org/2025/03/b/card.png"
    assert '<img class="u-photo" src="/images/dessin.svg"' in drawn  # the page keeps it


def test_every_other_page_previews_with_the_site_card(make_site):
    site = make_site({"content/posts/a.md": post("Un billet", slug="a", tags="[vélo]")})
    site.build()
    for page in ("index.html", "tags/velo/index.html", "404.html"):
        assert _meta(site.read(page), "og:image") == "https://example.org/card.png", page
    card = Image.open(site.output / "card.png")
    assert card.size == (1200, 630)


def test_each_post_has_a_qr_code_of_its_print_tagged_link(make_site):
    site = make_site({"content/posts/a.md": post("Un billet", slug="a", campaign="printemps"),
                      "content/campaigns/printemps.md": campaign("Printemps")})
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
    assert len(before) == 5  # the site's card, two post cards, two QR codes
    card_b = site.output / "2025/03/b/card.png"
    card_b_bytes = card_b.read_bytes()
    (site.root / "content/posts/a.md").write_text(post("Premier, revu", slug="a"))
    site.build()
    after = {p.name: p.stat().st_mtime_ns for p in drawn.iterdir()}
    kept = before.keys() & after.keys()
    # a's card and QR code (whose title is the post's) are drawn again, the others kept
    assert len(kept) == 3 and all(before[n] == after[n] for n in kept)
    assert card_b.read_bytes() == card_b_bytes
    (site.root / "content/posts/b.md").unlink()
    site.build()
    assert len(list(drawn.iterdir())) == 3 and not card_b.exists()


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


def test_a_french_card_keeps_its_signs_with_their_words(make_site):
    """As on the pages: « Vélo » : wraps as one word, no card line starts with ':' or '»'."""
    title = "« Savoir rouler à vélo » : on accompagne les CM1 du quartier"
    site = make_site({"content/posts/a.md": post(f'"{title}"', slug="a", author="alice")})
    site.build()
    bold = cards._stamp(default_fonts().bold)

    def line_starts(text: str) -> list[str]:
        return [line[0] for _, _, line, _, _ in
                cards._title_lines(cards._fit_text(text, bold), bold)]

    assert ":" in line_starts(title)  # with plain spaces, the colon would start a line
    shown = typeset(title, "fr")
    assert not {":", "»"} & set(line_starts(shown))
    card = Card(shown, "Test site", "Alice Martin", "21 mars 2025")
    assert (site.output / "2025/03/a/card.png").read_bytes() == draw_card(card)
