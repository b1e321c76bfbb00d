"""sitegen/yamlread.py: YAML read as nodes that keep the author's text and their file lines."""

from __future__ import annotations

import time

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from sitegen.yamlread import _OPENING_SIGNS, MAX_DEPTH, YamlError, load_mapping

BILLION_LAUGHS = (
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    + "".join(f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n"
              for a, b in zip("abcdefgh", "bcdefghi", strict=True))
)


def issues(text: str, first_line: int = 1) -> list[tuple[int, str, str]]:
    with pytest.raises(YamlError) as info:
        load_mapping(text, first_line)
    return [(i.line, i.message, i.hint) for i in info.value.issues]


# ---- the author's text and typed values -----------------------------------------------------

def test_text_keeps_what_yaml_1_1_would_rewrite():
    meta = load_mapping("title: no\nversion: 1.10\nanswer: yes\nzip: 01234\n")
    assert [meta.text(k) for k in ("title", "version", "answer", "zip")] == \
        ["no", "1.10", "yes", "01234"]


def test_value_gives_typed_yaml():
    meta = load_mapping("draft: true\ncount: 3\nlist: [a, 2]\nnested: {x: 1}\nempty:\n")
    assert meta.value("draft") is True
    assert meta.value("count") == 3
    assert meta.value("list") == ["a", 2]
    assert meta.value("nested") == {"x": 1}
    assert meta.value("empty", "default") == "default"
    assert meta.value("absent", 7) == 7


def test_texts_keeps_each_word_of_a_list_as_written():
    meta = load_mapping("tags: [no, on, 1.10, yes, ~, '']\n")
    assert meta.texts("tags") == ["no", "on", "1.10", "yes"]


def test_texts_splits_a_comma_separated_string():
    assert load_mapping("tags: vélo, ville ,, nuit\n").texts("tags") == ["vélo", "ville", "nuit"]


def test_a_value_whose_tag_does_not_fit_keeps_its_text():
    meta = load_mapping("a: !!timestamp soon\nb: !!bool maybe\nc: 2024-02-30\nd: !!int x\n")
    assert [meta.value(k) for k in "abcd"] == ["soon", "maybe", "2024-02-30", "x"]


def test_unknown_tags_are_not_constructed():
    meta = load_mapping("a: !!python/object/apply:os.system [echo hi]\n")
    assert meta.value("a") == ["echo hi"]


# ---- lines ----------------------------------------------------------------------------------

def test_key_lines_count_from_the_top_of_the_file():
    meta = load_mapping("title: x\n\ndate: 2025-03-21\n", first_line=2)
    assert meta.line_of("title") == 2
    assert meta.line_of("date") == 4
    assert meta.line_of("absent") == 2  # the mapping itself


def test_nested_mapping_lines_keep_the_file_offset():
    meta = load_mapping("share:\n  mastodon: Salut\n  x: Hello\n", first_line=2)
    share = meta.mapping("share")
    assert share is not None
    assert share.line_of("x") == 4


def test_syntax_error_names_the_line_in_the_file():
    [(line, message, _)] = issues("title: x\ndate: 2025\ntags:\n  - a\n b: c\n", 2)
    assert line == 6
    assert message == "invalid YAML: did not find expected key"


@pytest.mark.parametrize(("text", "hint"), [
    ("title: x\ntags: [a, b\nnext: 1\n", "close the [ or { opened on this line"),
    ("title: x\nshare: {x: a\nnext: 1\n", "close the [ or { opened on this line"),
    ("title: x\nsummary: 'lété\nnext: 1\n", "close the quote, or double a ' inside '…'"),
    ("title: x\nsummary: 'l'été'\nnext: 1\n",
     "check this line's indentation, or quote the whole value: \"l'été\""),
    ("title: x\njust some words\nnext: 1\n",
     "write 'key: value', or indent a line that continues the previous value"),
])
def test_an_unclosed_quote_or_bracket_is_reported_where_it_opens(text, hint):
    # PyYAML notices the problem lines later (often at the closing '---' of the front matter).
    [(line, message, found_hint)] = issues(text, first_line=2)
    assert line == 3
    assert message.startswith("invalid YAML: ")
    assert found_hint == hint


def test_colon_in_a_value_gets_a_hint():
    [(line, message, hint)] = issues("title: x\nsummary: Le point: ici: là\n", first_line=2)
    assert line == 3
    assert "mapping values are not allowed" in message
    assert hint == "put quotes around a value that contains ': '"


def test_tab_indentation_gets_a_hint():
    [(line, _, hint)] = issues("a: b\n\tc: d\n", first_line=2)
    assert line == 3
    assert hint == "indent with spaces, not tabs"


def test_a_document_that_is_not_a_mapping_is_refused():
    assert issues("- a\n- b\n", first_line=2) == [
        (2, "expected key: value lines, found a list", "write one 'key: value' per line")]
    assert issues("just words\n", first_line=2)[0][1] == \
        "expected key: value lines, found a single value"


