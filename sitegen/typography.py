"""Typographic punctuation in converted bodies: curly quotes and apostrophes, dashes,
ellipses, and French spacing, as a pass over Python-Markdown's tree."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from sitegen.markup import FRENCH_SPACING


class Typography(Treeprocessor):
    """Typographic punctuation in one walk over the text (smarty's own inline pass doubled
    the cost of a conversion): curly apostrophes and quotes, ellipsis, dashes; and in French,
    « guillemets » and a narrow no-break space before ; : ! ? » so a line never starts with
    the sign alone. Code is left as written."""

    SKIP = frozenset({"code", "pre", "kbd", "samp", "script", "style"})
    # Literal replacements, in this order ('---' before '--'); str.replace is several times
    # faster than a regular expression, and this runs on every piece of text of every body.
    COMMON = (("---", "—"), ("--", "–"), ("...", "…"), ("'", "’"))
    # A quote opens at the start or after a space, bracket, dash or slash. Written as the
    # quote first, the pattern is tried at quotes only, not at every position.
    OPENING = re.compile(r'"(?:(?<=^")|(?<=[\s(\[{—–/-]"))')
    FRENCH_SIGNS = re.compile("[;:!?\u00ab\u00bb]")  # what FRENCH_SPACING may space
    # FRENCH_SPACING's first rule, '[ \u00a0]+([;:!?»])', is tried at every space. Read
    # backwards, its matches are a sign and the spaces before it, which a pattern starting
    # with the sign finds trying signs only: the text is reversed, spaced, reversed back.
    SPACED_SIGN_BACKWARDS = re.compile("([;:!?\u00bb])[ \u00a0]+")
    SPACED_GUILLEMET, GUILLEMET_SPACE = FRENCH_SPACING[1]  # '«' and the spaces after it
    # The texts of a body (some 80, most left as they are) are fixed joined by this, one
    # call per rule instead of one per text and rule. No rule matches across it: it is none
    # of their characters, and not the space FRENCH_SPACING looks for; and it is whitespace
    # to `\s`, so a quote opening a text opens as at the start of a text alone (OPENING's ^).
    SEPARATOR = "\x1f"

    def __init__(self, md: markdown.Markdown, french: bool):
        super().__init__(md)
        self.french = french
        self.quotes = ("\u00ab\u202f", "\u202f\u00bb") if french else ("\u201c", "\u201d")

    def _fix(self, text: str) -> str:
        for old, new in self.COMMON:
            text = text.replace(old, new)
        if '"' in text:
            text = self.OPENING.sub(self.quotes[0], text).replace('"', self.quotes[1])
        if self.french and self.FRENCH_SIGNS.search(text):
            text = self.SPACED_SIGN_BACKWARDS.sub("\\1\u202f", text[::-1])[::-1]
            text = self.SPACED_GUILLEMET.sub(self.GUILLEMET_SPACE, text)
        return text

    def run(self, root: ET.Element) -> None:
        slots: list[tuple[ET.Element, bool]] = []  # (element, whether its tail)
        texts: list[str] = []
        self._gather(root, slots, texts)
        joined = self.SEPARATOR.join(texts)
        if joined.count(self.SEPARATOR) == len(texts) - 1:  # no text holds the separator
            fixed = self._fix(joined).split(self.SEPARATOR)
        else:
            fixed = [self._fix(text) for text in texts]
        for (element, tail), old, new in zip(slots, texts, fixed, strict=True):
            if new == old:
                continue
            if tail:
                element.tail = new
            else:
                element.text = new

    def _gather(self, element: ET.Element, slots: list[tuple[ET.Element, bool]],
                texts: list[str]) -> None:
        """The non-empty texts and tails under `element`, outside code."""
        for child in element:
            if child.tag not in self.SKIP:
                if child.text:
                    slots.append((child, False))
                    texts.append(child.text)
                self._gather(child, slots, texts)
            if child.tail:
                slots.append((child, True))
                texts.append(child.tail)


class TypographyExtension(Extension):
    """Adds the typography pass, after the inline pass has made the text final."""

    def __init__(self, french: bool):
        super().__init__()
        self.french = french

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(Typography(md, self.french), "typography", 1)
