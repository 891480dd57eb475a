"""GraphiQL in a real browser: the page of a generated server runs a query with
the network closed to anything but the server (no CDN). Headless Chromium
driven by Playwright (the system's Chromium, never a downloaded one); without
Chromium the test skips, saying why."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS, HAS_CHROMIUM
from tests.support.corpus import CORPUS
from tests.support.servers import ServerProcess

QUERY = '{ person(id: "1") { id name homeworld { name } } }'

pytestmark = pytest.mark.skipif(
    not HAS_CHROMIUM,
    reason=f"no Chromium at {CHROMIUM} (install it: apt-get install -y chromium); "
    "the GraphiQL browser test is skipped",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = tmp_path_factory.mktemp("graphiql") / "server"
    generate([CORPUS / "graphql" / "swapi" / "schema.graphql"], out, GenerateOptions())
    with ServerProcess([sys.executable, "server.py"], cwd=out) as running:
        yield running


def test_graphiql_runs_a_query_offline(server: ServerProcess) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    blocked: list[str] = []
    problems: list[str] = []

    def only_local(route: object) -> None:
        request = route.request  # type: ignore[attr-defined]
        if urlparse(request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            blocked.append(request.url)
            route.abort()  # type: ignore[attr-defined]

    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context()
            context.route("**/*", only_local)
            page = context.new_page()
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(f"{server.url}/graphql")
            page.wait_for_selector(".graphiql-query-editor .CodeMirror", timeout=30_000)
            page.evaluate(
                "query => document.querySelector('.graphiql-query-editor .CodeMirror')"
                ".CodeMirror.setValue(query)",
                QUERY,
            )
            page.click(".graphiql-execute-button")
            page.wait_for_function(
                "() => document.querySelector('.graphiql-response .CodeMirror')"
                ".CodeMirror.getValue().includes('homeworld')",
                timeout=30_000,
            )
            shown = page.evaluate(
                "() => document.querySelector('.graphiql-response .CodeMirror')"
                ".CodeMirror.getValue()"
            )
        finally:
            browser.close()
    result = json.loads(shown)
    assert result["data"]["person"]["id"] == "1"
    assert result["data"]["person"]["homeworld"]["name"]
    assert blocked == [], "the page asked for files outside the server"
    assert problems == []
