"""Slugs: the URL-safe names of posts, tags and authors."""

from __future__ import annotations

from functools import lru_cache

from slugify import slugify as _slugify

# Apostrophes join words in French (« l’été » → « lete »), they never separate them.
_REPLACEMENTS = [["’", ""], ["'", ""], ["ʼ", ""]]


@lru_cache(maxsize=65536)  # tags and authors repeat across thousands of posts
def slugify(text: str) -> str:
    """Lower-case ASCII words joined by '-', accents transliterated.

    'L’été à vélo' → 'lete-a-velo'.
    """
    return str(_slugify(text, replacements=_REPLACEMENTS, max_length=120, word_boundary=True))


def is_safe_segment(slug: str) -> bool:
    """True when a slug given by an author can be one path segment of the output."""
    return bool(slug) and slug not in {".", ".."} and not any(c in slug for c in "/\\\0")
