"""Slugs: the URL-safe names of posts, tags and authors."""

from __future__ import annotations

import re
from functools import lru_cache

from slugify import slugify as _slugify

# Apostrophes join words in French (« l’été » → « lete »), they never separate them.
_REPLACEMENTS = [["’", ""], ["'", ""], ["ʼ", ""]]


MAX_LENGTH = 120
# python-slugify's own rules for plain ASCII, without its per-character transliteration
# (which imports a table module per character: the slowest part of rendering headings).
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d)")
_NOT_SLUG = re.compile(r"[^-a-z0-9]+")
_DASHES = re.compile(r"-{2,}")


@lru_cache(maxsize=65536)  # tags and authors repeat across thousands of posts
def slugify(text: str) -> str:
    """Lower-case ASCII words joined by '-', accents transliterated.

    'L’été à vélo' → 'lete-a-velo'.
    """
    if text.isascii() and "&" not in text and len(text) <= MAX_LENGTH:
        # Same result as python-slugify (a test compares them), much faster.
        plain = _DIGIT_COMMA.sub("", text.lower().replace("'", ""))
        return _DASHES.sub("-", _NOT_SLUG.sub("-", plain)).strip("-")
    return str(_slugify(text, replacements=_REPLACEMENTS, max_length=MAX_LENGTH,
                        word_boundary=True))


def is_safe_segment(slug: str) -> bool:
    """True when a slug given by an author can be one path segment of the output."""
    return bool(slug) and slug not in {".", ".."} and not any(c in slug for c in "/\\\0")
