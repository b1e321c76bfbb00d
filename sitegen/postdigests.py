"""What pages show of each post, as digests: the parts of the signatures of the pages that
list or link a post (see render.py), made once per post and kept while the post is the same."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sitegen.digests import digest
from sitegen.model import Post
from sitegen.recall import Recall


class PerPost(dict[str, str]):
    """A value of each post, by key, made the first time it is asked for: through `table`,
    so an unchanged post's is the earlier build's."""

    def __init__(self, posts: Mapping[str, Post], table: Recall[str],
                 make: Callable[[Post], str]):
        super().__init__()
        self._posts, self._table, self._make = posts, table, make

    def __missing__(self, key: str) -> str:
        post = self._posts[key]
        value = self[key] = self._table.get(key, (post,), self._make, post)
        return value


def listing_digest(post: Post) -> str:
    """What any page listing a post shows of it: its file, and what other posts or the clock
    decide about it (the spelling of its tags and free-named authors, whether scheduled)."""
    return digest(post.source.digest, str(post.scheduled), *(t.name for t in post.tags),
                  *(a.name for a in post.authors))


def link_digest(post: Post) -> str:
    """What a plain link to a post shows (see views.PostLink): a body edit leaves it."""
    return digest(post.key, post.title, post.path, post.date_iso)
