"""Reading a mock file into plain data that remembers where every value was written.

YAML and JSON go through the same event-driven builder (YAML's event parser reads
JSON too), which records the 1-based line and column of every node, of every
mapping key, and of the first character of every scalar's text (inside the
quotes; the first content line of a block scalar), so that problems and
expression errors point into the file.

Hostile input stays cheap: files are capped in size, aliases are refused (no
"billion laughs"), nesting is capped while parsing, and only JSON-compatible
scalars are accepted. JSON files are parsed by :mod:`json` for their data, so a
JSON file means exactly what JSON says; the event pass only adds positions, and
only when they are first needed.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
import yaml.constructor
import yaml.resolver

from ..exceptions import RuntimeFailure
from ..json_codec import JsonLimitError, parse_json

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "DocPath",
    "Position",
    "SourceDocument",
    "SourceError",
    "decode_source",
    "format_path",
    "parse_source",
    "read_source",
]

MAX_FILE_BYTES = 1 << 20
"""The largest mock file read, in bytes."""
MAX_DEPTH = 64
"""The deepest nesting of mappings and lists in a mock file."""

DocPath = tuple[str | int, ...]
Position = tuple[int, int]
"""(line, column), both 1-based."""

_LOADER: Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset({None, "!", _TAG + "str", _TAG + "value", _TAG + "merge"})
_CONTAINER_TAGS = frozenset({None, "!", _TAG + "map", _TAG + "seq"})


class SourceError(RuntimeFailure):
    """The file cannot be read as one YAML or JSON document; line 0 means the whole file."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class SourceDocument:
    """The data of one file and where each part of it was written.

    The positions of a JSON file are found when first asked for: only problems,
    expressions and errors ask, so a folder of sound JSON mocks loads without
    them (the YAML reader that finds them costs most of the load)."""

    __slots__ = ("_blocks", "_keys", "_pending", "_texts", "_values", "data", "json_text")

    def __init__(self, data: Any, *, pending: str | None = None) -> None:
        self.data = data
        self.json_text: str | None = None
        """The text of a JSON file."""
        self._values: dict[DocPath, Position] = {}
        self._keys: dict[DocPath, Position] = {}
        self._texts: dict[DocPath, Position] = {}
        self._blocks: list[tuple[int, int, int]] = []
        self._pending = pending
        """The JSON text whose positions are not read yet."""

    @property
    def values(self) -> dict[DocPath, Position]:
        """Where each value starts."""
        self._locate()
        return self._values

    @property
    def keys(self) -> dict[DocPath, Position]:
        """Where the key naming each mapping value starts (inside quotes)."""
        self._locate()
        return self._keys

    @property
    def texts(self) -> dict[DocPath, Position]:
        """Where the text of each scalar starts (inside quotes)."""
        self._locate()
        return self._texts

    @property
    def blocks(self) -> list[tuple[int, int, int]]:
        """Literal block scalars (``|``): first content line, last line, indentation."""
        self._locate()
        return self._blocks

    def _locate(self) -> None:
        if self._pending is None:
            return
        text, self._pending = self._pending, None
        try:
            located = _Builder(text).build()
        except SourceError:
            # Checked when parsed: only the YAML reader's limits can fail here
            # (very long keys, escaped surrogates); positions fall back to the start.
            return
        self._values, self._keys = located._values, located._keys
        self._texts, self._blocks = located._texts, located._blocks

    def value_at(self, path: Sequence[str | int]) -> Position:
        """Where the value at ``path`` starts (its nearest known ancestor's start)."""
        return _nearest(self.values, tuple(path))

    def key_at(self, path: Sequence[str | int]) -> Position:
        """Where the key naming the value at ``path`` starts."""
        found = self.keys.get(tuple(path))
        return found if found is not None else self.value_at(path)

    def text_at(self, path: Sequence[str | int]) -> Position:
        """Where the text of the scalar at ``path`` starts (inside quotes)."""
        found = self.texts.get(tuple(path))
        return found if found is not None else self.value_at(path)

    def in_file(self, line: int, column: int) -> Position:
        """A position computed as if every line of a scalar's text started at
        column 1, corrected for the indentation of literal block scalars."""
        for first, last, indent in self.blocks:
            if first < line <= last:
                return line, column + indent
        return line, column


def _nearest(table: dict[DocPath, Position], path: DocPath) -> Position:
    while True:
        found = table.get(path)
        if found is not None:
            return found
        if not path:
            return (1, 1)
        path = path[:-1]


