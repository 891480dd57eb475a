"""Mock files as documents that can be edited in place and written back
keeping the user's layout: YAML through ruamel.yaml's round-trip mode
(comments, key order, quoting and indentation survive), JSON as JSON."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from ..errors import Diagnostic, MockcError

if TYPE_CHECKING:
    from ruamel.yaml import YAML

__all__ = ["MOCK_SUFFIXES", "MergeError", "MockFile", "load_mock", "plain"]

MOCK_SUFFIXES = (".yaml", ".yml", ".json")


class MergeError(MockcError):
    """A user file mockc must merge into but cannot read: nothing is written."""


@dataclass(kw_only=True)
class MockFile:
    path: str
    """Relative to the output folder, forward slashes."""
    text: str
    is_json: bool
    yaml_indent: tuple[int, int] = (2, 0)
    """Mapping indent and sequence dash offset of a YAML file, as the user wrote them."""
    json_indent: int | None = 2
    shown_as: str | None = None
    """The path errors name (default ``path``)."""
    known_id: str | None = None
    """The ``id`` and ``operation`` of a mock mockc generated: read without parsing."""
    parsed: Any = field(default=None, repr=False)

    @property
    def data(self) -> Any:
        """The top-level mapping (a ruamel ``CommentedMap`` for YAML, a dict for
        JSON), parsed on first use: a merge parses only the files it merges."""
        if self.parsed is None:
            self.parsed = _parse(self)
        return self.parsed

    @property
    def id(self) -> str:
        """The mock's ``id``; the file name without suffix when it has none."""
        if self.known_id is not None and self.parsed is None:
            return self.known_id
        value = self.data.get("id")
        return value if isinstance(value, str) and value else PurePosixPath(self.path).stem

    @property
    def operation(self) -> str | None:
        # a generated mock's id is its operation's, but for a SOAP fault's
        # mock (``<operation>.<fault>``): those are read
        if self.known_id is not None and self.parsed is None and "." not in self.known_id:
            return self.known_id
        value = self.data.get("operation")
        return value if isinstance(value, str) else None

    def dump(self) -> str:
        if self.is_json:
            return json.dumps(plain(self.data), indent=self.json_indent, ensure_ascii=False) + "\n"
        stream = io.StringIO()
        _yaml(*self.yaml_indent).dump(self.data, stream)
        return stream.getvalue()


def load_mock(
    path: str, text: str, *, shown_as: str | None = None, known_id: str | None = None
) -> MockFile:
    """A mock file, parsed now — a file that is not one mapping is a
    :class:`MergeError` located at ``shown_as`` (the path to print, default
    ``path``) — or, given the ``known_id`` of a mock mockc generated with exactly
    this text, parsed only when a merge needs its fields."""
    is_json = path.endswith(".json")
    mock = MockFile(
        path=path,
        text=text,
        is_json=is_json,
        shown_as=shown_as,
        known_id=known_id,
    )
    if known_id is None:
        mock.parsed = _parse(mock)
    return mock


def _parse(mock: MockFile) -> Any:
    where = mock.shown_as or mock.path
    text = mock.text
    if mock.is_json:
        mock.json_indent = _json_indent(text)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MergeError(
                Diagnostic(file=where, line=exc.lineno, column=exc.colno, message=exc.msg)
            ) from None
    else:
        from ruamel.yaml.error import MarkedYAMLError, YAMLError  # a large import: YAML only

        mock.yaml_indent = _guess_yaml_indent(text)
        try:
            data = _yaml(*mock.yaml_indent).load(text)
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            raise MergeError(
                Diagnostic(
                    file=where,
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                    message=f"not valid YAML: {exc.problem or exc.context}",
                )
            ) from None
        except YAMLError as exc:
            raise MergeError(Diagnostic(file=where, message=f"not valid YAML: {exc}")) from None
    if not isinstance(data, dict):
        raise MergeError(
            Diagnostic(
                file=where,
                line=1,
                message="a mock file holds one mapping (id, operation, match, response…); "
                "mockc cannot merge into this one — fix it and generate again",
            )
        )
    return data


def plain(value: Any) -> Any:
    """ruamel's round-trip values as plain JSON data."""
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _yaml(mapping_indent: int, dash_offset: int) -> YAML:
    from ruamel.yaml import YAML  # a large import: only when YAML is read or written

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the user's long lines
    yaml.indent(mapping=mapping_indent, sequence=dash_offset + 2, offset=dash_offset)
    return yaml


def _guess_yaml_indent(text: str) -> tuple[int, int]:
    """The mapping indent and sequence dash offset the file uses (2 and 0 when
    it does not say), so that a rewritten file keeps its look."""
    lines = [
        line
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#") and "\t" not in line[:8]
    ]
    mapping: int | None = None
    offset: int | None = None
    for above, below in zip(lines, lines[1:], strict=False):
        stripped = above.strip()
        if not stripped.endswith(":"):
            continue
        above_indent = len(above) - len(above.lstrip(" "))
        if stripped.startswith("- "):
            above_indent += 2
        below_indent = len(below) - len(below.lstrip(" "))
        if below.lstrip().startswith("- "):
            if offset is None and below_indent >= above_indent:
                offset = below_indent - above_indent
        elif mapping is None and below_indent > above_indent:
            mapping = below_indent - above_indent
        if mapping is not None and offset is not None:
            break
    return mapping or 2, offset or 0


def _json_indent(text: str) -> int | None:
    for line in text.splitlines()[1:]:
        if line.strip():
            width = len(line) - len(line.lstrip(" "))
            return width or None
    return None
