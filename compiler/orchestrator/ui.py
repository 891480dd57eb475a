"""The web UI at ``/ui/``: the runtime's static app, open without a token (its
files hold no data; the page sends the token it is given with every API call)."""

from __future__ import annotations

from mockc.runtime.ui import UI_HEADERS, ui_asset

from .errors import Problem
from .http import Reply

__all__ = ["UI_PATH", "ui_reply"]

UI_PATH = "/ui/"
_HEADERS = [(name, value) for name, value in UI_HEADERS if name != "cache-control"]


def ui_reply(method: str, path: str) -> Reply:
    if method != "GET":
        raise Problem(405, f"{method} is not allowed on {path}", headers=[("allow", "GET, HEAD")])
    if path == UI_PATH.rstrip("/"):
        return Reply(status=308, raw=b"", headers=[("location", UI_PATH)])
    asset = ui_asset(path[len(UI_PATH) :])
    if asset is None:
        raise Problem(404, f"the web UI has no file {path!r}")
    return Reply(raw=asset.content, media_type=asset.media_type, headers=list(_HEADERS))