def format_path(path: Sequence[str | int]) -> str:
    """``response.body.items[0].sku``: a path as a user reads it."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif text:
            text += f".{part}"
        else:
            text = str(part)
    return text or "the mock"


def read_source(path: Path) -> str:
    """The text of ``path``; SourceError when it is too large, unreadable or not UTF-8."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise SourceError(f"cannot read the file: {error.strerror or error}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise SourceError(
            f"the file is larger than {MAX_FILE_BYTES >> 20} MiB, the limit for a mock file"
        )
    return decode_source(raw)


def decode_source(raw: bytes) -> str:
    """UTF-8 text (a byte-order mark is dropped); SourceError for anything else."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8", "replace")) + 1
        raise SourceError(
            f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x} cannot be decoded)",
            line,
            column,
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _offset_position(text, nul)
        raise SourceError("the file holds NUL characters; is it a binary file?", line, column)
    return text


def _offset_position(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def parse_source(text: str, *, json_format: bool = False) -> SourceDocument:
    """One document of YAML (or JSON, when ``json_format``) with its positions."""
    if not json_format:
        return _Builder(text).build()
    try:
        data = parse_json(text, max_depth=MAX_DEPTH)
    except json.JSONDecodeError as error:
        raise SourceError(f"invalid JSON: {error.msg}", error.lineno, error.colno) from None
    except JsonLimitError as error:
        message = str(error)
        if error.limit == "depth":
            message = f"the document is nested more than {MAX_DEPTH} levels deep"
        raise SourceError(message) from None
    except ValueError as error:
        raise SourceError(f"invalid JSON: {error}") from None
    if _member_count(data) == _written_members(text):
        document = SourceDocument(data, pending=text)
        document.json_text = text
        return document
    # A key written twice (JSON keeps the last): the YAML reader says where.
    try:
        located = _Builder(text).build()
    except SourceError as error:
        if error.message.startswith("invalid YAML"):
            # Valid JSON the YAML reader cannot follow (very long keys, escaped
            # surrogates): the data stands, positions fall back to the start.
            _check_depth(data)
            located = SourceDocument(data)
        else:
            raise
    located.data = data
    located.json_text = text
    return located


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def _written_members(text: str) -> int:
    """How many ``key: value`` members the JSON ``text`` writes (a colon outside strings)."""
    return _JSON_STRING.sub("", text).count(":")


def _member_count(data: Any) -> int:
    """How many members the objects in ``data`` hold."""
    count = 0
    stack = [data]
    while stack:
        value = stack.pop()
        if type(value) is dict:
            count += len(value)
            stack.extend(value.values())
        elif type(value) is list:
            stack.extend(value)
    return count


def _check_depth(data: Any) -> None:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise SourceError(f"the document is nested more than {MAX_DEPTH} levels deep")
            members = value.values() if isinstance(value, dict) else value
            stack.extend((member, depth + 1) for member in members)


class _Frame:
    __slots__ = ("container", "key", "key_position", "path")

    def __init__(self, container: dict[str, Any] | list[Any], path: DocPath) -> None:
        self.container = container
        self.path = path
        self.key: str | None = None
        self.key_position: Position = (1, 1)


class _Builder:
    """Builds data and positions from the YAML event stream, iteratively."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] | None = None
        self.document = SourceDocument(None)
        self.stack: list[_Frame] = []
        self.root_set = False

    def build(self) -> SourceDocument:
        documents = 0
        try:
            for event in yaml.parse(self.text, Loader=_LOADER):
                if isinstance(event, yaml.ScalarEvent):
                    self._scalar(event)
                elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                    self._start(event)
                elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                    self.stack.pop()
                elif isinstance(event, yaml.AliasEvent):
                    raise SourceError(
                        "aliases (*name) are not allowed in mock files; write the value out",
                        *_mark(event.start_mark),
                    )
                elif isinstance(event, yaml.DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        raise SourceError(
                            "a mock file holds one document; a second one starts here",
                            *_mark(event.start_mark),
                        )
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            message = error.problem or error.context or "cannot be parsed"
            if error.context and error.problem:
                message += f" ({error.context})"
            raise SourceError(
                f"invalid YAML: {message}", *(_mark(mark) if mark else (1, 1))
            ) from None
        except yaml.reader.ReaderError as error:
            line, column = _offset_position(self.text, max(0, error.position))
            character = error.character
            shown = f"U+{character:04X}" if isinstance(character, int) else repr(character)
            raise SourceError(
                f"invalid YAML: the character {shown} is not allowed", line, column
            ) from None
        except (yaml.YAMLError, UnicodeError) as error:
            raise SourceError(f"invalid YAML: {error}", 1, 1) from None
        if not self.root_set:
            raise SourceError("the file is empty; a mock needs at least an operation", 1, 1)
        return self.document

    def _place(self, event: Any) -> DocPath | None:
        """The path of the node ``event`` starts; None when it is a mapping key."""
        if not self.stack:
            if self.root_set:
                return None
            self.root_set = True
            return ()
        frame = self.stack[-1]
        container = frame.container
        if isinstance(container, list):
            return (*frame.path, len(container))
        if frame.key is None:
            return None
        path = (*frame.path, frame.key)
        self.document._keys[path] = frame.key_position
        return path

    def _attach(self, path: DocPath, value: Any) -> None:
        if not path:
            self.document.data = value
            return
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            frame.container.append(value)
        else:
            assert frame.key is not None
            frame.container[frame.key] = value
            frame.key = None

    def _start(self, event: Any) -> None:
        path = self._place(event)
        if path is None:
            raise SourceError(
                "a key must be text, not a list or a mapping", *_mark(event.start_mark)
            )
        if event.tag not in _CONTAINER_TAGS:
            raise SourceError(
                f"the tag {_tag_name(event.tag)} is not supported", *_mark(event.start_mark)
            )
        if len(self.stack) >= MAX_DEPTH:
            raise SourceError(
                f"the document is nested more than {MAX_DEPTH} levels deep",
                *_mark(event.start_mark),
            )
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else []
        )
        self.document._values[path] = _mark(event.start_mark)
        self._attach(path, container)
        self.stack.append(_Frame(container, path))

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        position = _mark(event.start_mark)
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, dict) and frame.key is None:
            key = event.value
            if key in frame.container:
                raise SourceError(f"the key {key!r} appears twice in this mapping", *position)
            frame.key = key
            frame.key_position = self._text_position(event, position)
            return
        path = self._place(event)
        assert path is not None
        self.document._values[path] = position
        self.document._texts[path] = self._text_position(event, position)
        self._attach(path, _construct(event, position))

    def _text_position(self, event: yaml.ScalarEvent, position: Position) -> Position:
        style = event.style or ""
        if style in ("'", '"'):
            return position[0], position[1] + 1
        if style in ("|", ">"):
            if self.lines is None:
                self.lines = self.text.split("\n")
            for index in range(position[0], len(self.lines)):
                content = self.lines[index]
                if content.strip():
                    indent = len(content) - len(content.lstrip(" "))
                    if style == "|" and event.end_mark is not None:
                        last = event.end_mark.line + 1
                        self.document._blocks.append((index + 1, last, indent))
                    return index + 1, indent + 1
            return position[0] + 1, 1
        return position


