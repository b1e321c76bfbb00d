"""Campaigns in the model: who belongs to which campaign (posts and live events, each `campaign:`
checked against the campaigns read), and the standalone microsite of one campaign — the same
`Site` machinery run over the campaign's members alone, under the campaign's own address.

Both happen after `assemble`, before anything is rendered, so every later stage sees a
complete model: a hub with its campaigns, or a campaign that is a whole site of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

from sitegen.assemble import Selection, assemble
from sitegen.campaign import Campaign
from sitegen.campaignfile import campaign_files, read_campaigns, theme_folder
from sitegen.config import Config
from sitegen.content import list_static
from sitegen.errors import BuildError, Diagnostics, did_you_mean
from sitegen.frontmatter import Document
from sitegen.live import LIVE_DIR, LiveEvent
from sitegen.livefile import event_path
from sitegen.markup import RenderedBody
from sitegen.model import Link, Site
from sitegen.options import BuildOptions
from sitegen.urls import Urls, base_url_problem, normalize_base_url

_URL_ATTR = re.compile(r"""(\s(?:href|src|poster)=)(["'])(/[^"'/][^"']*|/)\2""")


def with_campaigns(site: Site, config: Config, documents: Sequence[Document],
                   diag: Diagnostics, drafts: bool = False) -> Site:
    """The site with its campaigns and their members; every `campaign:` naming no campaign,
    and every `live:` naming no event, is an error at its line."""
    every = read_campaigns(config, diag, drafts=True)  # a draft's members are not mistaken
    # A campaign file with a mistake is reported on its own: its members are not errors too.
    known = list(dict.fromkeys([*(c.id for c in every),
                                *(p.stem for p in campaign_files(config.root))]))
    for doc in documents:
        if doc.kind == "post" and doc.fields.campaign and doc.fields.campaign not in known:
            _unknown(diag, config, doc.rel.as_posix(), doc.fields.campaign_line,
                     doc.fields.campaign, known)
    events = {e.id: e for e in site.events}
    for event in site.events:
        if event.campaign and event.campaign not in known:
            _unknown(diag, config, event.key, event.campaign_line, event.campaign, known)
    campaigns = tuple(c for c in every if drafts or not c.draft)
    for campaign in campaigns:
        if campaign.live:
            _join_event(campaign, events, config, diag, known)
    return replace(site, campaigns=campaigns, events=tuple(events.values()),
                   posts_by_campaign={c.id: tuple(p for p in site.posts if p.campaign == c.id)
                                      for c in campaigns})


def _unknown(diag: Diagnostics, config: Config, rel: str, line: int, name: str,
             known: list[str]) -> None:
    diag.error(config.root / rel, line or None, f"campaign: no campaign '{name}'",
               did_you_mean(name, known) or f"create content/campaigns/{name}.md, or remove "
               "the line")


def _join_event(campaign: Campaign, events: dict[str, LiveEvent], config: Config,
                diag: Diagnostics, known: list[str]) -> None:
    """The event a campaign names as its `live:` joins it (its share links then carry the
    campaign's hashtag), unless it says it belongs to another campaign."""
    path, line = config.root / campaign.key, campaign.line_of.get("live")
    event = events.get(campaign.live)
    if event is None:
        found = event_path(config.root, campaign.live).is_file()
        diag.error(path, line, f"live: no live event '{campaign.live}'" +
                   (" published (it is a draft)" if found else ""),
                   "" if found else did_you_mean(campaign.live, events) or
                   f"the id is the file name of content/{LIVE_DIR}/<id>.md")
    elif event.campaign and event.campaign != campaign.id and event.campaign in known:
        diag.error(path, line, f"live: the event '{event.id}' belongs to the campaign "
                   f"'{event.campaign}'", f"change 'campaign:' in {event.key}, or this line")
    elif not event.campaign:
        events[event.id] = replace(event, campaign=campaign.id)


def campaign_hashtags(site: Site) -> dict[str, str]:
    """Campaign id -> hashtag, for the share texts of its posts."""
    return {c.id: c.hashtag for c in site.campaigns if c.hashtag}


# ---- the standalone microsite -----------------------------------------------------------------


def standalone(config: Config, site: Site, documents: Sequence[Document],
               options: BuildOptions, selection: Selection,
               diag: Diagnostics) -> tuple[Config, Site]:
    """For `sitegen build --campaign ID`: the settings and site of the campaign's microsite
    (its posts, its live events, its landing page as home, under its own address, with a
    link back to the hub); the hub's otherwise."""
    if not options.campaign:
        return config, site
    campaign = next((c for c in site.campaigns if c.id == options.campaign), None)
    path = config.root / f"content/campaigns/{options.campaign}.md"
    if campaign is None:  # the build refuses unknown ids before reading anything
        diag.error(path, None, "a draft campaign is built only with --drafts")
        raise BuildError(diag.errors)
    base_url = options.base_url or campaign.base_url
    problem = base_url_problem(base_url) if base_url else \
        "a standalone campaign needs the address it is deployed at"
    if problem:
        diag.error(path, campaign.line_of.get("base_url"), problem, "add 'base_url: "
                   "https://…' to the campaign, or pass --base-url")
        raise BuildError(diag.errors)
    theme_dir = theme_folder(config.root, campaign.theme) or config.theme_dir
    own = replace(config, base_url=normalize_base_url(base_url), title=campaign.title,
                  description=campaign.summary or config.description,
                  theme=campaign.theme or config.theme, theme_dir=theme_dir)
    static = site.static_files if theme_dir == config.theme_dir else \
        tuple(list_static(config.root, theme_dir, diag))
    members = [d for d in documents if d.kind == "post" and d.fields.campaign == campaign.id]
    # The hub's assembly has reported these documents' problems already.
    sub = assemble(own, members, Diagnostics(root=diag.root), selection, static)
    home = replace(campaign, path="/")
    return own, replace(sub, events=tuple(e for e in site.events if e.campaign == campaign.id),
                        campaigns=(home,), posts_by_campaign={campaign.id: sub.posts},
                        hub=Link(config.title, config.base_url))


def hub_links(bodies: Mapping[str, RenderedBody], site: Site,
              config: Config) -> Mapping[str, RenderedBody]:
    """Bodies as a standalone site shows them: a root-relative link to a page of the hub
    that the campaign does not have (another post, an about page) goes to the hub."""
    if site.hub is None:
        return bodies
    return _HubLinks(bodies, _own_paths(site), Urls(config.base_url), Urls(site.hub.url))


def _own_paths(site: Site) -> tuple[set[str], tuple[str, ...]]:
    """The site paths a standalone site has: exactly (lists and feeds) and as folders (an
    item's page and what lies beside it: its card, QR code, updates.json)."""
    exact = {"/", "/tags/", "/authors/", "/archives/", f"/{LIVE_DIR}/", "/atom.xml",
             "/rss.xml", "/feed.json", "/sitemap.xml", "/robots.txt", "/404.html"}
    exact |= {"/" + rel for rel, _ in site.static_files}
    folders = [p.path for p in site.posts] + [e.path for e in site.events]
    folders += [t.path for t in site.tags] + [a.path for a in site.authors]
    folders += [a.path for a in site.archives]
    return exact, tuple(f for f in folders if f.endswith("/"))


class _HubLinks(Mapping[str, RenderedBody]):
    def __init__(self, bodies: Mapping[str, RenderedBody],
                 own: tuple[set[str], tuple[str, ...]], urls: Urls, hub: Urls):
        self.bodies, self.own, self.urls, self.hub = bodies, own, urls, hub
        self.done: dict[str, RenderedBody] = {}

    def _link(self, match: re.Match[str]) -> str:
        href = match.group(3)
        root = self.urls.root
        if not href.startswith(root):
            return match.group(0)
        path = "/" + href[len(root):].split("#")[0].split("?")[0]
        exact, folders = self.own
        if path in exact or path + "/" in exact or path.removesuffix("index.html") in exact \
                or path.startswith(folders) or (path + "/").startswith(folders):
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{self.hub.origin}{self.hub.root}" \
            f"{href[len(root):]}{match.group(2)}"

    def _relink(self, html: str) -> str:
        return _URL_ATTR.sub(self._link, html) if html else html

    def __getitem__(self, key: str) -> RenderedBody:
        if key not in self.done:
            body = self.bodies[key]
            self.done[key] = replace(body, html=self._relink(body.html),
                                     summary_html=self._relink(body.summary_html))
        return self.done[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.bodies)

    def __len__(self) -> int:
        return len(self.bodies)
