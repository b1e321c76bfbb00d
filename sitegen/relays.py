"""The relay stage: for each post and each network it is relayed to, the text to post, its
tagged link and its share-intent URL, plus the rows the scheduling exports list.

A post's share kit depends on its title, summary, tags, campaign, overrides, link and the
share settings; it is made once per such content and cached like a rendered body (the X
rule alone measures each candidate text several times), in worker processes when many are
missing, so a rebuild after one edit makes one kit.
"""

from __future__ import annotations

import csv
import io
import json
import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from json.encoder import encode_basestring

from sitegen.bodies import Bodies
from sitegen.cache import BuildCache
from sitegen.config import Config, ShareSettings
from sitegen.digests import digest
from sitegen.errors import Diagnostics
from sitegen.markup import plain_text
from sitegen.model import Post
from sitegen.output import PlannedFile
from sitegen.parallel import fork_map
from sitegen.platforms import PLATFORMS, PlatformRule, rule_for
from sitegen.records import record
from sitegen.snippets import compose, intent_url, tag_url
from sitegen.urls import Urls
from sitegen.views import image_link

KIT_VERSION = "1"  # bump when what a kit holds, or how it is made, changes
VIA = ("x", "mastodon", "bluesky", "threads")  # networks whose snippets end "via @account"
CSV_COLUMNS = ("scheduled_at", "platform", "text", "url", "title", "post_url", "length",
               "limit", "fits", "image_url", "image_alt")


@record
class Share:
    """A post on one network: what to paste, where the link goes, how it measures."""

    platform: str
    label: str
    text: str  # ready to paste, link included
    url: str  # the link, tagged for analytics
    intent: str  # the network's share page, prefilled
    length: int  # in the network's unit
    limit: int | None
    overflow: int  # over the limit, in the network's unit; 0 when it fits
    byte_overflow: int  # over Bluesky's byte limit; 0 when it fits
    override: bool  # the author wrote the text (`share:` in the front matter)

    @property
    def fits(self) -> bool:
        return self.overflow == 0 and self.byte_overflow == 0


@record
class ShareKit:
    """What a post is relayed with: its text for each network, and its export rows."""

    shares: tuple[Share, ...]
    # The post's rows of the exports, already written: an export of 10,000 posts is then a
    # join, not 30,000 rows serialized again after every edit. They are also cached on their
    # own, as plain text, which an export reads faster than whole kits.
    json_rows: str  # one JSON object per line, each line ending with ",\n"
    csv_rows: str


def site_rule(platform: str, share: ShareSettings) -> PlatformRule:
    """A network's rule with the site's Mastodon server settings."""
    return rule_for(platform, mastodon_limit=share.mastodon_limit,
                    mastodon_instance=share.mastodon_instance or None)


def site_rules(config: Config) -> dict[str, PlatformRule]:
    return {platform: site_rule(platform, config.share) for platform in PLATFORMS}


def shared_link(page: str, platform: str, campaign: str, share: ShareSettings,
                content: str = "") -> str:
    """The link a network's post carries: tagged for analytics unless the site says not."""
    if not share.utm:
        return page
    medium = "email" if platform == "email" else "social"
    return tag_url(page, platform, campaign, medium=medium, content=content)


def share_kit(post: Post, summary: str, config: Config, urls: Urls,
              rules: Mapping[str, PlatformRule], hashtag: str = "") -> ShareKit:
    """The kit of one post; `summary` is its summary as plain text (the author's, or the
    one taken from its body); `hashtag` its campaign's."""
    page = urls.absolute(post.path)
    tags = [tag.name for tag in post.tags]
    shares = []
    for platform in post.platforms:
        rule = rules[platform]
        url = shared_link(page, platform, post.campaign or post.slug, config.share)
        snippet = compose(rule, title=post.title, url=url, summary=summary, tags=tags,
                          campaign=hashtag or None, via=_via(platform, config),
                          override=post.share.get(platform) or post.share.get("default"))
        shares.append(Share(platform, rule.label, snippet.text, url, intent_url(rule, snippet),
                            snippet.length, snippet.limit, snippet.overflow,
                            snippet.byte_overflow, snippet.override))
    image = image_link(post.image, urls)
    image = urls.origin + image if image.startswith("/") else image
    rows = [(post.date_iso, s.platform, s.text, s.url, post.title, page, s.length, s.limit,
             s.fits, image, post.image_alt) for s in shares]
    return ShareKit(tuple(shares), "".join([_json_row(row) + ",\n" for row in rows]),
                    "".join([_csv_row(row) for row in rows]))


