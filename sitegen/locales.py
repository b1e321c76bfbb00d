"""What Babel says about the site's language: a day spelled out, the plural form of a number,
the full locale.

Each answer is kept for the process, and a build hands its answers to the next through the
build cache (`remembered`, `recall`): Babel's import and a language's CLDR data cost ~25 ms a
process, which a rebuild after an edit, spelling no new day, no longer pays.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

# (question, locale, value) -> answer. Values are dates and numbers: small, picklable keys.
Answers = dict[tuple[str, str, object], str]
_answers: Answers = {}
MAX_REMEMBERED = 100_000  # answers handed on; beyond, a build starts afresh (many languages)


def day_text(day: date, locale: str) -> str:
    """'21 mars 2018' in French, 'March 21, 2018' in English: CLDR's long date format."""
    key = ("day", locale, day)
    text = _answers.get(key)
    if text is None:
        from babel.dates import format_date

        text = _answers[key] = str(format_date(day, "long", locale=locale))
    return text


def plural_form(locale: str, n: float) -> str:
    """The CLDR plural category of `n` in `locale`: 'one', 'many', 'other' …"""
    key = ("plural", locale, n)
    form = _answers.get(key)
    if form is None:
        form = _answers[key] = str(_plural_rule(locale)(n))
    return form


def likely_subtags(locale: str) -> str:
    """The full locale CLDR takes `locale` to mean: 'fr' → 'fr_Latn_FR'."""
    key = ("likely", locale, "")
    text = _answers.get(key)
    if text is None:
        from babel.core import get_global

        text = _answers[key] = str(get_global("likely_subtags").get(locale, locale))
    return text


@lru_cache(maxsize=8)
def _plural_rule(locale: str) -> Any:  # a babel.plural.PluralRule
    from babel import Locale

    return Locale.parse(locale).plural_form


def remembered() -> Answers:
    """The answers this process knows, for the next build (none when there are too many)."""
    return dict(_answers) if len(_answers) <= MAX_REMEMBERED else {}


def recall(answers: Answers) -> None:
    """Take the answers an earlier build gave (same Babel: see the cache's stamp)."""
    _answers.update(answers)
