"""Lists of posts: pagination and feed plans, shared by the home, tag and author pages."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from sitegen.model import Post
from sitegen.records import record
from sitegen.urls import Urls


@record
class Pager:
    """One page of a paginated list; its links are made only for a page that is rendered."""

    number: int
    total: int
    posts: Sequence[Post]
    base: str  # site path of the first page
    urls: Urls

    @property
    def site_path(self) -> str:
        return page_path(self.base, self.number)

    @property
    def prev_url(self) -> str:
        return self.urls.link(page_path(self.base, self.number - 1)) if self.number > 1 else ""

    @property
    def next_url(self) -> str:
        return self.urls.link(page_path(self.base, self.number + 1)) \
            if self.number < self.total else ""


def page_path(base: str, number: int) -> str:
    """Site path of page `number` of a list: `base`, then `base`page/2/ …"""
    return base if number == 1 else f"{base}page/{number}/"


def paginate(posts: Sequence[Post], base: str, per_page: int, urls: Urls) -> list[Pager]:
    """Pages of `per_page` posts; one (empty) page at least."""
    total = max(1, math.ceil(len(posts) / per_page))
    return [Pager(n + 1, total, posts[n * per_page:(n + 1) * per_page], base, urls)
            for n in range(total)]


@record
class FeedPlan:
    """A feed to write: its title is made only when the feed or a page linking it is made
    (it may need the theme's strings)."""

    title: Callable[[], str]
    description: str
    base: str  # site path of the folder: '/', '/tags/velo/'
    posts: Sequence[Post]  # newest first, already cut to the feed's length
    identity: str  # what the feed is of, for its signature (a tag's name ...)
