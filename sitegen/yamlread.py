"""Reading YAML (site.yaml and front matter) so that every value keeps its line and its text.

PyYAML's loaders lose what authors need in error messages (the line of a key) and silently
rewrite what they typed under YAML 1.1 rules (`no` becomes False, `1.10` becomes 1.1). So we
only *compose* the document into nodes, then convert on demand: `text()` gives the author's own
characters, `value()` the typed YAML value. Duplicate keys are errors, and conversion has a
budget, so an alias bomb ("billion laughs") fails fast instead of eating the machine.
"""

from __future__ import annotations

from typing import Any

import yaml

from sitegen.records import record

# The C composer is ~9x faster than the pure-Python one and still gives line marks.
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()

_NULL_TAG = "tag:yaml.org,2002:null"
MAX_NODES = 20_000  # values visited while converting one document: far above any real file
MAX_DEPTH = 64
_OPENING_SIGNS = "[{-:?"  # see _check_nesting
# PyYAML errors whose context (an unclosed quote or bracket, a key without ':') starts on the
# line to fix, although the problem is only noticed further down.
_NOTICED_LATER = ("while scanning a quoted scalar", "while scanning a simple key",
                  "while parsing a flow")


@record
class YamlIssue:
    """A problem in YAML text at a line of its file; readers report it as a build error."""

    line: int
    message: str
    hint: str = ""


class YamlError(Exception):
    """The YAML cannot be used; carries each issue with its line in the file."""

    def __init__(self, issues: list[YamlIssue]):
        self.issues = issues
        super().__init__("; ".join(f"line {i.line}: {i.message}" for i in issues))


class _Budget:
    """Counts visited nodes and nesting, so aliases cannot expand into millions of values
    and a self-referencing alias (`&a [*a]`) cannot recurse forever."""

    def __init__(self, line: int):
        self.left = MAX_NODES
        self.line = line

    def spend(self, depth: int) -> None:
        self.left -= 1
        if self.left < 0 or depth > MAX_DEPTH:
            raise YamlError([YamlIssue(self.line, "YAML expands to too many or too deeply "
                                       "nested values", "remove repeated aliases (*name)")])


@record
class YamlMapping:
    """A YAML mapping whose values are kept as nodes until a caller asks for them."""

    nodes: dict[str, yaml.Node]
    key_lines: dict[str, int]
    line: int  # line of the mapping itself in its file
    offset: int  # line in file = line in the YAML text + offset

    def keys(self) -> list[str]:
        return list(self.nodes)

    def __contains__(self, key: str) -> bool:
        return key in self.nodes

    def line_of(self, key: str) -> int:
        """The file line of `key`, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)

    def _node_line(self, node: yaml.Node) -> int:
        return int(node.start_mark.line) + 1 + self.offset

    def is_null(self, key: str) -> bool:
        node = self.nodes.get(key)
        return node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG)

    def value(self, key: str, default: Any = None) -> Any:
        """The typed YAML value (bool, int, list, dict ...), or `default` when absent or null."""
        if self.is_null(key):
            return default
        return to_python(self.nodes[key], _Budget(self.line_of(key)))

    def text(self, key: str) -> str | None:
        """The author's text of a scalar, untouched by YAML 1.1 typing; None if absent or null."""
        node = self.nodes.get(key)
        if node is None or self.is_null(key):
            return None
        if not isinstance(node, yaml.ScalarNode):
            raise YamlError([YamlIssue(self.line_of(key), f"'{key}' must be a single value, "
                                       f"not a {_kind(node)}")])
        return str(node.value)

    def texts(self, key: str) -> list[str]:
        """A list of scalars as the author wrote them; a comma-separated string is split."""
        node = self.nodes.get(key)
        if node is None or self.is_null(key):
            return []
        if isinstance(node, yaml.ScalarNode):
            return [part.strip() for part in str(node.value).split(",") if part.strip()]
        if isinstance(node, yaml.MappingNode):
            raise YamlError([YamlIssue(self.line_of(key),
                                       f"'{key}' must be a list, not a mapping")])
        out = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode):
                raise YamlError([YamlIssue(self._node_line(item),
                                           f"'{key}' must be a list of words, "
                                           f"found a {_kind(item)}")])
            if item.tag != _NULL_TAG and str(item.value).strip():
                out.append(str(item.value).strip())
        return out

    def mapping(self, key: str) -> YamlMapping | None:
        """A nested mapping, or None when absent or null; an error when it is something else."""
        node = self.nodes.get(key)
        if node is None or self.is_null(key):
            return None
        if not isinstance(node, yaml.MappingNode):
            raise YamlError([YamlIssue(self.line_of(key),
                                       f"'{key}' must be a mapping (key: value lines), "
                                       f"not a {_kind(node)}")])
        return _mapping_from_node(node, self.offset)

    def mappings(self, key: str) -> list[YamlMapping]:
        """A list of mappings (e.g. `links: [{title, url}]`)."""
        node = self.nodes.get(key)
        if node is None or self.is_null(key):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise YamlError([YamlIssue(self.line_of(key), f"'{key}' must be a list")])
        out = []
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                raise YamlError([YamlIssue(self._node_line(item),
                                           f"each item of '{key}' must be a mapping "
                                           f"(title: …, url: …)")])
            out.append(_mapping_from_node(item, self.offset))
        return out


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "mapping"
    if isinstance(node, yaml.SequenceNode):
        return "list"
    return "single value"