def _mark(mark: Any) -> Position:
    return mark.line + 1, mark.column + 1


def _construct(event: yaml.ScalarEvent, position: Position) -> Any:
    """The JSON value of a scalar: null, bool, int, float or text."""
    tag = event.tag
    value = event.value
    plain_digits = tag is None and event.implicit[0] and value.isdigit() and value.isascii()
    if plain_digits and (value[0] != "0" or value == "0") and len(value) < 1000:
        return int(value)  # the most common scalar, without the resolver
    if tag is None or tag == "!":
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, event.implicit)  # type: ignore[no-untyped-call]
    if tag in _PLAIN_TAGS or tag == _TAG + "timestamp":
        return value
    node = yaml.ScalarNode(tag, value, None, None, event.style)
    try:
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return _CONSTRUCTOR.construct_yaml_bool(node)
        if tag == _TAG + "int":
            return _CONSTRUCTOR.construct_yaml_int(node)
        if tag == _TAG + "float":
            number = _CONSTRUCTOR.construct_yaml_float(node)
            if math.isfinite(number):
                return number
            raise SourceError(f"{value} is not a JSON number", *position)
    except (ValueError, KeyError) as error:
        shown = value if len(value) <= 40 else value[:39] + "…"
        message = f"{shown!r} cannot be read as {_tag_name(tag)}: {error}"
        raise SourceError(message, *position) from None
    raise SourceError(f"the tag {_tag_name(tag)} is not supported", *position)


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
