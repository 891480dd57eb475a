"""YAML as the front ends read it: JSON data only (keys as written, timestamps
as text, nesting bounded), and the node tree walked by JSON pointer segment
when a diagnostic needs a line and column."""

from __future__ import annotations

import json
from typing import Any

import yaml

from .limits import DepthBoundLoader

__all__ = ["DocumentLoader", "PositionLoader", "child_node"]

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DocumentLoader(DepthBoundLoader, _BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML loading that yields JSON data only: mapping keys are kept as
    written (``200:`` is the key ``"200"``), timestamps stay strings; nesting is
    bounded (:mod:`.limits`)."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[str, Any]:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = str(key_node.value)
            else:
                key = _key_text(self.construct_object(key_node, deep=True))
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_as_text(self, node: yaml.Node) -> str:
        return str(self.construct_scalar(node))  # type: ignore[arg-type]


class PositionLoader(DepthBoundLoader, _BaseLoader):  # type: ignore[misc, valid-type]
    """Composes the node tree (for positions), nesting bounded."""


def _key_text(key: Any) -> str:
    """A mapping key that is not a scalar (``? [a, b]``), as text."""
    try:
        return json.dumps(key, default=str)
    except (ValueError, RecursionError):
        return f"<{type(key).__name__}>"


DocumentLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
DocumentLoader.add_constructor("tag:yaml.org,2002:timestamp", DocumentLoader.construct_as_text)
DocumentLoader.add_constructor("tag:yaml.org,2002:binary", DocumentLoader.construct_as_text)


def child_node(node: yaml.Node, segment: str) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == segment:
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and segment.isdigit():
        index = int(segment)
        if index < len(node.value):
            return None, node.value[index]
    return None
