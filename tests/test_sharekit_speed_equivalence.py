"""Share kits made faster are byte for byte what they were.

Each sped-up function is held to a copy of the code it replaced (the oracles below, as they
were at commit cf9e6a1), on generated titles, summaries, tags, links and overrides (accents,
combining marks, emoji and ZWJ sequences, CJK, URLs, mentions, hashtags, CR and LF, very long
words, empty strings), for every platform rule, also with limits small enough to shorten
everything. The facts about Unicode that the shortcuts stand on are checked on every code
point.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import sitegen.counting as counting
import sitegen.relays as relays
import sitegen.snippets as snippets
from sitegen.config import Config, ShareSettings
from sitegen.counting import Measure, graphemes, length
from sitegen.model import Post, Source, Tag
from sitegen.platforms import PLATFORMS, RULES, PlatformRule
from sitegen.snippets import ELLIPSIS, Snippet, compose, hashtags, intent_url, tag_url
from sitegen.urls import Urls
from sitegen.views import image_link

# --- the oracles: the replaced code, as it was ---------------------------------------------


def old_url_spans(text: str, *, bare_domains: bool = True) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for start, end in counting._runs_holding(text, "." if bare_domains else "://"):
        spans.extend((start + a, start + b) for a, b in
                     counting._run_url_spans(text[start:end], start == 0, bare_domains))
    return spans


def old_countable(text: str, rule: PlatformRule) -> str:
    if rule.url_length is not None:
        spans = old_url_spans(text, bare_domains=rule.bare_domains)
        for start, end in reversed(spans):
            text = text[:start] + "x" * rule.url_length + text[end:]
    if rule.short_mentions:
        text = counting.unicode_pattern(counting._MENTION).sub(r"@\1", text)
    return text


def old_length(text: str, rule: PlatformRule) -> int:
    if rule.unit == "weighted":
        text = unicodedata.normalize("NFC", text)
    text = old_countable(text, rule)
    if rule.unit == "weighted":
        return counting._weighted(text)
    if rule.unit == "graphemes":
        return len(text) if counting._SINGLES.fullmatch(text) else len(graphemes(text))
    return counting._characters(text, rule.emoji_bytes)


def old_measure(text: str, rule: PlatformRule) -> Measure:
    return Measure(old_length(text, rule), rule.limit, len(text.encode("utf-8")),
                   rule.byte_limit)


def old_fits(rule: PlatformRule, text: str) -> bool:
    size = old_measure(text, rule)
    return (rule.budget is None or size.length <= rule.budget) and size.byte_overflow == 0


def old_cut_ends(text: str, inside_words: bool) -> list[int]:
    words = list(counting.unicode_pattern(snippets._WORD).finditer(text))
    ends = [word.end() for word in words[:-1]]
    if inside_words and words and not snippets._atomic(words[0][0]):
        at = words[0].start()
        for cluster in graphemes(words[0][0])[:-1]:
            at += len(cluster)
            ends.append(at)
    ends.sort()
    empty = 0
    while empty < len(ends) and not text[:ends[empty]].rstrip(snippets._TRAILING):
        empty += 1
    return ends[empty:]


def old_shorten(text: str, fits: Callable[[str], bool], *, inside_words: bool) -> str | None:
    if fits(text):
        return text
    ends = old_cut_ends(text, inside_words)

    def cut(index: int) -> str:
        return text[:ends[index]].rstrip(snippets._TRAILING) + ELLIPSIS \
            if index < len(ends) else text

    low, high = -1, len(ends) + 1
    while high - low > 1:
        middle = (low + high) // 2
        if fits(cut(middle)):
            low = middle
        else:
            high = middle
    return cut(low) if low >= 0 else None


def old_automatic(rule: PlatformRule, title: str, summary: str, tags: tuple[str, ...],
                  via: str | None, url: str) -> tuple[str, tuple[str, ...]]:
    message_of, with_link = snippets._message, snippets._with_link

    def fits(message: str) -> bool:
        return old_fits(rule, with_link(message, url))

    if summary:
        cut = old_shorten(summary, lambda s: fits(message_of(title, s, tags, via)),
                          inside_words=False)
        if cut is not None:
            return message_of(title, cut, tags, via), tags
    for count in range(len(tags), -1, -1):
        if fits(message_of(title, "", tags[:count], via)):
            return message_of(title, "", tags[:count], via), tags[:count]
    for handle in (via, None):
        def title_fits(cut: str, handle: str | None = handle) -> bool:
            return fits(message_of(cut, "", (), handle))

        cut = old_shorten(title, title_fits, inside_words=True)
        if cut is not None:
            return message_of(cut, "", (), handle), ()
    return "", ()


def old_compose(rule: PlatformRule, *, title: str, url: str, summary: str = "",
                tags: Iterable[str] = (), campaign: str | None = None, via: str | None = None,
                override: str | None = None) -> Snippet:
    clean = snippets._clean
    name = (via or "").strip().lstrip("@")
    overridden = bool(override and override.strip())
    kept: tuple[str, ...] = ()
    if override and overridden:
        message = override
    else:
        tags_shown = hashtags(tags, campaign)[:rule.max_hashtags]
        message, kept = old_automatic(rule, clean(title), clean(summary), tags_shown,
                                      "@" + name if name else None, url)
    text = snippets._with_link(message, url)
    size = old_measure(text, rule)
    return Snippet(rule.id, clean(title), text, message, url, kept, size.length, size.limit,
                   size.overflow, size.byte_overflow, overridden)


def old_intent_url(rule: PlatformRule, snippet: Snippet) -> str:
    values = {"text": snippet.text, "message": snippet.message, "url": snippet.url,
              "subject": snippet.title}
    used = {key: value for key, value in values.items() if f"{{{key}}}" in rule.intent}
    if rule.intent.startswith("mailto:"):
        used = {key: snippets._crlf(value) for key, value in used.items()}
    return rule.intent.format(**{key: quote(value, safe="") for key, value in used.items()})


def old_tag_url(url: str, source: str, campaign: str, *, medium: str = "social",
                content: str = "") -> str:
    utm_value = snippets._utm_value
    parts = urlsplit(url)
    kept = [pair for pair in parts.query.split("&")
            if pair and unquote(pair.split("=", 1)[0]).lower() not in snippets.UTM_KEYS]
    values = zip(snippets.UTM_KEYS, (source, medium, campaign, content), strict=True)
    tags = [f"{key}={quote(utm_value(value), safe='')}" for key, value in values
            if utm_value(value)]
    return urlunsplit(parts._replace(query="&".join(kept + tags)))


def old_share_kit(post: Post, summary: str, config: Config, urls: Urls,
                  rules: Mapping[str, PlatformRule], hashtag: str = "") -> relays.ShareKit:
    page = urls.absolute(post.path)
    tags = [tag.name for tag in post.tags]
    shares = []
    for platform in post.platforms:
        rule = rules[platform]
        campaign = post.campaign or post.slug
        url = page if not config.share.utm else old_tag_url(
            page, platform, campaign, medium="email" if platform == "email" else "social")
        snippet = old_compose(rule, title=post.title, url=url, summary=summary, tags=tags,
                              campaign=hashtag or None, via=relays._via(platform, config),
                              override=post.share.get(platform) or post.share.get("default"))
        shares.append(relays.Share(platform, rule.label, snippet.text, url,
                                   old_intent_url(rule, snippet), snippet.length, snippet.limit,
                                   snippet.overflow, snippet.byte_overflow, snippet.override))
    image = image_link(post.image, urls)
    image = urls.origin + image if image.startswith("/") else image
    rows = [(post.date_iso, s.platform, s.text, s.url, post.title, page, s.length, s.limit,
             s.fits, image, post.image_alt) for s in shares]
    return relays.ShareKit(tuple(shares), _old_json_rows(rows), _old_csv_rows(rows))


def _old_json_rows(rows: Sequence[Sequence[object]]) -> str:
    return "".join(json.dumps(dict(zip(relays.CSV_COLUMNS, row, strict=True)),
                              ensure_ascii=False) + ",\n" for row in rows)


def _old_csv_rows(rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        [("yes" if v is True else "no" if v is False else "" if v is None else v)
         for v in row] for row in rows)
    return out.getvalue()


# --- generated inputs -----------------------------------------------------------------------

FAMILY = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466"
ATOMS = st.sampled_from([
    *"abcdefghijklmnopqrstuvwxyzABCZ0123456789", *"éèàçôœÉ’…€«»“”\"'.,;:!?()-–—/=_~%&+",
    "e\u0301", "\u0301", "\u0308", "\u200d", "\ufe0f", "\u20e3", "\U0001F3FD", "\u0600",
    "\u1100\u1161", "\u11a8", "日本語", "한", "\U0001F389", FAMILY, "\U0001F1EB\U0001F1F7",
    "\U0001F1EB", "1\uFE0F\u20E3", "\U0001F44D\U0001F3FD", "\u2764\ufe0f", "©", "‼", "™",
    "#", "@", "#Fête", "@asso", "@asso@piaille.fr", "://", "https://", "http://e.org",
    "https://example.org/a?b=c#d", "example.com", "index.html", "www.e.fr", "t.co/abc",
    " ", "  ", "\n", "\r", "\r\n", "\t", "\u00a0", "\u202f", "\u2028", "\x1c", "\x85",
])
WORD = (st.lists(ATOMS, min_size=1, max_size=10)
        | st.lists(ATOMS, min_size=60, max_size=200)).map("".join)  # some very long words
TEXT = st.lists(WORD, max_size=30).map(" ".join) | st.just("")
LINES = st.lists(TEXT, min_size=1, max_size=3).map("\n".join)
TAGS = st.lists(st.lists(WORD, min_size=1, max_size=3).map(" ".join), max_size=6)
VIA = st.none() | st.sampled_from(["", "asso", "@asso", " @asso@piaille.fr ", "@", "a b"])
URLS = st.sampled_from([
    "", "https://example.org/posts/fete/", "https://example.org/p/?page=2&q=a+b%20c#x",
    "https://e.org/?utm_source=old&a=1&UTM_Campaign=X", "https://t.co/abc",
    "https://exemple.fr/été/?q=«a»", "example.org/a", "mailto:x@y.org", "https://e.org:8080/a",
]) | WORD
SMALL = st.sampled_from([None, 1, 5, 12, 30, 60, 100, 160, 250])


def _rules(small: int | None) -> list[PlatformRule]:
    """Every platform's rule; with `small`, its limit (and byte limit) cut down to it."""
    rules = [RULES[platform] for platform in PLATFORMS]
    if small is None:
        return rules
    return [dataclasses.replace(rule, limit=small, byte_limit=rule.byte_limit and small * 2)
            for rule in rules]


