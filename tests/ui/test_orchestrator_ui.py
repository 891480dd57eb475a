"""The web UI of the orchestrator at /ui/, in headless Chromium, against a real
orchestrator process: a server created from a corpus spec uploaded through the
page, a mock edited with a validation error shown at its line, then fixed; the
server called with httpx; the requests in the journal view and the chart."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.orchestrator.harness import Orchestrator
from tests.support.corpus import CORPUS

from .browser import browser, needs_chromium

PETSTORE = CORPUS / "openapi" / "oai-petstore-expanded-v3" / "petstore-expanded.yaml"

pytestmark = needs_chromium


def test_create_edit_call_and_watch_a_server_through_the_ui(tmp_path: Path) -> None:
    with Orchestrator(tmp_path / "data") as orch, browser(tmp_path / "screenshots") as session:
        page = session.page
        page.goto(f"{orch.url}/ui")
        assert page.url == f"{orch.url}/ui/"
        page.wait_for_selector("#notice.failed")  # no token yet: 401, said on the page
        page.fill("#token", orch.admin_token)
        page.click("#token-form button[type=submit]")
        page.wait_for_selector("text=No servers yet")

        page.click("#new-server")
        broken = tmp_path / "broken.yaml"
        broken.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: [\n")
        page.fill("#server-name", "broken")
        page.set_input_files("#spec-files", str(broken))
        page.click("#create-server")
        failure = page.wait_for_selector("#create-outcome .problem", timeout=120_000)
        assert "422" in failure.inner_text() and "broken.yaml:" in failure.inner_text()
        session.shot("0-create-failed")

        page.fill("#server-name", "pets")
        page.set_input_files("#spec-files", str(PETSTORE))
        session.shot("1-create")
        page.click("#create-server")
        page.wait_for_selector("#server-title:has-text('pets')", timeout=120_000)
        page.wait_for_selector("td:has-text('findPets')")
        session.shot("2-operations")

        page.click("nav a[data-tab=mocks]")
        page.click("tr[data-mock=findPets] a")
        page.wait_for_selector("#mock-text")
        text = page.input_value("#mock-text")
        line = next(n for n, row in enumerate(text.splitlines(), 1) if '"operation"' in row)
        page.fill("#mock-text", text.replace('"operation": "findPets"', '"operation": "findPet"'))
        page.click("#save-mock")
        marked = page.wait_for_selector(f".gutter .line-number.error[data-line='{line}']")
        assert "unknown operation 'findPet'" in (marked.get_attribute("title") or "")
        assert f"line {line}, column" in page.inner_text("#problems")
        session.shot("3-validation-error")

        fixed = json.loads(text)
        fixed["response"] = {"status": 200, "body": [{"id": 7, "name": "Set in the UI"}]}
        page.fill("#mock-text", json.dumps(fixed, indent=2))
        page.click("#save-mock")
        page.wait_for_selector("#notice:has-text('saved findPets')")
        assert page.query_selector(".gutter .line-number.error") is None

        page.click("nav a[data-tab=chart]")
        page.wait_for_selector("#chart-summary:has-text('request(s)')")
        before = int(page.get_attribute("#chart", "data-total") or "0")
        with orch.client(orch.admin_token) as api:
            url = api.get("/servers/pets").json()["url"]
        with httpx.Client(base_url=url) as client:
            for _ in range(5):
                assert client.get("/pets").json() == [{"id": 7, "name": "Set in the UI"}]
            assert client.get("/pets/oops").status_code >= 400
        page.wait_for_selector(f"#chart:not([data-total='{before}'])")
        page.wait_for_selector("#chart[data-total='6']")
        session.shot("4-chart")
        with orch.client(orch.admin_token) as api:
            latency = api.get("/servers/pets/journal/analysis").json()["latency_ms"]
        shown = " · ".join(f"{p} {latency[p]:.1f} ms" for p in ("p50", "p95", "p99"))
        assert shown in page.inner_text("#chart-summary")  # the server's own percentiles

        page.click("nav a[data-tab=journal]")
        page.wait_for_selector("#journal-total:has-text('6 request(s)')")
        page.fill("#journal-filters input[name=path]", "^/pets$")
        page.click("#journal-filters button[type=submit]")
        page.wait_for_selector("#journal-total:has-text('5 request(s)')")
        session.shot("5-journal")
        page.click("#journal-rows tr:first-child a")
        page.wait_for_selector("text=A mock answered this request.")
        assert "Set in the UI" in page.inner_text("main")
        session.shot("6-entry")

        page.click("#home")
        page.wait_for_selector("tr[data-server=pets] .status.running")
        session.shot("7-servers")
        assert session.errors == []
        assert session.blocked == []
