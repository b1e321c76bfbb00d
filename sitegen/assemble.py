"""From read documents to the validated `Site`: authors and tags resolved, URLs given,
drafts and scheduled posts filtered, relations (newer/older, related, archives) computed.

Everything here is pure: no file is read or written, so the whole model exists before any page
is rendered, and later stages can rely on it (tag indexes, neighbours, author pages).
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from functools import lru_cache, partial
from operator import attrgetter
from pathlib import Path

from sitegen.config import Config
from sitegen.dates import format_day
from sitegen.digests import digest
from sitegen.errors import Diagnostics, did_you_mean
from sitegen.frontmatter import Document, Fields
from sitegen.model import Author, Page, Post, Site, Source, Tag, YearArchive
from sitegen.recall import Memory, Recall
from sitegen.records import record
from sitegen.slugs import slugify
from sitegen.urls import expand_permalink

_ID_LIKE = re.compile(r"^[a-z0-9_.-]+$")
RELATED_COUNT = 3
RELATED_WINDOW = 20  # candidates per shared tag, nearest in time: keeps 10k posts fast


@record
class RelatedHint:
    """Related posts of an earlier build, valid while the posts' order and tags are the
    same (`structure`): a body or title edit does not change them."""

    structure: str
    related: Mapping[str, tuple[str, ...]]


@record
class Selection:
    """Which posts a build publishes."""

    now: datetime
    drafts: bool = False
    future: bool = False


def assemble(config: Config, docs: Iterable[Document], diag: Diagnostics,
             selection: Selection, static_files: tuple[tuple[str, Path], ...] = (),
             hint: RelatedHint | None = None, memory: Memory | None = None) -> Site:
    """Build the `Site` from documents; problems go to `diag`. With `memory`, a post made
    by an earlier build from the same document and the same resolved tags and authors is
    that build's object, which later stages recognise by identity."""
    memory = memory or Memory()
    authors = AuthorBook(config, diag, memory)
    made = memory.table("posts")
    docs = list(docs)
    pages = [_page(config, doc, doc.fields) for doc in docs
             if doc.kind == "page" and (selection.drafts or not doc.fields.draft)]
    post_docs = [doc for doc in docs if doc.kind == "post"]
    # Tags first: a tag's display name is its most used spelling across all posts.
    tags = _tags(Counter(name for doc in post_docs for name in doc.fields.tag_names),
                 memory.table("tags"))
    every = _posts(config, post_docs, authors, tags, selection.now, memory)
    posts = [post for post in every if _published(post, selection, config, diag)]
    posts.sort(key=attrgetter("date", "key"), reverse=True)
    made.prune(len(post_docs), lambda: {doc.digest for doc in post_docs})
    site = _relate(posts, sorted(pages, key=lambda p: p.key), tags, config, static_files,
                   hint, memory)
    # Every dated post counts, drafts left out too: at worst a rebuild then finds no change.
    return replace(site, next_scheduled=min((p.date for p in every if p.scheduled),
                                            default=None))


def _source(doc: Document) -> Source:
    return Source(doc.rel, doc.body, doc.body_line, doc.digest, doc.body_digest)


def _page(config: Config, doc: Document, f: Fields) -> Page:
    path = expand_permalink(config.permalinks.page, {"slug": f.slug, "year": "", "month": "",
                                                     "day": "", "category": "", "author": ""})
    return Page(key=doc.rel.as_posix(), source=_source(doc), title=f.title, slug=f.slug,
                path=path, summary=f.summary, image=f.image, image_alt=f.image_alt,
                lang=f.lang, draft=f.draft, extra=f.extra)


def _posts(config: Config, docs: list[Document], authors: AuthorBook, tags: dict[str, Tag],
           now: datetime, memory: Memory) -> list[Post]:
    """Every post, resolved. A document the earlier build resolved in the same context (the
    same site.yaml and tags) to authors all declared in site.yaml is taken as that build's
    post once its publication time is checked: resolving 10,000 posts costs ~40 ms a
    rebuild. (Free-named authors are resolved every time: their spelling is the first met.)"""
    made, quick = memory.table("posts"), memory.table("resolved posts")
    context = (config, authors.known, *tags.values())
    earlier: dict[str, tuple[Document, Post]] = (
        quick.known("posts") if quick.known("context") == context else None) or {}
    resolved: dict[str, tuple[Document, Post]] = {}
    posts = []
    for doc in docs:
        hit = earlier.get(doc.digest)
        if hit is not None and hit[0] is doc and hit[1].scheduled == (hit[1].date > now):
            post = hit[1]
        else:
            post = _post(config, doc, doc.fields, authors, tags, now, made)
        if all(author.known for author in post.authors):
            resolved[doc.digest] = (doc, post)
        posts.append(post)
    quick.keep("context", context)
    quick.keep("posts", resolved)
    return posts