# --- counting -------------------------------------------------------------------------------

ALL_RULES = [*(RULES[p] for p in PLATFORMS),
             dataclasses.replace(RULES["mastodon"], url_length=0, limit=50)]


@settings(max_examples=150, deadline=None)
@given(LINES)
@example("e\u0301\r\n\u0301 https://e.org @a@b.c")
def test_length_is_the_old_length_for_every_rule(text):
    for rule in ALL_RULES:
        assert length(text, rule) == old_length(text, rule)


@settings(max_examples=200, deadline=None)
@given(TEXT | LINES, TEXT | LINES)
@example("a", "\u0301b")  # a combining mark after the break
@example("\u0600", "x")  # a prepended mark before it
@example("\U0001F1EB", "\U0001F1F7")  # half flags on either side
@example("\u1100", "\u1161")  # conjoining jamo
@example("e", "\u0301 https://e.org/a")
@example("x.co", "@a@b.org example.com")
@example("a", "éexample.org")  # read after a break, "é" is no URL's; at the start, it is
@example("\u2764\u200d", "\U0001F525")
@example("\r\r", "")  # two CRs: the head still ends in one once a CR is cut
def test_lengths_add_up_across_a_line_break(head, tail):
    """The claim the shortening stands on, held to the old length of the whole text."""
    # A head ending in CR (one or more) is measured whole by the kit (CR LF is one grapheme).
    head = head.rstrip("\r")
    for rule in ALL_RULES:
        assert length(head, rule) + 1 + length(tail, rule, after_break=True) == \
            old_length(f"{head}\n{tail}", rule)


