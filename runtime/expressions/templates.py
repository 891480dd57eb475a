"""Templates: text with ``{{ expression }}`` parts, and JSON values whose strings
are templates.

Write ``\\{{`` for a literal ``{{`` (the backslash is dropped); ``}}`` outside an
expression needs no escape. In a JSON value, a string that is exactly one
``{{ expression }}`` (whitespace around it allowed) or exactly one Mockarty
alias (``"$.body.name"``) is replaced by the expression's value with its type;
other strings render to text. Strings without expression parts are static, and
a template whose every string is static renders without any work.

Rendering is bounded: the text a template computes (its literal parts aside)
may not exceed MAX_VALUE_BYTES characters in total, or RenderLimitError.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from .access import ALIAS_ROOTS
from .errors import ExpressionError, Origin, RenderLimitError, origin_at
from .expression import Expression, compile_node
from .grammar import ALIAS_PATTERN
from .limits import MAX_VALUE_BYTES, check_size, weight
from .scope import Scope
from .values import to_text

__all__ = ["Template", "TextTemplate", "compile_template", "compile_text_template"]

_ALIAS = re.compile(ALIAS_PATTERN)
_ALIAS_ROOT = re.compile(r"\$\.([A-Za-z_]\w*)")
_Renderer = Callable[[Scope, list[int]], Any]
Locate = Callable[[tuple[str | int, ...]], Origin]


class _Part(NamedTuple):
    start: int
    source: str


def _split(text: str, origin: Origin) -> list[str | _Part]:
    """Literal text and expression parts, in order; adjacent literals merged."""
    segments: list[str | _Part] = []
    literal: list[str] = []
    position = 0
    while True:
        found = text.find("{{", position)
        if found < 0:
            literal.append(text[position:])
            break
        if found > 0 and text[found - 1] == "\\":
            literal.append(text[position : found - 1] + "{{")
            position = found + 2
            continue
        literal.append(text[position:found])
        end = _closing(text, found + 2)
        if end < 0:
            raise ExpressionError.at("'{{' is never closed with '}}'", origin, text, found)
        if any(literal):
            segments.append("".join(literal))
        literal = []
        segments.append(_Part(found + 2, text[found + 2 : end]))
        position = end + 2
    if any(literal):
        segments.append("".join(literal))
    return segments


def _closing(text: str, start: int) -> int:
    """The offset of the ``}}`` closing an expression that starts at ``start``."""
    depth = 0
    quote = ""
    index = start
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote or char == "\n":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth:
                depth -= 1
            elif text.startswith("}}", index):
                return index
        index += 1
    return -1


def _whole_alias(text: str) -> tuple[int, str] | None:
    """(offset, alias) when ``text`` is only a Mockarty alias with a known root."""
    stripped = text.strip()
    if not stripped.startswith("$.") or not _ALIAS.fullmatch(stripped):
        return None
    root = _ALIAS_ROOT.match(stripped)
    if root is None or root.group(1) not in ALIAS_ROOTS:
        return None
    return text.index(stripped), stripped


def _expression(text: str, origin: Origin, start: int, source: str) -> Expression:
    where = origin_at(origin, text, start)
    return Expression(source, where, compile_node(source, where))


def _typed(text: str, origin: Origin) -> tuple[list[str | _Part], Expression | None]:
    """The segments of ``text``, and its expression when it is one whole value."""
    alias = _whole_alias(text)
    if alias is not None:
        return [], _expression(text, origin, alias[0], alias[1])
    segments = _split(text, origin)
    parts = [segment for segment in segments if isinstance(segment, _Part)]
    literals = [segment for segment in segments if isinstance(segment, str)]
    if len(parts) == 1 and not "".join(literals).strip():
        return segments, _expression(text, origin, parts[0].start, parts[0].source)
    return segments, None


class TextTemplate:
    """A template rendered to text (headers, text bodies)."""

    __slots__ = ("_parts", "is_static", "origin", "static_value", "text")

    def __init__(self, text: str, origin: Origin) -> None:
        self.text = text
        self.origin = origin
        segments, whole = _typed(text, origin)
        sources: list[str | _Part | Expression] = [*segments]
        if not segments and whole is not None:
            sources.append(whole)
        parts: list[str | Expression] = []
        for source in sources:
            if isinstance(source, _Part):
                item: str | Expression = whole or _expression(
                    text, origin, source.start, source.source
                )
            else:
                item = source
            if isinstance(item, Expression) and item.is_constant:
                item = _constant_text(item)
            if parts and isinstance(item, str) and isinstance(parts[-1], str):
                parts[-1] += item
            else:
                parts.append(item)
        self._parts = tuple(parts)
        literals = [part for part in parts if isinstance(part, str)]
        self.is_static = len(literals) == len(parts)
        self.static_value: str | None = "".join(literals) if self.is_static else None

    def render(self, scope: Scope) -> str:
        """The text for ``scope``; RenderLimitError when it would be too long."""
        if self.static_value is not None:
            return self.static_value
        out: list[str] = []
        size = 0
        for part in self._parts:
            if isinstance(part, str):
                out.append(part)
                continue
            text = to_text(part.evaluate(scope))
            size += len(text)
            check_size(size)
            out.append(text)
        return "".join(out)


def _constant_text(expression: Expression) -> str:
    try:
        return to_text(expression.constant_value)
    except RenderLimitError as exc:
        where = expression.origin
        raise ExpressionError(str(exc), where.file, where.line, where.column) from None


class Template:
    """A JSON value whose strings are templates. ``render`` returns a JSON value;
    a static template returns ``static_value`` itself (treat it as read-only)."""

    __slots__ = ("_render", "is_static", "static_value")

    def __init__(self, is_static: bool, value: Any) -> None:
        self.is_static = is_static
        self.static_value: Any = value if is_static else None
        self._render: _Renderer | None = None if is_static else value

    def render(self, scope: Scope) -> Any:
        """The value for ``scope``; RenderLimitError when what it computes is too large."""
        if self._render is None:
            return self.static_value
        return self._render(scope, [MAX_VALUE_BYTES])


def _spend(budget: list[int], cost: int) -> None:
    budget[0] -= cost
    if budget[0] < 0:
        raise RenderLimitError(f"the rendered value exceeds {MAX_VALUE_BYTES} characters")


def _compile(value: Any, path: tuple[str | int, ...], locate: Locate) -> tuple[bool, Any]:
    """(True, the value) for a static part, else (False, a renderer)."""
    if type(value) is str:
        return _compile_string(value, path, locate)
    if isinstance(value, dict):
        entries = [(key, *_compile(item, (*path, key), locate)) for key, item in value.items()]
        if all(static for _, static, _ in entries):
            return True, {key: item for key, _, item in entries}

        def render_object(scope: Scope, budget: list[int]) -> Any:
            return {key: item if static else item(scope, budget) for key, static, item in entries}

        return False, render_object
    if isinstance(value, list | tuple):
        items = [_compile(item, (*path, index), locate) for index, item in enumerate(value)]
        if all(static for static, _ in items):
            return True, [item for _, item in items]

        def render_list(scope: Scope, budget: list[int]) -> Any:
            return [item if static else item(scope, budget) for static, item in items]

        return False, render_list
    return True, value


def _compile_string(value: str, path: tuple[str | int, ...], locate: Locate) -> tuple[bool, Any]:
    if "{{" not in value and ("$." not in value or _whole_alias(value) is None):
        return True, value
    origin = locate(path)
    segments, whole = _typed(value, origin)
    if whole is None:
        text = TextTemplate(value, origin)
        if text.is_static:
            return True, text.static_value

        def render_text(scope: Scope, budget: list[int]) -> Any:
            rendered = text.render(scope)
            _spend(budget, len(rendered))
            return rendered

        return False, render_text
    if whole.is_constant:
        return True, whole.constant_value
    expression = whole

    def render_value(scope: Scope, budget: list[int]) -> Any:
        result = expression.evaluate(scope)
        kind = type(result)
        if kind is str:
            _spend(budget, len(result))
        elif kind is dict or kind is list or kind is tuple:
            _spend(budget, weight(result, budget[0]))
        else:
            _spend(budget, 8)
        return result

    return False, render_value


def compile_text_template(text: str, origin: Origin) -> TextTemplate:
    """Compile ``text`` (starting at ``origin``) as a template rendered to text."""
    return TextTemplate(text, origin)


def compile_template(value: Any, locate: Locate) -> Template:
    """Compile the JSON ``value``; every string in it is a template, and
    ``locate(path)`` gives the origin of the string at that JSON path."""
    try:
        static, compiled = _compile(value, (), locate)
    except RecursionError:
        origin = locate(())
        raise ExpressionError(
            "the value nests too deeply", origin.file, origin.line, origin.column
        ) from None
    return Template(static, compiled)
