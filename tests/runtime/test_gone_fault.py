"""``fault: {kind: gone}`` belongs to MCP (runtime/mcp/listing.py): an HTTP
server answers such a mock normally, as it does ``duplicate``."""

from __future__ import annotations

import json
from pathlib import Path

from mockc.runtime.http.app import MockApp
from tests.runtime.test_app import call
from tests.support.petstore import petstore_contract


def test_an_http_server_answers_a_gone_mock_normally(tmp_path: Path) -> None:
    (tmp_path / "mocks").mkdir()
    (tmp_path / "mocks" / "gone.yaml").write_text(
        "operation: getPet\nresponse: {body: {id: 1, name: Rex}, fault: {kind: gone}}\n",
        encoding="utf-8",
    )
    app = MockApp(petstore_contract(), tmp_path)
    try:
        start, body = call(app, "GET", "/pets/1")
    finally:
        app.close()
    assert start["status"] == 200
    assert json.loads(body["body"]) == {"id": 1, "name": "Rex"}