def test_a_line_break_is_a_grapheme_of_its_own_next_to_any_code_point():
    """GB4 and GB5 (only CR LF is one cluster), and nothing composes with LF under NFC,
    as the segmenter and normalizer at hand do it, for every code point."""
    points = [chr(c) for c in range(0x110000) if c != 0x0D and not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(points), 0x8000):
        chunk = points[start:start + 0x8000]
        joined = "\n" + "\n".join(chunk) + "\n"
        assert graphemes(joined) == ["\n", *(part for c in chunk for part in (c, "\n"))]
        assert unicodedata.normalize("NFC", joined) == \
            "\n" + "\n".join(unicodedata.normalize("NFC", c) for c in chunk) + "\n"


def test_only_an_at_sign_starts_a_mention_even_ignoring_case():
    at = counting.unicode_pattern("(?i)@")
    assert [c for c in range(0x110000) if at.fullmatch(chr(c))] == [ord("@")]
    assert counting._MENTION.startswith("(?i)(?<![=/\\w])@")


def test_every_space_the_word_pattern_parts_at_is_one_str_split_parts_at():
    space = counting.unicode_pattern(r"\s")
    assert all(chr(c).isspace() for c in range(0x110000) if space.fullmatch(chr(c)))


# --- snippets -------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(title=TEXT, summary=TEXT | LINES, tags=TAGS, campaign=st.none() | WORD, via=VIA,
       url=URLS, override=st.none() | st.sampled_from(["", "  "]) | TEXT, small=SMALL)
