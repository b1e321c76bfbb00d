"""Campaigns as data: an operation's landing page, its call to action, partners, coverage
elsewhere, its live event and hashtag. No HTML, no I/O.

A campaign is one file, `content/campaigns/<id>.md`; posts and live events join it with
`campaign: <id>`. Its landing text keeps its `Source`, so it is rendered and cached by
`bodies` like a post's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from datetime import datetime
from typing import Any

from sitegen.model import Source
from sitegen.records import record

CAMPAIGN_DIR = "campaigns"  # content/campaigns/<id>.md, and /campaigns/<id>/ in the hub
DEFAULT_TEMPLATE = "campaign.html"


@record
class CallToAction:
    """What a campaign asks readers to do: the main button of its landing page."""

    label: str  # 'Je plante mon arbre'
    url: str


@record
class Partner:
    """An organisation backing a campaign, shown with its logo on the landing page."""

    name: str
    url: str = ""
    logo: str = ""  # an image under static/ or an absolute URL


@record
class Coverage:
    """An article about the campaign elsewhere (press, partners' blogs)."""

    title: str
    url: str
    source: str = ""  # 'La Dépêche du Midi'
    date: datetime | None = None


@record
class Look:
    """A campaign's colours, checked: `accent` is the author's colour as given (decoration
    only), `text_light`/`text_dark` the variants readable as text on the theme's light and
    dark backgrounds (equal to `accent` when it is readable already)."""

    accent: str  # '#rrggbb'
    text_light: str
    text_dark: str


@record
class Campaign:
    """A campaign read from `content/campaigns/<id>.md`; posts and live events join it by id."""

    key: str  # the source path, as for posts
    id: str  # file name without '.md'
    path: str  # site path of the landing page: /campaigns/<id>/ (the home when standalone)
    source: Source  # the landing text's Markdown
    title: str
    start: datetime
    end: datetime  # excluded: a day given as `end` runs to the end of that day
    hashtag: str = ""  # '#MaiÀVélo', '' when none
    summary: str = ""
    image: str = ""
    image_alt: str = ""
    look: Look | None = None  # None: the theme's own colours
    call_to_action: CallToAction | None = None
    partners: tuple[Partner, ...] = ()
    coverage: tuple[Coverage, ...] = ()
    live: str = ""  # id of its live event
    base_url: str = ""  # where its standalone microsite is deployed
    template: str = ""  # template of the landing page ('' : campaign.html)
    theme: str = ""  # theme of the standalone microsite ('' : the site's)
    all_day: bool = False  # start and end were given as days
    lang: str = ""
    draft: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)  # the author's own keys
    line_of: Mapping[str, int] = field(default_factory=dict)  # front-matter key -> file line

    @property
    def landing_template(self) -> str:
        return self.template or DEFAULT_TEMPLATE
