"""What Babel says about the site's language: a day or a time of day spelled out, the plural
form of a number, the full locale.

Each answer is kept for the process, and a build hands its answers to the next through the
build cache (`remembered`, `recall`): Babel's import and a language's CLDR data cost ~25 ms a
process, which a rebuild after an edit, spelling no new day, no longer pays.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from functools import lru_cache
from typing import Any

# (question, locale, value) -> answer. Values are dates, times and numbers: small, picklable
# keys.
Answers = dict[tuple[str, str, object], str]
_answers: Answers = {}
MAX_REMEMBERED = 100_000  # answers handed on; beyond, a build starts afresh (many languages)


def day_text(day: date, locale: str, pattern: str = "long") -> str:
    """'21 mars 2018' in French, 'March 21, 2018' in English: CLDR's long date format; or
    the day in another of Babel's formats ('full', or a pattern such as 'EEEE d')."""
    question = "day" if pattern == "long" else f"day {pattern}"
    return _answer((question, locale, day), lambda: _babel_day(day, locale, pattern))


def time_text(moment: time, locale: str) -> str:
    """'18:30' in French, '6:30 PM' in English: CLDR's short time format. `moment` may carry
    its zone (a `timetz`), which the answer is kept under too."""
    zone = str(moment.tzinfo) if moment.tzinfo else ""
    key = (moment.replace(tzinfo=None), zone)
    return _answer(("time", locale, key), lambda: _babel_time(moment, locale))


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


def _babel_day(day: date, locale: str, pattern: str) -> object:
    from babel.dates import format_date

    return format_date(day, pattern, locale=locale)


def _babel_time(moment: time, locale: str) -> object:
    from babel.dates import format_time

    return format_time(moment, "short", locale=locale)


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
