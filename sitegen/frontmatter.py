"""Typed front matter: the known keys of posts and pages checked, the author's own keys kept.

Jekyll and Hugo spellings that mean the same are accepted (`description` for `summary`,
`categories`, `published: false`, `lastmod`), since users migrate to us with their files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sitegen.content import SourceDoc
from sitegen.dates import DateError, Moment, from_yaml_value, parse_moment
from sitegen.errors import Diagnostics, did_you_mean
from sitegen.platforms import PLATFORMS, canonical_platform
from sitegen.records import record
from sitegen.slugs import is_safe_segment, slugify
from sitegen.yamlread import YamlError, YamlMapping

POST_KEYS = {
    "title", "date", "author", "authors", "tags", "categories", "category", "platforms",
    "summary", "description", "image", "image_alt", "draft", "published", "slug", "campaign",
    "updated", "lastmod", "last_modified_at", "lang", "share",
}
PAGE_KEYS = {"title", "date", "summary", "description", "image", "image_alt", "draft",
             "published", "slug", "lang", "updated", "lastmod", "author"}
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")
_QUOTED_FLAGS = {"true": True, "false": False, "yes": True, "no": False}
T = TypeVar("T")


@record
class Fields:
    """What the front matter of a post or page says, typed and checked."""

    title: str
    slug: str
    moment: Moment | None
    author_refs: tuple[tuple[str, int], ...] = ()  # (id or free name, line)
    tag_names: tuple[str, ...] = ()
    platforms: tuple[str, ...] | None = None  # None: the site's default relays
    summary: str = ""
    updated: datetime | None = None
    image: str = ""
    image_alt: str = ""
    draft: bool = False
    category: str = ""
    campaign: str = ""
    campaign_line: int = 0  # where `campaign:` is, for the error when no campaign has that id
    lang: str = ""
    share: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@record
class Document:
    """A content file read and typed: what the model is built from (and what is cached)."""

    kind: str  # 'post' or 'page'
    rel: Path  # relative to the site root
    fields: Fields
    body: str  # '' when it came from the cache: read it again from the file if needed
    body_line: int
    digest: str  # identity of its inputs: the file's bytes and the settings reading used
    body_digest: str = ""  # identity of the body alone (what rendered bodies are keyed by)


class FieldReader:
    """Reads the front matter of one file, reporting each problem with its line."""

    def __init__(self, doc: SourceDoc, diag: Diagnostics):
        self.doc, self.meta, self.diag = doc, doc.meta, diag
        self.ok = True

    def error(self, key: str, message: str, hint: str = "") -> None:
        self.ok = False
        self.diag.error(self.doc.path, self.meta.line_of(key), message, hint)

    def get(self, key: str, read: Callable[[], T | None], default: T) -> T:
        try:
            value = read()
        except YamlError as exc:
            self.ok = False
            for issue in exc.issues:
                self.diag.error(self.doc.path, issue.line, issue.message, issue.hint)
            return default
        return default if value is None else value

    def text(self, *keys: str) -> str:
        """The first of `keys` that is present (aliases such as summary/description)."""
        for key in keys:
            if key in self.meta and not self.meta.is_null(key):
                return self.get(key, partial(self.meta.text, key), "").strip()
        return ""

    def texts(self, key: str) -> list[str]:
        return self.get(key, lambda: self.meta.texts(key), [])

    def flag(self, key: str) -> bool | None:
        if key not in self.meta or self.meta.is_null(key):
            return None
        value = self.get(key, lambda: self.meta.value(key), None)
        if isinstance(value, str):  # quoted, `draft: "true"`: what the author meant is clear
            value = _QUOTED_FLAGS.get(value.strip().lower(), value)
        if not isinstance(value, bool):
            self.error(key, f"'{key}' must be true or false, not '{value}'")
            return None
        return value

    def moment(self, key: str, zone: ZoneInfo) -> Moment | None:
        if key not in self.meta or self.meta.is_null(key):
            return None
        raw = self.get(key, lambda: self.meta.text(key), "")
        try:
            return parse_moment(raw, zone) if raw else None
        except DateError as exc:
            # YAML may have typed it already (a date object from a non-string scalar).
            value = self.get(key, lambda: self.meta.value(key), None)
            if value is not None and not isinstance(value, str):
                try:
                    return from_yaml_value(value, zone)
                except DateError:
                    pass
            self.error(key, f"{key}: {exc}", "write it as 2025-03-21 or 2025-03-21 18:30")
            return None


def read_fields(doc: SourceDoc, zone: ZoneInfo, diag: Diagnostics,
                single_author: str | None) -> Fields | None:
    """Typed fields of a post or page; None (with errors reported) when it cannot be used."""
    r = FieldReader(doc, diag)
    is_post = doc.kind == "post"
    title = r.text("title")
    if not title and r.ok:  # not ok: a title was there but unusable, and that is reported
        r.error("title", "missing 'title'", "add a line such as 'title: My post' to the "
                "front matter")
    moment = r.moment("date", zone)
    if is_post and doc.meta.is_null("date"):  # absent, or `date:` with nothing after it
        r.error("date", "missing 'date'", "add a line such as 'date: 2025-03-21'")
    draft = r.flag("draft") or (r.flag("published") is False)
    updated = r.moment("updated", zone) or r.moment("lastmod", zone) or \
        r.moment("last_modified_at", zone)
    fields = Fields(
        title=title,
        slug=_slug(r, doc.rel, title),
        moment=moment,
        author_refs=_author_refs(r, single_author),
        tag_names=tuple(_dedupe(r.texts("tags") + r.texts("categories"))) if is_post else (),
        platforms=read_platforms(r) if is_post else (),
        summary=r.text("summary", "description"),
        updated=updated.instant if updated else None,
        image=r.text("image"),
        image_alt=r.text("image_alt"),
        draft=bool(draft),
        category=r.text("category") if is_post else "",
        campaign=r.text("campaign") if is_post else "",
        campaign_line=r.meta.line_of("campaign"),
        lang=r.text("lang"),
        share=_share(r) if is_post else {},
        extra=read_extra(r, POST_KEYS if is_post else PAGE_KEYS),
    )
    return fields if r.ok else None


def _dedupe(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _slug(r: FieldReader, rel: Path, title: str) -> str:
    explicit = r.text("slug")
    if explicit:
        if not is_safe_segment(explicit) or not slugify(explicit):
            r.error("slug", f"slug '{explicit}' cannot be a path segment",
                    "use letters, digits and '-' only")
            return "invalid"
        return slugify(explicit)
    stem = rel.parent.name if rel.stem == "index" else rel.stem
    return slugify(_DATE_PREFIX.sub("", stem)) or slugify(title) or "post"


def _author_refs(r: FieldReader, single_author: str | None) -> tuple[tuple[str, int], ...]:
    key = "authors" if "authors" in r.meta else "author"
    names = r.texts(key) if key == "authors" else ([r.text("author")] if r.text("author") else [])
    if not names and single_author:
        return ((single_author, r.meta.line),)
    return tuple((name, r.meta.line_of(key)) for name in _dedupe(names))


def read_platforms(r: FieldReader) -> tuple[str, ...] | None:
    """The networks the front matter names (None: it names none, the site default applies)."""
    if "platforms" not in r.meta:
        return None
    found = []
    for name in r.texts("platforms"):
        platform = canonical_platform(name)
        if platform is None:
            r.diag.warn(r.doc.path, r.meta.line_of("platforms"), f"unknown platform '{name}', "
                        "ignored", did_you_mean(name.lower(), PLATFORMS) or
                        f"known: {', '.join(PLATFORMS)}")
        elif platform not in found:
            found.append(platform)
    return tuple(found)


def _share(r: FieldReader) -> dict[str, str]:
    share = r.get("share", lambda: r.meta.mapping("share"), None)
    if share is None:
        return {}
    texts = {}
    for name in share.keys():
        platform = "default" if name == "default" else canonical_platform(name)
        if platform is None:
            r.diag.warn(r.doc.path, share.line_of(name), f"share: unknown platform '{name}'",
                        did_you_mean(name, [*PLATFORMS, "default"]))
            continue
        text = r.get("share", partial(share.text, name), "")
        if text:
            texts[platform] = text.strip()
    return texts


def read_extra(r: FieldReader, known: set[str]) -> dict[str, Any]:
    """The author's own keys, for templates; a near-miss of a known key is probably a typo."""
    meta: YamlMapping = r.meta
    extra = {}
    for key in meta.keys():
        if key in known:
            continue
        if hint := did_you_mean(key, known):
            r.diag.warn(r.doc.path, meta.line_of(key), f"unknown key '{key}' kept as is", hint)
        extra[key] = r.get(key, partial(meta.value, key), None)
    return extra