# The export rows are written here as json.dumps and csv.writer write them (a test holds them
# to it), in a third of their time: json.dumps makes an encoder at each call, and csv.writer
# looks each character of a field up in the line terminator.
_JSON_KEYS = tuple(encode_basestring(column) + ": " for column in CSV_COLUMNS)


def _json_row(row: Sequence[object]) -> str:
    """json.dumps(dict(zip(CSV_COLUMNS, row)), ensure_ascii=False)."""
    return "{" + ", ".join([key + _json_value(value)
                            for key, value in zip(_JSON_KEYS, row, strict=True)]) + "}"


def _json_value(value: object) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if type(value) is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def _csv_row(row: Sequence[object]) -> str:
    """The row as csv.writer(lineterminator="\r\n") writes it, with True, False and None
    as "yes", "no" and ""."""
    fields = []
    for value in row:
        text = _csv_text(value)
        if text is None:  # a type no kit holds: written by the csv module
            out = io.StringIO()
            csv.writer(out, lineterminator="\r\n").writerow(
                ["yes" if v is True else "no" if v is False else "" if v is None else v
                 for v in row])
            return out.getvalue()
        fields.append(_csv_quoted(text))
    if fields == [""]:  # csv.writer quotes a lone empty field: an empty line is no row
        return '""\r\n'
    return ",".join(fields) + "\r\n"


def _csv_text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value) if type(value) is int else None


def _csv_quoted(field: str) -> str:
    """The field quoted when it holds a comma, a quote (doubled) or a line break."""
    if '"' in field:
        return '"' + field.replace('"', '""') + '"'
    if "," in field or "\n" in field or "\r" in field:
        return '"' + field + '"'
    return field


def _via(platform: str, config: Config) -> str | None:
    account = config.social.get(platform, "")
    if not config.share.via or platform not in VIA or not account or "://" in account:
        return None
    return account.lstrip("@")


def kit_key(post: Post, body_key: str, settings: str, hashtag: str = "") -> str:
    """Digest of everything a kit shows: the post's fields, and its body's when the summary
    is taken from the body (an edit of the text of a post with its own summary keeps its kit:
    the rebuild measures nothing)."""
    summary = ("summary", post.summary) if post.summary else ("body", body_key)
    return digest(KIT_VERSION, settings, *summary, hashtag, post.title, post.path, post.slug,
                  post.campaign, post.image, post.image_alt, post.date_iso,
                  *post.platforms, "|", *(t.name for t in post.tags), "|",
                  *(f"{k}={v}" for k, v in sorted(post.share.items())))


# Inherited by forks: the site's settings, and the post's summary as plain text.
_context: tuple[Config, Urls, Mapping[str, PlatformRule], Callable[[Post], str]] | None = None


def _make_in_worker(job: tuple[Post, str]) -> tuple[bytes, bytes]:
    """A kit and its export rows, each pickled here for the cache: the parent stores them
    as they are, and unpickles a kit only when a page needs it (in the page workers of a
    cold build), instead of 10,000 in a row on one core. The summary is read here too (a
    post without its own unpickles its body for it)."""
    assert _context is not None
    config, urls, rules, summary = _context
    kit = share_kit(job[0], summary(job[0]), config, urls, rules, job[1])
    return (pickle.dumps(kit, protocol=pickle.HIGHEST_PROTOCOL),
            pickle.dumps((kit.json_rows, kit.csv_rows), protocol=pickle.HIGHEST_PROTOCOL))


