"""What every page's template knows about the site (title, navigation, social accounts,
feeds, assets), and the digest of what the navigation shows, which every page's signature
includes."""

from __future__ import annotations

from collections.abc import Callable

from sitegen.campaignrender import navigation_parts
from sitegen.config import Config
from sitegen.digests import digest
from sitegen.locales import likely_subtags
from sitegen.model import Site
from sitegen.platforms import PLATFORMS
from sitegen.records import record
from sitegen.urls import Urls
from sitegen.views import LinkView, handle_url


@record
class SiteInfo:
    """What every template knows about the site."""

    title: str
    description: str
    language: str
    home_url: str
    nav: tuple[LinkView, ...]
    social: tuple[LinkView, ...]
    feeds: tuple[LinkView, ...]
    tags_url: str
    authors_url: str
    archives_url: str
    stylesheet: str
    pygments_css: str
    favicon: str
    og_locale: str  # 'fr_FR'
    twitter_site: str  # '@handle' of the site on X, or ''
    share_script: str


def site_info(site: Site, config: Config, urls: Urls, t: Callable[[str], str],
              campaign_nav: tuple[LinkView, ...]) -> SiteInfo:
    link = urls.link
    social = tuple(LinkView(PLATFORMS.get(p, p), handle_url(p, h))
                   for p, h in config.social.items() if handle_url(p, h))
    feeds = (LinkView("Atom", link("/atom.xml")), LinkView("RSS", link("/rss.xml")),
             LinkView("JSON Feed", link("/feed.json")))
    nav = tuple(LinkView(p.title, link(p.path)) for p in site.pages if not p.draft)
    if site.events:
        nav = (LinkView(t("live_events"), link("/live/")), *nav)
    nav = (*campaign_nav, *nav)
    return SiteInfo(
        config.title, config.description, config.language, link("/"), nav, social, feeds,
        link("/tags/"), link("/authors/"), link("/archives/"), link("/css/style.css"),
        link("/css/pygments.css"), link("/favicon.svg"), og_locale(config.locale),
        at_handle(config.social.get("x", "")), link("/js/share.js"))


def navigation_digest(site: Site) -> str:
    """What the header of every page shows from the content: the pages' titles and paths,
    whether there are live events and campaigns (links to them)."""
    return digest(*(["live events"] if site.events else []), *navigation_parts(site),
                  *(f"{p.title}|{p.path}|{p.draft}" for p in site.pages))


def at_handle(handle: str) -> str:
    """'@name' from a handle written with or without its '@'."""
    return handle if handle.startswith("@") or not handle else f"@{handle}"


def og_locale(locale: str) -> str:
    """Open Graph wants language_TERRITORY: 'fr' → 'fr_FR', from CLDR's likely subtags."""
    parts = likely_subtags(locale).split("_")
    return f"{parts[0]}_{parts[-1]}" if len(parts) > 1 else locale
