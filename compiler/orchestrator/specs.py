"""The spec files a request brings: uploaded (multipart or JSON) or named by a
path inside the folder the orchestrator was allowed to read (``--spec-root``).
"""

from __future__ import annotations

import base64
import binascii
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_multipart.multipart import MultipartParser, parse_options_header

from .errors import Problem
from .names import check_file_name

__all__ = ["MAX_FILES", "SpecSource", "from_json", "from_multipart", "write_files"]

MAX_FILES = 500
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@dataclass(slots=True)
class SpecSource:
    """Spec files, and the fields of the request that came with them."""

    files: dict[str, bytes] = field(default_factory=dict)
    """Uploaded files by their relative name."""
    paths: list[str] = field(default_factory=list)
    """Files named inside the spec root, read in place."""
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.files and not self.paths


def _decode_file(name: str, item: Any) -> bytes:
    if isinstance(item, str):
        return item.encode()
    if isinstance(item, dict) and isinstance(item.get("base64"), str):
        try:
            return base64.b64decode(item["base64"], validate=True)
        except (binascii.Error, ValueError):
            raise Problem(400, f"files[{name!r}].base64 is not valid base64") from None
    raise Problem(400, f"files[{name!r}] must be the file's text or {{'base64': '…'}}")


def from_json(body: Any) -> SpecSource:
    """``{"files": {"name": "text" | {"base64": "…"}}, "paths": ["…"], …options}``."""
    if not isinstance(body, dict):
        raise Problem(400, "the request body must be a JSON object")
    source = SpecSource(fields={k: v for k, v in body.items() if k not in ("files", "paths")})
    files = body.get("files", {})
    if not isinstance(files, dict):
        raise Problem(400, "'files' must be an object of file name → content")
    if len(files) > MAX_FILES:
        raise Problem(400, f"at most {MAX_FILES} files")
    for name, item in files.items():
        source.files[check_file_name(name)] = _decode_file(name, item)
    paths = body.get("paths", [])
    if isinstance(paths, str):
        paths = [paths]
    if not isinstance(paths, list) or not all(isinstance(path, str) for path in paths):
        raise Problem(400, "'paths' must be a list of file paths inside the spec root")
    source.paths = [check_file_name(path) for path in paths]
    if source.files and source.paths:
        raise Problem(400, "give either 'files' or 'paths', not both")
    return source


def from_multipart(content_type: str, body: bytes) -> SpecSource:
    """Every part with a filename is a spec file; other parts are fields (a part named
    ``options`` holds a JSON object of options)."""
    _, parameters = parse_options_header(content_type)
    boundary = parameters.get(b"boundary")
    if not boundary:
        raise Problem(400, "multipart/form-data without a boundary")
    parts: list[dict[str, Any]] = []
    header: dict[str, bytearray] = {}

    def on_part_begin() -> None:
        parts.append({"headers": {}, "data": bytearray()})

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header["field"] = header.get("field", bytearray()) + data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header["value"] = header.get("value", bytearray()) + data[start:end]

    def on_header_end() -> None:
        name = bytes(header.pop("field", b"")).lower()
        parts[-1]["headers"][name] = bytes(header.pop("value", b""))

    def on_part_data(data: bytes, start: int, end: int) -> None:
        parts[-1]["data"] += data[start:end]

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_part_data": on_part_data,
        },
    )
    try:
        parser.write(body)
        parser.finalize()
    except Exception as error:  # noqa: BLE001 - the parser's errors have no common base
        raise Problem(400, f"the multipart body is malformed: {error}") from None
    source = SpecSource()
    for part in parts:
        disposition = part["headers"].get(b"content-disposition", b"")
        _, options = parse_options_header(disposition)
        name = options.get(b"name", b"").decode(errors="replace")
        filename = options.get(b"filename")
        data = bytes(part["data"])
        if filename is not None:
            if len(source.files) >= MAX_FILES:
                raise Problem(400, f"at most {MAX_FILES} files")
            source.files[check_file_name(filename.decode(errors="replace"))] = data
        elif name == "options":
            try:
                options_object = json.loads(data)
            except ValueError:
                raise Problem(400, "the 'options' part is not JSON") from None
            if not isinstance(options_object, dict):
                raise Problem(400, "the 'options' part must be a JSON object")
            source.fields.update(options_object)
        elif name:
            source.fields[name] = data.decode(errors="replace")
    return source


def resolve_paths(root: Path | None, paths: list[str]) -> list[Path]:
    """The files ``paths`` name inside ``root``; refuses anything outside it."""
    if root is None:
        raise Problem(
            403, "this orchestrator reads no spec files by path (start it with --spec-root)"
        )
    resolved_root = root.resolve()
    found: list[Path] = []
    for path in paths:
        candidate = (resolved_root / path).resolve()
        if not candidate.is_relative_to(resolved_root):
            raise Problem(400, f"{path!r} is outside the spec root")
        if not candidate.is_file():
            raise Problem(400, f"{path!r}: no such file in the spec root")
        found.append(candidate)
    return found


def write_files(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Replace ``folder``'s content with ``files``; returns their paths."""
    if folder.exists():
        shutil.rmtree(folder)
    written: list[Path] = []
    for name in sorted(files):
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[name])
        written.append(target)
    return written
