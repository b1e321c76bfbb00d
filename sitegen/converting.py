"""Markdown to HTML: Python-Markdown configured once per language, bodies made safe,
links moved under the site's sub-path, summaries derived.

This is the expensive step of a build; it works on `Source` text only (no model objects), so
its results can be cached by content hash and computed in other processes. It is imported
only when a body is converted (see `bodies`): Python-Markdown, its extensions and Pygments
cost ~30 ms to import, which a build taking every body from the cache does without.
"""

from __future__ import annotations

import re
import re._parser as _regex_parser  # reads the inline patterns, see _QuickInline
import xml.etree.ElementTree as ET
from html import escape, unescape
from typing import Any

import markdown
from markdown.extensions import (
    Extension,
    attr_list,
    footnotes,
    md_in_html,
    tables,
    toc,
)
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from sitegen.markup import MarkupSettings, RenderedBody, count_words
from sitegen.sanitize import NEEDS_SANITIZING, attribute_verdict, sanitize
from sitegen.shortcuts import quicken
from sitegen.slugs import slugify
from sitegen.typography import TypographyExtension
from sitegen.urls import Urls

MORE_MARKER = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*$", re.M | re.I)
_MORE_TOKEN = "<!-- sitegen:more -->"
_ROOT_LINK = re.compile(r"""(\s(?:href|src|poster)=)(["'])(/(?!/)[^"']*)""")

_TEXTS = {
    "fr": {"permalink": "Lien vers cette section", "backlink": "Retour à l’appel de note %d",
           "table": "Tableau"},
    "en": {"permalink": "Link to this section", "backlink": "Back to reference %d",
           "table": "Table"},
}
# Screen readers read a link's text, not its title: give '#' and '↩' links a real name.
_TITLED_LINK = re.compile(r'(<a class="(?:headerlink|footnote-backref)" href="[^"]*") '
                          r'title="([^"]*)"')
_TABLE_OPEN = re.compile(r"<table(?=[\s>])")


def _first_paragraph(html: str) -> str:
    """The first '<p>…</p>' (what r"<p>(.*?)</p>" with re.S matches: if the first '<p>' has
    no '</p>' after it, no later one has), found without trying the pattern at every
    position."""
    start = html.find("<p>")
    end = html.find("</p>", start + 3) if start >= 0 else -1
    return html[start:end + 4] if end >= 0 else ""


def _texts(language: str) -> dict[str, str]:
    return _TEXTS.get(language.split("-")[0].split("_")[0].lower(), _TEXTS["en"])


class _SafeAttributes(Treeprocessor):
    """Checks every attribute of the elements Markdown made (a link's `javascript:` URL,
    an `onclick` added with `{: … }`) by the sanitizer's rules; raw HTML is not in the tree
    yet, the sanitizer itself sees it."""

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self.removed: list[str] = []

    def run(self, root: ET.Element) -> None:
        self.removed = []
        for element in root.iter():
            for name, value in list(element.attrib.items()):
                # Python-Markdown keeps character references in attributes; browsers decode
                # them, so '&#58;' is a ':' here. attr_list makes a bare key ('{: x}') an
                # attribute without a value.
                verdict = attribute_verdict(str(element.tag), name,
                                            None if value is None else unescape(value))
                if verdict is not None:
                    del element.attrib[name]
                    if verdict and verdict not in self.removed:
                        self.removed.append(verdict)


