"""Slugs: the URL-safe names of posts, tags and authors."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache
from importlib import import_module

# Apostrophes join words in French (« l’été » → « lete »), they never separate them.
_REPLACEMENTS = [["’", ""], ["'", ""], ["ʼ", ""]]


MAX_LENGTH = 120
# python-slugify's own rules for ASCII text, without the rest of its pipeline (entities,
# normalisation, a transliteration tried for every call): slugs of headings are many.
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d)")
_NOT_SLUG = re.compile(r"[^-a-z0-9]+")
_DASHES = re.compile(r"-{2,}")


@lru_cache(maxsize=65536)  # tags and authors repeat across thousands of posts
def slugify(text: str) -> str:
    """Lower-case ASCII words joined by '-', accents transliterated.

    'L’été à vélo' → 'lete-a-velo'.
    """
    plain = text if text.isascii() else _transliterated(text)
    # python-slugify reads HTML entities ("&amp;") and cuts long slugs; other text it slugs
    # as its transliteration (a test compares them): the same result, much faster.
    if plain.isascii() and "&" not in plain and len(plain) <= MAX_LENGTH:
        return _ascii_slug(plain)
    from slugify import slugify as full_slugify  # ~5 ms to import, for the rare text it needs

    return str(full_slugify(text, replacements=_REPLACEMENTS, max_length=MAX_LENGTH,
                            word_boundary=True))


def _ascii_slug(text: str) -> str:
    plain = _DIGIT_COMMA.sub("", text.lower().replace("'", ""))
    return _DASHES.sub("-", _NOT_SLUG.sub("-", plain)).strip("-")


def _transliterated(text: str) -> str:
    """The text as python-slugify transliterates it: apostrophes out, then NFKD, then ASCII."""
    for old, new in _REPLACEMENTS:
        text = text.replace(old, new)
    return _transliterator()(unicodedata.normalize("NFKD", text))


@cache
def _transliterator() -> Callable[[str], str]:
    """The transliteration python-slugify uses: Unidecode when installed, else
    text-unidecode. Chosen once: python-slugify tries to import Unidecode on every call,
    and that failing import took most of a slug's time."""
    try:
        module = import_module("unidecode")
    except ModuleNotFoundError as error:
        if error.name != "unidecode":
            raise
        module = import_module("text_unidecode")
    transliterate: Callable[[str], str] = module.unidecode
    return transliterate


def is_safe_segment(slug: str) -> bool:
    """True when a slug given by an author can be one path segment of the output."""
    return bool(slug) and slug not in {".", ".."} and not any(c in slug for c in "/\\\0")
