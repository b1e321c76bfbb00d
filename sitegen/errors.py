"""Problems found in a site's sources: where they are, what is wrong, how to fix it.

Every stage reports through a `Diagnostics` collector instead of raising on the first problem,
so one run tells the author about every independent mistake. A stage that cannot go on raises
`BuildError` carrying everything collected so far.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.records import record


@record
class Problem:
    """One error or warning, printed as `path:line: message (hint)`."""

    path: Path | None
    line: int | None
    message: str
    hint: str = ""
    level: str = "error"  # 'error', 'warning', or 'note' (information, never fails a build)

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        hint = f" ({_one_line(self.hint)})" if self.hint else ""
        kind = "" if self.is_error else f"{self.level}: "
        return f"{where}{kind}{_one_line(self.message)}{hint}"


def _one_line(text: str) -> str:
    """Authors' values may hold line breaks; a problem must stay on one line."""
    return " ".join(text.splitlines()) if "\n" in text or "\r" in text else text


class BuildError(Exception):
    """Raised when sources have errors; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type, tuple[tuple[Problem, ...]]]:
        # Worker processes send errors back pickled: keep the problems, not the message.
        return (type(self), (self.problems,))


@dataclass
class Diagnostics:
    """Collects errors and warnings from every stage of one build."""

    root: Path | None = None
    problems: list[Problem] = field(default_factory=list)

    def _shown(self, path: Path | None) -> Path | None:
        # Messages name files relative to the site, as the author sees them in the editor.
        if path is None or self.root is None:
            return path
        try:
            return path.relative_to(self.root)
        except ValueError:
            return path

    def error(self, path: Path | None, line: int | None, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self._shown(path), line, message, hint, "error"))

    def warn(self, path: Path | None, line: int | None, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self._shown(path), line, message, hint, "warning"))

    def note(self, path: Path | None, line: int | None, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self._shown(path), line, message, hint, "note"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "note"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise BuildError(self.errors)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A 'did you mean …?' hint for a misspelt key or id, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
