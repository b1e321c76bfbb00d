"""Records: sitegen's immutable value classes (a post, a tag, the settings …), as frozen
dataclasses that are cheap to define.

`dataclass(frozen=True)` compiles six functions per class with `exec` when its module is
imported: on Python 3.11, ~40 ms for the 64 classes a build imports, paid by every process
(an eighth of a one-post rebuild of a 1,000-post site). A record compiles only the three
that must be specific to its class (`__init__` and the frozen guards: ~27 ms) and shares one
`__eq__`, `__hash__` and `__repr__` that read the class's field names. These behave as the
generated ones: equality and hashing over the fields in order, between instances of the
same class only; the same repr, character for character (some digests hash a repr).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    """`@dataclass(frozen=True)`, with the shared comparison, hash and repr."""
    made: Any = dataclass(frozen=True, eq=False, repr=False)(cls)
    for name in ("__eq__", "__hash__", "__repr__"):
        if name in cls.__dict__:
            raise TypeError(f"{cls.__qualname__} defines {name}: use @dataclass")
    every = fields(made)
    # Static: a function kept on a class would otherwise be bound to the instance.
    made._record_compared = staticmethod(_values_of([f.name for f in every if f.compare]))
    made._record_hashed = staticmethod(_values_of(
        [f.name for f in every if (f.compare if f.hash is None else f.hash)]))
    made._record_shown = tuple(f.name for f in every if f.repr)
    made.__eq__, made.__hash__, made.__repr__ = _equal, _hash, _repr
    return made  # type: ignore[no-any-return]


def _values_of(names: list[str]) -> Callable[[object], object]:
    """The instance's values of `names`: a tuple, or a lone value bare (which compares and
    hashes as consistently)."""
    return attrgetter(*names) if names else lambda instance: ()


def _equal(self: Any, other: Any) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    if other is self:
        return True
    values = self._record_compared
    return bool(values(self) == values(other))


def _hash(self: Any) -> int:
    return hash(self._record_hashed(self))


@recursive_repr()
def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_shown)
    return f"{self.__class__.__qualname__}({shown})"
