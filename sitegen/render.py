"""From the `Site` and rendered bodies to the planned output files: every HTML page, feed,
sitemap and static file, each made on demand through the theme's Jinja templates.

The plan is built first and cheaply, from the model alone: paths and origins (so collisions
are found before anything is rendered) and each file's *signature*, a digest of everything the
file shows. A file whose signature matches the previous build's is not made again, so nothing
in the plan itself may reach a body, a view or the theme.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from markupsafe import Markup

from sitegen.campaignrender import CampaignPlanner
from sitegen.config import Config
from sitegen.dates import iso
from sitegen.digests import digest
from sitegen.feeds import Feed, FeedEntry, absolute_links, atom_xml, json_feed, rss_xml
from sitegen.listing import FeedPlan, Pager, paginate
from sitegen.liverender import LivePlanner, LiveTools
from sitegen.markup import RenderedBody
from sitegen.model import Author, Page, Post, Site, YearArchive
from sitegen.output import PlannedFile
from sitegen.postdigests import PerPost, link_digest, listing_digest
from sitegen.recall import Memory, Recall
from sitegen.relays import Relays
from sitegen.siteinfo import SiteInfo, at_handle, site_info
from sitegen.theme import Theme
from sitegen.urls import Urls, output_file
from sitegen.views import (
    NO_MARKUP,
    LinkView,
    Meta,
    PostLink,
    PostView,
    author_view,
    page_view,
    post_jsonld,
    post_link,
    post_view,
    site_jsonld,
    tag_view,
)
from sitegen.visuals import CARD_SIZE, Visuals, previewable

FEED_TYPES = {"atom.xml": "application/atom+xml", "rss.xml": "application/rss+xml",
              "feed.json": "application/feed+json"}


class Renderer:
    """Plans and renders every output file of one build."""

    def __init__(self, site: Site, bodies: Mapping[str, RenderedBody], config: Config,
                 theme: Callable[[], Theme], inputs: str = "", relays: Relays | None = None,
                 visuals: Visuals | None = None, memory: Memory | None = None):
        """`theme` makes the theme when a file is first made; `inputs` digests what every
        page shows (settings, templates, navigation) and is part of every signature;
        `relays` gives each post's share kit (none: no share block, no exports)."""
        self.site, self.bodies, self.config = site, bodies, config
        self.relays, self.visuals = relays, visuals
        self._make_theme = theme
        self._theme: Theme | None = None
        self.inputs = inputs
        self.urls = Urls(config.base_url)
        counts = {a.id: len(site.posts_by_author.get(a.id, ())) for a in site.authors}
        self.authors = {a.id: author_view(a, self.urls, counts[a.id]) for a in site.authors}
        memory = memory or Memory()
        by_key = {p.key: p for p in site.posts}
        self.digests = PerPost(by_key, memory.table("listing digests"), listing_digest)
        self.link_digests = PerPost(by_key, memory.table("link digests"), link_digest)
        # A signature is a digest of digests: remade only when the posts or the text it is
        # made of are not the earlier build's (one edit re-signs the pages showing that post).
        self._signatures: Recall[str] = memory.table("signatures")
        self._sitemap: Recall[tuple[str, str]] = memory.table("sitemap entries")
        self._post_files: Recall[PlannedFile] = memory.table("post pages")
        self._current: Current = memory.table("renderer").get("current", (), Current)
        self._current.renderer = self
        self._views: dict[str, PostView] = {}
        self._absolute_bodies: dict[str, str] = {}
        self._links: dict[str, PostLink] = {}
        self._info: SiteInfo | None = None
        self.live = LivePlanner(LiveTools(site, bodies, config, self.urls, self.authors,
                                          inputs, self._html, self._meta, lambda: self.theme,
                                          lambda: self._site_feed_links))
        self.campaigns = CampaignPlanner(self.live, self.views, self._feeds, self.digests)

    @property
    def theme(self) -> Theme:
        if self._theme is None:
            self._theme = self._make_theme()
        theme: Theme = self._theme
        return theme

    def t(self, key: str, **values: Any) -> str:
        return self.theme.t(key, **values)

    def view(self, post: Post) -> PostView:
        """The template view of a post, made (with its body) the first time it is needed."""
        if post.key not in self._views:
            self._views[post.key] = post_view(post, self.bodies[post.key], self.config,
                                              self.urls, self.authors)
        return self._views[post.key]

    def views(self, posts: Sequence[Post]) -> list[PostView]:
        return [self.view(p) for p in posts]

    def links(self, posts: Sequence[Post]) -> list[PostLink]:
        """Posts for plain lists: title, link and date only, so no body is loaded. Each is
        made once: a post is linked from its neighbours' and related posts' pages."""
        return [self._links.get(p.key) or self._link(p) for p in posts]

    def _link(self, post: Post) -> PostLink:
        link = self._links[post.key] = post_link(post, self.config, self.urls)
        return link

    def _digests(self, posts: Sequence[Post], links_only: bool = False) -> list[str]:
        digests = self.link_digests if links_only else self.digests
        return [digests[p.key] for p in posts]

    # ---- the plan -------------------------------------------------------------------------

    def plan(self) -> list[PlannedFile]:
        files: list[PlannedFile] = []
        files += self.campaigns.home() or self._home()
        files += [self._post(p) for p in self.site.posts]
        files += [self._page(p) for p in self.site.pages]
        files += self._tags()
        files += self._authors()
        files += self._archives()
        files += self._feeds(self._site_feed(), "site feed", json=True)
        files += self._misc()
        files += self.relays.planned(self.site.posts) if self.relays else []
        files += self.visuals.planned() if self.visuals else []
        files += self.live.plan() + self.campaigns.plan()
        files += [PlannedFile(rel, f"static/{rel}", source=path)
                  for rel, path in self.site.static_files]
        return files

    def _html(self, site_path: str, origin: str, template: str,
              context: Callable[[], dict[str, Any]], signature: Sequence[str],
              source: Path | None = None) -> PlannedFile:
        return self._signed_html(site_path, origin, template, context,
                                 digest(self.inputs, template, site_path, *signature), source)

    def _signed_html(self, site_path: str, origin: str, template: str,
                     context: Callable[[], dict[str, Any]], signature: str,
                     source: Path | None = None) -> PlannedFile:
        return PlannedFile(output_file(site_path), origin,
                           partial(self._render_html, template, context), source_file=source,
                           signature=signature)

    def _signature(self, file: str, inputs: tuple[object, ...],
                   parts: Callable[[], Sequence[str]]) -> str:
        """The signature of `file` made of `parts()`, or the earlier build's when the objects
        `inputs` they are computed from are the same (compared by identity first)."""
        return self._signatures.get(file, (self.inputs, *inputs),
                                    lambda: digest(self.inputs, file, *parts()))

    def _render_html(self, template: str, context: Callable[[], dict[str, Any]]) -> bytes:
        return self.theme.render(template, self._common(context()))

    def _common(self, context: dict[str, Any]) -> dict[str, Any]:
        context.setdefault("site", self._site_info())
        return context

    def _meta(self, title: str, site_path: str, description: str = "", **extra: Any) -> Meta:
        full_title = self.config.title if title == self.config.title else \
            f"{title} · {self.config.title}"
        extra.setdefault("feeds", self._feed_links())
        if self.visuals:
            if extra.get("image"):
                extra.setdefault("image_size", self.visuals.image_size(
                    self._site_path(extra["image"])))
            elif self.visuals.card_url(None):
                extra.update(image=self.visuals.card_url(None), image_size=CARD_SIZE,
                             image_alt=self.config.title)
        return Meta(title=full_title, description=description or self.config.description,
                    canonical=self.urls.absolute(site_path), heading=title, **extra)

    def _site_path(self, url: str) -> str:
        """'/images/x.jpg' from 'https://example.org/blog/images/x.jpg' (else the URL)."""
        root = self.urls.origin + self.urls.root
        return "/" + url[len(root):] if url.startswith(root) else url

    def _feed_links(self, *plans: FeedPlan) -> tuple[tuple[str, str, str], ...]:
        own = tuple((p.title(), FEED_TYPES["atom.xml"], self.urls.absolute(p.base + "atom.xml"))
                    for p in plans)
        return (*own, *self._site_feed_links)

    @cached_property
    def _site_feed_links(self) -> tuple[tuple[str, str, str], ...]:
        title = self.config.title
        return tuple((f"{title} ({name})", FEED_TYPES[file], self.urls.absolute("/" + file))
                     for file, name in (("atom.xml", "Atom"), ("rss.xml", "RSS"),
                                        ("feed.json", "JSON Feed")))

    # ---- lists ----------------------------------------------------------------------------

    def _list_pages(self, posts: Sequence[Post], base: str, origin: str, template: str,
                    title: Callable[[], str], description: str,
                    extra: Callable[[], dict[str, Any]], identity: Sequence[str],
                    feed: FeedPlan | None = None,
                    jsonld: Markup = NO_MARKUP) -> list[PlannedFile]:
        """The pages of a paginated list; `identity` says what the list is of (a tag's name
        and post count …) for the signatures."""
        files = []
        for pager in paginate(posts, base, self.config.paginate, self.urls):
            def context(pager: Pager = pager) -> dict[str, Any]:
                page_title = title() if pager.number == 1 else \
                    f"{title()} ({self.t('page_n', n=pager.number)})"
                meta = self._meta(page_title, pager.site_path, description, jsonld=jsonld,
                                  feeds=self._feed_links(*([feed] if feed else [])))
                return {"meta": meta, "pager": pager, "posts": self.views(pager.posts),
                        **extra()}

            where = origin if pager.number == 1 else f"{origin} (page {pager.number})"
            signature = self._signature(
                pager.site_path, (template, *identity, pager.total, pager.posts),
                partial(self._pager_parts, template, identity, pager))
            files.append(self._signed_html(pager.site_path, where, template, context, signature))
        return files

    def _pager_parts(self, template: str, identity: Sequence[str], pager: Pager) -> list[str]:
        return [template, *identity, str(pager.number), str(pager.total),
                *self._digests(pager.posts)]

    def _home(self) -> list[PlannedFile]:
        return self._list_pages(self.site.posts, "/", "home page", "index.html",
                                lambda: self.config.title, self.config.description,
                                self.live.banners, self.live.banner_identity(),
                                jsonld=site_jsonld(self.config, self.urls))

    def _tags(self) -> list[PlannedFile]:
        counted = [(t, len(self.site.posts_by_tag[t.slug])) for t in self.site.tags]
        tags = [(tag_view(t, self.urls), n) for t, n in counted]
        files = [self._html("/tags/", "tag index", "tags.html", lambda: {
            "meta": self._meta(self.t("tags"), "/tags/"), "tags": tags},
            [f"{t.name}|{t.slug}|{n}" for t, n in counted])]
        for tag, count in counted:
            posts = self.site.posts_by_tag[tag.slug]

            title = partial(self.t, "tag_title", tag=tag.name)
            feed = FeedPlan(partial(self._site_prefixed, title), self.config.description,
                            tag.path, posts[:self.config.feeds.items], tag.name)
            files += self._list_pages(posts, tag.path, f"tag page «{tag.name}»", "tag.html",
                                      title, "", partial(dict, tag=tag_view(tag, self.urls),
                                                         count=count),
                                      (tag.name, str(count)), feed)
            files += self._feeds(feed, f"feed of tag «{tag.name}»")
        return files

    def _authors(self) -> list[PlannedFile]:
        views = [self.authors[a.id] for a in self.site.authors]
        files = [self._html("/authors/", "author index", "authors.html", lambda: {
            "meta": self._meta(self.t("authors"), "/authors/"), "authors": views},
            [f"{v.id}|{v.name}|{v.count}" for v in views])]
        for author in self.site.authors:
            posts = self.site.posts_by_author[author.id]
            feed = self._author_feed(author, posts)
            files += self._list_pages(posts, author.path, f"author page «{author.name}»",
                                      "author.html", partial(str, author.name), author.bio,
                                      partial(dict, author=self.authors[author.id]),
                                      (author.id, author.name, str(len(posts))), feed)
            files += self._feeds(feed, f"feed of author «{author.name}»")
        return files

    def _archives(self) -> list[PlannedFile]:
        years = [(LinkView(str(a.year), self.urls.link(a.path)), len(a.posts))
                 for a in self.site.archives]
        files = [self._html("/archives/", "archive index", "archives.html", lambda: {
            "meta": self._meta(self.t("archives"), "/archives/"), "years": years},
            [f"{y.name}|{n}" for y, n in years])]
        for archive in self.site.archives:
            def context(archive: YearArchive = archive) -> dict[str, Any]:
                title = self.t("archive_title", year=archive.year)
                return {"meta": self._meta(title, archive.path), "year": archive.year,
                        "posts": self.links(archive.posts)}

            signature = self._signature(archive.path, ("archive.html", archive.posts),
                                        partial(self._digests, archive.posts, True))
            files.append(self._signed_html(archive.path, f"archive of {archive.year}",
                                           "archive.html", context, signature))
        return files

    # ---- single items ---------------------------------------------------------------------

    def _post(self, post: Post) -> PlannedFile:
        newer, older = self.site.newer.get(post.key), self.site.older.get(post.key)
        related = self.site.related[post.key]
        campaign = self.campaigns.post_identity(post)
        # The earlier build's planned file while all it shows is the same: it makes its
        # bytes with the current renderer.
        return self._post_files.get(post.path, (self.inputs, post, newer, older, related,
                                                *campaign),
                                    self._plan_post, post, newer, older, related, campaign)

    def _plan_post(self, post: Post, newer: Post | None, older: Post | None,
                   related: Sequence[Post], campaign: Sequence[str]) -> PlannedFile:
        neighbours = [self.link_digests[p.key] if p else "" for p in (newer, older)]
        signature = digest(self.inputs, post.path, "post.html", self.digests[post.key],
                           *neighbours, *campaign, *self._digests(related, True))
        return PlannedFile(output_file(post.path), str(post.source.path),
                           partial(_make_post, self._current, post),
                           source_file=post.source.path, signature=signature)

    def _post_context(self, post: Post) -> dict[str, Any]:
        view = self.view(post)
        first = post.authors[0] if post.authors else None
        card = self.visuals.card_url(post) if self.visuals else ""
        own = view.image_abs if previewable(view.image_abs) or not card else ""
        meta = self._meta(
            post.title, post.path, view.summary_text, og_type="article",
            image=own or card, image_alt=view.image_alt if own else post.title if card else "",
            **({"image_size": CARD_SIZE} if card and not own else {}),
            published=view.date_iso,
            modified=view.updated_iso, authors=tuple(a.name for a in view.authors),
            tags=tuple(t.name for t in view.tags),
            jsonld=post_jsonld(view, self.config, self.urls),
            twitter_creator=_handle(first, "x") if first else "",
            fediverse_creator=_handle(first, "mastodon") if first else "",
            noindex=post.draft or post.scheduled)
        newer, older = self.site.newer.get(post.key), self.site.older.get(post.key)
        return {"meta": meta, "post": view,
                "newer": self.links([newer])[0] if newer else None,
                "older": self.links([older])[0] if older else None,
                "related": self.links(self.site.related[post.key]),
                "shares": self.relays[post.key].shares if self.relays else (),
                "qr_code": self.visuals.qr_link(post) if self.visuals else "",
                **self.campaigns.post_context(post)}

    def _page(self, page: Page) -> PlannedFile:
        def context() -> dict[str, Any]:
            view = page_view(page, self.bodies[page.key], self.config, self.urls)
            return {"meta": self._meta(page.title, page.path, view.summary_text,
                                       image=view.image_abs, noindex=page.draft),
                    "page": view}

        return self._html(page.path, str(page.source.path), "page.html", context,
                          [page.source.digest], page.source.path)

    def _misc(self) -> list[PlannedFile]:
        recent = self.site.posts[:5]

        def not_found() -> dict[str, Any]:
            meta = self._meta(self.t("not_found_title"), "/404.html", noindex=True)
            return {"meta": meta, "recent": self.links(recent)}

        entries = self._sitemap_entries()
        sitemap = PlannedFile("sitemap.xml", "sitemap", lambda: self.theme.render(
            "sitemap.xml", {"entries": entries}), signature=self._signature(
                "sitemap.xml", tuple(entries), lambda: [f"{u}|{d}" for u, d in entries]))
        robots = PlannedFile("robots.txt", "robots.txt", lambda: (
            f"User-agent: *\nAllow: /\n\nSitemap: {self.urls.absolute('/sitemap.xml')}\n"
        ).encode(), signature=digest(self.inputs, "robots"))
        return [self._html("/404.html", "404 page", "404.html", not_found,
                           self._digests(recent, True)), sitemap, robots]

    def _sitemap_entries(self) -> list[tuple[str, str]]:
        posts = [p for p in self.site.posts if not (p.draft or p.scheduled)]
        absolute = self.urls.absolute
        entries = [(absolute("/"), iso(posts[0].updated or posts[0].date) if posts else "")]
        root = self.config.base_url  # an entry is the earlier build's for the same post
        entries += [self._sitemap.get(p.key, (p, root), _sitemap_entry, absolute, p)
                    for p in posts]
        entries += [(absolute(p.path), "") for p in self.site.pages if not p.draft]
        entries += [(absolute(t.path), "") for t in self.site.tags]
        entries += [(absolute(a.path), "") for a in self.site.authors]
        entries += [(absolute(a.path), "") for a in self.site.archives]
        entries += self.live.sitemap_entries() + self.campaigns.sitemap_entries()
        return entries

    # ---- feeds ----------------------------------------------------------------------------

    def _entry(self, post: Post) -> FeedEntry:
        view = self.view(post)
        content = ""
        if self.config.feeds.full_content:
            if post.key not in self._absolute_bodies:
                self._absolute_bodies[post.key] = absolute_links(
                    self.bodies[post.key].html, self.urls, post.path)
            content = self._absolute_bodies[post.key]
        return FeedEntry(view.abs_url, post.title, post.date, post.updated,
                         tuple(a.name for a in post.authors), view.summary_text, content,
                         tuple(t.name for t in post.tags), view.image_abs)

    def _feed(self, plan: FeedPlan) -> Feed:
        absolute = self.urls.absolute
        return Feed(plan.title(), plan.description, absolute(plan.base), self.config.language,
                    absolute(plan.base + "atom.xml"), absolute(plan.base + "rss.xml"),
                    absolute(plan.base + "feed.json"), [self._entry(p) for p in plan.posts])

    def _write_feed(self, write: Callable[[Feed], bytes], plan: FeedPlan) -> bytes:
        return write(self._feed(plan))

    def _site_feed(self) -> FeedPlan:
        return FeedPlan(lambda: self.config.title, self.config.description, "/",
                        self.site.posts[:self.config.feeds.items], "")

    def _site_prefixed(self, title: Callable[[], str]) -> str:
        return f"{self.config.title} · {title()}"

    def _author_feed(self, author: Author, posts: Sequence[Post]) -> FeedPlan:
        return FeedPlan(partial(self._site_prefixed, partial(str, author.name)),
                        author.bio or self.config.description, author.path,
                        posts[:self.config.feeds.items], author.id)

    def _feeds(self, plan: FeedPlan, origin: str, json: bool = False) -> list[PlannedFile]:
        folder = output_file(plan.base).removesuffix("index.html")
        writers: dict[str, Callable[[Feed], bytes]] = {"atom.xml": atom_xml, "rss.xml": rss_xml}
        if json:
            writers["feed.json"] = json_feed
        signature = self._signature(folder + "feed", (
            plan.identity, plan.description, plan.base, tuple(plan.posts)), lambda: [
            plan.base, plan.identity, plan.description, *self._digests(plan.posts)])
        return [PlannedFile(folder + name, f"{origin} ({name})",
                            partial(self._write_feed, write, plan),
                            signature=digest(signature, name))
                for name, write in writers.items()]

    # ---- site-wide ------------------------------------------------------------------------

    def _site_info(self) -> SiteInfo:
        if self._info is None:
            self._info = site_info(self.site, self.config, self.urls, self.t,
                                   self.campaigns.nav())
        return self._info


class Current:
    """The renderer of the build under way, for files planned by an earlier build."""

    renderer: Renderer


def _make_post(current: Current, post: Post) -> bytes:
    renderer = current.renderer
    return renderer._render_html("post.html", partial(renderer._post_context, post))


def _sitemap_entry(absolute: Callable[[str], str], post: Post) -> tuple[str, str]:
    return absolute(post.path), iso(post.updated or post.date)


def _handle(author: Author, platform: str) -> str:
    return at_handle(author.social.get(platform, ""))
