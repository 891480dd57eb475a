"""The GraphiQL page, served from files shipped with the runtime (no CDN).

``GET /graphql`` from a browser (``Accept: text/html``, no ``query``) answers
the page; its scripts and stylesheet are under ``/graphql/graphiql/``. The
files are pinned copies of npm packages (``assets/LICENSE.md`` names them).
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path

__all__ = ["ASSETS", "ASSET_PREFIX", "asset", "page"]

ASSET_DIR = Path(__file__).resolve().parent / "assets"
ASSET_PREFIX = "/graphiql/"
"""Under the GraphQL path: ``/graphql/graphiql/graphiql.min.js``."""
ASSETS = {
    "react.production.min.js": "text/javascript; charset=utf-8",
    "react-dom.production.min.js": "text/javascript; charset=utf-8",
    "graphiql.min.js": "text/javascript; charset=utf-8",
    "graphiql.min.css": "text/css; charset=utf-8",
    "LICENSE.md": "text/markdown; charset=utf-8",
}

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — GraphiQL</title>
<style>html, body, #graphiql {{ height: 100%; margin: 0; overflow: hidden; }}</style>
<link rel="stylesheet" href="{assets}graphiql.min.css">
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="{assets}react.production.min.js"></script>
<script src="{assets}react-dom.production.min.js"></script>
<script src="{assets}graphiql.min.js"></script>
<script>
  (function () {{
    var endpoint = new URL({endpoint}, window.location.href);
    var socket = new URL(endpoint.href);
    socket.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";
    var fetcher = GraphiQL.createFetcher({{url: endpoint.href, subscriptionUrl: socket.href}});
    var root = ReactDOM.createRoot(document.getElementById("graphiql"));
    var props = {{fetcher: fetcher, defaultEditorToolsVisibility: true}};
    root.render(React.createElement(GraphiQL, props));
  }})();
</script>
</body>
</html>
"""


def page(title: str, endpoint: str) -> bytes:
    """The page for the API ``title`` whose GraphQL endpoint is the path ``endpoint``."""
    return _PAGE.format(
        title=html.escape(title),
        assets=html.escape(endpoint.rstrip("/") + ASSET_PREFIX),
        endpoint=json.dumps(endpoint).replace("<", "\\u003c"),
    ).encode("utf-8")


@cache
def asset(name: str) -> tuple[bytes, str] | None:
    """(content, content type) of a shipped file; None for anything else."""
    media_type = ASSETS.get(name)
    if media_type is None:
        return None
    try:
        return (ASSET_DIR / name).read_bytes(), media_type
    except OSError:
        return None
