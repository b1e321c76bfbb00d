"""What Babel says about the site's language: a day spelled out, the plural form of a number,
the full locale.

Each answer is kept for the process, and a build hands its answers to the next through the
build cache (`remembered`, `recall`): Babel's import and a language's CLDR data cost ~25 ms a
process, which a rebuild after an edit, spelling no new day, no longer pays.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

# (question, locale, value) -> answer. Values are dates and numbers: small, picklable keys.
Answers = dict[tuple[str, str, object], str]
_answers: Answers = {}
MAX_REMEMBERED = 100_000  # answers handed on; beyond, a build starts afresh (many languages)


def day_text(day: date, locale: str) -> str:
    """'21 mars 2018' in French, 'March 21, 2018' in English: CLDR's long date format."""
    return _answer(("day", locale, day), lambda: _babel_day(day, locale))


def plural_form(locale: str, n: float) -> str:
    """The CLDR plural category of `n` in `locale`: 'one', 'many', 'other' …"""
    return _answer(("plural", locale, n), lambda: _plural_rule(locale)(n))


def likely_subtags(locale: str) -> str:
    """The full locale CLDR takes `locale` to mean: 'fr' → 'fr_Latn_FR'."""
    return _answer(("likely", locale, ""), lambda: _babel_likely(locale))


def _answer(key: tuple[str, str, object], ask: Callable[[], object]) -> str:
    answer = _answers.get(key)
    if answer is None:
        answer = _answers[key] = str(ask())
    return answer


def _babel_day(day: date, locale: str) -> object:
    from babel.dates import format_date

    return format_date(day, "long", locale=locale)


def _babel_likely(locale: str) -> object:
    from babel.core import get_global

    return get_global("likely_subtags").get(locale, locale)


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
