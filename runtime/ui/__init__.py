"""The web UI: one static app (HTML, JavaScript modules, CSS) on the admin APIs.

Every generated server serves it at ``/__mockc/ui/`` over its own admin API; the
orchestrator serves it at ``/ui/`` over its REST API. The files are this
package's ``assets/``, written here (no third-party code, no build step), and
served as they are with a Content-Security-Policy that allows nothing but the
app's own origin: the page works offline and runs no inline script.
"""

from __future__ import annotations

from .files import UI_HEADERS, UiAsset, ui_asset

__all__ = ["UI_HEADERS", "UiAsset", "ui_asset"]
