"""The tables a long-lived process keeps between builds: reuse only on the same inputs."""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.recall import Memory, Recall


@dataclass(frozen=True)
class Thing:
    name: str


def test_a_value_is_reused_for_the_same_inputs_and_remade_otherwise():
    table: Recall[list[str]] = Recall()
    made: list[str] = []

    def make(label: str):
        return lambda: made.append(label) or [label]

    thing = Thing("a")
    first = table.get("k", (thing, "x"), make("first"))
    assert table.get("k", (thing, "x"), make("again")) is first  # same objects
    assert table.get("k", (Thing("a"), "x"), make("again")) is first  # equal ones
    assert table.get("k", (Thing("b"), "x"), make("changed")) == ["changed"]
    assert table.get("k", (Thing("b"), "y"), make("other")) == ["other"]
    assert table.get("k", (Thing("b"),), make("shorter")) == ["shorter"]
    assert made == ["first", "changed", "other", "shorter"]


def test_keys_do_not_share_values():
    table: Recall[str] = Recall()
    assert table.get("a", (1,), lambda: "A") == "A"
    assert table.get("b", (1,), lambda: "B") == "B"


def test_memory_hands_back_the_earlier_equal_value_itself():
    memory = Memory()
    first = Thing("site")
    assert memory.same("config", first) is first
    assert memory.same("config", Thing("site")) is first
    changed = Thing("other")
    assert memory.same("config", changed) is changed
    assert memory.same("config", Thing("other")) is changed


def test_items_gone_are_forgotten_once_they_are_many():
    table: Recall[int] = Recall()
    for n in range(500):
        table.get(f"post{n}", (n,), lambda n=n: n)
    asked = []
    table.prune(250, lambda: asked.append(1) or {"post1"})  # 500 kept: not yet many
    assert asked == [] and table.known("post400") == 400
    table.prune(2, lambda: {"post1", "post2"})
    assert table.known("post1") == 1
    assert table.known("post400") is None


def test_the_memory_of_a_last_build_makes_every_value_and_keeps_none():
    """`sitegen build` ends after one build: looking up and keeping would be for nothing."""
    table = Memory(keeps=False).table("posts")
    made: list[str] = []
    thing = Thing("a")
    assert table.get("k", (thing,), lambda: made.append("first") or "A") == "A"
    assert table.get("k", (thing,), lambda: made.append("again") or "B") == "B"
    assert made == ["first", "again"] and table.known("k") is None
