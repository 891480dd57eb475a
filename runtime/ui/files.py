"""Finding one file of the UI by the path asked for, and the headers it is sent with."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ASSET_DIR", "CONTENT_SECURITY_POLICY", "UI_HEADERS", "UiAsset", "ui_asset"]

ASSET_DIR = Path(__file__).resolve().parent / "assets"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""Only the app's own files and its own origin's APIs: no inline script or style,
no other origin, not framed."""

UI_HEADERS: tuple[tuple[str, str], ...] = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("cache-control", "no-cache"),
)

_MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.(html|js|css|svg)$")


@dataclass(frozen=True, slots=True)
class UiAsset:
    content: bytes
    media_type: str


def ui_asset(relative: str) -> UiAsset | None:
    """The file ``relative`` names under the UI's root (``""`` is the page), or None.

    Only plain names of the assets folder are served: no folders, no dots but the
    suffix's, so nothing outside the folder can be reached."""
    name = relative or "index.html"
    if not _NAME.fullmatch(name):
        return None
    path = ASSET_DIR / name
    if not path.is_file():
        return None
    return UiAsset(path.read_bytes(), _MEDIA_TYPES[path.suffix])
