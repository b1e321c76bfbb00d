"""Values one build hands to the next inside a long-lived process (the preview server).

Each value is kept with the inputs it was made from and reused while the new inputs are the
same: the very same objects — which the warm build cache hands back for unchanged files, so
the check costs nothing — or equal ones. A one-shot build starts with empty tables and pays a
dictionary look-up per item; a preview rebuild after one edit remakes one item's worth.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Any, Generic, TypeVar

V = TypeVar("V")
T = TypeVar("T")


class Recall(Generic[V]):
    """A table of values by item key (a post's path, an image's digest …)."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[tuple[object, ...], V]] = {}

    def get(self, key: str, inputs: tuple[object, ...], make: Callable[..., V],
            *args: Any) -> V:
        """The value kept for `key` when it was made from the same `inputs`, else
        `make(*args)` (then kept; arguments rather than a closure, which a call kept for
        10,000 posts would make for nothing). Inputs must be immutable: a kept object is
        never looked into again."""
        kept = self._kept.get(key)
        # Tuples compare item by item, each by identity first: the common case is free.
        if kept is not None and kept[0] == inputs:
            return kept[1]
        value = make(*args)
        self._kept[key] = (inputs, value)
        return value

    def known(self, key: str) -> V | None:
        """The value kept for `key`, whatever it was made from."""
        kept = self._kept.get(key)
        return kept[1] if kept is not None else None

    def keep(self, key: str, value: V, inputs: tuple[object, ...] = ()) -> None:
        """Keep `value` for `key`, as made from `inputs`."""
        self._kept[key] = (inputs, value)

    def prune(self, live: int, keys: Callable[[], Container[str]]) -> None:
        """Forget the items a build no longer has (deleted posts) once more than twice the
        `live` ones are kept; `keys()` gives the live keys, asked for only then."""
        if len(self._kept) > 2 * live + 100:
            alive = keys()
            self._kept = {k: v for k, v in self._kept.items() if k in alive}


class _Forgetful(Recall[V]):
    """A table of a build nothing will ask again: `get` makes, looks nothing up, keeps
    nothing."""

    def get(self, key: str, inputs: tuple[object, ...], make: Callable[..., V],
            *args: Any) -> V:
        return make(*args)


class Memory:
    """Every table of one site's builds, by name; kept with the warm build cache. A build in
    a process that ends after it (`sitegen build`) gets tables whose `get` only makes: ~10
    look-ups and a kept tuple per post, for nothing (~40 ms of a 10,000-post rebuild)."""

    def __init__(self, keeps: bool = True) -> None:
        self._tables: dict[str, Recall[Any]] = {}
        self.keeps = keeps

    def table(self, name: str) -> Recall[Any]:
        table = self._tables.get(name)
        if table is None:
            table = self._tables[name] = Recall() if self.keeps else _Forgetful()
        return table

    def same(self, name: str, value: T) -> T:
        """`value`, or the equal one an earlier build kept under `name`: later tables then
        recognise it by identity (a reloaded `site.yaml` that did not change, say)."""
        table = self.table("same")
        kept = table.known(name)
        if kept is not None and (kept is value or kept == value):
            return kept  # type: ignore[return-value]
        table.keep(name, value)
        return value
