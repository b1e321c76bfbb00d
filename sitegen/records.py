"""Records: sitegen's immutable value classes (a post, a tag, the settings …), as frozen
dataclasses that are cheap to define.

`dataclass(frozen=True)` compiles six functions per class with `exec` when its module is
imported: on Python 3.11, ~40 ms for the 64 classes a build imports, paid by every process
(an eighth of a one-post rebuild of a 1,000-post site). A record lets `dataclass` collect
the fields, compiles only its `__init__`, itself (a third of the time in all), and shares one
frozen guard, `__eq__`, `__hash__` and `__repr__` that read the class's field names. These
behave as the generated ones: assignment and deletion refused; equality and hashing over the
fields in order, between instances of the same class only; the same repr, character for
character (some digests hash a repr). The `__init__` takes the fields in order, with their
defaults and default factories, then calls `__post_init__`; a field that asks for more
(`init=False`, `kw_only`, an `InitVar`) is refused: use `@dataclass`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, dataclass, field, fields
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    """`@dataclass(frozen=True)`, with the shared guard, comparison, hash and repr."""
    for name in ("__eq__", "__hash__", "__repr__", "__init__", "__setattr__", "__delattr__"):
        if name in cls.__dict__:
            raise TypeError(f"{cls.__qualname__} defines {name}: use @dataclass")
    made: Any = dataclass(init=False, eq=False, repr=False)(cls)  # the fields alone
    every = fields(made)
    made.__init__ = _initialiser(made, every)
    made.__setattr__, made.__delattr__ = _refuse_assignment, _refuse_deletion
    # Static: a function kept on a class would otherwise be bound to the instance.
    made._record_compared = staticmethod(_values_of([f.name for f in every if f.compare]))
    made._record_hashed = staticmethod(_values_of(
        [f.name for f in every if (f.compare if f.hash is None else f.hash)]))
    made._record_shown = tuple(f.name for f in every if f.repr)
    made.__eq__, made.__hash__, made.__repr__ = _equal, _hash, _repr
    return made  # type: ignore[no-any-return]


_FACTORY = object()  # the default of a field with a default factory: call it


def _initialiser(cls: type, every: tuple[Field[Any], ...]) -> Callable[..., None]:
    """The `__init__` `dataclass(frozen=True)` would make for `every` field of `cls`."""
    pseudo = [f.name for f in cls.__dataclass_fields__.values()  # type: ignore[attr-defined]
              if f not in every and "InitVar" in str(f.type)]
    odd = [f.name for f in every if not f.init or f.kw_only is True] + pseudo
    if odd:
        raise TypeError(f"{cls.__qualname__}.{odd[0]} is not a plain field: use @dataclass")
    names: dict[str, Any] = {"__name__": cls.__module__, "_record_set": object.__setattr__,
                             "_record_factory": _FACTORY}
    parameters, lines, defaulted = [], [], False
    for f in every:
        value = f.name
        if f.default is not MISSING:
            names[f"_record_default_{f.name}"] = f.default
            parameters.append(f"{f.name}=_record_default_{f.name}")
        elif f.default_factory is not MISSING:
            names[f"_record_make_{f.name}"] = f.default_factory
            parameters.append(f"{f.name}=_record_factory")
            value = f"_record_make_{f.name}() if {f.name} is _record_factory else {f.name}"
        elif defaulted:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
        else:
            parameters.append(f.name)
        defaulted = f.default is not MISSING or f.default_factory is not MISSING or defaulted
        lines.append(f" _record_set(_record_self, {f.name!r}, {value})")
    if hasattr(cls, "__post_init__"):
        lines.append(" _record_self.__post_init__()")
    exec(f"def __init__({', '.join(['_record_self', *parameters])}):\n"
         + "\n".join(lines or [" pass"]), names)
    initialiser: Callable[..., None] = names["__init__"]
    initialiser.__qualname__ = f"{cls.__qualname__}.__init__"
    return initialiser


def _refuse_assignment(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_deletion(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


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