def _post(config: Config, doc: Document, f: Fields, authors: AuthorBook,
          tags: dict[str, Tag], now: datetime, made: Recall[Post]) -> Post:
    assert f.moment is not None  # read_fields refuses a post without a date
    # Resolved on every build: authors may warn, tags' spellings depend on other posts.
    post_authors = tuple([authors.resolve(name, line, doc.rel) for name, line in f.author_refs])
    post_tags = tuple(map(tags.__getitem__, _tag_slugs(f.tag_names)))
    scheduled = f.moment.instant > now
    return made.get(doc.digest, (doc, config, post_authors, post_tags, scheduled),
                    _new_post, config, doc, post_authors, post_tags, scheduled)


def _new_post(config: Config, doc: Document, authors: tuple[Author, ...],
              tags: tuple[Tag, ...], scheduled: bool) -> Post:
    f = doc.fields
    assert f.moment is not None
    local = f.moment.instant.astimezone(config.zone)
    fields = {"year": f"{local.year:04d}", "month": f"{local.month:02d}",
              "day": f"{local.day:02d}", "slug": f.slug, "category": slugify(f.category),
              "author": authors[0].id if authors else ""}
    return Post(
        key=doc.rel.as_posix(), source=_source(doc), title=f.title, slug=f.slug,
        path=expand_permalink(config.permalinks.post, fields), date=f.moment.instant,
        date_only=f.moment.date_only, authors=authors, tags=tags,
        platforms=f.platforms if f.platforms is not None else config.platforms,
        summary=f.summary, updated=f.updated, image=f.image, image_alt=f.image_alt,
        category=f.category, campaign=f.campaign, lang=f.lang, draft=f.draft,
        scheduled=scheduled, share=f.share, extra=f.extra)


def _published(post: Post, sel: Selection, config: Config, diag: Diagnostics) -> bool:
    if post.draft and not sel.drafts:
        return False
    if post.scheduled and not sel.future:
        when = format_day(post.date, config.zone, "en")
        time = post.date.astimezone(config.zone).strftime("%H:%M %Z")
        diag.note(config.root / post.source.path, None,
                  f"scheduled for {when} {time}: not published yet",
                  "rebuild after that time, or pass --future to preview it")
        return False
    return True


class AuthorBook:
    """Resolves the author references of posts and live updates: ids from site.yaml, or
    free names."""

    def __init__(self, config: Config, diag: Diagnostics, memory: Memory | None = None):
        self.config, self.diag = config, diag
        # The same objects build after build while site.yaml is: posts made from them are
        # then recognised as unchanged by identity (see recall.py).
        self.known: dict[str, Author] = (memory or Memory()).table("authors").get(
            "known", (config,), lambda: {
                aid: Author(aid, a.name, f"/authors/{slugify(aid) or aid}/", a.bio, a.avatar,
                            a.links, a.social) for aid, a in config.authors.items()})
        self.free: dict[str, Author] = {}

    def resolve(self, name: str, line: int, rel: Path) -> Author:
        if name in self.known:
            return self.known[name]
        if _ID_LIKE.match(name):
            hint = did_you_mean(name, self.known) or "declare it under 'authors:' in site.yaml"
            self.diag.warn(self.config.root / rel, line, f"unknown author id '{name}'",
                           hint)
        slug = slugify(name) or "author"
        if slug not in self.free:
            self.free[slug] = Author(slug, name, f"/authors/{slug}/", known=False)
        return self.free[slug]


def tag_slug(name: str) -> str:
    """A tag's URL segment; a tag of punctuation only ('!!!', '../..') gets a stable hashed
    one, never its own characters, which could climb out of the output folder."""
    return slugify(name) or "tag-" + hashlib.sha1(name.encode()).hexdigest()[:8]


@lru_cache(maxsize=65536)  # posts share their sets of tags
def _tag_slugs(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(map(tag_slug, names)))