@example(title="Fête", summary="Un " + "mot " * 200, tags=["vélo"], campaign=None,
         via="asso", url="https://example.org/p/", override=None, small=None)
@example(title="", summary="a\r", tags=[], campaign=None, via=None, url="https://e.org/",
         override=None, small=12)
@example(title="Fête", summary="éexample.org " + "mot " * 80, tags=[], campaign=None,
         via=None, url="https://e.org/", override=None, small=None)
@example(title="x\r", summary="b " * 40, tags=[], campaign=None, via=None,
         url="https://e.org/", override=None, small=12)
def test_compose_is_the_old_compose_for_every_rule(title, summary, tags, campaign, via, url,
                                                   override, small):
    for rule in _rules(small):
        kwargs = {"title": title, "url": url, "summary": summary, "tags": tags,
                  "campaign": campaign, "via": via, "override": override}
        snippet = compose(rule, **kwargs)
        assert snippet == old_compose(rule, **kwargs)
        assert intent_url(rule, snippet) == old_intent_url(rule, snippet)


def _edges(rule: PlatformRule, text: str) -> list[PlatformRule]:
    """The rule with limits at which `text` just fits, and just does not: a length off by
    one then gives the wrong answer."""
    units, size = old_length(text, rule), len(text.encode("utf-8"))
    rule = dataclasses.replace(rule, fold=None, byte_limit=None)
    edges = [dataclasses.replace(rule, limit=limit) for limit in (units - 1, units)]
    return edges + [dataclasses.replace(rule, limit=units, byte_limit=limit)
                    for limit in (size - 1, size)]


@settings(max_examples=200, deadline=None)
@given(title=TEXT, summary=TEXT | LINES, tags=st.lists(WORD, max_size=3), via=VIA, url=URLS)
@example(title="x\r", summary="a", tags=[], via=None, url="https://e.org/")
@example(title="x", summary="a\r", tags=[], via=None, url="https://e.org/")
@example(title="", summary="", tags=["#a"], via="@b", url="")
@example(title="Fête", summary="éexample.org", tags=[], via=None, url="https://e.org/")
@example(title="", summary="éexample.org a", tags=[], via=None, url="https://e.org/")
def test_a_summary_fits_as_the_whole_text_does(title, summary, tags, via, url):
    """Measured alone, a summary (cleaned or not, the title's too) fits exactly when the
    whole text did, at the very limits: the terms it may not be measured alone on included."""
    whole = snippets._with_link(snippets._message(title, summary, tags, via), url)
    for platform in PLATFORMS:
        for rule in _edges(RULES[platform], whole):
            assert snippets._summary_fits(rule, title, tags, via, url)(summary) == \
                old_fits(rule, whole)


def test_an_unencodable_text_fails_as_it_did():
    rule = dataclasses.replace(RULES["bluesky"], limit=5)
    for kwargs in ({"title": "t", "summary": "a b \ud800 c d e f g h", "url": "https://e.org/"},
                   {"title": "t \ud800", "summary": "a b c", "url": "https://e.org/"}):
        with pytest.raises(UnicodeEncodeError) as new:
            compose(rule, **kwargs)
        with pytest.raises(UnicodeEncodeError) as old:
            old_compose(rule, **kwargs)
        assert str(new.value) == str(old.value)
    with pytest.raises(UnicodeEncodeError) as new:
        snippets._percent("a b\ud800")
    with pytest.raises(UnicodeEncodeError) as old:
        quote("a b\ud800", safe="")
    assert str(new.value) == str(old.value)


