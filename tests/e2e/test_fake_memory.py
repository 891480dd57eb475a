"""A server answering fresh fake data on every request (``Prefer: dynamic=true``)
stays within bounded memory across the operations of a large, tightly linked
spec (Stripe's: most of its ~1,000 schemas reach each other), and its answers
stay valid against their schemas.

Each validator used to carry its own compiled copy of every schema its
references reach — about 10 MB on this spec, one per schema checked — so a
few dozen requests took the server past 2 GB.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs
import orjson
import pytest

from mockc.compiler.driver import compile_specs
from mockc.targets.http.generator import HttpOptions, generate
from tests.support.corpus import CORPUS
from tests.support.servers import ServerProcess

SPEC = CORPUS / "openapi" / "stripe-v2024-04-10" / "stripe.oas.json"
REQUESTS = 80
"""Dynamic requests, each to another operation (Stripe has ~250 GET operations)."""
GROWTH_BOUND_MB = 64
"""Most the server's RSS may grow from its first fake answer to its last."""


@pytest.fixture(scope="module")
def server_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Stripe's server without generated mocks: every answer is fake data."""
    out = tmp_path_factory.mktemp("stripe") / "server"
    api = compile_specs([SPEC]).api
    for file in generate(api, HttpOptions(version="0", link_runtime=True)):
        path = out / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file.content)
    return out


@pytest.fixture(scope="module")
def server(server_folder: Path) -> Iterator[ServerProcess]:
    with ServerProcess([sys.executable, "server.py"], cwd=server_folder) as running:
        yield running


def _rss_mb(server: ServerProcess) -> float:
    assert server.process is not None
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    assert found is not None
    return int(found.group(1)) / 1024


def _operations(contract: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(id, URL path, response schema) of the GET operations any request
    reaches: no required query parameter, a JSON 200."""
    found = []
    for operation in contract["operations"]:
        binding = operation["binding"]
        if binding["method"] != "GET" or any(
            p["required"] and p["location"] != "path" for p in binding["parameters"]
        ):
            continue
        ok = [r for r in operation["outputs"] if r["key"] == "200"]
        content = ok[0]["contents"].get("application/json") if ok else None
        if content is not None and content.get("schema"):
            path = re.sub(r"\{[^}]+\}", "id1", binding["path"])
            found.append((operation["id"], path, content["schema"]))
    return found


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_dynamic_fake_data_stays_in_bounded_memory(
    server: ServerProcess, server_folder: Path
) -> None:
    contract = orjson.loads((server_folder / "contract.json").read_bytes())
    operations = _operations(contract)
    assert len(operations) >= REQUESTS
    chosen = operations[:: len(operations) // REQUESTS][:REQUESTS]
    # One validator of every answer: {"<operation id>": body} checks body.
    answers = jsonschema_rs.Draft202012Validator(
        {"$defs": contract["defs"], "properties": {op: schema for op, _, schema in chosen}}
    )
    dynamic = {"Prefer": "dynamic=true"}
    with httpx.Client(base_url=server.url, timeout=60) as client:
        assert client.get(chosen[0][1], headers=dynamic).status_code == 200
        baseline = _rss_mb(server)
        for operation_id, path, _ in chosen:
            reply = client.get(path, headers=dynamic)
            assert reply.status_code == 200, (operation_id, reply.text[:300])
            growth = _rss_mb(server) - baseline
            assert growth < GROWTH_BOUND_MB, f"RSS grew {growth:.0f} MB by {operation_id}"
            body = reply.json()
            assert answers.is_valid({operation_id: body}), operation_id
        again = client.get(chosen[0][1], headers=dynamic)
        assert again.status_code == 200
