"""Share snippets: the text, tagged link and share-intent URL of a post for one network.

Pure functions over plain values (a title, a summary, tags, a URL), so the build, the
exports and `sitegen share` all get the same text. Automatic text is shortened to fit the
network's rule; an author's override is never changed, only measured.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import accumulate
from operator import add
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from sitegen.counting import find_urls, graphemes, length, measure, unicode_pattern
from sitegen.platforms import PlatformRule
from sitegen.records import record

ELLIPSIS = "…"
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")
MAX_HASHTAG = 64  # graphemes; Bluesky drops longer tags (richtext facet lexicon)

# Sources of `unicode_pattern`s, compiled (and the regex module imported) on first use.
# Apostrophes join words (« aujourd’hui » → #Aujourdhui), as they do in slugs.
_APOSTROPHES = r"['’ʼ]"
_NOT_WORD = r"[^\p{L}\p{M}\p{N}]+"
_LETTER = r"\p{L}"
_WORD = r"\S+"
# Left at the end of a cut, these read as a sentence broken off mid-way; the ellipsis says so.
_TRAILING = " \t\n,;:.!?-–—([{«“‘\"'"
# What urllib.parse.quote(value, safe="") writes for each UTF-8 byte: the byte itself when
# unreserved (RFC 3986), else %XX.
_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
_PERCENT = [chr(byte) if chr(byte) in _UNRESERVED else f"%{byte:02X}" for byte in range(256)]


def _percent(value: str) -> str:
    """`value` percent-encoded as quote(value, safe="") does it, spaces as %20.

    Encoding is byte by byte, so a text is encoded word by word and the words joined with
    %20: share texts are prose, whose words come back post after post (once they are known,
    about five times faster than quote on a share text)."""
    try:
        return "%20".join(map(_percent_word, value.split(" ")))
    except UnicodeEncodeError:  # a lone surrogate: raised as quote raises it
        return quote(value, safe="")


@lru_cache(maxsize=16384)
def _percent_word(word: str) -> str:
    return "".join([_PERCENT[byte] for byte in word.encode("utf-8")])


def _utm_value(value: str) -> str:
    # Analytics reports split "Facebook" from "facebook" and hate spaces.
    return "-".join(value.lower().split())


def tag_url(url: str, source: str, campaign: str, *, medium: str = "social",
            content: str = "") -> str:
    """The URL with utm_source, utm_medium, utm_campaign (and utm_content when given).

    Values are lower-cased, spaces become "-", empty ones are left out. The rest of the query
    and the fragment are kept byte for byte; UTM parameters already there are replaced, so
    tagging twice gives the same URL.
    """
    parts = urlsplit(url)
    kept = [pair for pair in parts.query.split("&")
            if pair and unquote(pair.split("=", 1)[0]).lower() not in UTM_KEYS]
    tags = [pair for pair in map(_utm_pair, UTM_KEYS, (source, medium, campaign, content))
            if pair]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(kept + tags),
                       parts.fragment))


@lru_cache(maxsize=4096)  # few networks and mediums; a campaign comes back per network
def _utm_pair(key: str, value: str) -> str:
    """"key=value" for a UTM parameter, or "" to leave it out."""
    value = _utm_value(value)
    return f"{key}={quote(value, safe='')}" if value else ""


def _capitalised(word: str) -> str:
    first = word[0].upper()
    return (first if len(first) == 1 else word[0]) + word[1:]  # "ß".upper() is "SS"


@lru_cache(maxsize=4096)  # a site has few tags, and each post shows its tags on every network
def hashtag(tag: str) -> str | None:
    """A tag as a CamelCase hashtag ('salon du livre' → '#SalonDuLivre'), accents kept.

    CamelCase lets screen readers say the words. Punctuation and emoji are dropped; None when
    no letter is left (digits only, empty) or the result is longer than MAX_HASHTAG graphemes.
    """
    joined = unicode_pattern(_APOSTROPHES).sub("", unicodedata.normalize("NFC", tag))
    words = unicode_pattern(_NOT_WORD).split(joined)
    body = "".join(_capitalised(word) for word in words if word)
    if not unicode_pattern(_LETTER).search(body) or len(graphemes(body)) > MAX_HASHTAG:
        return None
    return "#" + body


def hashtags(tags: Iterable[str], campaign: str | None = None) -> tuple[str, ...]:
    """Hashtags for a post's tags, the campaign's first, without case-insensitive repeats."""
    found: dict[str, str] = {}
    for tag in [campaign or "", *tags]:
        made = hashtag(tag)
        if made is not None:
            found.setdefault(made.casefold(), made)
    return tuple(found.values())


@record
class Snippet:
    """What to post on one network: the text ready to paste and how it measures."""

    platform: str  # platform id
    title: str  # the post's title, whitespace collapsed (the email subject)
    text: str  # ready to paste: the message, then the link on its own line
    message: str  # the text without the link (Telegram's intent takes them apart)
    url: str  # the tagged link
    hashtags: tuple[str, ...]  # hashtags the automatic text kept
    length: int  # in the platform's unit
    limit: int | None
    overflow: int  # units over the limit; 0 when it fits
    byte_overflow: int  # UTF-8 bytes over the byte limit (Bluesky); 0 when it fits
    override: bool  # the author wrote the message; it is never shortened

    @property
    def fits(self) -> bool:
        """True when the network accepts the text as it is."""
        return self.overflow == 0 and self.byte_overflow == 0


def _with_link(message: str, url: str) -> str:
    return f"{message}\n{url}" if message else url


def _message(title: str, summary: str, tags: Sequence[str], via: str | None) -> str:
    body = "\n\n".join(part for part in (title, summary) if part)
    tail = " ".join([*tags, f"via {via}"] if via else tags)
    return "\n\n".join(part for part in (body, tail) if part)


def _fits(rule: PlatformRule, text: str) -> bool:
    size = measure(text, rule)
    return (rule.budget is None or size.length <= rule.budget) and size.byte_overflow == 0


def _summary_fits(rule: PlatformRule, title: str, tags: Sequence[str], via: str | None,
                  url: str) -> Callable[[str], bool]:
    """Whether the text with a given summary fits: the summary alone is measured at each call.

    Lengths add up across line breaks (counting.length), and a summary sits between line
    breaks: after the title's (when there is a title), before the hashtags' or the link's.
    What is around it is measured once; a text that breaks the rule's terms (a CR before a
    line break, an empty summary, a character UTF-8 cannot encode) is measured whole.
    """
    def whole(summary: str) -> str:
        return _with_link(_message(title, summary, tags, via), url)

    def fits_whole(summary: str) -> bool:
        return _fits(rule, whole(summary))

    tail = " ".join([*tags, f"via {via}"] if via else tags)
    before = f"{title}\n\n" if title else ""
    after = (f"\n\n{tail}" if tail else "") + f"\n{url}"  # whole(s) == before + s + after
    try:
        fixed_size = len(before.encode("utf-8")) + len(after.encode("utf-8"))
    except UnicodeEncodeError:
        return fits_whole
    if title.endswith("\r"):  # CR LF is one grapheme: it cannot be measured in two parts
        return fits_whole
    fixed = (length(title, rule) + 2 if title else 0) + 1 + length(after[1:], rule,
                                                                     after_break=True)
    budget, byte_limit, after_break = rule.budget, rule.byte_limit, bool(title)

    def fits(summary: str) -> bool:
        if not summary or summary.endswith("\r"):
            return fits_whole(summary)
        units = fixed + length(summary, rule, after_break=after_break)
        try:
            size = fixed_size + len(summary.encode("utf-8"))
        except UnicodeEncodeError:  # raised as measuring the whole text raises it
            return fits_whole(summary)
        return (budget is None or units <= budget) and (byte_limit is None or size <= byte_limit)

    return fits


def _atomic(word: str) -> bool:
    """True for a word never to cut inside: a URL, a hashtag, a mention."""
    return word.startswith(("#", "@")) or "://" in word or bool(find_urls(word))


def _shorten(text: str, fits: Callable[[str], bool], *, inside_words: bool) -> str | None:
    """The longest cut of `text` (itself, or a prefix ending in '…') that fits, or None.

    Cuts fall after words; with `inside_words`, a first word too long alone is cut between
    graphemes. A longer cut almost always measures longer (not always: on X "example.com" is
    a URL counting 23, "example.comm" text counting 12), so a binary search finds it; it only
    ever returns a cut it checked.
    """
    if fits(text):  # the usual case on most networks: one measure, no search
        return text
    ends = _cut_ends(text, inside_words)

    def cut(index: int) -> str:  # made only when tried: a search tries a few of many
        return text[:ends[index]].rstrip(_TRAILING) + ELLIPSIS if index < len(ends) else text

    low, high = -1, len(ends) + 1
    while high - low > 1:
        middle = (low + high) // 2
        if fits(cut(middle)):
            low = middle
        else:
            high = middle
    return cut(low) if low >= 0 else None


def _cut_ends(text: str, inside_words: bool) -> list[int]:
    """Where the cuts of `text` end, shortest first: after each word but the last, and with
    `inside_words` between the graphemes of a first word that is no URL, hashtag or mention.
    Ends that would leave nothing but punctuation are left out."""
    ends, first = _word_ends(text)
    if inside_words and first is not None and not _atomic(text[first[0]:first[1]]):
        at = first[0]
        for cluster in graphemes(text[first[0]:first[1]])[:-1]:
            at += len(cluster)
            ends.append(at)
    ends.sort()
    # A cut that leaves nothing is one of the shortest: the prefix it ends is all punctuation.
    empty = 0
    while empty < len(ends) and not text[:ends[empty]].rstrip(_TRAILING):
        empty += 1
    return ends[empty:]


def _word_ends(text: str) -> tuple[list[int], tuple[int, int] | None]:
    """Where each word of `text` but the last ends, and the (start, end) of its first word."""
    words = text.split()
    if " ".join(words) != text:
        found = list(unicode_pattern(_WORD).finditer(text))
        return [word.end() for word in found[:-1]], found[0].span() if found else None
    # A cleaned text (words parted by single spaces): a word ends where the lengths of the
    # words before it and the spaces between add up. str.split parts at every space `_WORD`
    # does (and at U+001C-U+001F besides), so no other space is left in the text: its words
    # are `_WORD`'s; a test checks every code point.
    ends = list(map(add, accumulate(map(len, words[:-1])), range(len(words))))
    return ends, (0, len(words[0])) if words else None


def _automatic(rule: PlatformRule, title: str, summary: str, tags: tuple[str, ...],
               via: str | None, url: str) -> tuple[str, tuple[str, ...]]:
    """The longest message that fits with the link, and the hashtags it kept.

    Give way in this order: the summary is shortened, then left out; hashtags go, last
    first; the title is shortened; "via" goes; at worst the link stands alone.
    """
    def fits(message: str) -> bool:
        return _fits(rule, _with_link(message, url))

    if summary:
        cut = _shorten(summary, _summary_fits(rule, title, tags, via, url), inside_words=False)
        if cut is not None:
            return _message(title, cut, tags, via), tags
    for count in range(len(tags), -1, -1):
        if fits(_message(title, "", tags[:count], via)):
            return _message(title, "", tags[:count], via), tags[:count]
    for handle in (via, None):
        # A title alone reads as a summary without a title: only the title is measured.
        cut = _shorten(title, _summary_fits(rule, "", (), handle, url), inside_words=True)
        if cut is not None:
            return _message(cut, "", (), handle), ()
    return "", ()


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def compose(rule: PlatformRule, *, title: str, url: str, summary: str = "",
            tags: Iterable[str] = (), campaign: str | None = None, via: str | None = None,
            override: str | None = None) -> Snippet:
    """The snippet of a post for the network of `rule`.

    Automatic text: title and summary, then hashtags from `tags` (the `campaign` hashtag
    first; Threads keeps one), then "via @handle", then `url` (already tagged), shortened to
    fit. An `override` replaces the message and is never changed: when it is too long, the
    snippet's overflow says by how much.
    """
    name = (via or "").strip().lstrip("@")
    overridden = bool(override and override.strip())
    kept: tuple[str, ...] = ()
    cleaned = _clean(title)
    if override and overridden:
        message = override
    else:
        tags_shown = hashtags(tags, campaign)[:rule.max_hashtags]
        message, kept = _automatic(rule, cleaned, _clean(summary), tags_shown,
                                   "@" + name if name else None, url)
    text = _with_link(message, url)
    size = measure(text, rule)
    return Snippet(rule.id, cleaned, text, message, url, kept, size.length, size.limit,
                   size.overflow, size.byte_overflow, overridden)


def _crlf(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\n", "\r\n")


def intent_url(rule: PlatformRule, snippet: Snippet) -> str:
    """The network's share-intent URL prefilled with the snippet, every value percent-encoded.

    Spaces are %20, never "+"; a mailto: URL carries line breaks as %0D%0A (RFC 6068).
    """
    values = {"text": snippet.text, "message": snippet.message, "url": snippet.url,
              "subject": snippet.title}
    used = {key: value for key, value in values.items() if f"{{{key}}}" in rule.intent}
    if rule.intent.startswith("mailto:"):
        used = {key: _crlf(value) for key, value in used.items()}
    return rule.intent.format(**{key: _percent(value) for key, value in used.items()})
