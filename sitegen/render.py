"""From the `Site` and rendered bodies to the planned output files: every HTML page, feed,
sitemap and static file, each made on demand through the theme's Jinja templates.

The plan (paths and origins) is built first and cheaply, so collisions are found before
anything is rendered or written.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from sitegen.config import Config
from sitegen.feeds import Feed, FeedEntry, absolute_links, atom_xml, json_feed, rss_xml
from sitegen.markup import RenderedBody
from sitegen.model import Author, Post, Site, Tag
from sitegen.output import PlannedFile
from sitegen.platforms import PLATFORMS
from sitegen.theme import Theme
from sitegen.urls import Urls, output_file
from sitegen.views import (
    NO_MARKUP,
    LinkView,
    Meta,
    PostView,
    author_view,
    handle_url,
    page_view,
    post_jsonld,
    post_view,
    site_jsonld,
    tag_view,
)


@dataclass(frozen=True)
class Pager:
    """One page of a paginated list."""

    number: int
    total: int
    items: Sequence[PostView]
    first_url: str
    prev_url: str
    next_url: str
    site_path: str


@dataclass(frozen=True)
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


class Renderer:
    """Plans and renders every output file of one build."""

    def __init__(self, site: Site, bodies: Mapping[str, RenderedBody], config: Config,
                 theme: Theme):
        self.site, self.bodies, self.config, self.theme = site, bodies, config, theme
        self.urls = Urls(config.base_url)
        counts = {a.id: len(site.posts_by_author.get(a.id, ())) for a in site.authors}
        self.authors = {a.id: author_view(a, self.urls, counts[a.id]) for a in site.authors}
        self.posts = {p.key: post_view(p, bodies[p.key], config, self.urls, self.authors)
                      for p in site.posts}
        self.info = self._site_info()
        self._absolute_bodies: dict[str, str] = {}

    # ---- the plan -------------------------------------------------------------------------

    def plan(self) -> list[PlannedFile]:
        files: list[PlannedFile] = []
        files += self._home()
        files += [self._post(p) for p in self.site.posts]
        files += [self._page(p) for p in self.site.pages]
        files += self._tags()
        files += self._authors()
        files += self._archives()
        files += self._feeds("/", self._site_feed(), "site feed")
        files += self._misc()
        files += [PlannedFile(rel, f"static/{rel}", source=path)
                  for rel, path in self.site.static_files]
        return files

    def _html(self, site_path: str, origin: str, template: str,
              context: Callable[[], dict[str, Any]], source: Path | None = None) -> PlannedFile:
        return PlannedFile(output_file(site_path), origin,
                           lambda: self.theme.render(template, self._common(context())),
                           source_file=source)

    def _common(self, context: dict[str, Any]) -> dict[str, Any]:
        context.setdefault("site", self.info)
        return context

    def _meta(self, title: str, site_path: str, description: str = "", **extra: Any) -> Meta:
        full_title = self.config.title if title == self.config.title else \
            f"{title} · {self.config.title}"
        extra.setdefault("feeds", self._feed_links())
        return Meta(title=full_title, description=description or self.config.description,
                    canonical=self.urls.absolute(site_path), heading=title, **extra)

    def _feed_links(self, *more: tuple[str, str, str]) -> tuple[tuple[str, str, str], ...]:
        return (*more,
                (f"{self.config.title} (Atom)", "application/atom+xml",
                 self.urls.absolute("/atom.xml")),
                (f"{self.config.title} (RSS)", "application/rss+xml",
                 self.urls.absolute("/rss.xml")),
                (f"{self.config.title} (JSON Feed)", "application/feed+json",
                 self.urls.absolute("/feed.json")))

    # ---- lists ----------------------------------------------------------------------------

    def _pagers(self, posts: Sequence[Post], base: str) -> list[Pager]:
        per_page = self.config.paginate
        total = max(1, math.ceil(len(posts) / per_page))
        paths = [base] + [f"{base}page/{n}/" for n in range(2, total + 1)]
        views = [self.posts[p.key] for p in posts]
        return [Pager(n + 1, total, views[n * per_page:(n + 1) * per_page],
                      self.urls.link(paths[0]),
                      self.urls.link(paths[n - 1]) if n > 0 else "",
                      self.urls.link(paths[n + 1]) if n + 1 < total else "", paths[n])
                for n in range(total)]

    def _list_pages(self, posts: Sequence[Post], base: str, origin: str, template: str,
                    title: str, description: str, extra: dict[str, Any],
                    feeds: tuple[tuple[str, str, str], ...] = (),
                    jsonld: Markup = NO_MARKUP) -> list[PlannedFile]:
        files = []
        for pager in self._pagers(posts, base):
            page_title = title if pager.number == 1 else \
                f"{title} ({self.theme.t('page_n', n=pager.number)})"
            meta = self._meta(page_title, pager.site_path, description, jsonld=jsonld,
                              feeds=self._feed_links(*feeds))

            def context(pager: Pager = pager, meta: Meta = meta) -> dict[str, Any]:
                return {"meta": meta, "pager": pager, "posts": pager.items, **extra}

            files.append(self._html(pager.site_path, origin if pager.number == 1 else
                                    f"{origin} (page {pager.number})", template, context))
        return files

    def _home(self) -> list[PlannedFile]:
        return self._list_pages(self.site.posts, "/", "home page", "index.html",
                                self.config.title, self.config.description, {},
                                jsonld=site_jsonld(self.config, self.urls))

    def _tags(self) -> list[PlannedFile]:
        files = []
        counts = {t.slug: len(self.site.posts_by_tag[t.slug]) for t in self.site.tags}
        tags = [(tag_view(t, self.urls), counts[t.slug]) for t in self.site.tags]
        files.append(self._html("/tags/", "tag index", "tags.html", lambda: {
            "meta": self._meta(self.theme.t("tags"), "/tags/"), "tags": tags}))
        for tag in self.site.tags:
            posts = self.site.posts_by_tag[tag.slug]
            feed = self._tag_feed(tag, posts)
            files += self._list_pages(
                posts, tag.path, f"tag page «{tag.name}»", "tag.html",
                self.theme.t("tag_title", tag=tag.name), "",
                {"tag": tag_view(tag, self.urls), "count": len(posts)},
                ((feed.title, "application/atom+xml", feed.atom_url),))
            files += self._feeds(tag.path, feed, f"feed of tag «{tag.name}»", json=False)
        return files

    def _authors(self) -> list[PlannedFile]:
        views = [self.authors[a.id] for a in self.site.authors]
        files = [self._html("/authors/", "author index", "authors.html", lambda: {
            "meta": self._meta(self.theme.t("authors"), "/authors/"), "authors": views})]
        for author in self.site.authors:
            posts = self.site.posts_by_author[author.id]
            feed = self._author_feed(author, posts)
            files += self._list_pages(
                posts, author.path, f"author page «{author.name}»", "author.html",
                author.name, author.bio, {"author": self.authors[author.id]},
                ((feed.title, "application/atom+xml", feed.atom_url),))
            files += self._feeds(author.path, feed, f"feed of author «{author.name}»",
                                 json=False)
        return files

    def _archives(self) -> list[PlannedFile]:
        years = [(LinkView(str(a.year), self.urls.link(a.path)), len(a.posts))
                 for a in self.site.archives]
        files = [self._html("/archives/", "archive index", "archives.html", lambda: {
            "meta": self._meta(self.theme.t("archives"), "/archives/"), "years": years})]
        for archive in self.site.archives:
            def context(archive: Any = archive) -> dict[str, Any]:
                title = self.theme.t("archive_title", year=archive.year)
                return {"meta": self._meta(title, archive.path), "year": archive.year,
                        "posts": [self.posts[p.key] for p in archive.posts]}

            files.append(self._html(archive.path, f"archive of {archive.year}", "archive.html",
                                    context))
        return files

    # ---- single items ---------------------------------------------------------------------

    def _post(self, post: Post) -> PlannedFile:
        def context() -> dict[str, Any]:
            view = self.posts[post.key]
            first = view.authors[0] if view.authors else None
            meta = self._meta(
                post.title, post.path, view.summary_text, og_type="article",
                image=view.image_abs, image_alt=view.image_alt, published=view.date_iso,
                modified=view.updated_iso, authors=tuple(a.name for a in view.authors),
                tags=tuple(t.name for t in view.tags),
                jsonld=post_jsonld(view, self.config, self.urls),
                twitter_creator=_handle(post.authors[0], "x") if first else "",
                fediverse_creator=_handle(post.authors[0], "mastodon") if first else "",
                noindex=post.draft or post.scheduled)
            newer, older = self.site.newer.get(post.key), self.site.older.get(post.key)
            return {"meta": meta, "post": view,
                    "newer": self.posts[newer.key] if newer else None,
                    "older": self.posts[older.key] if older else None,
                    "related": [self.posts[p.key] for p in self.site.related[post.key]]}

        return self._html(post.path, str(post.source.path), "post.html", context,
                          post.source.path)

    def _page(self, page: Any) -> PlannedFile:
        def context() -> dict[str, Any]:
            view = page_view(page, self.bodies[page.key], self.config, self.urls)
            return {"meta": self._meta(page.title, page.path, view.summary_text,
                                       image=view.image_abs, noindex=page.draft),
                    "page": view}

        return self._html(page.path, str(page.source.path), "page.html", context,
                          page.source.path)

    def _misc(self) -> list[PlannedFile]:
        def not_found() -> dict[str, Any]:
            meta = self._meta(self.theme.t("not_found_title"), "/404.html", noindex=True)
            return {"meta": meta, "recent": [self.posts[p.key] for p in self.site.posts[:5]]}

        sitemap = PlannedFile("sitemap.xml", "sitemap", lambda: self.theme.render(
            "sitemap.xml", {"entries": self._sitemap_entries()}))
        robots = PlannedFile("robots.txt", "robots.txt", lambda: (
            f"User-agent: *\nAllow: /\n\nSitemap: {self.urls.absolute('/sitemap.xml')}\n"
        ).encode())
        return [self._html("/404.html", "404 page", "404.html", not_found), sitemap, robots]

    def _sitemap_entries(self) -> list[tuple[str, str]]:
        entries = [(self.urls.absolute("/"), self.posts[self.site.posts[0].key].date_iso
                    if self.site.posts else "")]
        entries += [(v.abs_url, v.updated_iso or v.date_iso) for v in self.posts.values()
                    if not (v.draft or v.scheduled)]
        entries += [(self.urls.absolute(p.path), "") for p in self.site.pages if not p.draft]
        entries += [(self.urls.absolute(t.path), "") for t in self.site.tags]
        entries += [(self.urls.absolute(a.path), "") for a in self.site.authors]
        entries += [(self.urls.absolute(a.path), "") for a in self.site.archives]
        return entries

    # ---- feeds ----------------------------------------------------------------------------

    def _entry(self, post: Post) -> FeedEntry:
        view = self.posts[post.key]
        content = ""
        if self.config.feeds.full_content:
            if post.key not in self._absolute_bodies:
                self._absolute_bodies[post.key] = absolute_links(
                    self.bodies[post.key].html, self.urls, post.path)
            content = self._absolute_bodies[post.key]
        return FeedEntry(view.abs_url, post.title, post.date, post.updated,
                         tuple(a.name for a in post.authors), view.summary_text, content,
                         tuple(t.name for t in post.tags), view.image_abs)

    def _feed(self, title: str, description: str, base: str,
              posts: Sequence[Post]) -> Feed:
        entries = [self._entry(p) for p in posts[: self.config.feeds.items]]
        return Feed(title, description, self.urls.absolute(base), self.config.language,
                    self.urls.absolute(base + "atom.xml"), self.urls.absolute(base + "rss.xml"),
                    self.urls.absolute(base + "feed.json"), entries)

    def _site_feed(self) -> Feed:
        return self._feed(self.config.title, self.config.description, "/", self.site.posts)

    def _tag_feed(self, tag: Tag, posts: Sequence[Post]) -> Feed:
        title = f"{self.config.title} · {self.theme.t('tag_title', tag=tag.name)}"
        return self._feed(title, self.config.description, tag.path, posts)

    def _author_feed(self, author: Author, posts: Sequence[Post]) -> Feed:
        return self._feed(f"{self.config.title} · {author.name}", author.bio or
                          self.config.description, author.path, posts)

    def _feeds(self, site_path: str, feed: Feed, origin: str,
               json: bool = True) -> list[PlannedFile]:
        base = output_file(site_path).removesuffix("index.html")
        files = [PlannedFile(base + "atom.xml", f"{origin} (Atom)", lambda: atom_xml(feed)),
                 PlannedFile(base + "rss.xml", f"{origin} (RSS)", lambda: rss_xml(feed))]
        if json:
            files.append(PlannedFile(base + "feed.json", f"{origin} (JSON)",
                                     lambda: json_feed(feed)))
        return files

    # ---- site-wide ------------------------------------------------------------------------

    def _site_info(self) -> SiteInfo:
        link = self.urls.link
        social = tuple(LinkView(PLATFORMS.get(p, p), handle_url(p, h))
                       for p, h in self.config.social.items() if handle_url(p, h))
        feeds = (LinkView("Atom", link("/atom.xml")), LinkView("RSS", link("/rss.xml")),
                 LinkView("JSON Feed", link("/feed.json")))
        nav = tuple(LinkView(p.title, link(p.path)) for p in self.site.pages if not p.draft)
        return SiteInfo(self.config.title, self.config.description, self.config.language,
                        link("/"), nav, social, feeds, link("/tags/"), link("/authors/"),
                        link("/archives/"), link("/css/style.css"), link("/css/pygments.css"),
                        link("/favicon.svg"), _og_locale(self.config.locale),
                        _at(self.config.social.get("x", "")))


def _at(handle: str) -> str:
    """'@name' from a handle written with or without its '@'."""
    return handle if handle.startswith("@") or not handle else f"@{handle}"


def _handle(author: Author, platform: str) -> str:
    return _at(author.social.get(platform, ""))


def _og_locale(locale: str) -> str:
    """Open Graph wants language_TERRITORY: 'fr' → 'fr_FR', from CLDR's likely subtags."""
    from babel.core import get_global

    likely = str(get_global("likely_subtags").get(locale, locale))
    parts = likely.split("_")
    return f"{parts[0]}_{parts[-1]}" if len(parts) > 1 else locale
