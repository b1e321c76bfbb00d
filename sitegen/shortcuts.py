"""Shortcuts through Python-Markdown's stock block processors: subclasses that skip a test
or a search which could not succeed on the block at hand, and give the same tree.

Every paragraph is offered to each processor in turn before it is found to be a paragraph,
and several of them search the whole block with a pattern starting `(?:^|\\n)` or `^` in
multi-line mode, which the regular expression engine tries at every position (a fifth of a
conversion). A string a match cannot do without, looked for first, settles most blocks. Each
shortcut says why it gives the stock answer; tests/test_converting_speed_equivalence.py holds
them to the stock processors, and the benchmark's floor (benchmarks/run.py) puts those back.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import markdown
from markdown import blockprocessors
from markdown.extensions import footnotes, tables


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
# them, or with a space.
_RULE_LINE_STARTS = ("\n-", "\n_", "\n*", "\n ")


class _QuickHR(blockprocessors.HRProcessor):
    def test(self, parent: ET.Element, block: str) -> bool:
        # The first line, or one of the others (found by its line break).
        may_hold_rule = block[:4].lstrip(" ")[:1] in ("-", "_", "*") or \
            any(start in block for start in _RULE_LINE_STARTS)
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


def quicken_blocks(md: markdown.Markdown) -> None:
    """Put the shortcuts in place of the stock processors, under their names and priorities
    (tables and footnotes must have been added)."""
    parser = md.parser
    stock_table, stock_footnotes = parser.blockprocessors["table"], \
        parser.blockprocessors["footnote"]
    assert isinstance(stock_table, tables.TableProcessor)
    assert isinstance(stock_footnotes, footnotes.FootnoteBlockProcessor)
    for name, priority, quick in (
            ("table", 75, _QuickTable(parser, stock_table.config)),  # type: ignore[attr-defined]
            ("hashheader", 70, _QuickHashHeader(parser)),
            ("setextheader", 60, _QuickSetextHeader(parser)),
            ("hr", 50, _QuickHR(parser)),
            ("quote", 20, _QuickBlockQuote(parser)),
            ("footnote", 17, _QuickFootnoteBlock(stock_footnotes.footnotes)),
            ("reference", 15, _QuickReference(parser))):
        parser.blockprocessors.register(quick, name, priority)
