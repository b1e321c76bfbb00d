"""The images a build draws for each post: a social card (a 1200×630 PNG for link previews)
when the post has no image of its own, and a QR code (SVG) of its link for posters and flyers.

Drawing costs milliseconds per post, so each image is drawn once per content key into the
cache folder — in worker processes when many are missing — and copied into the output like a
static file: an unchanged post costs a file comparison.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import segno

from sitegen.cards import (
    Card,
    CardFonts,
    CardStyle,
    card_key,
    default_fonts,
    draw_card,
    theme_fonts,
)
from sitegen.config import Config
from sitegen.dates import format_day, iso
from sitegen.digests import digest
from sitegen.model import Post
from sitegen.output import PlannedFile
from sitegen.parallel import fork_map
from sitegen.qrcodes import qr_svg
from sitegen.snippets import tag_url
from sitegen.urls import Urls, output_file

CARD_FILE, QR_FILE = "card.png", "qr.svg"
CARD_SIZE = (1200, 630)
QR_VERSION = "1"  # bump when the QR drawing changes


@dataclass(frozen=True)
class Image:
    """One drawn image of a post: where it goes in the output, and its file in the cache."""

    post: Post
    path: str  # output file, relative to the output folder
    key: str  # digest of everything the image shows: its file name in the cache
    suffix: str  # '.png' (a card) or '.svg' (a QR code)


class Visuals:
    """The cards and QR codes of a build's posts."""

    def __init__(self, posts: Sequence[Post], config: Config, urls: Urls, folder: Path):
        self.config, self.urls, self.folder = config, urls, folder
        self.style = CardStyle(fonts=_fonts(config))
        self.cards: dict[str, Image] = {}
        self.qrs: dict[str, Image] = {}
        # What every card shares (colours, fonts, versions, site name, date format), digested
        # once: a site of 10,000 posts computes 10,000 keys on every build.
        common = digest(card_key(Card("", config.title), self.style), config.timezone,
                        config.locale)
        for post in posts:
            if config.share.cards and not post.image:
                key = digest(common, post.title, *(a.name for a in post.authors),
                             iso(post.date))
                self.cards[post.key] = Image(post, _beside(post, CARD_FILE), key, ".png")
            if config.share.qr:
                key = digest(QR_VERSION, segno.__version__, *self._qr(post))
                self.qrs[post.key] = Image(post, _beside(post, QR_FILE), key, ".svg")

    def _card(self, post: Post) -> Card:
        authors = ", ".join(a.name for a in post.authors)
        return Card(post.title, self.config.title, authors,
                    format_day(post.date, self.config.zone, self.config.locale))

    def _qr(self, post: Post) -> tuple[str, str, str]:
        page = self.urls.absolute(post.path)
        return (tag_url(page, "qr", post.campaign or post.slug, medium="print"), page,
                f"QR code: {post.title}")

    def _cached(self, image: Image) -> Path:
        return self.folder / (image.key + image.suffix)

    def prepare(self, workers: int) -> int:
        """Draw the images the cache lacks; forget those no post uses. Returns how many."""
        images = [*self.cards.values(), *self.qrs.values()]
        present = {entry.name for entry in os.scandir(self.folder)} \
            if self.folder.is_dir() else set()
        missing = [image for image in images if image.key + image.suffix not in present]
        if missing:
            self.folder.mkdir(parents=True, exist_ok=True)
            jobs = [(self._cached(image), self._card(image.post) if image.suffix == ".png"
                     else self._qr(image.post), self.style) for image in missing]
            fork_map(_draw, jobs, workers, pieces_per_worker=8, min_items=50)
        live = {image.key + image.suffix for image in images}
        for name in present - live:
            os.unlink(self.folder / name)
        return len(missing)

    def card_url(self, post: Post) -> str:
        """The absolute URL of the post's card, or '' when it has none."""
        image = self.cards.get(post.key)
        return self.urls.origin + self.urls.link("/" + image.path) if image else ""

    def qr_link(self, post: Post) -> str:
        image = self.qrs.get(post.key)
        return self.urls.link("/" + image.path) if image else ""

    def planned(self) -> list[PlannedFile]:
        """The images as output files; the key is the signature (an unchanged image costs a
        look-up and a stat, like an unchanged page)."""
        return [PlannedFile(image.path, f"{kind} of {image.post.key}",
                            partial(self._cached(image).read_bytes),
                            source_file=image.post.source.path, signature=image.key)
                for kind, images in (("social card", self.cards), ("QR code", self.qrs))
                for image in images.values()]


def _beside(post: Post, name: str) -> str:
    """An image's output file next to its post: in the post's folder ('/2025/03/x/' →
    '2025/03/x/card.png'), or after its file ('/x.html' → 'x-card.png')."""
    page = output_file(post.path)
    if page == "index.html" or page.endswith("/index.html"):
        return page.removesuffix("index.html") + name
    return page.rsplit(".", 1)[0] + "-" + name


def _fonts(config: Config) -> CardFonts:
    """The theme's card fonts when it bundles them, else the default theme's."""
    own = theme_fonts(config.theme_dir)
    return own if own.bold.is_file() and own.regular.is_file() else default_fonts()


def _draw(job: tuple[Path, Card | tuple[str, str, str], CardStyle]) -> None:
    """Draw one image into the cache (in a worker process): written aside, then renamed, so
    an interrupted build never leaves half an image under its final name."""
    target, what, style = job
    if isinstance(what, Card):
        data = draw_card(what, style)
    else:
        url, label, title = what
        data = qr_svg(url, label=label, title=title).encode()
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(target)
