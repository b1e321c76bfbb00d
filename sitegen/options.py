"""What a build is asked to do, and what it reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sitegen.errors import Problem
from sitegen.records import record


@record
class BuildOptions:
    """What one build is asked to do, by the command line or the preview."""

    source: Path
    output: Path | None = None  # default: <source>/public
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    strict: bool = False  # warnings fail the build
    campaign: str | None = None  # build this campaign alone, as its standalone microsite
    last: bool = False  # the process ends after this build: nothing is kept for a next one

    def output_folder(self, root: Path) -> Path:
        """`output`, else <root>/public, or <root>/public-<campaign> for a campaign's site."""
        return self.output or root / (f"public-{self.campaign}" if self.campaign else "public")


@dataclass
class BuildReport:
    """What a build did, for the CLI's summary and the preview's reload; lists its problems."""

    output: Path
    posts: int = 0
    pages: int = 0
    files: int = 0
    written: int = 0  # files whose bytes changed
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    made: int = 0  # files rendered or copied (the others were unchanged)
    outputs: list[str] = field(default_factory=list)  # every file of the output folder
    # Files written or removed, relative to `output`; None when not tracked (a large change).
    changed: tuple[str, ...] | None = ()
