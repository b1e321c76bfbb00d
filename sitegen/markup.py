"""What a rendered body is and the settings that make it, and the text helpers that need no
Markdown: French spacing for titles, plain text and word counts of HTML.

Converting Markdown lives in `converting`, which imports Python-Markdown: a build whose
bodies all come from the cache loads only this module.
"""

from __future__ import annotations

import re
from dataclasses import field
from html import unescape

from sitegen.records import record

_TAGS = re.compile(r"<[^>]+>")
WORDS_PER_MINUTE = 200  # a common figure for reading on screen, in French as in English
# French spacing, only where the author typed a space: '18:30' and 'https://' stay as they are.
FRENCH_SPACING = ((re.compile("[ \u00a0]+([;:!?\u00bb])"), "\u202f\\1"),
                  (re.compile("\u00ab[ \u00a0]+"), "\u00ab\u202f"))


@record
class MarkupSettings:
    """Everything that changes the HTML of a body: part of the cache key of rendered bodies."""

    language: str = "en"
    root: str = "/"  # the site's sub-path, for root-relative links in bodies
    sanitize: bool = True
    embed_hosts: frozenset[str] = field(default_factory=frozenset)

    def stamp(self) -> str:
        """A stable text of these settings (a frozenset's repr changes order between runs)."""
        return f"{self.language}|{self.root}|{self.sanitize}|{','.join(sorted(self.embed_hosts))}"


@record
class RenderedBody:
    """A Markdown body made HTML by `converting`; cached by content key, so it is made once."""

    html: str
    summary_html: str  # the author's summary, the part before <!-- more -->, or 1st paragraph
    toc_html: str  # nested list of the body's headings ('' when fewer than 3)
    words: int
    removed: tuple[str, ...] = ()  # what the sanitizer took out, for warnings

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.words / WORDS_PER_MINUTE))


def typeset(text: str, language: str) -> str:
    """French spacing for text outside Markdown (titles): a narrow no-break space before
    ; : ! ? » and after «, where the author typed a space."""
    if not language.lower().startswith("fr"):
        return text
    for pattern, replacement in FRENCH_SPACING:
        text = pattern.sub(replacement, text)
    return text


def count_words(html: str) -> int:
    return len(unescape(_TAGS.sub(" ", html)).split())


def plain_text(html: str) -> str:
    """Text of an HTML fragment on one line, for meta descriptions and feeds' summaries."""
    return " ".join(unescape(_TAGS.sub(" ", html)).split())
