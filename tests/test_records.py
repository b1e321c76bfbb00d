"""Records behave as the frozen dataclasses they replace: the same equality, hashing, repr
(which digests hash), immutability, `replace`, pickling; only cheaper to define."""

from __future__ import annotations

import dataclasses
import pickle
import re
from dataclasses import FrozenInstanceError, InitVar, dataclass, field
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.records import record


def _twins(make_class):
    """The same class body, once as a record and once as a frozen dataclass, with the same
    qualified name (which both reprs show)."""
    ours, theirs = record(make_class()), dataclass(frozen=True)(make_class())
    ours.__qualname__ = theirs.__qualname__ = "Twin"
    return ours, theirs


def _three():
    class Three:
        name: str
        count: int = 0
        items: tuple = ()
        hidden: object = field(default=None, repr=False)
        ignored: object = field(default=None, compare=False)
        cached: list = field(default_factory=list, compare=False, repr=False)
    return Three


def _one():
    class One:
        value: object
    return One


def _none():
    class Empty:
        pass
    return Empty


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.tuples(inner, inner) | st.frozensets(st.integers(), max_size=3),
    max_leaves=6)


arguments = st.tuples(st.text(max_size=8), st.integers(), st.tuples(values), values, values)


@given(arguments, arguments)
def test_same_equality_hash_and_repr_as_a_frozen_dataclass(first, second):
    ours, theirs = _twins(_three)
    a, b, c, d = ours(*first), ours(*second), theirs(*first), theirs(*second)
    assert repr(a) == repr(c) and repr(b) == repr(d)
    assert (a == b) == (c == d) and (a != b) == (c != d)
    assert (a == ours(*first)) == (c == theirs(*first))  # nan compares unequal
    if a == b:
        assert hash(a) == hash(b)


@given(values, values)
def test_one_field_and_no_field(x, y):
    ours, theirs = _twins(_one)
    assert repr(ours(x)) == repr(theirs(x))
    assert (ours(x) == ours(y)) == (theirs(x) == theirs(y))
    if ours(x) == ours(y):
        assert hash(ours(x)) == hash(ours(y))
    empty, their_empty = _twins(_none)
    assert repr(empty()) == repr(their_empty()) == "Twin()"
    assert empty() == empty() and hash(empty()) == hash(empty())


def test_equal_only_to_the_same_class():
    ours, _ = _twins(_one)
    other, _ = _twins(_one)
    assert ours(1) != other(1)
    assert ours(1) != (1,) and ours(1) != 1
    assert ours(1) == ours(1) and ours(1) != ours(2)


def test_fields_left_out_of_comparison_are_left_out_of_equality_and_hash():
    ours, _ = _twins(_three)
    a, b = ours("x", ignored=1, cached=[1]), ours("x", ignored=2, cached=[2])
    assert a == b and hash(a) == hash(b)
    assert ours("x", hidden=1) != ours("x", hidden=2)  # hidden from repr, still compared
    assert "hidden" not in repr(a) and "ignored=1" in repr(a)


@record
class Pickled:
    """A record at module level, where pickle finds its class by name."""

    name: str
    count: int = 0
    items: tuple = ()


def test_frozen_replaceable_and_picklable():
    a = Pickled("x", 2, (1, "y"))
    with pytest.raises(FrozenInstanceError):
        a.count = 3
    with pytest.raises(FrozenInstanceError):
        del a.name
    assert dataclasses.replace(a, count=3) == Pickled("x", 3, (1, "y"))
    assert dataclasses.is_dataclass(a)
    assert [f.name for f in dataclasses.fields(a)] == ["name", "count", "items"]
    assert pickle.loads(pickle.dumps(a)) == a


def test_a_record_holding_itself_shows_dots_as_a_dataclass_does():
    ours, theirs = _twins(_one)
    mine, their = ours([]), theirs([])
    mine.value.append(mine)
    their.value.append(their)
    assert repr(mine) == repr(their) == "Twin(value=[...])"


@given(st.text(max_size=8), st.integers(), values)
def test_made_as_a_dataclass_is_made(name, count, extra):
    """Positional and keyword arguments, defaults, default factories (a new value for each
    instance), and the same errors for arguments that do not fit."""
    ours, theirs = _twins(_three)
    for args, kwargs in [((name,), {}), ((name, count), {"ignored": extra}),
                         ((), {"name": name, "items": (extra,), "cached": [count]})]:
        assert repr(ours(*args, **kwargs)) == repr(theirs(*args, **kwargs))
    assert ours(name).cached is not ours(name).cached
    for args, kwargs in [((), {}), ((name,), {"other": 1}), ((name,) * 7, {}),
                         ((name,), {"name": name})]:
        with pytest.raises(TypeError) as our_error:
            ours(*args, **kwargs)
        with pytest.raises(TypeError) as their_error:
            theirs(*args, **kwargs)
        assert str(our_error.value) == str(their_error.value)


@record
class Checked:
    """A record whose __post_init__ checks what it was given."""

    low: int
    high: int = 10

    def __post_init__(self):
        if self.low > self.high:
            raise ValueError("low above high")


def test_post_init_runs_after_the_fields_are_set():
    assert Checked(3).high == 10
    with pytest.raises(ValueError, match="low above high"):
        Checked(11)


def test_fields_a_record_does_not_make_are_refused():
    class Late:
        value: int = field(init=False, default=0)

    class Named:
        value: int = field(kw_only=True, default=0)

    class Passing:
        value: InitVar[int]

    class Built:
        value: int

        def __init__(self):
            pass

    for cls, refused in [(Late, "Late.value is not a plain field"),
                         (Named, "Named.value is not a plain field"),
                         (Passing, "Passing.value is not a plain field"),
                         (Built, "defines __init__")]:
        with pytest.raises(TypeError, match=refused):
            record(cls)


def test_a_field_without_default_after_one_with_is_refused_as_a_dataclass_does():
    def make():
        class Order:
            first: int = 0
            second: int
        return Order

    with pytest.raises(TypeError) as ours:
        record(make())
    with pytest.raises(TypeError) as theirs:
        dataclass(frozen=True)(make())
    assert str(ours.value) == str(theirs.value)


def test_a_class_defining_its_own_comparison_is_refused():
    class Custom:
        value: int

        def __eq__(self, other):
            return True

    with pytest.raises(TypeError, match="defines __eq__"):
        record(Custom)


def test_the_build_defines_records_not_frozen_dataclasses():
    """Each frozen dataclass costs every process ~0.6 ms at import; the preview server's
    own modules (which import nothing of the build) keep theirs."""
    package = Path(__file__).resolve().parent.parent / "sitegen"
    server_side = {"serve.py", "livereload.py", "watch.py"}
    frozen = [p.name for p in package.glob("*.py")
              if p.name not in server_side
              and re.search(r"^@dataclass\(frozen=True\)", p.read_text(), re.MULTILINE)]
    assert frozen == []
