"""Fixtures that write small throwaway sites into tmp_path and build them for real."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from sitegen.build import BuildOptions, BuildReport, build
from sitegen.errors import BuildError

# No time limit per example: on a shared CI machine a first example that loads data (Babel's
# locale files, a lazily imported module) can take a second, which says nothing about the
# code under test. Speed is measured by benchmarks/, not by tests.
settings.register_profile("sitegen", deadline=None)
settings.load_profile("sitegen")

SITE_YAML = """\
title: Test site
description: A site for tests
base_url: https://example.org/
language: fr
timezone: Europe/Paris
authors:
  alice:
    name: Alice Martin
    bio: Writes tests.
    social:
      mastodon: "@alice@example.social"
  bob:
    name: Bob Durand
"""


def post(title: str = "Un billet", date: str = "2025-03-21", body: str = "Du texte.",
         **fields: str) -> str:
    """A post file's text: front matter from keyword arguments (values written as given)."""
    lines = [f"title: {title}", f"date: {date}"] + [f"{k}: {v}" for k, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def campaign(title: str = "Une campagne", start: str = "2025-03-01", end: str = "2025-03-31",
             body: str = "Le texte de la campagne.", **fields: str) -> str:
    """A campaign file's text, as `post()` makes a post's."""
    lines = [f"title: {title}", f"start: {start}", f"end: {end}"]
    lines += [f"{k}: {v}" for k, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


class SiteMaker:
    """Writes files of a site (a dict of relative path -> text) and builds it."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, files: dict[str, str | bytes]) -> SiteMaker:
        for rel, content in files.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content) if rel.endswith(".yaml") else content,
                                encoding="utf-8")
        return self

    @property
    def output(self) -> Path:
        return self.root / "public"

    def build(self, **options) -> BuildReport:
        return build(BuildOptions(self.root, **options))

    def build_fails(self, **options) -> list[str]:
        """Build, expecting failure; return the problems as printed lines."""
        with pytest.raises(BuildError) as info:
            self.build(**options)
        return [str(p) for p in info.value.problems]

    def read(self, rel: str) -> str:
        return (self.output / rel).read_text(encoding="utf-8")


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., SiteMaker]:
    """make_site({"content/posts/a.md": post(...)}, site_yaml=...) -> SiteMaker."""

    def make(files: dict[str, str | bytes] | None = None,
             site_yaml: str = SITE_YAML) -> SiteMaker:
        site = SiteMaker(tmp_path / "site")
        site.write({"site.yaml": site_yaml, **(files or {})})
        return site

    return make
