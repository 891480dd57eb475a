"""The web UI of one generated server at /__mockc/ui/, in headless Chromium, over
the server's own admin API (with its token): operations listed, a mock edited
with a validation error shown at its line, then fixed and served, the request
in the journal and the chart."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.corpus import CORPUS
from tests.support.servers import ServerProcess

from .browser import browser, needs_chromium

TOKEN = "ui-test-admin-token"
PETSTORE = CORPUS / "openapi" / "oai-petstore-v3" / "petstore.yaml"

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = tmp_path_factory.mktemp("ui-server") / "server"
    generate([PETSTORE], out, GenerateOptions())
    env = {"MOCKC_ADMIN_TOKEN": TOKEN}
    with ServerProcess([sys.executable, "server.py"], cwd=out, env=env) as running:
        yield running


def test_the_server_ui_edits_a_mock_and_shows_the_request(
    server: ServerProcess, tmp_path: Path
) -> None:
    with browser(tmp_path / "screenshots") as session:
        page = session.page
        page.goto(f"{server.url}/__mockc/ui")
        assert page.url == f"{server.url}/__mockc/ui/"
        page.wait_for_selector("#notice.failed")
        assert "token" in page.inner_text("#notice")
        page.fill("#token", TOKEN)
        page.click("#token-form button[type=submit]")
        page.wait_for_selector("text=showPetById")
        assert page.evaluate("sessionStorage.getItem('mockc.token')") == TOKEN
        session.shot("1-operations")

        page.click("nav a[data-tab=mocks]")
        page.click("tr[data-mock=listPets] a")
        page.wait_for_selector("#mock-text")
        text = page.input_value("#mock-text")
        lines = text.splitlines()
        line = next(n for n, row in enumerate(lines, 1) if '"operation"' in row)
        page.fill("#mock-text", text.replace('"operation": "listPets"', '"operation": "listPetz"'))
        page.click("#save-mock")
        marked = page.wait_for_selector(f".gutter .line-number.error[data-line='{line}']")
        assert "unknown operation 'listPetz'" in (marked.get_attribute("title") or "")
        assert f"line {line}, column" in page.inner_text("#problems")
        session.shot("2-validation-error")
        with httpx.Client(base_url=server.url) as client:
            assert client.get("/pets").json()[0]["name"] == "Jonas Nguyen"  # nothing was written

        page.fill(
            "#mock-text",
            text.replace('"name": "Jonas Nguyen"', '"name": "Edited in the UI"'),
        )
        page.click("#save-mock")
        page.wait_for_selector("#notice:has-text('saved listPets')")
        assert page.query_selector(".gutter .line-number.error") is None
        with httpx.Client(base_url=server.url) as client:
            assert client.get("/pets").json()[0]["name"] == "Edited in the UI"

        page.click("nav a[data-tab=journal]")
        row = page.wait_for_selector("#journal-rows tr:has-text('/pets')")
        row.query_selector("a").click()  # type: ignore[union-attr]
        page.wait_for_selector("text=A mock answered this request.")
        assert "Edited in the UI" in page.inner_text("main")

        page.click("nav a[data-tab=chart]")
        page.wait_for_selector("#chart:not([data-total='0'])")
        session.shot("3-chart")
        assert session.errors == []
        assert session.blocked == []


def test_the_server_ui_creates_deletes_mocks_shows_a_near_miss_and_switches_scenario(
    server: ServerProcess, tmp_path: Path
) -> None:
    headers = {"authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=server.url, headers=headers) as api:
        created = api.post(
            "/__mockc/scenarios",
            json={
                "name": "empty-store",
                "mocks": [{"operation": "listPets", "response": {"status": 200, "body": []}}],
            },
        )
        assert created.status_code == 201, created.text
    only_one = {
        "id": "only-pet-1",
        "operation": "showPetById",
        "match": {"path": {"petId": 1}},
        "response": {"status": 200, "body": {"id": 1, "name": "One"}},
    }
    with browser(tmp_path / "screenshots") as session:
        page = session.page
        page.goto(f"{server.url}/__mockc/ui/")
        page.fill("#token", TOKEN)
        page.click("#token-form button[type=submit]")
        page.click("a[href='#/mocks/~new%3AshowPetById']")
        page.wait_for_selector("#mock-text")
        assert '"operation": "showPetById"' in page.input_value("#mock-text")
        page.fill("#mock-text", json.dumps(only_one, indent=2))
        page.click("#save-mock")
        page.wait_for_selector("#notice:has-text('saved only-pet-1')")

        page.click("nav a[data-tab=mocks]")
        page.click("button[data-delete=showPetById]")
        page.click("button[data-delete=showPetById]:has-text('Really delete?')")
        page.wait_for_selector("#notice:has-text('deleted showPetById')")
        # the notice shows before the list is drawn again: wait for the row to go
        page.wait_for_selector("tr[data-mock=showPetById]", state="detached", timeout=10_000)
        assert page.query_selector("tr[data-mock=showPetById]") is None
        with httpx.Client(base_url=server.url) as client:
            assert client.get("/pets/1").json() == {"id": 1, "name": "One"}
            missed = client.get("/pets/2")
        assert missed.json() != {"id": 1, "name": "One"}  # no mock matched: a near miss

        page.click("nav a[data-tab=journal]")
        page.check("#journal-filters input[name=unmatched]")
        page.click("#journal-filters button[type=submit]")
        page.wait_for_selector("#journal-total:has-text('1 request(s)')")
        page.click("#journal-rows tr[data-entry] a")
        report = page.wait_for_selector("#near-miss table")
        text = report.inner_text()
        assert "only-pet-1" in text and "0 of 1" in text
        session.shot("4-near-miss")

        page.click("nav a[data-tab=scenarios]")
        page.select_option("#scenario-choice", "empty-store")
        page.click("#switch-scenario")
        page.wait_for_selector("#active-scenario:has-text('Active: empty-store')")
        session.shot("5-scenarios")
        with httpx.Client(base_url=server.url) as client:
            assert client.get("/pets").json() == []
        page.select_option("#scenario-choice", "")
        page.click("#switch-scenario")
        page.wait_for_selector("#active-scenario:has-text('Active: none')")
        assert session.errors == []