def test_empty_document_is_an_empty_mapping_unless_refused():
    assert load_mapping("", 2).keys() == []
    with pytest.raises(YamlError, match="empty YAML document"):
        load_mapping("\n", 2, empty_ok=False)


def test_duplicate_key_is_reported_on_its_second_line():
    assert issues("title: a\ndate: 2025-03-21\ntitle: b\n", first_line=2) == [
        (4, "duplicate key 'title'", "first given on line 2")]


def test_duplicate_keys_in_a_nested_mapping_and_every_one_reported():
    found = issues("share:\n  x: a\n  x: b\ntags: 1\ntags: 2\n")
    assert [(line, message) for line, message, _ in found] == [
        (3, "duplicate key 'x'"), (5, "duplicate key 'tags'")]


def test_merge_keys_are_refused():
    [(line, message, _)] = issues("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert line == 3
    assert "merge keys" in message


def test_a_non_scalar_key_is_refused():
    [(line, message, _)] = issues("? [a, b]\n: c\n", first_line=2)
    assert line == 2 and message == "a key must be a plain word"


def test_a_control_character_is_reported_on_its_line_in_one_line():
    [(line, message, _)] = issues("title: x\nsummary: a\x01b\n", first_line=2)
    assert line == 3
    assert "unacceptable character #x0001" in message
    assert "\n" not in message


# ---- what a caller asks for, and gets something else ----------------------------------------

def test_text_of_a_list_is_an_error_on_its_line():
    meta = load_mapping("title: x\nauthor: [a, b]\n", first_line=2)
    with pytest.raises(YamlError) as info:
        meta.text("author")
    assert [(i.line, i.message) for i in info.value.issues] == [
        (3, "'author' must be a single value, not a list")]


def test_texts_of_a_mapping_or_nested_list_is_an_error():
    meta = load_mapping("tags: {a: b}\ncats:\n  - a\n  - [b]\n")
    with pytest.raises(YamlError, match="'tags' must be a list, not a mapping"):
        meta.texts("tags")
    with pytest.raises(YamlError) as info:
        meta.texts("cats")
    assert info.value.issues[0].line == 4


def test_mapping_and_mappings_refuse_other_shapes():
    meta = load_mapping("share: hello\nlinks:\n  - just text\n")
    with pytest.raises(YamlError, match="'share' must be a mapping"):
        meta.mapping("share")
    with pytest.raises(YamlError) as info:
        meta.mappings("links")
    assert info.value.issues[0].line == 3


# ---- hostile documents fail fast ------------------------------------------------------------

def test_billion_laughs_fails_fast_at_the_line_of_the_exploding_key():
    started = time.perf_counter()
    found = issues("title: x\n" + BILLION_LAUGHS, first_line=2)
    assert time.perf_counter() - started < 2
    [(line, message, hint)] = found
    # a: 9 values, b: 81, c: 729, d: 6,561, e: 59,049 is over the budget; 'e' is file line 7.
    assert line == 7
    assert message == "YAML expands to too many or too deeply nested values"
    assert "aliases" in hint


def test_an_alias_expanding_inside_an_accepted_document_is_caught_when_read():
    meta = load_mapping('a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]\n'
                        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n")
    assert len(meta.value("c")) == 10  # 1,111 values: within the budget


def test_self_referencing_alias_does_not_recurse_forever():
    started = time.perf_counter()
    with pytest.raises(YamlError):
        load_mapping("a: &a [*a]\n")
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_deep_nesting_is_refused_without_crashing(depth):
    # 100,000 '[' used to overflow the C stack of PyYAML's composer (a segfault).
    started = time.perf_counter()
    [(line, message, _)] = issues("title: x\nextra: " + "[" * depth + "]" * depth + "\n", 2)
    assert time.perf_counter() - started < 2
    assert line == 3
    assert message == "YAML is nested too deeply"


def test_nesting_up_to_the_limit_is_fine():
    depth = MAX_DEPTH - 2
    meta = load_mapping("extra: " + "[" * depth + "x" + "]" * depth + "\n")
    value = meta.value("extra")
    for _ in range(depth - 1):
        value = value[0]
    assert value == ["x"]


def _depth(text: str) -> int | None:
    """The deepest nesting of `text`'s collections as PyYAML parses it; None when it is not
    YAML."""
    depth = deepest = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None
    return deepest


_nested = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5)),
                       lambda inner: st.one_of(st.lists(inner, max_size=3),
                                               st.dictionaries(st.text(max_size=4), inner,
                                                               max_size=3)),
                       max_leaves=30)


@given(_nested, st.sampled_from([True, False, None]))
def test_no_document_nests_deeper_than_its_opening_signs(value, flow):
    """What lets load_mapping skip its nesting check on ordinary front matter."""
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    depth = _depth(text)
    assert depth is not None
    assert depth <= sum(map(text.count, _OPENING_SIGNS))


@given(st.text(alphabet="[]{}-:?,&*!|>'\"# \nab", max_size=40))
def test_no_text_nests_deeper_than_its_opening_signs(text):
    depth = _depth(text)
    if depth is not None:
        assert depth <= sum(map(text.count, _OPENING_SIGNS))
