"""Creating things for authors: a new site (`init`), a new post or page (`new`)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen.slugs import slugify

SITE_YAML = """\
# Settings of the site: every key is documented in sitegen's README.
title: {title}
description: "A community blog built with sitegen"
base_url: "https://example.org/"
language: {language}
timezone: {timezone}
authors:
  me:
    name: "Your Name"
    bio: "A sentence about you."
social: {{}}
platforms: [mastodon, bluesky]
paginate: 10
"""

WELCOME = """\
---
title: {title}
date: {date}
author: me
tags: [{tag}]
summary: {summary}
---

{body}
"""

ABOUT = """\
---
title: {title}
---

{body}
"""

_TEXTS = {
    "fr": {"welcome": "Bienvenue", "summary": "Le premier billet du blog.",
           "body": "Ce billet a été créé par `sitegen init`. Modifiez-le, puis lancez "
                   "`sitegen build`.", "tag": "annonce", "about": "À propos",
           "about_body": "Présentez ici votre communauté."},
    "en": {"welcome": "Welcome", "summary": "The first post of the blog.",
           "body": "This post was created by `sitegen init`. Edit it, then run "
                   "`sitegen build`.", "tag": "news", "about": "About",
           "about_body": "Introduce your community here."},
}


class ScaffoldError(Exception):
    """A file or folder that would be overwritten, or a title that gives no file name."""


def _yaml_text(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def init_site(folder: Path, language: str = "fr", timezone: str = "Europe/Paris") -> list[Path]:
    """Create a working site in `folder` (which may exist but must not hold a site)."""
    if (folder / "site.yaml").exists():
        raise ScaffoldError(f"{folder / 'site.yaml'} already exists: not overwriting a site")
    texts = _TEXTS.get(language, _TEXTS["en"])
    now = datetime.now(ZoneInfo(timezone))
    files = {
        folder / "site.yaml": SITE_YAML.format(title=_yaml_text(folder.resolve().name),
                                               language=language, timezone=timezone),
        folder / "content" / "posts" / f"{now:%Y-%m-%d}-{slugify(texts['welcome'])}.md":
            WELCOME.format(title=_yaml_text(texts["welcome"]), date=f"{now:%Y-%m-%d %H:%M}",
                           tag=texts["tag"], summary=_yaml_text(texts["summary"]),
                           body=texts["body"]),
        folder / "content" / "pages" / f"{slugify(texts['about'])}.md":
            ABOUT.format(title=_yaml_text(texts["about"]), body=texts["about_body"]),
        folder / "static" / "images" / ".gitkeep": "",
        folder / ".gitignore": "/public/\n.sitegen-cache/\n",
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)


def new_item(root: Path, kind: str, title: str, zone: ZoneInfo, author: str | None) -> Path:
    """Create a post (dated, in content/posts/YYYY/) or a page, and return its path."""
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f"the title '{title}' gives no file name; use some letters")
    now = datetime.now(zone)
    if kind == "post":
        path = root / "content" / "posts" / f"{now:%Y}" / f"{now:%Y-%m-%d}-{slug}.md"
        lines = [f"title: {_yaml_text(title)}", f"date: {now:%Y-%m-%d %H:%M}"]
        if author:
            lines.append(f"author: {author}")
        lines += ["tags: []", "summary: \"\"", "draft: true"]
    else:
        path = root / "content" / "pages" / f"{slug}.md"
        lines = [f"title: {_yaml_text(title)}"]
    if path.exists():
        raise ScaffoldError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + "\n".join(lines) + "\n---\n\n", encoding="utf-8")
    return path