class Relays(Mapping[str, ShareKit]):
    """The share kits of a build's posts, by post key, loaded from the cache on demand."""

    def __init__(self, posts: Sequence[Post], bodies: Bodies, config: Config, urls: Urls,
                 cache: BuildCache, hashtags: Mapping[str, str] | None = None):
        """`hashtags`: campaign id -> hashtag, which the texts of its posts carry."""
        self.posts = {post.key: post for post in posts}
        self.hashtags = hashtags or {}
        self.bodies, self.config, self.urls, self.cache = bodies, config, urls, cache
        self.rules = site_rules(config)
        settings = digest(repr(config.share), repr(sorted(config.social.items())),
                          urls.root, urls.origin)
        keys = cache.memory.table("kit keys")
        self.kit_keys = {post.key: keys.get(post.key, (
            post, bodies.digests[post.key], settings, tag := self.hashtags.get(post.campaign, "")),
            kit_key, post, bodies.digests[post.key], settings, tag)
                         for post in posts}
        self.loaded: dict[str, ShareKit] = {}
        self._made: dict[str, bytes] = {}  # kits made by this build, still pickled
        self._kept_rows = cache.memory.table("export rows")  # by kit key
        self._all_rows: dict[str, tuple[str, str]] | None = None

    def prepare(self, diag: Diagnostics, workers: int) -> None:
        """Make the kits the cache lacks, and warn about overrides that do not fit."""
        global _context
        missing = self.cache.missing("shares", self.kit_keys.values())
        todo = [self.posts[key] for key in sorted(self.kit_keys) if self.kit_keys[key] in missing]
        jobs = [(post, self.hashtags.get(post.campaign, "")) for post in todo]
        self.cache.close()  # forked workers must not share the parent's database connection
        _context = (self.config, self.urls, self.rules, self._summary)
        try:
            made = fork_map(_make_in_worker, jobs, workers, pieces_per_worker=16)
        finally:
            _context = None
        keys = [self.kit_keys[post.key] for post in todo]
        self.cache.store("shares", {key: kit for key, (kit, _) in zip(keys, made, strict=True)})
        self.cache.store("rows", {key: rows for key, (_, rows) in zip(keys, made, strict=True)})
        self._made.update({post.key: kit for post, (kit, _) in zip(todo, made, strict=True)})
        if todo:
            for table in ("shares", "rows"):
                self.cache.keep_only(table, self.kit_keys.values())
            self._kept_rows.prune(len(self.kit_keys), lambda: set(self.kit_keys.values()))
        self._warn_overrides(diag)

    def _summary(self, post: Post) -> str:
        return post.summary or plain_text(self.bodies[post.key].summary_html)

    def _warn_overrides(self, diag: Diagnostics) -> None:
        for key in sorted(k for k, post in self.posts.items() if post.share):
            post = self.posts[key]
            for share in self[key].shares:
                if share.override and not share.fits:
                    over = f"{share.overflow} over its limit of {share.limit}" \
                        if share.overflow else f"{share.byte_overflow} bytes over its limit"
                    diag.warn(diag.root / post.source.path if diag.root else None, None,
                              f"share: the {share.label} text is {over}",
                              "shorten it, or remove it to let sitegen write one that fits")

    def __getitem__(self, key: str) -> ShareKit:
        if key not in self.loaded:
            made = self._made.pop(key, None)
            found = pickle.loads(made) if made else self.cache.fetch("shares", self.kit_keys[key])
            if not isinstance(found, ShareKit):  # damaged entry: make it again
                post = self.posts[key]
                found = share_kit(post, self._summary(post), self.config, self.urls,
                                  self.rules, self.hashtags.get(post.campaign, ""))
            self.loaded[key] = found
        return self.loaded[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.posts)

    def __len__(self) -> int:
        return len(self.posts)

    def planned(self, posts: Sequence[Post]) -> list[PlannedFile]:
        """The exports for scheduling tools of the newest relayed posts (`posts` are newest
        first; none when no post is relayed): JSON, and CSV for spreadsheets; their signature
        is every exported kit's key, in order."""
        posts = [post for post in posts if post.platforms][:self.config.share.export_posts]
        if not posts:
            return []
        signature = digest("share exports", *(self.kit_keys[p.key] for p in posts))
        return [PlannedFile("share/snippets.json", "share snippets (JSON)",
                            lambda: self.export_json(posts), signature=signature),
                PlannedFile("share/snippets.csv", "share snippets (CSV)",
                            lambda: self.export_csv(posts), signature=signature)]

    def _rows(self, posts: Sequence[Post]) -> dict[str, tuple[str, str]]:
        """The export rows (JSON, CSV) of `posts`, read at once: one query, not one per post."""
        if self._all_rows is None:
            kept = self._kept_rows
            keys = {post.key: self.kit_keys[post.key] for post in posts}
            unknown = [key for key in keys.values() if kept.known(key) is None]
            stored = self.cache.fetch_all("rows", unknown) if unknown else {}
            self._all_rows = {}
            for key, kit_key in keys.items():
                rows = kept.known(kit_key) or stored.get(kit_key)
                if not (isinstance(rows, tuple) and len(rows) == 2):  # damaged: from the kit
                    rows = (self[key].json_rows, self[key].csv_rows)
                kept.keep(kit_key, rows)
                self._all_rows[key] = rows
        return self._all_rows

    def export_json(self, posts: Sequence[Post]) -> bytes:
        """Every post × network, oldest first: the order a scheduler plays them in."""
        rows = self._rows(posts)
        body = "".join(rows[post.key][0] for post in reversed(posts)).removesuffix(",\n")
        return ('{"version": 1, "snippets": [\n' + body + "\n]}\n").encode()

    def export_csv(self, posts: Sequence[Post]) -> bytes:
        """The same rows as CSV (UTF-8 with BOM, which spreadsheet tools need for accents)."""
        rows = self._rows(posts)
        header = ",".join(CSV_COLUMNS) + "\r\n"
        return ("\ufeff" + header + "".join(rows[post.key][1] for post in reversed(posts))
                ).encode()
