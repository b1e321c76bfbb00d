"""What campaign templates see: a campaign with its dates in the site's language, its landing
text, call to action, partners, coverage, share links and QR code, and its look as CSS custom
properties; the landing page's JSON-LD. (The QR code files of landing pages are planned in
campaignrender.)

Computed once per campaign and build, shared by the landing page, the index and the badge
on its posts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from urllib.parse import quote

from markupsafe import Markup

from sitegen.campaign import Campaign, Look
from sitegen.config import Config
from sitegen.dates import format_day, iso
from sitegen.markup import RenderedBody, plain_text, typeset
from sitegen.platforms import PLATFORMS
from sitegen.records import record
from sitegen.relays import shared_link, site_rule
from sitegen.snippets import compose, intent_url
from sitegen.urls import Urls
from sitegen.views import LinkView, image_link, jsonld
from sitegen.visuals import QR_FILE

Translate = Callable[..., str]
# Networks the landing page can be shared to when the site names none.
DEFAULT_SHARES = ("mastodon", "bluesky", "facebook", "linkedin", "email")
_ONE_SECOND = timedelta(seconds=1)
# Characters an address keeps inside CSS url("…"): no quote, parenthesis, backslash or space
# can end the string (the rest of a URL is percent-encoded).
_CSS_URL_SAFE = ":/?#[]@!$&*+,;=%~.-_"


@record
class LookView:
    """A campaign's colours and image as CSS custom properties, made by `look_view`."""

    style: str  # CSS custom properties, for a style attribute ('' : none)
    accented: bool  # it sets accent colours (the stylesheet then makes them --accent)


@record
class PartnerView:
    """A campaign partner as templates show it, its links ready to use."""

    name: str
    url: str
    logo: str  # link to the logo ('' when none)


@record
class CoverageView:
    """An article about a campaign as templates show it, dated in the site's language."""

    title: str
    url: str
    source: str
    date_iso: str
    date_text: str


@record
class CampaignView:
    """What templates see of a campaign: made once per build, shared by its landing page,
    the campaign index and the badge on its posts."""

    id: str
    title: str
    url: str
    abs_url: str
    hashtag: str
    summary_text: str
    body_html: Markup
    image: str
    image_abs: str
    image_alt: str
    start_iso: str
    end_iso: str
    when_text: str  # 'du 1er mai 2026 au 31 mai 2026'
    look: LookView
    call_to_action: LinkView | None
    partners: tuple[PartnerView, ...]
    coverage: tuple[CoverageView, ...]
    post_count: int
    feed_url: str
    qr_url: str  # '' when the site draws no QR codes
    shares: tuple[LinkView, ...]
    lang: str = ""


def look_view(look: Look | None, image: str = "") -> LookView:
    """The CSS custom properties a page sets for a campaign: its colour as given (decoration
    only), the variants readable as text on light and dark backgrounds (the stylesheet
    makes them --accent), and its image. Every value is made here from checked parts, never
    taken from an author's text: a style attribute must not be a way in."""
    parts = []
    if look is not None:
        parts += [f"--campaign-colour: {look.accent}", f"--campaign-accent: {look.text_light}",
                  f"--campaign-accent-dark: {look.text_dark}"]
    if image:
        parts.append(f'--campaign-image: url("{quote(image, safe=_CSS_URL_SAFE)}")')
    return LookView("; ".join(parts), look is not None)


def campaign_view(campaign: Campaign, body: RenderedBody, config: Config, urls: Urls,
                  t: Translate, post_count: int, feed_path: str) -> CampaignView:
    """The view of a campaign; `feed_path` is the site path of its Atom feed."""
    image = image_link(campaign.image, urls)
    page = urls.absolute(campaign.path)
    cta = campaign.call_to_action
    return CampaignView(
        id=campaign.id, title=typeset(campaign.title, config.language),
        url=urls.link(campaign.path), abs_url=page, hashtag=campaign.hashtag,
        summary_text=typeset(campaign.summary, config.language) if campaign.summary else
        plain_text(body.summary_html),
        body_html=Markup(body.html), image=image,
        image_abs=urls.origin + image if image.startswith("/") else image,
        image_alt=campaign.image_alt, start_iso=iso(campaign.start), end_iso=iso(campaign.end),
        when_text=when_text(campaign, config, t), look=look_view(campaign.look, image),
        call_to_action=LinkView(typeset(cta.label, config.language), _link(cta.url, urls))
        if cta else None,
        partners=tuple(PartnerView(p.name, _link(p.url, urls), image_link(p.logo, urls))
                       for p in campaign.partners),
        coverage=tuple(CoverageView(
            typeset(c.title, config.language), _link(c.url, urls), c.source,
            iso(c.date) if c.date else "",
            format_day(c.date, config.zone, config.locale) if c.date else "")
            for c in campaign.coverage),
        post_count=post_count, feed_url=urls.link(feed_path),
        qr_url=urls.link(campaign.path + QR_FILE) if config.share.qr else "",
        shares=share_links(campaign, page, config), lang=campaign.lang)


def _link(url: str, urls: Urls) -> str:
    """A link an author gave: a path of the site follows its sub-path."""
    return urls.resolve_body_link(url) if url else ""


def when_text(campaign: Campaign, config: Config, t: Translate) -> str:
    """The campaign's days, in the site's zone and language."""
    first = format_day(campaign.start, config.zone, config.locale)
    last = format_day(campaign.end - _ONE_SECOND, config.zone, config.locale)
    return first if first == last else t("campaign_from_to", start=first, end=last)


def share_links(campaign: Campaign, page: str, config: Config) -> tuple[LinkView, ...]:
    """Plain share-intent links for the landing page: its title and summary, its hashtag,
    a link tagged with the campaign's id."""
    links = []
    for platform in config.platforms or DEFAULT_SHARES:
        rule = site_rule(platform, config.share)
        url = shared_link(page, platform, campaign.id, config.share, content="landing")
        snippet = compose(rule, title=campaign.title, url=url, summary=campaign.summary,
                          campaign=campaign.hashtag or None)
        links.append(LinkView(PLATFORMS[platform], intent_url(rule, snippet)))
    return tuple(links)


def campaign_jsonld(view: CampaignView, posts: Sequence[str], config: Config,
                    urls: Urls) -> Markup:
    """schema.org CollectionPage: the landing page, the campaign's posts as its parts."""
    data = {
        "@context": "https://schema.org", "@type": "CollectionPage", "name": view.title,
        "url": view.abs_url, "description": view.summary_text,
        "inLanguage": view.lang or config.language,
        "publisher": {"@type": "Organization", "name": config.title,
                      "url": urls.absolute("/")},
        "temporalCoverage": f"{view.start_iso}/{view.end_iso}",
        "hasPart": [{"@type": "BlogPosting", "url": url} for url in posts],
    }
    if view.image_abs:
        data["image"] = view.image_abs
    if view.hashtag:
        data["keywords"] = [view.hashtag]
    return jsonld(data)
