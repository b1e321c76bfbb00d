"""The social networks a post can be relayed to: their names, aliases and labels."""

from __future__ import annotations

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