class _QuickInline(InlineProcessor):
    """Python-Markdown's inline pass tries each of its 15 patterns on every piece of text
    (40% of a conversion); this one skips a pattern when the text holds none of the strings
    its matches start with ('[', '*', '<', '  \\n' …), which it could not match. The strings
    are read from the patterns themselves; a pattern too intricate to tell is always tried.
    The loop is Python-Markdown's own (3.x), with that test added.

    Which strings the text holds is looked up once, as it comes in: a pattern applied
    replaces what it matched by a placeholder (STX, 'klzzwxh:', digits, ETX), which adds
    none of these strings, within it or with its neighbours (strings holding a character of a
    placeholder are not used), so a string the text lacked it still lacks."""

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self._patterns: list[Any] = []
        self._starts: list[frozenset[str] | None] = []
        self._all_starts: frozenset[str] = frozenset()

    def run(self, tree: ET.Element, ancestors: list[str] | None = None) -> ET.Element:
        patterns = list(self.inlinePatterns)
        if patterns != self._patterns:  # known once the extensions have added theirs
            self._patterns, self._starts = patterns, [_starts_of_matches(p) for p in patterns]
            self._all_starts = frozenset().union(*filter(None, self._starts))
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, markdown.util.AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        present = {s for s in self._all_starts if s in data}
        start = 0
        while patternIndex < len(self._patterns):
            starts = self._starts[patternIndex]
            if starts is not None and starts.isdisjoint(present):
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = apply(self._patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


def _starts_of_matches(pattern: Any) -> frozenset[str] | None:
    """The strings one of which every match of an inline pattern starts with; None if the
    pattern is not simple enough to tell."""
    compile_ = getattr(pattern, "getCompiledRegExp", None)
    compiled = compile_() if callable(compile_) else None
    if not isinstance(compiled, re.Pattern) or compiled.flags & re.IGNORECASE:
        return None
    try:
        found = _starts(list(_regex_parser.parse(compiled.pattern, compiled.flags)))
    except Exception:  # a parser of another Python version: no shortcut
        return None
    if not found or any(not _PLACEHOLDER_SIGNS.isdisjoint(s) for s in found):
        return None
    return frozenset(found)


# The characters of Python-Markdown's inline placeholders (see _QuickInline).
_PLACEHOLDER_SIGNS = frozenset(markdown.util.INLINE_PLACEHOLDER % "0123456789")


_ZERO_WIDTH = {"ASSERT", "ASSERT_NOT", "AT"}


def _starts(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The strings one of which a match of this parsed sequence starts with, or None."""
    prefix = ""
    for op, value in items:
        kind = str(op)
        if kind == "LITERAL":
            prefix += chr(value)
            continue
        if prefix:
            break
        if kind in _ZERO_WIDTH:
            continue
        if kind == "SUBPATTERN" and value[1] & re.IGNORECASE:  # (?i:…)
            return None
        if kind in ("SUBPATTERN", "ATOMIC_GROUP"):
            return _starts(list(value[-1] if kind == "SUBPATTERN" else value))
        if kind == "BRANCH":
            branches = [_starts(list(branch)) for branch in value[1]]
            return None if None in branches else set().union(*branches)  # type: ignore[arg-type]
        if kind == "IN" and all(str(o) == "LITERAL" for o, _ in value):
            return {chr(v) for _, v in value}
        if kind.endswith("_REPEAT") and value[0] >= 1:
            return _starts(list(value[2]))
        return None
    return {prefix} if prefix else None


class _SafeAttributesExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_SafeAttributes(md), "safe_attributes", 0.5)


def _toc_slug(value: str, separator: str) -> str:
    return slugify(value) or "section"


# A body without a fence or an indented line (four spaces or a tab, anywhere: in a list or
# a quote too) holds no code block, and converts the same without fenced_code and codehilite,
# whose Pygments and importlib.metadata take ~14 ms to import: a new process converting such
# a body (one edited post) does without them. Raw HTML counts as a sign too: the spaces left
# around stashed HTML blocks can join into an indented line ("<!-- a -->  <!-- b -->  ").
_CODE_SIGNS = ("```", "~~~", "\t", "    ", "<")  # substring tests: faster than an alternation


def _may_hold_code(text: str) -> bool:
    return any(sign in text for sign in _CODE_SIGNS)


def make_markdown(language: str, safe: bool = False, code: bool = True) -> markdown.Markdown:
    """One configured converter; reused (with reset) for every body of that language.
    `safe` checks the attributes Markdown makes (see _SafeAttributes); without `code`, code
    blocks are not highlighted (for bodies that have none)."""
    primary = language.split("-")[0].split("_")[0].lower()
    texts = _texts(language)
    # Extensions as objects, not names: a name makes Python-Markdown list every installed
    # package's entry points (importlib.metadata, ~40 ms of each build's start).
    extensions: list[Extension] = [
        tables.TableExtension(), *_code_blocks(code),
        footnotes.FootnoteExtension(BACKLINK_TITLE=texts["backlink"]),
        attr_list.AttrListExtension(),
        toc.TocExtension(permalink="#", permalink_title=texts["permalink"],
                         slugify=_toc_slug, toc_depth="2-3"),
        md_in_html.MarkdownInHtmlExtension(), TypographyExtension(primary == "fr")]
    if safe:
        extensions.append(_SafeAttributesExtension())
    md = markdown.Markdown(output_format="html", extensions=extensions)
    md.treeprocessors.register(_QuickInline(md), "inline", 20)  # replaces the plain one
    quicken(md)  # stock processors that skip what cannot change the result
    return md


def _code_blocks(code: bool) -> list[Extension]:
    """Fenced code blocks, and highlighting (fenced_code imports codehilite: see
    _may_hold_code)."""
    if not code:
        return []
    from markdown.extensions import codehilite, fenced_code

    return [fenced_code.FencedCodeExtension(),
            codehilite.CodeHiliteExtension(css_class="highlight", guess_lang=False)]


class Renderer:
    """Renders bodies with one converter per language."""

    def __init__(self, settings: MarkupSettings):
        self.settings = settings
        self._converters: dict[tuple[str, bool], markdown.Markdown] = {}

    def _converter(self, language: str, code: bool) -> markdown.Markdown:
        if (language, code) not in self._converters:
            self._converters[language, code] = make_markdown(language, self.settings.sanitize,
                                                             code)
        return self._converters[language, code]

    @staticmethod
    def convert(md: markdown.Markdown, text: str) -> tuple[str, str]:
        md.reset()
        html = md.convert(text)
        # The toc extension leaves its results on the converter.
        tokens = getattr(md, "toc_tokens", [])
        headings = len(tokens) + sum(len(t["children"]) for t in tokens)
        return html, str(getattr(md, "toc", "")) if headings >= 3 else ""

    def render(self, body: str, summary: str = "", language: str = "") -> RenderedBody:
        """Render a Markdown body; `summary` is the author's plain-text summary, if any."""
        # The marker's pattern is tried at every line start; a body without '<!--' has none.
        text, has_more = MORE_MARKER.subn(_MORE_TOKEN, body, count=1) if "<!--" in body \
            else (body, 0)
        language = language or self.settings.language
        md = self._converter(language, _may_hold_code(text))
        html, toc = self.convert(md, text)
        removed: list[str] = []
        if self.settings.sanitize:
            html, removed = self._made_safe(md, html, body)
        html = self._accessible(self._under_root(html), language)
        lead, _, rest = html.partition(_MORE_TOKEN)
        html = lead + rest
        if summary:
            summary_html = f"<p>{escape(summary)}</p>"
        elif has_more:
            summary_html = lead.strip()
        else:
            summary_html = _first_paragraph(html)
        return RenderedBody(html, summary_html, toc, count_words(html), tuple(removed))

    def _made_safe(self, md: markdown.Markdown, html: str, body: str) -> tuple[str, list[str]]:
        """What the attribute check removed from Markdown's own elements, and raw HTML run
        through the sanitizer (part by part: the 'more' marker is a comment it would drop)."""
        checker = md.treeprocessors["safe_attributes"]
        assert isinstance(checker, _SafeAttributes)
        removed = list(checker.removed)
        if NEEDS_SANITIZING.search(body):
            parts = [sanitize(part, self.settings.embed_hosts)
                     for part in html.split(_MORE_TOKEN)]
            html = _MORE_TOKEN.join(part for part, _ in parts)
            removed = list(dict.fromkeys(removed + [r for _, found in parts for r in found]))
        return html, removed

    @staticmethod
    def _accessible(html: str, language: str) -> str:
        """Name the heading anchors and footnote back-links; let wide tables scroll in a
        focusable region instead of widening the page."""
        html = _TITLED_LINK.sub(r'\1 aria-label="\2"', html)
        if "<table" in html:
            label = _texts(language)["table"]
            html = _TABLE_OPEN.sub(f'<div class="table-wrap" role="region" tabindex="0" '
                                   f'aria-label="{label}"><table', html)
            html = html.replace("</table>", "</table></div>")
        return html

    def _under_root(self, html: str) -> str:
        """Root-relative links in bodies ('/images/x.png') move under a sub-path base_url."""
        if self.settings.root == "/":
            return html
        urls = Urls("https://site.invalid" + self.settings.root)
        return _ROOT_LINK.sub(
            lambda m: m.group(1) + m.group(2) + urls.resolve_body_link(m.group(3)), html)

