"""The UI's files as served, without a browser: open without a token, with a
Content-Security-Policy, nothing outside the assets folder; the admin API's
mock check (problems at the lines of the text sent); no inline handlers."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mockc.compiler.driver import GenerateOptions, generate
from mockc.runtime.ui.files import ASSET_DIR, CONTENT_SECURITY_POLICY
from tests.orchestrator.harness import Orchestrator
from tests.support.corpus import CORPUS
from tests.support.grpc_kit import GrpcServer
from tests.support.servers import ServerProcess

TOKEN = "ui-files-token"
PETSTORE = CORPUS / "openapi" / "oai-petstore-v3" / "petstore.yaml"
BAD_NAMES = [
    "..%2finfo",
    "%2e%2e/info",
    "assets/app.js",
    "app.py",
    ".hidden.js",
    "APP.JS",
    "files.py",
    "nothing.js",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = tmp_path_factory.mktemp("ui-files") / "server"
    generate([PETSTORE], out, GenerateOptions())
    env = {"MOCKC_ADMIN_TOKEN": TOKEN}
    with ServerProcess([sys.executable, "server.py"], cwd=out, env=env) as running:
        yield running


@pytest.fixture(scope="module")
def orchestrator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Orchestrator]:
    with Orchestrator(tmp_path_factory.mktemp("ui-orch") / "data") as running:
        yield running


@pytest.fixture
def admin(server: ServerProcess) -> Iterator[httpx.Client]:
    headers = {"authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=server.url, headers=headers) as client:
        yield client


@pytest.mark.parametrize("root", ["/__mockc/ui", "/ui"])
def test_the_page_and_its_files_are_served_with_a_csp(
    root: str, server: ServerProcess, orchestrator: Orchestrator
) -> None:
    base = server.url if root == "/__mockc/ui" else orchestrator.url
    with httpx.Client(base_url=base) as client:  # no token: the files hold no data
        moved = client.get(root)
        assert (moved.status_code, moved.headers["location"]) == (308, f"{root}/")
        page = client.get(f"{root}/")
        assert page.status_code == 200
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.content == (ASSET_DIR / "index.html").read_bytes()
        for asset in sorted(ASSET_DIR.iterdir()):
            answer = client.get(f"{root}/{asset.name}")
            assert answer.status_code == 200, asset.name
            assert answer.content == asset.read_bytes()
        script = client.get(f"{root}/app.js")
        assert script.headers["content-type"] == "text/javascript; charset=utf-8"
        for name in BAD_NAMES:
            assert client.get(f"{root}/{name}").status_code == 404, name
        assert client.post(f"{root}/app.js").status_code == 405
        assert client.head(f"{root}/").status_code == 200


def test_the_api_behind_the_ui_still_needs_the_token(
    server: ServerProcess, orchestrator: Orchestrator
) -> None:
    assert httpx.get(f"{server.url}/__mockc/mocks").status_code == 401
    assert httpx.get(f"{orchestrator.url}/servers").status_code == 401


def test_checking_a_mock_gives_problems_at_lines_of_the_text(admin: httpx.Client) -> None:
    valid = '{\n  "id": "a",\n  "operation": "listPets",\n  "response": {"status": 200}\n}\n'
    answer = admin.post("/__mockc/mocks/check", json={"text": valid})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"valid": True, "problems": []}

    unknown = valid.replace('"listPets"', '"listPetz"')
    answer = admin.post("/__mockc/mocks/check", json={"text": unknown})
    assert answer.status_code == 422
    [location] = answer.json()["locations"]
    assert (location["line"], location["column"], location["level"]) == (3, 17, "error")
    assert "unknown operation 'listPetz'" in location["message"]

    broken = valid.replace('"id": "a",', '"id": "a"')
    answer = admin.post("/__mockc/mocks/check", json={"text": broken})
    assert answer.status_code == 422
    assert answer.json()["locations"][0]["line"] in (2, 3)

    as_yaml = "# a comment\nid: a\nresponse:\n  status: 200\noperation: nope\n"
    answer = admin.post("/__mockc/mocks/check", json={"text": as_yaml, "format": "yaml"})
    assert answer.status_code == 422
    assert answer.json()["locations"][0]["line"] == 5
    assert admin.get("/__mockc/mocks/a").status_code == 404  # nothing written


@pytest.mark.parametrize(
    "body",
    [[], {"text": 3}, {"text": "{}", "format": "toml"}, {"text": "{}", "scenario": 1}, None],
)
def test_a_bad_check_request_is_a_400(admin: httpx.Client, body: object) -> None:
    answer = admin.post("/__mockc/mocks/check", json=body)
    assert answer.status_code == 400, answer.text


def test_a_rejected_mock_write_carries_line_and_column(admin: httpx.Client) -> None:
    answer = admin.put(
        "/__mockc/mocks/listPets",
        json={"id": "listPets", "operation": "nope", "response": {"status": 200}},
    )
    assert answer.status_code == 422
    document = answer.json()
    assert len(document["locations"]) == len(document["problems"]) >= 1
    assert all({"line", "column", "message"} <= set(item) for item in document["locations"])


def test_the_app_has_no_inline_script_and_writes_no_html() -> None:
    page = (ASSET_DIR / "index.html").read_text()
    assert not re.search(r"\son[a-z]+\s*=", page)
    assert re.findall(r"<script[^>]*>", page) == ['<script type="module" src="app.js">']
    for script in ASSET_DIR.glob("*.js"):
        text = script.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in text, (script.name, sink)


def test_the_assets_are_vendored_into_generated_servers(server: ServerProcess) -> None:
    vendored = Path(server.cwd) / "_vendor" / "mockc_runtime" / "ui" / "assets"
    assert sorted(path.name for path in vendored.iterdir()) == sorted(
        path.name for path in ASSET_DIR.iterdir()
    )


def test_a_grpc_server_serves_the_ui_on_its_admin_port(tmp_path: Path) -> None:
    out = tmp_path / "server"
    generate([CORPUS / "proto" / "grpc-helloworld" / "helloworld.proto"], out, GenerateOptions())
    with GrpcServer(out) as server:
        page = httpx.get(f"{server.admin_url}/__mockc/ui/")
        assert page.status_code == 200
        assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        info = httpx.get(f"{server.admin_url}/__mockc/info").json()
        assert info["protocol"] == "grpc" and "Greeter_SayHello" in info["operations"]
