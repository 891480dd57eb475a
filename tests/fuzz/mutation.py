"""Hostile mutations of JSON-shaped documents (specs, mock files), for the fuzz tests.

A mutation walks from the root of a real document to a place chosen by the
strategy and replaces, removes or adds a value there. The values are the kinds
that broke mockc before: nesting deep enough to exhaust a recursive walker,
containers where text is expected, NUL characters, lone UTF-16 surrogates,
integers longer than Python converts, odd ``$ref``s, and ordinary JSON.
Values the writers cannot produce (integers too long for ``json.dumps``, nesting
deeper than they recurse) are placeholder words until the text is written.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import yaml
from hypothesis import strategies as st

__all__ = ["document_text", "hostile_values", "mutated"]

LONE_SURROGATE = "\ud800"
_PLACEHOLDER = re.compile(r"""["']?zzplace(\w+)zz["']?""")

_DEPTHS = (2, 50, 150, 199, 201, 260, 600, 1_200, 5_000)
_REFS = (
    "#/nope",
    "#",
    "#/paths",
    "#/components/schemas",
    "other\x00.yaml",
    "missing.yaml#/x",
    "../../../../etc/passwd",
    "%zz",
    "#/%zz",
    "http://127.0.0.1:9/spec.yaml",
    "file:///dev/null",
    "#/paths/~2",
    "#/" + "a/" * 300,
)


def _nested(depth: int, use_objects: bool) -> str:
    return f"zzplace{'o' if use_objects else 'l'}{depth}zz"


def _expand(match: re.Match[str]) -> str:
    name = match.group(1)
    if name == "huge":
        return "1" * 5_000
    depth = int(name[1:])
    if name[0] == "o":
        return '{"a": ' * depth + "1" + "}" * depth
    return "[" * depth + "]" * depth


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["", "\x00", "a\x00b", LONE_SURROGATE, "zzplacehugezz", "{", "[", "<x>"]),
)

hostile_values: st.SearchStrategy[Any] = st.one_of(
    _scalars,
    st.builds(_nested, st.sampled_from(_DEPTHS), st.booleans()),
    st.builds(lambda ref: {"$ref": ref}, st.sampled_from(_REFS)),
    st.recursive(
        _scalars,
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=8), children, max_size=3)
        ),
        max_leaves=8,
    ),
)


@st.composite
def mutated(draw: st.DrawFn, document: Any) -> Any:
    """A copy of ``document`` with one to three hostile changes."""
    result = copy.deepcopy(document)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        result = _mutate_once(draw, result)
    return result


def _mutate_once(draw: st.DrawFn, document: Any) -> Any:
    parent: Any = None
    key: Any = None
    node = document
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        if isinstance(node, dict) and node:
            keys = list(node)
            chosen = keys[draw(st.integers(min_value=0, max_value=len(keys) - 1))]
        elif isinstance(node, list) and node:
            chosen = draw(st.integers(min_value=0, max_value=len(node) - 1))
        else:
            break
        parent, key, node = node, chosen, node[chosen]
    action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
    value = draw(hostile_values)
    if action == "add" and isinstance(node, dict):
        name = draw(st.sampled_from(["$ref", "operationId", "in", "name", "type", "x-a", "\x00"]))
        node[name] = value
    elif action == "delete" and parent is not None:
        del parent[key]
    elif parent is None:
        return value
    else:
        parent[key] = value
    return document


def document_text(document: Any, *, as_json: bool) -> str | None:
    """``document`` written as JSON or YAML; None when YAML cannot hold it."""
    if as_json:
        text = json.dumps(document, indent=1)
    else:
        try:
            text = yaml.safe_dump(document, sort_keys=False, allow_unicode=False, width=200)
        except (yaml.YAMLError, UnicodeError):
            return None
    return _PLACEHOLDER.sub(_expand, text)
