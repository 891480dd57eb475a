"""Reading a channel config: JSON parsed, checked against the format's schema,
every problem located (file, line, column, JSON pointer)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema_rs

from ...errors import Diagnostic, SpecError
from ..documents.json_positions import json_offset
from ..documents.pointers import escape_segment
from .schema import CONFIG_SCHEMA

__all__ = ["Config", "read_config"]

_VALIDATOR = jsonschema_rs.Draft202012Validator(CONFIG_SCHEMA)


@dataclass(frozen=True, slots=True)
class Config:
    """A config that follows the format: its data and where it came from."""

    file: str
    text: str
    data: dict[str, Any]

    def locate(self, pointer: list[str | int], message: str) -> Diagnostic:
        """A diagnostic at ``pointer`` (its segments) in the file."""
        return located(self.file, self.text, pointer, message)


def located(file: str, text: str, pointer: list[str | int], message: str) -> Diagnostic:
    segments = [str(segment) for segment in pointer]
    offset = json_offset(text, segments)
    line = column = None
    if offset is not None:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Diagnostic(
        message=message,
        file=file,
        pointer="".join("/" + escape_segment(segment) for segment in segments),
        line=line,
        column=column,
    )


def read_config(path: Path) -> Config:
    file = str(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(
            Diagnostic(message=f"not JSON: {exc.msg}", file=file, line=exc.lineno, column=exc.colno)
        ) from None
    errors = sorted(
        _VALIDATOR.iter_errors(data), key=lambda error: (len(error.instance_path), error.message)
    )
    if errors:
        # the deepest problem names the place best (a oneOf's branches are shallower)
        error = max(errors, key=lambda error: len(error.instance_path))
        raise SpecError(located(file, text, list(error.instance_path), error.message))
    return Config(file=file, text=text, data=data)
