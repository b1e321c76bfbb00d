"""The files of campaigns: in the hub, the campaigns index, each landing page and its feeds
(and what `visuals` needs to draw each landing page's QR code); in a campaign's standalone
microsite, its landing page as the home page. Plus what other pages show of a campaign: the
badge on its posts, the navigation, the sitemap, the look of a standalone site's every page.
Planned like every other file (see `render`): cheaply, each with a signature of everything
it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from sitegen.campaign import Campaign
from sitegen.config import Config
from sitegen.dates import iso
from sitegen.digests import digest
from sitegen.listing import FeedPlan
from sitegen.live import LiveEvent
from sitegen.liverender import LivePlanner
from sitegen.model import Post, Site
from sitegen.output import PlannedFile
from sitegen.snippets import tag_url
from sitegen.theme import Theme
from sitegen.urls import Urls
from sitegen.views import LinkView, PostView, image_link
from sitegen.visuals import QR_FILE, PageQr, previewable

if TYPE_CHECKING:  # campaignviews is imported when a site has a campaign
    from sitegen.campaignviews import CampaignView, LookView

INDEX = "/campaigns/"
FEED_TYPE = "application/atom+xml"


class CampaignPlanner:
    """Plans the campaign files of one build, borrowing the renderer's tools: those of the
    live planner (pages, metadata, theme), its post views, feed writer and post digests."""

    def __init__(self, live: LivePlanner, views: Callable[[Sequence[Post]], list[PostView]],
                 feeds: Callable[..., list[PlannedFile]], digests: Mapping[str, str]):
        self.live, self.tools = live, live.tools
        self.views, self.feeds, self.digests = views, feeds, digests
        self.site = self.tools.site
        self.by_id = {c.id: c for c in self.site.campaigns}
        self._views: dict[str, CampaignView] = {}

    def t(self, key: str, **values: Any) -> str:
        return self.tools.theme().t(key, **values)

    def posts(self, campaign: Campaign) -> tuple[Post, ...]:
        return self.site.posts_by_campaign.get(campaign.id, ())

    def view(self, campaign: Campaign) -> CampaignView:
        if campaign.id not in self._views:
            # Imported here: the views of campaigns (~3 ms of dataclasses to set up) are of
            # no use to the many sites without one.
            from sitegen.campaignviews import campaign_view

            tools = self.tools
            self._views[campaign.id] = campaign_view(
                campaign, tools.bodies[campaign.key], tools.config, tools.urls, self.t,
                len(self.posts(campaign)), campaign.path + "atom.xml")
        return self._views[campaign.id]

    def _identity(self, campaign: Campaign) -> list[str]:
        """What any page showing a campaign shows of it: everything its file says."""
        return [campaign.id, campaign.source.digest, str(len(self.posts(campaign)))]

    # ---- the plan -------------------------------------------------------------------------

    def home(self) -> list[PlannedFile]:
        """The home page of a standalone microsite: its campaign's landing page."""
        return [self._landing(c) for c in self.site.campaigns] if self.site.hub else []

    def plan(self) -> list[PlannedFile]:
        """The hub's campaign files: the index, and each landing page and its feeds."""
        if self.site.hub or not self.site.campaigns:
            return []
        files = [self._index()]
        for campaign in self.site.campaigns:
            files.append(self._landing(campaign))
            files += self.feeds(self._feed(campaign), f"feed of campaign «{campaign.id}»",
                                json=True)
        return files

    def _feed(self, campaign: Campaign) -> FeedPlan:
        config = self.tools.config
        return FeedPlan(partial(_prefixed, config.title, campaign.title),
                        campaign.summary or config.description, campaign.path,
                        self.posts(campaign)[:config.feeds.items],
                        digest(campaign.id, campaign.title))

    def _index(self) -> PlannedFile:
        campaigns = self.site.campaigns

        def context() -> dict[str, Any]:
            return {"meta": self.tools.meta(self.t("campaigns"), INDEX),
                    "campaigns": [self.view(c) for c in campaigns]}

        return self.tools.html(INDEX, "campaigns index", "campaigns.html", context,
                               [digest(*self._identity(c)) for c in campaigns])

    def _landing(self, campaign: Campaign) -> PlannedFile:
        posts = self.posts(campaign)
        events = self._events(campaign)
        signature = [*self._identity(campaign), *(self.digests[p.key] for p in posts),
                     *(digest(*self.live.signature(e)) for e in events)]
        return self.tools.html(campaign.path, campaign.key, campaign.landing_template,
                               partial(self._context, campaign), signature,
                               campaign.source.path)

    def _events(self, campaign: Campaign) -> list[LiveEvent]:
        """Its live event first (the one `live:` names), then others that joined it."""
        joined = [e for e in self.site.events if e.campaign == campaign.id]
        return sorted(joined, key=lambda e: e.id != campaign.live)

    def _context(self, campaign: Campaign) -> dict[str, Any]:
        from sitegen.campaignviews import campaign_jsonld  # see view()

        view = self.view(campaign)
        tools = self.tools
        posts = self.posts(campaign)
        events = [self.live.view(e) for e in self._events(campaign)]
        image = view.image_abs if previewable(view.image_abs) else ""
        feed = (self.t("campaign_feed_title", title=campaign.title), FEED_TYPE,
                tools.urls.absolute(campaign.path + "atom.xml"))
        meta = tools.meta(
            campaign.title, campaign.path, view.summary_text, image=image,
            image_alt=view.image_alt if image else "",
            jsonld=campaign_jsonld(view, [tools.urls.absolute(p.path) for p in posts],
                                   tools.config, tools.urls),
            feeds=tools.site_feeds() if self.site.hub else (feed, *tools.site_feeds()),
            noindex=campaign.draft)
        return {"meta": meta, "campaign": view, "posts": self.views(posts), "events": events,
                "live": self.live.assets() if events else None, "hub": self._hub()}

    # ---- elsewhere on the site ------------------------------------------------------------

    def post_identity(self, post: Post) -> list[str]:
        """What a post's page shows of its campaign (its badge, its look, its hashtag)."""
        campaign = self.by_id.get(post.campaign)
        return self._identity(campaign) if campaign else []

    def post_context(self, post: Post) -> dict[str, Any]:
        campaign = self.by_id.get(post.campaign)
        return {"campaign": self.view(campaign) if campaign else None}

    def nav(self) -> tuple[LinkView, ...]:
        """The campaigns index in the hub's navigation; the way back to the hub in a
        standalone microsite's."""
        hub = self._hub()
        if hub:
            return (LinkView(self.t("campaign_back_to_hub", site=hub.name), hub.url),)
        campaigns = self.site.campaigns
        return (LinkView(self.t("campaigns"), self.tools.urls.link(INDEX)),) if campaigns \
            else ()

    def _hub(self) -> LinkView | None:
        hub = self.site.hub
        return LinkView(hub.title, hub.url) if hub else None

    def sitemap_entries(self) -> list[tuple[str, str]]:
        if self.site.hub or not self.site.campaigns:
            return []
        absolute = self.tools.urls.absolute
        return [(absolute(INDEX), "")] + [(absolute(c.path), iso(c.start))
                                          for c in self.site.campaigns if not c.draft]


