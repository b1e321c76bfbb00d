"""Shortcuts through Python-Markdown's stock processors: subclasses that skip a test, a
search or a walk which could not change the result on the text at hand.

Every paragraph is offered to each block processor in turn before it is found to be a
paragraph, and several of them search the whole block with a pattern starting `(?:^|\\n)` or
`^` in multi-line mode, which the regular expression engine tries at every position (a fifth
of a conversion); a string a match cannot do without, looked for first, settles most blocks.
The same goes for a whole body in the preprocessors and the table of contents. Each shortcut
says why it gives the stock answer; tests/test_converting_speed_equivalence.py holds them to
the stock processors, and the benchmark's floor (benchmarks/run.py) puts those back.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import markdown
from markdown import blockprocessors, preprocessors, util
from markdown.extensions import footnotes, md_in_html, tables, toc


class _QuickHashHeader(blockprocessors.HashHeaderProcessor):
    def test(self, parent: ET.Element, block: str) -> bool:
        # A match holds its level's '#'.
        return "#" in block and super().test(parent, block)


class _QuickSetextHeader(blockprocessors.SetextHeaderProcessor):
    def test(self, parent: ET.Element, block: str) -> bool:
        # '^.*?\n(?:=+|-+)' matched at the start: the first line break is followed by a '='
        # or a '-'.
        return ("\n=" in block or "\n-" in block) and super().test(parent, block)


# A rule is a line of '-', '_' or '*' after at most three spaces: a line starting with one of
# them, or with a space. This finds such a line after the first, trying line breaks only.
_RULE_LINE = re.compile("\n[-_* ]")


class _QuickHR(blockprocessors.HRProcessor):
    def test(self, parent: ET.Element, block: str) -> bool:
        may_hold_rule = block[:4].lstrip(" ")[:1] in ("-", "_", "*") or \
            _RULE_LINE.search(block) is not None
        return may_hold_rule and super().test(parent, block)


class _QuickBlockQuote(blockprocessors.BlockQuoteProcessor):
    def test(self, parent: ET.Element, block: str) -> bool:
        # A match holds its '>'.
        return ">" in block and super().test(parent, block)


class _QuickTable(tables.TableProcessor):
    def test(self, parent: ET.Element, block: str) -> bool:
        # A table's first row splits into two cells or more, or has a border: either way it
        # holds a '|'. (The stock test also resets `border`, which only `run` reads, after a
        # test that succeeded and set it again.)
        return "|" in block and super().test(parent, block)


class _QuickReference(blockprocessors.ReferenceProcessor):
    def run(self, parent: ET.Element, blocks: list[str]) -> bool | None:
        # A link definition holds ']:'; without one the stock run puts the block back where it
        # was and returns False.
        return "]:" in blocks[0] and super().run(parent, blocks)


class _QuickFootnoteBlock(footnotes.FootnoteBlockProcessor):
    def run(self, parent: ET.Element, blocks: list[str]) -> bool | None:
        # A footnote definition holds '[^'; as for _QuickReference.
        return "[^" in blocks[0] and super().run(parent, blocks)


class _QuickNormalizeWhitespace(preprocessors.NormalizeWhitespace):
    def run(self, lines: list[str]) -> list[str]:
        """Python-Markdown's own (3.x) but for one pattern."""
        source = "\n".join(lines)
        source = source.replace(util.STX, "").replace(util.ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        source = source.expandtabs(self.md.tab_length)
        return _BLANK_LINE_SPACES.sub("\n", source).split("\n")


# Lines of spaces only made empty. The stock pattern, '(?<=\n) +\n', is tried at every position
# of the body; starting with the line break, this one is tried at line breaks only, and takes
# the same spaces (those of a whole line, between two line breaks).
_BLANK_LINE_SPACES = re.compile("\n +(?=\n)")


class _QuickHtmlBlock(md_in_html.HtmlBlockPreprocessor):
    def run(self, lines: list[str]) -> list[str]:
        # Without a '<' or a '&', the HTML parser meets neither tag nor reference: it hands
        # the whole text back as data, which the stock run splits into lines again.
        source = "\n".join(lines)
        if "<" not in source and "&" not in source:
            return source.split("\n")
        return super().run(lines)


class _QuickToc(toc.TocTreeprocessor):
    def replace_marker(self, root: ET.Element, elem: ET.Element) -> None:
        # The marker is replaced where it is the whole text of an element: then it is in the
        # text of the body. Without it, the stock walk (which joins the text under every
        # element) finds nothing to replace.
        if self.marker in "".join(root.itertext()):
            super().replace_marker(root, elem)


def _quick_block_level(md: markdown.Markdown) -> None:
    """Prettify and attr_list ask of every element whether its tag is block-level, which the
    stock test looks up in a list of some 60 tags: a set answers the same, made once the
    extensions have added their tags (nothing changes the list after make_markdown)."""
    block_level = frozenset(md.block_level_elements)

    def is_block_level(tag: Any) -> bool:  # Markdown.is_block_level, with the set
        return isinstance(tag, str) and tag.lower().rstrip("/") in block_level

    md.is_block_level = is_block_level  # type: ignore[method-assign]


# Where each shortcut stands: its registry, name and priority. Each subclasses the stock
# processor it replaces, which restore_stock puts back from the same table.
_SHORTCUTS: tuple[tuple[str, str, int, type], ...] = (
    ("blocks", "table", 75, _QuickTable),
    ("blocks", "hashheader", 70, _QuickHashHeader),
    ("blocks", "setextheader", 60, _QuickSetextHeader),
    ("blocks", "hr", 50, _QuickHR),
    ("blocks", "quote", 20, _QuickBlockQuote),
    ("blocks", "footnote", 17, _QuickFootnoteBlock),
    ("blocks", "reference", 15, _QuickReference),
    ("pre", "normalize_whitespace", 30, _QuickNormalizeWhitespace),
    ("pre", "html_block", 20, _QuickHtmlBlock),
    ("tree", "toc", 5, _QuickToc),
)


def quicken(md: markdown.Markdown) -> None:
    """Put the shortcuts in place of the stock processors, under their names and priorities
    (md_in_html, tables, footnotes and toc must have been added: this comes last)."""
    _swap(md, quick=True)
    _quick_block_level(md)


def restore_stock(md: markdown.Markdown) -> markdown.Markdown:
    """The converter with Python-Markdown's own processors back in place of the shortcuts:
    the benchmark's floor measures them, and the tests hold the shortcuts to them."""
    _swap(md, quick=False)
    del md.is_block_level  # Markdown's own method again
    return md


def _swap(md: markdown.Markdown, quick: bool) -> None:
    """Each processor of the table replaced by its shortcut (or its stock class), made with
    what the one in place was made with."""
    registries: dict[str, util.Registry[Any]] = {
        "blocks": md.parser.blockprocessors, "pre": md.preprocessors, "tree": md.treeprocessors}
    for kind, name, priority, shortcut in _SHORTCUTS:
        registry = registries[kind]
        made = (shortcut if quick else shortcut.__bases__[0])(*_arguments(md, registry[name]))
        registry.register(made, name, priority)


def _arguments(md: markdown.Markdown, processor: object) -> tuple[Any, ...]:
    """What a processor of a converter is made with."""
    if isinstance(processor, tables.TableProcessor):
        return md.parser, processor.config  # type: ignore[attr-defined]  # set by __init__
    if isinstance(processor, footnotes.FootnoteBlockProcessor):
        return (processor.footnotes,)
    if isinstance(processor, toc.TocTreeprocessor):
        extension = next(e for e in md.registeredExtensions if isinstance(e, toc.TocExtension))
        return md, extension.getConfigs()
    if isinstance(processor, blockprocessors.BlockProcessor):
        return (md.parser,)
    return (md,)
