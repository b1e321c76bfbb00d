"""The images a build draws for each post: a social card (a 1200×630 PNG for link previews)
when the post has no image of its own, and a QR code (SVG) of its link for posters and flyers.

Drawing costs milliseconds per post, so each image is drawn once per content key into the
cache folder — in worker processes when many are missing — and copied into the output like a
static file: an unchanged post costs a file comparison.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import NamedTuple

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
from sitegen.dates import format_day
from sitegen.digests import digest
from sitegen.markup import typeset
from sitegen.model import Post
from sitegen.output import PlannedFile
from sitegen.parallel import Background
from sitegen.recall import Memory
from sitegen.snippets import tag_url
from sitegen.urls import Urls, output_file

CARD_FILE, QR_FILE = "card.png", "qr.svg"
CARD_SIZE = (1200, 630)
# Bump when the QR drawing changes: sitegen draws the codes itself (qrencode, qrsymbol,
# qrcodes), so no library's version tells when their bytes do.
QR_VERSION = "2"  # 2: the modules as stroked lines
# Bump when what `_card` puts on a card changes: every cached card is drawn again.
CARD_TEXT_VERSION = "2"  # 2: titles, site name and description typeset as the pages show them


class Image(NamedTuple):
    """One drawn image of a post: where it goes in the output, and its file in the cache.
    (A named tuple: two per post are made at every build, 20,000 at 10,000 posts.)"""

    post: Post | None  # None: the site's card
    path: str  # output file, relative to the output folder
    key: str  # digest of everything the image shows: its file name in the cache
    suffix: str  # '.png' (a card) or '.svg' (a QR code)
    page: PageQr | None = None  # the page a QR code is of, when not a post


class PageQr(NamedTuple):
    """A QR code of a page that is not a post (a campaign's landing page)."""

    path: str  # output file
    url: str  # what the code holds: the page's address, tagged for print
    label: str  # the clean address printed under it
    title: str


class Visuals:
    """The cards and QR codes of a build's posts."""

    def __init__(self, posts: Sequence[Post], config: Config, urls: Urls, folder: Path,
                 static_files: Sequence[tuple[str, Path]] = (), pages: Sequence[PageQr] = (),
                 memory: Memory | None = None):
        self.config, self.urls, self.folder = config, urls, folder
        self.static = dict(static_files)
        self._sizes: dict[str, tuple[int, int] | None] = {}
        self.style = CardStyle(fonts=_fonts(config))
        memory = memory or Memory()
        self._files = memory.table("image files")
        self._listings = memory.table("image listing")
        # What every card shares (colours, fonts, versions, site name, date format and the
        # language, which typesets the texts: keys take them raw), digested once: a site of
        # 10,000 posts computes 10,000 keys on every build.
        common = digest(card_key(Card("", config.title), self.style), config.timezone,
                        config.locale, CARD_TEXT_VERSION)
        # The site's own card, the preview image of every page without one of its own.
        self.site_card = Image(None, CARD_FILE, digest(common, "site", config.description),
                               ".png") if config.share.cards else None
        # What the posts' QR codes share: how they are drawn, and the site's address.
        qr_common = (QR_VERSION, urls.base_url)
        made = memory.table("images")
        shown = (common, qr_common, config.share.cards, config.share.qr)
        images = {post.key: made.get(post.key, (post, *shown),
                                     self._images, post, *shown) for post in posts}
        self.cards = {key: card for key, (card, _) in images.items() if card}
        self.qrs = {key: qr for key, (_, qr) in images.items() if qr}
        for page in pages if config.share.qr else ():
            self.qrs[page.path] = Image(None, page.path, digest(
                QR_VERSION, page.url, page.label, page.title), ".svg", page)

    @staticmethod
    def _images(post: Post, common: str, qr_common: tuple[str, ...], cards: bool,
                qr: bool) -> tuple[Image | None, Image | None]:
        """The post's card (unless its own image can be previewed) and QR code, keyed by
        what each shows."""
        beside = _beside(post)
        card = Image(post, beside + CARD_FILE, digest(
            common, post.title, *(a.name for a in post.authors), post.date_iso), ".png") \
            if cards and not previewable(post.image) else None
        version, base_url = qr_common
        code = Image(post, beside + QR_FILE, digest(  # what _qr makes the code of
            version, post.path, post.campaign, post.slug, post.title, base_url), ".svg") \
            if qr else None
        return card, code

    def _card(self, post: Post | None) -> Card:
        site_name = self._typeset(self.config.title)
        if post is None:  # the site's card: its description large, its name above
            return Card(self._typeset(self.config.description) or site_name, site_name)
        authors = ", ".join(a.name for a in post.authors)
        return Card(self._typeset(post.title), site_name, authors,
                    format_day(post.date, self.config.zone, self.config.locale))

    def _typeset(self, text: str) -> str:
        """As the pages show it: in French, « Vélo » : keeps its signs with their words, so
        that a card's line never starts with ':' or '»'."""
        return typeset(text, self.config.language)

    def _qr(self, image: Image) -> tuple[str, str, str]:
        if image.page is not None:
            return image.page.url, image.page.label, image.page.title
        post = image.post
        assert post is not None
        page = self.urls.absolute(post.path)
        return (tag_url(page, "qr", post.campaign or post.slug, medium="print"), page,
                f"QR code: {post.title}")

    def _cached(self, image: Image) -> str:
        return f"{self.folder}{os.sep}{image.key}{image.suffix}"  # a str: 20,000 per build

    def prepare(self, workers: int) -> int:
        """Draw the images the cache lacks; forget those no post uses. Returns how many."""
        return self.start(workers).wait()

    def start(self, workers: int, background: Background | None = None) -> Drawing:
        """`prepare`, going on in `background` (a process forked early, see
        parallel.Background) while the build does its next stages, when the process can
        fork: a new process pays ~50 ms for its first card (Pillow, fonts), which `warm_up`
        there and a title edit's other stages then hide."""
        images = [*self._site_card(), *self.cards.values(), *self.qrs.values()]
        present = self._listing()
        missing = [image for image in images if image.key + image.suffix not in present]
        live = {image.key + image.suffix for image in images}
        unused = present - live
        for name in unused:
            (self.folder / name).unlink(missing_ok=True)
        if missing:
            self.folder.mkdir(parents=True, exist_ok=True)
        jobs = [(self._cached(image), self._card(image.post) if image.suffix == ".png"
                 else self._qr(image), self.style) for image in missing]
        drawing = background or Background(fork=bool(jobs))
        drawing.run(_draw, jobs, workers, pieces_per_worker=8, min_items=50)

        def done() -> None:  # what this build changed in the folder, without listing it
            if missing or unused:
                self._keep_listing((present - unused) | {i.key + i.suffix for i in missing})
        return Drawing(drawing, done, len(missing))

    def _listing(self) -> set[str]:
        """The images drawn so far. A folder's time changes with its entries: while it does
        not, an earlier listing of this process is still right (20,000 names at 10k posts)."""
        stamp = self._folder_stamp()
        if stamp is None:
            return set()
        return set(self._listings.get("images", stamp, lambda: {
            entry.name for entry in os.scandir(self.folder)}))

    def _keep_listing(self, names: set[str]) -> None:
        """Builds of a site take turns (a lock), so the folder now holds exactly `names`."""
        stamp = self._folder_stamp()
        if stamp is not None:  # replaces the listing even if a coarse clock kept the time
            self._listings.keep("images", names, stamp)

    def _folder_stamp(self) -> tuple[int, int] | None:
        try:
            info = os.stat(self.folder)
        except OSError:
            return None
        return info.st_mtime_ns, info.st_ino

    def _site_card(self) -> list[Image]:
        return [self.site_card] if self.site_card else []

    def card_url(self, post: Post | None) -> str:
        """The absolute URL of the post's card (None: the site's), or '' when there is none."""
        image = self.cards.get(post.key) if post else self.site_card
        return self.urls.origin + self.urls.link("/" + image.path) if image else ""

    def image_size(self, image: str) -> tuple[int, int] | None:
        """Width and height of an image of the site (`/images/x.jpg`), read from its header
        once per build; None for an image elsewhere or unreadable."""
        if image not in self._sizes:
            path = self.static.get(image.lstrip("/")) if image.startswith("/") else None
            self._sizes[image] = _size_of(path) if path else None
        return self._sizes[image]

    def qr_link(self, post: Post) -> str:
        image = self.qrs.get(post.key)
        return self.urls.link("/" + image.path) if image else ""

    def planned(self) -> list[PlannedFile]:
        """The images as output files; the key is the signature (an unchanged image costs a
        look-up and a stat, like an unchanged page)."""
        return [self._files.get(image.path, (image,), self._planned, kind, image)
                for kind, images in (("social card", {"": self.site_card} if self.site_card
                                      else {}),
                                     ("social card", self.cards), ("QR code", self.qrs))
                for image in images.values()]

    def _planned(self, kind: str, image: Image) -> PlannedFile:
        return PlannedFile(image.path, f"{kind} of {_origin(image)}",
                           partial(_read, self._cached(image)),
                           source_file=image.post.source.path if image.post else None,
                           signature=image.key)


class Drawing:
    """Images being drawn: `wait()` before the output is written, `cancel()` if the build
    fails first."""

    def __init__(self, background: Background, done: Callable[[], None], count: int):
        self._background, self._done, self.count = background, done, count

    def wait(self) -> int:
        """Until every image is in the cache; returns how many were drawn."""
        self._background.wait()
        self._done()
        return self.count

    def cancel(self) -> None:
        self._background.cancel()


def _origin(image: Image) -> str:
    return image.post.key if image.post else image.page.title if image.page else "the site"


def _beside(post: Post) -> str:
    """What an image's output file name follows to be next to its post: the post's folder
    ('/2025/03/x/' → '2025/03/x/' + 'card.png'), or its file ('/x.html' → 'x-' + …)."""
    page = output_file(post.path)
    if page == "index.html" or page.endswith("/index.html"):
        return page.removesuffix("index.html")
    return page.rsplit(".", 1)[0] + "-"


def _read(path: str) -> bytes:
    with open(path, "rb") as stream:
        return stream.read()


def previewable(image: str) -> bool:
    """Whether networks show an image in link previews: not an SVG (X, Facebook and
    LinkedIn refuse them), so a post illustrated by one gets a card too."""
    return bool(image) and not image.lower().split("?")[0].endswith(".svg")


def _size_of(path: Path) -> tuple[int, int] | None:
    from PIL import Image as Picture  # reads the header only
    from PIL import UnidentifiedImageError

    try:
        with Picture.open(path) as picture:
            return picture.size
    except (OSError, UnidentifiedImageError):
        return None  # an SVG or a damaged file: no size given


def _fonts(config: Config) -> CardFonts:
    """The theme's card fonts when it bundles them, else the default theme's."""
    own = theme_fonts(config.theme_dir)
    return own if own.bold.is_file() and own.regular.is_file() else default_fonts()


def warm_up(config: Config) -> None:
    """Draw a card and a QR code that nobody keeps, for the caches they fill: imports,
    FreeType faces, glyphs, a QR version's tables (see Visuals.start)."""
    style = CardStyle(fonts=_fonts(config))
    if config.share.cards:
        draw_card(Card("Warm-up: Éé", config.title, "Warm-up", "1 janvier 2000"), style)
    if config.share.qr:
        from sitegen.qrcodes import qr_svg

        qr_svg(config.base_url or "https://example.org/", label="example.org", title="QR")


def _draw(job: tuple[str, Card | tuple[str, str, str], CardStyle]) -> None:
    """Draw one image into the cache (in a worker process): written aside, then renamed, so
    an interrupted build never leaves half an image under its final name."""
    target, what, style = job
    if isinstance(what, Card):
        data = draw_card(what, style)
    else:
        url, label, title = what
        from sitegen.qrcodes import qr_svg  # imported only where a code is drawn

        data = qr_svg(url, label=label, title=title).encode()
    temporary = f"{target}.{os.getpid()}.tmp"
    with open(temporary, "wb") as stream:
        stream.write(data)
    os.replace(temporary, target)