@settings(max_examples=200, deadline=None)
@given(st.lists(WORD | st.sampled_from(["-", "(«", "…", "!?", "—", ".,", "#tag", "@a"]),
                max_size=30).map(" ".join) | TEXT | LINES, st.booleans())
@example(" a  b ", False)
@example("a\x1cb c", False)
@example("", True)
def test_cut_ends_are_the_old_ones(text, inside_words):
    assert snippets._cut_ends(text, inside_words) == old_cut_ends(text, inside_words)


@settings(max_examples=150, deadline=None)
@given(st.text() | TEXT)
def test_percent_encoding_is_quote(text):
    assert snippets._percent(text) == quote(text, safe="")


def test_percent_encoding_of_every_byte_is_quote():
    assert [snippets._PERCENT[byte] for byte in range(256)] == \
        [quote(bytes([byte]), safe="") for byte in range(256)]


@settings(max_examples=200, deadline=None)
@given(URLS | st.builds(lambda a, b: f"https://e.org/{a}?{b}", WORD, TEXT),
       st.sampled_from([*PLATFORMS, "QR", " x "]), st.text(max_size=20) | WORD,
       st.sampled_from(["social", "email", "Print", ""]), st.text(max_size=10))
def test_tag_url_is_the_old_tag_url(url, source, campaign, medium, content):
    assert tag_url(url, source, campaign, medium=medium, content=content) == \
        old_tag_url(url, source, campaign, medium=medium, content=content)


# --- relays ---------------------------------------------------------------------------------

FIELD = (st.text(max_size=40) | st.integers() | st.none() | st.booleans() | st.floats()
         | st.sampled_from(['"', ",", "\r", "\n", "\r\n", "", " ", '""', "a,b", "\u2028"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(FIELD, min_size=11, max_size=11))
def test_a_json_row_is_what_json_dumps_writes(row):
    assert relays._json_row(row) + ",\n" == _old_json_rows([row])


@settings(max_examples=200, deadline=None)
@given(st.lists(FIELD, max_size=12))
@example([""])
@example([None])
@example([])
@example(["", ""])
def test_a_csv_row_is_what_csv_writer_writes(row):
    assert relays._csv_row(row) == _old_csv_rows([row])


def _post(title: str, summary: str, tags: list[str], platforms: list[str], campaign: str,
          share: dict[str, str], image: str) -> Post:
    return Post(key="content/posts/p.md", source=Source(Path("content/posts/p.md"), "", 1),
                title=title, slug="fete-du-quartier", path="/2025/03/fete-du-quartier/",
                date=datetime(2025, 3, 21, 10, 30, tzinfo=UTC), date_only=False,
                authors=(), tags=tuple(Tag(name, name, f"/tags/{i}/")
                                       for i, name in enumerate(tags)),
                platforms=tuple(platforms), summary=summary, image=image,
                image_alt="Une « image », dit-il", campaign=campaign, share=share)


@settings(max_examples=100, deadline=None)
@given(title=TEXT, summary=TEXT | LINES, tags=TAGS,
       platforms=st.lists(st.sampled_from(list(PLATFORMS)), unique=True, min_size=1),
       campaign=st.sampled_from(["", "printemps", "Fête de la musique"]),
       share=st.dictionaries(st.sampled_from([*PLATFORMS, "default"]), TEXT, max_size=3),
       image=st.sampled_from(["", "/images/a b.jpg", "https://cdn.e.org/x.png"]),
       hashtag=st.sampled_from(["", "#Printemps", "Fête"]),
       settings_=st.builds(ShareSettings, utm=st.booleans(), via=st.booleans(),
                           mastodon_limit=st.sampled_from([500, 60, 11])),
       base=st.sampled_from(["https://example.org/", "https://e.org/blog/"]))
def test_a_share_kit_is_the_old_share_kit(title, summary, tags, platforms, campaign, share,
                                          image, hashtag, settings_, base):
    config = Config(root=Path("."), title="Site", base_url=base, share=settings_,
                    social={"x": "@Cyclistes", "mastodon": "@velo@piaille.fr",
                            "bluesky": "velo.bsky.social", "threads": "https://t.net/@v"})
    urls, rules = Urls(base), relays.site_rules(config)
    post = _post(title, summary, tags, platforms, campaign, share, image)
    assert relays.share_kit(post, summary, config, urls, rules, hashtag) == \
        old_share_kit(post, summary, config, urls, rules, hashtag)