def _tags(uses: Counter[str], made: Recall[Tag]) -> dict[str, Tag]:
    """Tags by slug: 'Vélo' and 'velo' are one tag, shown with its most used spelling."""
    spellings: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for name, count in uses.items():
        spellings[tag_slug(name)].append((-count, name))
    out = {}
    for slug, counted in spellings.items():
        name = min(counted)[1]
        out[slug] = made.get(slug, (name,), partial(Tag, name, slug, f"/tags/{slug}/"))
    return out


def _relate(posts: list[Post], pages: list[Page], tags: dict[str, Tag], config: Config,
            static_files: tuple[tuple[str, Path], ...], hint: RelatedHint | None,
            memory: Memory) -> Site:
    by_tag: dict[str, list[Post]] = defaultdict(list)
    by_author: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        for tag in post.tags:
            by_tag[tag.slug].append(post)
        for author in post.authors:
            by_author[author.id].append(post)
    authors = {a.id: a for p in posts for a in p.authors}
    newer = {posts[i].key: posts[i - 1] for i in range(1, len(posts))}
    older = {posts[i].key: posts[i + 1] for i in range(len(posts) - 1)}
    # Recomputed only when a post comes, goes, moves in time or changes tags.
    structure = memory.table("structure").get("posts", (
        tuple(map(attrgetter("key"), posts)), tuple(map(attrgetter("tags"), posts))),
        partial(structure_of, posts))
    return Site(
        posts=tuple(posts),
        pages=tuple(pages),
        authors=tuple(sorted(authors.values(), key=lambda a: (a.name.lower(), a.id))),
        tags=tuple(sorted((tags[s] for s in by_tag), key=lambda t: (t.name.lower(), t.slug))),
        posts_by_tag={slug: tuple(ps) for slug, ps in by_tag.items()},
        posts_by_author={aid: tuple(ps) for aid, ps in by_author.items()},
        archives=_archives(posts, config),
        newer=newer,
        older=older,
        related=_related_or_hinted(posts, by_tag, hint, structure),
        structure=structure,
        static_files=static_files,
        newest=posts[0].date if posts else None,
    )


def _archives(posts: list[Post], config: Config) -> tuple[YearArchive, ...]:
    by_year: dict[int, list[Post]] = defaultdict(list)
    zone = config.zone
    for post in posts:
        date = post.date  # most are already in the site's zone: no conversion
        by_year[(date if date.tzinfo is zone else date.astimezone(zone)).year].append(post)
    return tuple(YearArchive(year, f"/archives/{year}/", tuple(ps))
                 for year, ps in sorted(by_year.items(), reverse=True))


def structure_of(posts: list[Post]) -> str:
    """What related posts depend on: each post's place in time and its tags."""
    return digest(*(f"{p.key}|{','.join(t.slug for t in p.tags)}" for p in posts))


def _related_or_hinted(posts: list[Post], by_tag: dict[str, list[Post]],
                       hint: RelatedHint | None, structure: str) -> dict[str, tuple[Post, ...]]:
    if hint is not None and hint.structure == structure:
        by_key = {p.key: p for p in posts}
        return {key: tuple(map(by_key.__getitem__, keys)) for key, keys in hint.related.items()}
    return _related(posts, by_tag)


def _related(posts: list[Post], by_tag: dict[str, list[Post]]) -> dict[str, tuple[Post, ...]]:
    """Posts sharing the most tags, nearest in time first; only a window of each tag's posts
    around the post is considered, so the cost stays linear in the number of posts."""
    index = {post.key: i for i, post in enumerate(posts)}
    positions = {slug: [index[p.key] for p in ps] for slug, ps in by_tag.items()}
    half = RELATED_WINDOW // 2
    shift = max(1, len(posts)).bit_length()
    related = {}
    for i, post in enumerate(posts):
        scores: dict[int, int] = {}
        for tag in post.tags:
            pos = positions[tag.slug]
            at = bisect.bisect_left(pos, i)
            for j in pos[max(0, at - half): at + half + 1]:
                scores[j] = scores.get(j, 0) + 1
        scores.pop(i, None)
        # One integer orders by most shared tags, then nearest in time, then position.
        ranked = heapq.nsmallest(RELATED_COUNT, (
            ((64 - n) << (2 * shift)) | (abs(j - i) << shift) | j for j, n in scores.items()))
        related[post.key] = tuple(posts[r & ((1 << shift) - 1)] for r in ranked)
    return related
