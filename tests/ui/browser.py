"""Headless Chromium for the UI tests: the system's browser (never a downloaded
one), every request outside loopback refused, page errors and console errors
(a Content-Security-Policy violation is one) collected."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS, HAS_CHROMIUM

needs_chromium = pytest.mark.skipif(
    not HAS_CHROMIUM,
    reason=f"no Chromium at {CHROMIUM} (install it: apt-get install -y chromium); "
    "the web UI browser tests are skipped",
)


class Browser:
    """One page, and what went wrong in it."""

    def __init__(self, page: Any, shots: Path) -> None:
        self.page = page
        self.shots = shots
        self.errors: list[str] = []
        self.blocked: list[str] = []

    def shot(self, name: str) -> Path:
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@contextmanager
def browser(shots: Path) -> Iterator[Browser]:
    playwright = pytest.importorskip("playwright.sync_api")
    shots.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = chromium.new_context(viewport={"width": 1200, "height": 900})
            page = context.new_page()
            page.set_default_timeout(30_000)
            session = Browser(page, shots)

            def only_local(route: Any) -> None:
                if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
                    route.continue_()
                else:
                    session.blocked.append(route.request.url)
                    route.abort()

            def console(message: Any) -> None:
                # a 401/422 answer the page handles is logged as a failed resource; not an error
                if message.type == "error" and "Failed to load resource" not in message.text:
                    session.errors.append(message.text)

            context.route("**/*", only_local)
            page.on("pageerror", lambda error: session.errors.append(str(error)))
            page.on("console", console)
            yield session
        finally:
            chromium.close()
