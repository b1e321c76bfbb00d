"""Lists of posts: pagination and feed plans, shared by the home, tag and author pages."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sitegen.model import Post
from sitegen.urls import Urls


@dataclass(frozen=True)
class Pager:
    """One page of a paginated list."""

    number: int
    total: int
    posts: Sequence[Post]
    first_url: str
    prev_url: str
    next_url: str
    site_path: str


def paginate(posts: Sequence[Post], base: str, per_page: int, urls: Urls) -> list[Pager]:
    """Pages of `per_page` posts: `base`, then `base`page/2/ …; one (empty) page at least."""
    total = max(1, math.ceil(len(posts) / per_page))
    paths = [base] + [f"{base}page/{n}/" for n in range(2, total + 1)]
    return [Pager(n + 1, total, posts[n * per_page:(n + 1) * per_page], urls.link(paths[0]),
                  urls.link(paths[n - 1]) if n > 0 else "",
                  urls.link(paths[n + 1]) if n + 1 < total else "", paths[n])
            for n in range(total)]


@dataclass(frozen=True)
class FeedPlan:
    """A feed to write: its title is made only when the feed or a page linking it is made
    (it may need the theme's strings)."""

    title: Callable[[], str]
    description: str
    base: str  # site path of the folder: '/', '/tags/velo/'
    posts: Sequence[Post]  # newest first, already cut to the feed's length
    identity: str  # what the feed is of, for its signature (a tag's name ...)
