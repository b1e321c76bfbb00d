"""Reading campaigns: each `content/campaigns/<id>.md` becomes a `Campaign` — its front matter
typed and checked key by key (`path:line: key: message`), its landing text kept for `bodies`.

Checks that keep the output safe happen here, once: `accent` must be a hex code or a CSS
named colour (it ends up in a style attribute), links must use a scheme a browser may follow,
`base_url` must be a site address, `template` and `theme` must name existing ones.
Campaign files are few and small, so they are read on every build (no document cache).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import partial
from pathlib import Path

from sitegen.campaign import CAMPAIGN_DIR, CallToAction, Campaign, Coverage, Look, Partner
from sitegen.colours import NAMED_COLOURS, ColourError, parse_colour, readable_on
from sitegen.config import BUILTIN_THEMES, SOURCE_THEMES, Config
from sitegen.content import (
    SourceDoc,
    item_files,
    read_item,
)
from sitegen.digests import digest, file_digest
from sitegen.errors import Diagnostics, Problem, did_you_mean
from sitegen.frontmatter import FieldReader, read_extra
from sitegen.model import Source
from sitegen.sanitize import is_safe_url
from sitegen.slugs import slugify
from sitegen.snippets import hashtag
from sitegen.urls import base_url_problem, normalize_base_url
from sitegen.yamlread import YamlMapping

CAMPAIGN_KEYS = {
    "title", "start", "end", "hashtag", "summary", "description", "image", "image_alt",
    "accent", "call_to_action", "partners", "coverage", "live", "base_url", "template",
    "theme", "lang", "draft",
}
# The default theme's backgrounds a campaign's accent is read on as text (links, headings):
# --bg, --surface and --soft, light and dark (see style.css). A theme of a site's own with
# other backgrounds gets the same checked variants, which its stylesheet may ignore.
LIGHT_BACKGROUNDS = ("#fdf8f2", "#ffffff", "#f5ebdf")
DARK_BACKGROUNDS = ("#1c1714", "#26201c", "#312923")
_SUB_KEYS = {"call_to_action": ("label", "url"), "partners": ("name", "url", "logo"),
             "coverage": ("title", "url", "source", "date")}


def read_campaigns(config: Config, diag: Diagnostics,
                   drafts: bool = False) -> tuple[Campaign, ...]:
    """Every campaign of the site, newest start first (problems go to `diag`)."""
    found = []
    for path in item_files(config.root, CAMPAIGN_DIR, diag, "campaign"):
        campaign = read_campaign(path, config, diag)
        if campaign is not None and (drafts or not campaign.draft):
            found.append(campaign)
    return tuple(sorted(found, key=lambda c: (c.start, c.id), reverse=True))


def read_campaign(path: Path, config: Config, diag: Diagnostics) -> Campaign | None:
    """One campaign file; None (with its problems reported) when it cannot be used."""
    item = read_item(path, config.root, "campaign", "campaign", diag)
    if item is None:
        return None
    doc, campaign_id, data = item
    errors = len(diag.errors)
    campaign = _CampaignReader(doc, config, diag).read(
        campaign_id, file_digest(data, "campaign", config.timezone))
    return campaign if len(diag.errors) == errors else None


class _CampaignReader:
    def __init__(self, doc: SourceDoc, config: Config, diag: Diagnostics):
        self.doc, self.config, self.diag = doc, config, diag
        self.r = FieldReader(doc, diag)

    def read(self, campaign_id: str, file_key: str) -> Campaign | None:
        r, meta = self.r, self.doc.meta
        title = r.text("title")
        if not title and r.ok:
            r.error("title", "missing 'title'", "add a line such as 'title: Mai à vélo'")
        start, end = r.moment("start", self.config.zone), r.moment("end", self.config.zone)
        for key in ("start", "end"):
            if meta.is_null(key) and r.ok:
                r.error(key, f"missing '{key}'",
                        f"add a line such as '{key}: 2026-05-01' to the front matter")
        if start is None or end is None or not title:
            return None
        end_instant = end.instant + timedelta(days=1) if end.date_only else end.instant
        if end_instant <= start.instant:
            r.error("end", "end: the campaign ends before it starts", "'end' must come after "
                    "'start'")
        body = self.doc.body.strip("\n")
        blank = len(self.doc.body) - len(self.doc.body.lstrip("\n"))
        rel = self.doc.rel
        return Campaign(
            key=rel.as_posix(), id=campaign_id, path=f"/{CAMPAIGN_DIR}/{campaign_id}/",
            source=Source(rel, body, self.doc.body_line + blank, file_key,
                          digest(body) if body else ""),
            title=title, start=start.instant, end=end_instant, hashtag=self._hashtag(),
            summary=r.text("summary", "description"), image=self._url("image"),
            image_alt=r.text("image_alt"), look=self._look(),
            call_to_action=self._call_to_action(), partners=self._partners(),
            coverage=self._coverage(), live=self._id("live"), base_url=self._base_url(),
            template=self._template(), theme=self._theme(),
            all_day=start.date_only and end.date_only, lang=r.text("lang"),
            draft=bool(r.flag("draft")), extra=read_extra(r, CAMPAIGN_KEYS),
            line_of={key: meta.line_of(key) for key in meta.keys()})

    # ---- single values --------------------------------------------------------------------

    def _hashtag(self) -> str:
        raw = self.r.text("hashtag")
        if not raw:
            return ""
        made = hashtag(raw.lstrip("#"))
        if made is None:
            self.r.error("hashtag", f"hashtag: '{raw}' cannot be a hashtag",
                         "use letters and digits, e.g. #MaiÀVélo (64 at most)")
            return ""
        return made

    def _look(self) -> Look | None:
        raw = self.r.text("accent")
        if not raw:
            return None
        try:
            accent = parse_colour(raw)
        except ColourError:
            self.r.error("accent", f"accent: '{raw}' is not a colour sitegen accepts",
                         did_you_mean(raw.lower(), NAMED_COLOURS) or
                         "write a hex code such as '#1f6f43' or a CSS colour name such as "
                         "'forestgreen'")
            return None
        return Look(accent, readable_on(accent, LIGHT_BACKGROUNDS),
                    readable_on(accent, DARK_BACKGROUNDS))

    def _url(self, key: str, value: str | None = None, line: int | None = None) -> str:
        """A link an author gave: kept when a browser may follow it safely (http, https,
        mailto, tel, or a path of the site)."""
        url = (self.r.text(key) if value is None else value).strip()
        if url and not is_safe_url(url):
            self.diag.error(self.doc.path, line or self.doc.meta.line_of(key),
                            f"{key}: '{url}' is not a link sitegen writes into pages",
                            "use an https:// address or a path such as /images/x.png")
            self.r.ok = False
            return ""
        return url

    def _id(self, key: str) -> str:
        value = self.r.text(key)
        if value and slugify(value) != value:
            self.r.error(key, f"{key}: '{value}' is not an id",
                         "write the file name of the event without '.md'")
            return ""
        return value

    def _base_url(self) -> str:
        url = self.r.text("base_url")
        if url and (problem := base_url_problem(url)):
            self.r.error("base_url", f"base_url: {problem.removeprefix('base_url ')}")
            return ""
        return normalize_base_url(url) if url else ""

    def _template(self) -> str:
        name = self.r.text("template")
        if not name:
            return ""
        parts = Path(name).parts
        if Path(name).is_absolute() or ".." in parts or "\\" in name:
            self.r.error("template", f"template: '{name}' must be a template's name",
                         "e.g. campaign_festival.html, in templates/ or the theme's")
            return ""
        folders = (self.config.root / "templates", self.config.theme_dir / "templates")
        if not any((folder / name).is_file() for folder in folders):
            self.r.error("template", f"template: no template '{name}'",
                         f"looked in templates/ and {self.config.theme_dir / 'templates'}")
            return ""
        return name

    def _theme(self) -> str:
        name = self.r.text("theme")
        if name and theme_folder(self.config.root, name) is None:
            self.r.error("theme", f"theme: theme '{name}' not found",
                         f"looked in {self.config.root / 'themes'} and the themes that ship "
                         "with sitegen")
            return ""
        return name

    # ---- nested values --------------------------------------------------------------------

    def _items(self, key: str) -> list[YamlMapping]:
        meta = self.doc.meta
        items: list[YamlMapping] = self.r.get(key, partial(meta.mappings, key), [])
        for item in items:
            for unknown in (k for k in item.keys() if k not in _SUB_KEYS[key]):
                self.diag.warn(self.doc.path, item.line_of(unknown),
                               f"{key}: unknown key '{unknown}'",
                               did_you_mean(unknown, _SUB_KEYS[key]) or
                               f"known: {', '.join(_SUB_KEYS[key])}")
        return items

    def _field(self, key: str, item: YamlMapping, name: str, required: bool = False) -> str:
        value = self.r.get(key, partial(item.text, name), "").strip()
        if required and not value:
            self.diag.error(self.doc.path, item.line_of(name), f"{key}: each item needs "
                            f"a '{name}'", f"known keys: {', '.join(_SUB_KEYS[key])}")
            self.r.ok = False
        if value and name in ("url", "logo"):
            return self._url(f"{key}.{name}", value, item.line_of(name))
        return value

    def _call_to_action(self) -> CallToAction | None:
        key = "call_to_action"
        item = self.r.get(key, partial(self.doc.meta.mapping, key), None)
        if item is None:
            return None
        unknown = [k for k in item.keys() if k not in _SUB_KEYS[key]]
        if unknown:
            self.diag.warn(self.doc.path, item.line_of(unknown[0]),
                           f"{key}: unknown key '{unknown[0]}'", "a call to action has a "
                           "label and a url")
        label = self._field(key, item, "label", required=True)
        url = self._field(key, item, "url", required=True)
        return CallToAction(label, url) if label and url else None

    def _partners(self) -> tuple[Partner, ...]:
        key = "partners"
        return tuple(Partner(self._field(key, item, "name", required=True),
                             self._field(key, item, "url"), self._field(key, item, "logo"))
                     for item in self._items(key))

    def _coverage(self) -> tuple[Coverage, ...]:
        key = "coverage"
        found = []
        for item in self._items(key):
            title = self._field(key, item, "title", required=True)
            url = self._field(key, item, "url", required=True)
            when = None
            if not item.is_null("date"):
                # The item read as front matter of its own: dates checked the same way.
                when = FieldReader(replace(self.doc, meta=item), self.diag).moment(
                    "date", self.config.zone)
                self.r.ok = self.r.ok and when is not None
            found.append(Coverage(title, url, self._field(key, item, "source"),
                                  when.instant if when else None))
        return tuple(found)


def theme_folder(root: Path, name: str) -> Path | None:
    """A theme's folder, looked up as site.yaml's `theme` is; None when there is none."""
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        return None
    for candidate in (root / "themes" / name, BUILTIN_THEMES / name, SOURCE_THEMES / name):
        if (candidate / "templates").is_dir():
            return candidate
    return None


def campaign_files(root: Path) -> list[Path]:
    """The files under content/campaigns/ that may be campaigns, by name."""
    return item_files(root, CAMPAIGN_DIR, None, "campaign")


def unknown_campaign(root: Path, campaign_id: str) -> Problem | None:
    """The problem with `sitegen build --campaign ID` when the site has no campaign ID (also
    refusing ids that are not plain names: the id names folders of the cache)."""
    ids = [p.stem for p in campaign_files(root)]
    if campaign_id in ids:
        return None
    hint = did_you_mean(campaign_id, ids) or (
        f"campaigns: {', '.join(ids)}" if ids else
        f"create content/{CAMPAIGN_DIR}/{campaign_id}.md first")
    return Problem(None, None, f"--campaign: no campaign '{campaign_id}' in this site", hint)