def _mapping_from_node(node: yaml.MappingNode, offset: int) -> YamlMapping:
    nodes: dict[str, yaml.Node] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)  # _check_tree has refused non-scalar keys
        nodes[key] = value_node
        lines[key] = int(key_node.start_mark.line) + 1 + offset
    return YamlMapping(nodes, lines, int(node.start_mark.line) + 1 + offset, offset)


def to_python(node: yaml.Node, budget: _Budget, depth: int = 0) -> Any:
    """Convert a node tree to plain Python values within the budget."""
    budget.spend(depth)
    if isinstance(node, yaml.ScalarNode):
        try:
            return _constructor.construct_object(node, deep=True)
        # A text its tag cannot hold (an impossible date such as 2024-02-30, `!!bool maybe`,
        # `!!timestamp soon`): keep the text.
        except (yaml.YAMLError, ValueError, OverflowError, LookupError, AttributeError,
                TypeError):
            return str(node.value)
        finally:
            _constructor.constructed_objects.clear()
    if isinstance(node, yaml.SequenceNode):
        return [to_python(item, budget, depth + 1) for item in node.value]
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
        result[key] = to_python(value_node, budget, depth + 1)
    return result


def _check_tree(node: yaml.Node, offset: int, issues: list[YamlIssue], budget: _Budget,
                depth: int = 0) -> None:
    """Find duplicate and non-scalar keys anywhere in the document."""
    budget.spend(depth)
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_tree(item, offset, issues, budget, depth + 1)
    elif isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + offset
            if depth == 0:  # an alias bomb is reported at the key whose value explodes
                budget.line = line
            if not isinstance(key_node, yaml.ScalarNode):
                issues.append(YamlIssue(line, "a key must be a plain word"))
                continue
            key = str(key_node.value)
            if key == "<<":
                issues.append(YamlIssue(line, "YAML merge keys (<<) are not supported",
                                        "write the keys out"))
            elif key in seen:
                issues.append(YamlIssue(line, f"duplicate key '{key}'",
                                        f"first given on line {seen[key]}"))
            else:
                seen[key] = line
            _check_tree(value_node, offset, issues, budget, depth + 1)


def load_mapping(text: str, first_line: int = 1, empty_ok: bool = True) -> YamlMapping:
    """Parse `text` (which starts at `first_line` of its file) as one YAML mapping.

    Raises YamlError with file line numbers for syntax errors, duplicate keys, a document that
    is not a mapping, or one that expands too far.
    """
    offset = first_line - 1
    try:
        _check_nesting(text, offset)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context_mark and (exc.context or "").startswith(_NOTICED_LATER):
            # An unclosed quote or bracket is noticed lines later: show where it opens.
            mark, problem = exc.context_mark, f"{problem} {exc.context}"
        line = (mark.line + 1 + offset) if mark else first_line
        raise YamlError([YamlIssue(line, f"invalid YAML: {problem}",
                                   _yaml_hint(problem))]) from None
    except yaml.reader.ReaderError as exc:  # a control character: its position, no mark
        line = text[: exc.position].count("\n") + first_line
        raise YamlError([YamlIssue(line, f"invalid YAML: unacceptable character "
                                   f"#x{exc.character:04x}: {exc.reason}",
                                   "remove the invisible character")]) from None
    except yaml.YAMLError as exc:
        raise YamlError([YamlIssue(first_line, "invalid YAML: "
                                   + str(exc).splitlines()[0])]) from None
    except UnicodeEncodeError as exc:  # a lone surrogate, which no file read as UTF-8 holds
        line = text[: exc.start].count("\n") + first_line
        raise YamlError([YamlIssue(line, "invalid YAML: not Unicode text")]) from None
    if node is None:
        if empty_ok:
            return _empty(first_line)
        raise YamlError([YamlIssue(first_line, "empty YAML document")])
    if not isinstance(node, yaml.MappingNode):
        raise YamlError([YamlIssue(node.start_mark.line + 1 + offset,
                                   f"expected key: value lines, found a {_kind(node)}",
                                   "write one 'key: value' per line")])
    issues: list[YamlIssue] = []
    _check_tree(node, offset, issues, _Budget(first_line))
    if issues:
        raise YamlError(issues)
    return _mapping_from_node(node, offset)


def _check_nesting(text: str, offset: int) -> None:
    """Refuse nesting deeper than MAX_DEPTH before composing: the composer recurses once per
    level, and the C one has no guard (100,000 '[' crash the interpreter). The parser does
    not recurse, so its events are counted instead — unless the text cannot nest that deep:
    every collection opens at a sign of its own ('[' or '{', the '-' of its first item, the
    ':' or '?' of its first key), and front matter has a dozen of them."""
    if sum(map(text.count, _OPENING_SIGNS)) <= MAX_DEPTH:
        return
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line if event.start_mark else 0
                raise YamlError([YamlIssue(line + 1 + offset, "YAML is nested too deeply",
                                           f"use at most {MAX_DEPTH} levels")])
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def _empty(line: int) -> YamlMapping:
    return YamlMapping({}, {}, line, line - 1)


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "put quotes around a value that contains ': '"
    if "quoted scalar" in problem:
        return "close the quote, or double a ' inside '…'"
    if "while parsing a flow" in problem:
        return "close the [ or { opened on this line"
    if "could not find expected ':'" in problem:
        return "write 'key: value', or indent a line that continues the previous value"
    if "did not find expected key" in problem:
        return "check this line's indentation, or quote the whole value: \"l'été\""
    if "found character '\\t'" in problem or "tab" in problem:
        return "indent with spaces, not tabs"
    return ""
