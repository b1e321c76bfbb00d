"""Converting bodies made faster gives byte for byte what it gave.

Each shortcut is held to what it replaced: the stock Python-Markdown processors, put back the
way the benchmark's floor puts them back, and copies of sitegen's own replaced code (the
oracles below, as they were at commit d864389). Whole `Renderer.render` results are compared
on generated Markdown — headings (duplicates, `{#id}`), `[TOC]` markers, quotes, dashes,
ellipses, French punctuation, code spans and blocks, raw HTML, footnotes, tables, rules,
quotes, link definitions, entities, control characters, empty text — in French and English,
sanitized or not.
"""

from __future__ import annotations

import functools
import re
import re._parser as _regex_parser
import subprocess
import sys
import xml.etree.ElementTree as ET
from html import escape, unescape
from pathlib import Path
from typing import Any

import markdown
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown.treeprocessors import InlineProcessor, Treeprocessor

import sitegen.converting as converting
from sitegen.converting import Renderer, make_markdown
from sitegen.markup import FRENCH_SPACING, MarkupSettings, RenderedBody
from sitegen.shortcuts import restore_stock

ROOT = Path(__file__).resolve().parent.parent

# --- the oracles: the replaced code, as it was ---------------------------------------------


class OldQuickInline(InlineProcessor):
    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self._patterns: list[Any] = []
        self._starts: list[frozenset[str] | None] = []

    def run(self, tree: ET.Element, ancestors: list[str] | None = None) -> ET.Element:
        patterns = list(self.inlinePatterns)
        if patterns != self._patterns:  # known once the extensions have added theirs
            self._patterns, self._starts = patterns, [old_starts_of_matches(p) for p in patterns]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, markdown.util.AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        start = 0
        while patternIndex < len(self._patterns):
            starts = self._starts[patternIndex]
            if starts is not None and not any(s in data for s in starts):
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = apply(self._patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


def old_starts_of_matches(pattern: Any) -> frozenset[str] | None:
    compile_ = getattr(pattern, "getCompiledRegExp", None)
    compiled = compile_() if callable(compile_) else None
    if not isinstance(compiled, re.Pattern) or compiled.flags & re.IGNORECASE:
        return None
    try:
        found = converting._starts(list(_regex_parser.parse(compiled.pattern, compiled.flags)))
    except Exception:  # a parser of another Python version: no shortcut
        return None
    return frozenset(found) if found else None


class OldTypography(Treeprocessor):
    SKIP = frozenset({"code", "pre", "kbd", "samp", "script", "style"})
    COMMON = (("---", "—"), ("--", "–"), ("...", "…"), ("'", "’"))
    OPENING = re.compile(r'(^|(?<=[\s(\[{—–/-]))"')
    FRENCH_SIGNS = re.compile("[;:!?\u00ab\u00bb]")  # what FRENCH_SPACING may space

    def __init__(self, md: markdown.Markdown, french: bool):
        super().__init__(md)
        self.french = french
        self.quotes = ("\u00ab\u202f", "\u202f\u00bb") if french else ("\u201c", "\u201d")

    def _fix(self, text: str | None) -> str | None:
        if not text:
            return text
        for old, new in self.COMMON:
            text = text.replace(old, new)
        if '"' in text:
            text = self.OPENING.sub(self.quotes[0], text).replace('"', self.quotes[1])
        if self.french and self.FRENCH_SIGNS.search(text):
            for pattern, replacement in FRENCH_SPACING:
                text = pattern.sub(replacement, text)
        return text

    def run(self, root: ET.Element) -> None:
        self._walk(root)

    def _walk(self, element: ET.Element) -> None:
        for child in element:
            if child.tag not in self.SKIP:
                child.text = self._fix(child.text)
                self._walk(child)
            child.tail = self._fix(child.tail)


def old_make_markdown(language: str, safe: bool = False, code: bool = True) -> markdown.Markdown:
    md = restore_stock(make_markdown(language, safe, code))
    french = language.split("-")[0].split("_")[0].lower() == "fr"
    md.treeprocessors.register(OldTypography(md, french), "typography", 1)
    md.treeprocessors.register(OldQuickInline(md), "inline", 20)
    return md


OLD_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


class OldRenderer(Renderer):
    """The renderer with the converters it had."""

    def render(self, body: str, summary: str = "", language: str = "") -> RenderedBody:
        text, has_more = converting.MORE_MARKER.subn(converting._MORE_TOKEN, body, count=1)
        language = language or self.settings.language
        md = self._converter(language, converting._may_hold_code(text))
        html, toc = self.convert(md, text)
        removed: list[str] = []
        if self.settings.sanitize:
            html, removed = self._made_safe(md, html, body)
        html = self._accessible(self._under_root(html), language)
        lead, _, rest = html.partition(converting._MORE_TOKEN)
        html = lead + rest
        if summary:
            summary_html = f"<p>{escape(summary)}</p>"
        elif has_more:
            summary_html = lead.strip()
        else:
            first = OLD_FIRST_PARAGRAPH.search(html)
            summary_html = first.group(0) if first else ""
        return RenderedBody(html, summary_html, toc, old_count_words(html), tuple(removed))

    def _converter(self, language: str, code: bool) -> markdown.Markdown:
        if (language, code) not in self._converters:
            self._converters[language, code] = old_make_markdown(
                language, self.settings.sanitize, code)
        return self._converters[language, code]


OLD_TAGS = re.compile(r"<[^>]+>")


def old_count_words(html: str) -> int:
    return len(unescape(OLD_TAGS.sub(" ", html)).split())


# --- generated Markdown ---------------------------------------------------------------------

INLINE = st.sampled_from([
    "mot", "Été", " ", "  ", "l'été", "'", '"', '"cité"', "(\"x\")", "--", "---", "-", "...",
    "..", "a-b", " : ", " ; ", " ! ", " ?", "?", ":", "«", "»", "« oui »", "\u00a0", "\u202f",
    "*em*", "**fort**", "_", "`code`", "``", "`l'code`", "<b>", "</b>", "<span>\"x\"</span>",
    "<!-- c -->", "&amp;", "&#32;", "&nbsp;", "&#39;", "&", "\\", "\\*", "\\[TOC\\]", "[TOC]",
    "[lien](/a \"t\")", "[a]", "[^1]", "[^n]", "<https://x.org>", "![i](/i.png)", "#", "##",
    "|", ">", "]:", "[^", "{#x}", "{: #y }", "{: .c }", "\x00", "\x02", "\x03", "\x1f", "\r",
    "\t", "=", "—", "/\"", "*\"x\"*", "«\u00a0", " »",
])
LINE_START = st.sampled_from([
    "", "", "", "# ", "## ", "### ", "#### ", "#", "> ", ">", "- ", "* ", "+ ", "1. ",
    "    ", "\t", "   ", " ", "  - ", "[^1]: ", "[^n]: ", "[a]: /x ", "| ", "|", "```",
    "~~~", "<div>", "<div markdown=\"1\">", "</div>", "---", "***", "___", "- - -", "===",
    "  ---", "   ***", "----", "-", "=", "[TOC]", "<!-- more -->", "<p>", "<pre>",
])
LINE_END = st.sampled_from(["", "", "", " {#x}", " {#x}", " {: #y }", " {: .c }", " #", " |",
                            "  ", " \\", ":", "---"])
LINE = st.builds(lambda start, words, end: start + "".join(words) + end,
                 LINE_START, st.lists(INLINE, max_size=6), LINE_END)
BLOCK_LINE = st.sampled_from([
    "", "", "[TOC]", "  [TOC]  ", "---", "===", "***", "___", "- - -", "|---|---|", "| a | b |",
    "a | b", "```python", "```", "~~~", "    code 'x'", "<div markdown=\"1\">", "</div>",
    "<!-- more -->", "[a]: https://example.org \"t\"", "[^1]: Une note.", "## Titre",
    "## Titre", "### Titre {#t}", "# Un", "Titre\n=====", "Titre\n-----", "> > cité",
    "   ", " ", "  \t ", " \r\n ", "\r", "AT&T va", "<div markdown=\"1\">\n[TOC]\n</div>",
    "- [TOC]", "> [TOC]", "## [TOC]", "`[TOC]`", "[TOC]  \nsuite", "*[TOC]*", "<br/>",
    "x &#32 y", "&#x41 z", "<!--more-->", "  <!-- MORE -->\t", "<!--\tmore\n-->",
    "<div></p></div>", "</p>", "<aside>\n</p>\n</aside>",
])
MARKDOWN = st.lists(st.one_of(LINE, BLOCK_LINE), max_size=25).map("\n".join)
SETTINGS = st.sampled_from([MarkupSettings(language, sanitize=safe)
                            for language in ("fr", "en") for safe in (True, False)])
FREE_TEXT = st.text(st.sampled_from(list("#>-=_*|[]^:!?;«» \u00a0\n\t\"'.`<>/{}()&x")),
                    max_size=60)


@functools.cache
def renderers(settings_: MarkupSettings) -> tuple[Renderer, OldRenderer]:
    """Kept from one example to the next, as a build keeps them from one body to the next."""
    return Renderer(settings_), OldRenderer(settings_)


def outcome(renderer: Renderer, body: str) -> RenderedBody | str:
    """What rendering gives, or the error it raises: Python-Markdown's attr_list makes an
    attribute without a value of '{:}', which the attribute check fails on (as it did)."""
    try:
        return renderer.render(body)
    except Exception as error:  # compared, not hidden
        return repr(error)


def assert_renders_the_same(body: str, settings_: MarkupSettings) -> None:
    new, old = renderers(settings_)
    assert outcome(new, body) == outcome(old, body)


@settings(max_examples=1500, deadline=None)
@given(MARKDOWN, SETTINGS)
@example("Titre\n-----\n\n  ---\n\n> x\n\n| a | b |\n|---|---|\n\n[a]: /x\n\n[^1]: n",
         MarkupSettings("fr"))
def test_generated_markdown_renders_as_before(body, settings_):
    assert_renders_the_same(body, settings_)


@settings(max_examples=800, deadline=None)
@given(FREE_TEXT, SETTINGS)
def test_free_text_renders_as_before(body, settings_):
    assert_renders_the_same(body, settings_)


def test_the_benchmark_corpus_renders_as_before(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate_site

    from sitegen.content import decode_text, split_front_matter

    generate_site(tmp_path, 80, seed=7)
    paths = sorted((tmp_path / "content").rglob("*.md")) + sorted((ROOT / "content").rglob("*.md"))
    for settings_ in (MarkupSettings("fr"), MarkupSettings("en", sanitize=False)):
        new, old = Renderer(settings_), OldRenderer(settings_)
        for path in paths:
            body = split_front_matter(decode_text(path.read_bytes()))[2]
            assert new.render(body) == old.render(body), path.name


TYPOGRAPHY_TEXT = st.one_of(st.none(), st.text(
    st.sampled_from(list("-.'\" \u00a0\u202f;:!?«»([{—–/a\n\x1f")), max_size=12))
TAGS = st.sampled_from(["p", "em", "a", "code", "pre", "span", "li"])


@st.composite
def text_trees(draw: st.DrawFn, depth: int = 3) -> ET.Element:
    """An element with texts and tails in it, some in code."""
    element = ET.Element(draw(TAGS))
    element.text, element.tail = draw(TYPOGRAPHY_TEXT), draw(TYPOGRAPHY_TEXT)
    if depth:
        element.extend(draw(st.lists(text_trees(depth - 1), max_size=3)))
    return element


@settings(max_examples=1500, deadline=None)
@given(text_trees(), st.booleans())
def test_typography_fixes_a_tree_as_it_did_text_by_text(tree, french):
    """All texts joined (the separator in some of them too) as each apart."""
    import copy

    from sitegen.typography import Typography

    md = make_markdown("fr")
    expected = copy.deepcopy(tree)
    OldTypography(md, french).run(expected)
    Typography(md, french).run(tree)
    assert ET.tostring(tree) == ET.tostring(expected)


def test_the_backwards_spacing_of_french_signs_mirrors_the_rule_it_replaces():
    """Typography reads FRENCH_SPACING's first rule backwards: a change there must be made
    there too."""
    from sitegen.typography import Typography

    assert FRENCH_SPACING[0] == (re.compile("[ \u00a0]+([;:!?\u00bb])"), "\u202f\\1")
    assert Typography.SPACED_SIGN_BACKWARDS.pattern == "([;:!?\u00bb])[ \u00a0]+"


# --- the benchmark's floor -------------------------------------------------------------------


def test_the_benchmark_floor_converts_with_stock_processors_only(tmp_path):
    """The floor is Python-Markdown alone: none of sitegen's processors may stay in it."""
    from benchmarks.run import FLOOR_SCRIPT

    setup = FLOOR_SCRIPT.split("start = time.perf_counter()")[0]
    (tmp_path / "content" / "posts").mkdir(parents=True)
    listing = ("for registry in (converter.preprocessors, converter.parser.blockprocessors,"
               " converter.inlinePatterns, converter.treeprocessors, converter.postprocessors):"
               "\n    for item in registry: print(type(item).__module__, type(item).__name__)"
               "\nprint(converter.is_block_level.__module__, 'is_block_level')")
    done = subprocess.run([sys.executable, "-c", setup + listing, str(tmp_path)], text=True,
                          capture_output=True, check=True, cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": ""})
    modules = {line.split()[0] for line in done.stdout.splitlines()}
    assert modules and all(module.startswith("markdown.") for module in modules), done.stdout