def _prefixed(site_title: str, title: str) -> str:
    return f"{site_title} · {title}"


def navigation_parts(site: Site) -> list[str]:
    """What every page shows of campaigns: a link to their index in the hub; in a standalone
    microsite, the way back to the hub, the campaign's look on every page, and which pages
    are the campaign's (links to the others lead to the hub)."""
    if site.hub is None:
        return ["campaigns"] if site.campaigns else []
    campaign = site.campaigns[0]
    return ["standalone", site.hub.title, site.hub.url, repr(campaign.look), campaign.image,
            *(p.key for p in site.posts), *(e.id for e in site.events)]


def with_look(theme: Theme, site: Site, config: Config) -> Theme:
    """The theme, knowing the look every page of a standalone microsite has (`site_look`,
    None in the hub, where only a campaign's own pages take its look)."""
    look: LookView | None = None
    if site.hub is not None and site.campaigns:
        from sitegen.campaignviews import look_view  # see CampaignPlanner.view()

        campaign = site.campaigns[0]
        look = look_view(campaign.look, image_link(campaign.image, Urls(config.base_url)))
    theme.env.globals["site_look"] = look
    return theme


def campaign_qrs(site: Site, config: Config) -> list[PageQr]:
    """The QR code of each landing page, for posters: its address tagged for print."""
    urls = Urls(config.base_url)
    return [PageQr((c.path + QR_FILE).lstrip("/"),
                   tag_url(urls.absolute(c.path), "qr", c.id, medium="print"),
                   urls.absolute(c.path), f"QR code: {c.title}") for c in site.campaigns]
