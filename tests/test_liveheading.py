"""The update heading of a live file: its grammar read exactly, errors that say what to
write, and (fuzzed) any line an author types gives an update or a clear error, never a crash;
what `sitegen live add` writes reads back as it was meant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.liveheading import (
    Heading,
    HeadingError,
    format_heading,
    looks_like_update,
    parse_heading,
)

PARIS = ZoneInfo("Europe/Paris")
DAKAR = ZoneInfo("Africa/Dakar")


@pytest.mark.parametrize("line, expected", [
    ("## 2026-05-19 07:45+00:00 | stan | pinned | Départ de Dakar",
     Heading(datetime(2026, 5, 19, 7, 45, tzinfo=UTC), "stan", True, "Départ de Dakar")),
    ("## 2026-05-19 07:45", Heading(datetime(2026, 5, 19, 7, 45, tzinfo=PARIS))),
    ("## 2026-05-19 07:45:30 | stan",
     Heading(datetime(2026, 5, 19, 7, 45, 30, tzinfo=PARIS), "stan")),
    ("## 2026-05-19 07:45 | pinned", Heading(datetime(2026, 5, 19, 7, 45, tzinfo=PARIS),
                                             pinned=True)),
    ("## 2026-05-19 07:45 | pinned | Arrivée",
     Heading(datetime(2026, 5, 19, 7, 45, tzinfo=PARIS), "", True, "Arrivée")),
    ("## 2026-05-19 07:45 | Léa Dupont | Arrivée",
     Heading(datetime(2026, 5, 19, 7, 45, tzinfo=PARIS), "Léa Dupont", False, "Arrivée")),
    ("## 2026-05-19 07:45 |  | Sans auteur",
     Heading(datetime(2026, 5, 19, 7, 45, tzinfo=PARIS), "", False, "Sans auteur")),
    ("## 2026-05-19 07:45 | stan | Pause | déjeuner",
     Heading(datetime(2026, 5, 19, 7, 45, tzinfo=PARIS), "stan", False, "Pause | déjeuner")),
    ("## 2026-05-19T07:45Z | stan", Heading(datetime(2026, 5, 19, 7, 45, tzinfo=UTC), "stan")),
    ("## 2026-05-19 07:45-0500 | stan",
     Heading(datetime(2026, 5, 19, 12, 45, tzinfo=UTC), "stan")),
    ("## 2026-05-19 07:45 | stan | PINNED  ",
     Heading(datetime(2026, 5, 19, 7, 45, tzinfo=PARIS), "stan", True)),
])
def test_the_grammar(line, expected):
    assert looks_like_update(line)
    assert parse_heading(line, PARIS) == expected


def test_a_time_without_offset_is_read_in_the_events_zone():
    paris = parse_heading("## 2026-05-19 09:45", PARIS).instant
    dakar = parse_heading("## 2026-05-19 07:45", DAKAR).instant
    assert paris == dakar == datetime(2026, 5, 19, 7, 45, tzinfo=UTC)


@pytest.mark.parametrize("line", [
    "## Programme", "## 2026 : une année de vélo", "### 2026-05-19 07:45 | stan",
    "# 2026-05-19 07:45", "## 10 ans de l’association", "Texte 2026-05-19 07:45",
])
def test_other_headings_are_not_updates(line):
    assert not looks_like_update(line)


@pytest.mark.parametrize("line, message", [
    ("## 2026-05-19 7h45 | stan",
     "update heading '## 2026-05-19 7h45 | stan': the time must be YYYY-MM-DD HH:MM[:SS] "
     "with an optional offset"),
    ("## 2026-05-19", "update heading '## 2026-05-19' has no time of day"),
    ("## 19/05/2026 07:45 | stan", "update heading '## 19/05/2026 07:45 | stan': the time "
     "must be YYYY-MM-DD HH:MM[:SS] with an optional offset"),
    ("##2026-05-19 07:45", "update heading '##2026-05-19 07:45': write '## ' then the time"),
    ("## 2026-02-30 07:45", "update heading: '2026-02-30 07:45' is not a real date (day is "
     "out of range for month)"),
    ("## 2026-05-19 25:45", "update heading: '2026-05-19 25:45' is not a real time of day"),
    ("## 2026-05-19 07:45 Départ", "update heading: 'Départ' after the time"),
])
def test_malformed_headings_say_what_is_wrong(line, message):
    assert looks_like_update(line)
    with pytest.raises(HeadingError) as info:
        parse_heading(line, PARIS)
    assert info.value.message == message
    assert info.value.hint


def test_format_refuses_what_a_heading_cannot_hold():
    moment = datetime(2026, 5, 19, 7, 45, tzinfo=PARIS)
    for kwargs in ({"author": "a | b"}, {"title": "deux\nlignes"}, {"title": "pinned"}):
        with pytest.raises(ValueError):
            format_heading(moment, **kwargs)


# ---- fuzz -----------------------------------------------------------------------------------

WORD = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"],
                             exclude_characters="|"), max_size=12)
PIECES = st.sampled_from(["## ", "##", "###", " | ", "|", "pinned", "2026-05-19", " 07:45",
                          ":30", "+02:00", "Z", "-0530", "T", " ", "\t", "é", "19/05/2026",
                          "99", "2026-13-40 24:61"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(PIECES, WORD), max_size=10))
def test_any_line_gives_an_update_or_a_clear_error(pieces):
    line = "".join(pieces)
    if not looks_like_update(line):
        return
    try:
        heading = parse_heading(line, PARIS)
    except HeadingError as exc:
        assert exc.message.startswith("update heading") and "\n" not in exc.message
    else:
        assert heading.instant.tzinfo is not None
        assert "|" not in heading.author


def _clean(text: str) -> str:
    return " ".join(text.split())


INSTANTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31),
                        timezones=st.sampled_from([UTC, PARIS, DAKAR,
                                                   timezone(timedelta(hours=5, minutes=30))]))
NAMES = WORD.map(_clean)


@settings(max_examples=300, deadline=None)
@given(INSTANTS, NAMES, st.booleans(), NAMES)
def test_what_live_add_writes_reads_back(instant, author, pinned, title):
    if title.lower() == "pinned":
        title += "!"
    if author.lower() == "pinned":
        author += "!"
    line = format_heading(instant, author, pinned, title)
    heading = parse_heading(line, PARIS)
    # The same instant, compared in UTC: a time in a daylight-saving gap or overlap (02:30 in
    # Paris on the last Sunday of March) is never equal to one in another zone (PEP 495).
    assert heading.instant.astimezone(UTC) == instant.replace(microsecond=0).astimezone(UTC)
    assert heading.instant.utcoffset() == instant.utcoffset()  # the offset written is kept
    assert (heading.author, heading.pinned, heading.title) == (author, pinned, title)


def test_a_time_in_the_spring_gap_reads_back_as_the_instant_written():
    skipped = datetime(2036, 3, 30, 2, 0, tzinfo=PARIS)  # clocks jump from 02:00 to 03:00
    heading = parse_heading(format_heading(skipped), PARIS)
    assert heading.instant.isoformat() == "2036-03-30T02:00:00+01:00"
    assert heading.instant.astimezone(UTC) == datetime(2036, 3, 30, 1, 0, tzinfo=UTC)
