"""What names the orchestrator accepts: servers, namespaces, spec file names.

Every name that becomes part of a path on disk is checked here, so that no
request can reach outside the data folder: no absolute paths, no ``..``, no
percent- or backslash-encoded separators, no control characters.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from .errors import Problem

__all__ = ["check_file_name", "check_name", "check_namespace"]

_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_FILE_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,127}$")
MAX_FILE_DEPTH = 8


def check_name(name: object, what: str = "server name") -> str:
    """A DNS-label-like name: lower-case letters, digits and inner dashes, 1–63 characters."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise Problem(
            400,
            f"{what} {name!r} is not valid: use 1-63 lower-case letters, digits and "
            "dashes, starting and ending with a letter or digit",
        )
    return name


def check_namespace(name: object) -> str:
    return check_name(name, "namespace")


def check_file_name(name: object) -> str:
    """A relative spec file path (``api/pets.yaml``): plain segments only."""
    if not isinstance(name, str) or not name:
        raise Problem(400, f"file name {name!r} is not valid: it must be a non-empty string")
    decoded = name
    for _ in range(3):  # %252e%252e → %2e%2e → ..
        decoded = unquote(decoded)
    normalised = unicodedata.normalize("NFKC", decoded)
    if (
        normalised != name
        or "\\" in name
        or name.startswith("/")
        or any(ord(char) < 32 for char in name)
    ):
        raise Problem(400, f"file name {name!r} is not valid: no encodings, backslashes or /")
    parts = name.split("/")
    if len(parts) > MAX_FILE_DEPTH or not all(_FILE_PART.fullmatch(part) for part in parts):
        raise Problem(
            400,
            f"file name {name!r} is not valid: each segment is letters, digits, '_', '.', '+', "
            "'-' (not starting with '.'), at most 8 segments",
        )
    if ".." in name:
        raise Problem(400, f"file name {name!r} is not valid: '..' is not allowed")
    return name
