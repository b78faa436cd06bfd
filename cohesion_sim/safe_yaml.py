"""Reading untrusted YAML with limits, and quoting bad values in one short, printable line.

``yaml.safe_load`` builds no Python objects, but it still accepts input that ends in a
traceback or a machine out of memory further on: a few hundred nested lists (``RecursionError``),
an alias bomb of 500 bytes that expands to billions of values, a repeated key that silently
wins. :func:`load_yaml` refuses each of them before anything is built, with a message a
person can act on. :func:`quote` and :func:`one_line` keep error messages short and free of
control characters, whatever the bad value holds.
"""

from __future__ import annotations

import reprlib
from typing import Any

import yaml

from .errors import one_line  # noqa: F401  (re-exported: the io layer's messages use it)

#: Largest scenario or sweep spec file read (bytes); real ones are a few kB.
MAX_FILE_BYTES = 1_000_000
#: Deepest nesting of lists and mappings (a scenario needs about 5 levels).
MAX_DEPTH = 50
#: Most values a document may hold once every alias is expanded (each use of an alias counts again).
MAX_VALUES = 100_000
#: Longest prefix of a bad value quoted in an error message.
QUOTE_CHARS = 60

_MERGE_TAG = "tag:yaml.org,2002:merge"


class YamlLimitError(ValueError):
    """A YAML document is too deep, too large once aliases are expanded, or repeats a key."""


_repr = reprlib.Repr()
_repr.maxlevel, _repr.maxdict, _repr.maxlist, _repr.maxtuple, _repr.maxset = 2, 4, 6, 6, 6
_repr.maxstring = _repr.maxother = _repr.maxlong = QUOTE_CHARS


def quote(value: Any, limit: int = QUOTE_CHARS) -> str:
    """A short printable ``repr`` of a value: at most ``limit`` characters (then ``...``), no control characters.

    Bounded in time too: nested containers are cut after a few items, so quoting the
    product of an alias bomb costs nothing.
    """
    text = one_line(_repr.repr(value))
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _LimitedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that caps nesting while composing and refuses duplicate keys."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise YamlLimitError(
                    f"nested more than {MAX_DEPTH} levels deep (line {mark.line + 1}); a scenario needs about 5"
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE_TAG:
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.setdefault(key, key_node)
                except TypeError:
                    continue  # an unhashable key: the base constructor reports it
                if first is not key_node:
                    raise YamlLimitError(
                        f"a duplicate key: {quote(key)} appears twice in one mapping (lines {first.start_mark.line + 1} and "
                        f"{key_node.start_mark.line + 1}); keep one"
                    )
        return super().construct_mapping(node, deep=deep)


def expanded_size(node: yaml.Node) -> int:
    """How many values a composed document holds once every alias is expanded (iterative, linear in the nodes)."""
    size: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    open_nodes: set[int] = set()
    while stack:
        current, children_done = stack.pop()
        key = id(current)
        if key in size:
            continue
        children = _children(current)
        if children_done:
            open_nodes.discard(key)
            size[key] = min(1 + sum(size[id(c)] for c in children), MAX_VALUES + 1)
            continue
        if key in open_nodes:
            raise YamlLimitError("a loop: an alias (*name) refers to the list or mapping that contains it")
        open_nodes.add(key)
        stack.append((current, True))
        stack.extend((child, False) for child in children if id(child) not in size)
    return size[id(node)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load_yaml(text: str) -> Any:
    """Like ``yaml.safe_load``, but refuses deep nesting, alias bombs and duplicate keys (:class:`YamlLimitError`).

    Syntax errors raise ``yaml.YAMLError`` as usual.
    """
    if len(text) > MAX_FILE_BYTES:
        raise YamlLimitError(f"{len(text):,} characters long, more than the {MAX_FILE_BYTES:,} allowed")
    loader = _LimitedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if expanded_size(node) > MAX_VALUES:
            raise YamlLimitError(
                f"more than {MAX_VALUES:,} values once its aliases (*name) are expanded; write the values out"
            )
        return loader.construct_document(node)
    finally:
        loader.dispose()


def check_shape(value: Any, what: str = "value") -> None:
    """Refuse Python data nested deeper than :data:`MAX_DEPTH` or holding more than :data:`MAX_VALUES` values.

    The same limits as :func:`load_yaml`, for mappings built in Python (keyword overrides,
    sweep specs given as dicts). Shared references count once per use, as aliases do.
    """
    count = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        count += 1
        if count > MAX_VALUES:
            raise YamlLimitError(f"{what} has more than {MAX_VALUES:,} values")
        if isinstance(current, dict):
            items = [item for pair in current.items() for item in pair]
        elif isinstance(current, (list, tuple, set, frozenset)):
            items = list(current)
        else:
            continue
        if depth >= MAX_DEPTH and items:
            raise YamlLimitError(f"{what} is nested more than {MAX_DEPTH} levels deep")
        stack.extend((item, depth + 1) for item in items)


__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_VALUES", "YamlLimitError", "check_shape", "load_yaml", "one_line", "quote"]
