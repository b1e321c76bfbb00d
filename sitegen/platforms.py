"""The social networks a post can be relayed to: their names, aliases, labels and posting rules.

The rules are data, kept here in one place: how long a post may be and in which unit, how
links and mentions count, how many hashtags show, and the share-intent URL each network
offers. Sources: ../shared/reference/social-and-live.md, sections A and B.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal

from sitegen.records import record

# Order is the order share blocks and exports list them in.
PLATFORMS: dict[str, str] = {
    "x": "X",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "threads": "Threads",
    "linkedin": "LinkedIn",
    "facebook": "Facebook",
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "email": "Email",
}

ALIASES: dict[str, str] = {"twitter": "x", "fediverse": "mastodon", "mail": "email"}


def canonical_platform(name: str) -> str | None:
    """The platform id for a name as an author writes it, or None when unknown."""
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    return key if key in PLATFORMS else None


# weighted: twitter-text v3 weights (most non-Latin characters and every emoji count 2);
# graphemes: what a reader sees as one character; characters: Unicode code points.
Unit = Literal["weighted", "graphemes", "characters"]
# How the link reaches the share intent: inside the text, as its own parameter next to the
# text, or as the only thing the intent takes (the network builds a preview from the page).
LinkMode = Literal["text", "param", "only"]


@record
class PlatformRule:
    """What one network accepts in a post, and how its share intent is called."""

    id: str
    label: str
    limit: int | None  # longest post, in `unit`; None: no practical limit (email)
    unit: Unit = "characters"
    url_length: int | None = None  # every recognised URL counts this much; None: as written
    bare_domains: bool = False  # "example.org" without http(s):// is a URL too (X)
    short_mentions: bool = False  # "@user@server" counts as "@user" (Mastodon)
    emoji_bytes: bool = False  # an emoji counts its UTF-8 bytes (Threads' API says so)
    byte_limit: int | None = None  # UTF-8 bytes of the whole text (Bluesky's record)
    max_hashtags: int | None = None  # hashtags the network shows (Threads: one topic tag)
    fold: int | None = None  # text beyond this hides behind "See more" (Facebook's feed)
    link: LinkMode = "text"
    # Share-intent URL; fields {text} {message} {url} {subject} are filled percent-encoded.
    intent: str = ""

    @property
    def budget(self) -> int | None:
        """The length automatic text aims for: the fold when there is one, else the limit."""
        if self.fold is not None and self.limit is not None:
            return min(self.fold, self.limit)
        return self.fold if self.fold is not None else self.limit


MASTODON_PICKER = "https://share.joinmastodon.org/?text={text}"

RULES: dict[str, PlatformRule] = {rule.id: rule for rule in (
    # twitter-text config/v3.json: 280 weighted, every URL (bare domains too) counts 23.
    PlatformRule("x", "X", 280, "weighted", url_length=23, bare_domains=True,
                 intent="https://x.com/intent/tweet?text={text}"),
    # Per server (instance API: statuses.max_characters, characters_reserved_per_url).
    PlatformRule("mastodon", "Mastodon", 500, "graphemes", url_length=23, short_mentions=True,
                 intent=MASTODON_PICKER),
    # The record's limits. Links count as written: the official app shortens them before
    # counting, but schedulers posting through the API may not.
    PlatformRule("bluesky", "Bluesky", 300, "graphemes", byte_limit=3000,
                 intent="https://bsky.app/intent/compose?text={text}"),
    PlatformRule("threads", "Threads", 500, "characters", emoji_bytes=True, max_hashtags=1,
                 intent="https://www.threads.com/intent/post?text={text}"),
    # share-offsite takes the URL only; 3000 is the post commentary limit.
    PlatformRule("linkedin", "LinkedIn", 3000, link="only",
                 intent="https://www.linkedin.com/sharing/share-offsite/?url={url}"),
    # 63206 is widely cited, not in Meta's docs; the feed folds at about 477.
    PlatformRule("facebook", "Facebook", 63206, fold=477, link="only",
                 intent="https://www.facebook.com/sharer/sharer.php?u={url}"),
    PlatformRule("whatsapp", "WhatsApp", 65536, intent="https://wa.me/?text={text}"),
    # A message is at most 4096 characters (Bot API); the share widget wants url and text apart.
    PlatformRule("telegram", "Telegram", 4096, link="param",
                 intent="https://t.me/share/url?url={url}&text={message}"),
    PlatformRule("email", "Email", None, intent="mailto:?subject={subject}&body={text}"),
)}

_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]{1,5})?")


def rule_for(platform: str, *, mastodon_limit: int = 500, mastodon_url_length: int = 23,
             mastodon_instance: str | None = None) -> PlatformRule:
    """The rule of a platform (an id or alias), with a site's Mastodon server settings.

    `mastodon_instance` ("piaille.fr") sends the share intent to that server instead of the
    official instance picker. Raises ValueError for an unknown platform or a bad host name.
    """
    key = canonical_platform(platform)
    if key is None:
        raise ValueError(f"unknown platform '{platform}'")
    rule = RULES[key]
    if key != "mastodon":
        return rule
    if mastodon_limit < 1 or mastodon_url_length < 0:
        raise ValueError("a Mastodon limit must be positive and a URL length not negative")
    intent = rule.intent
    if mastodon_instance:
        host = re.sub(r"^https?://", "", mastodon_instance.strip().lower()).rstrip("/")
        if not _HOST.fullmatch(host):
            raise ValueError(f"not a Mastodon server name: '{mastodon_instance}'")
        intent = "https://" + host + "/share?text={text}"
    return replace(rule, limit=mastodon_limit, url_length=mastodon_url_length, intent=intent)
