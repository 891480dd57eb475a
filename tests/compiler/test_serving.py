"""``mockc serve SPEC``: the folder it serves is the one ``mockc generate``
writes, and the server in it behaves as ``python server.py`` does: answers,
start-up failures and exit codes; the temporary folder is removed after."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

import httpx
import pytest

from mockc.compiler.driver import compile_specs, generate
from mockc.compiler.errors import Diagnostic
from mockc.compiler.passes import check_validators
from mockc.compiler.serving import SERVE_OPTIONS, write_server
from tests.support.servers import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
PETSTORE = ROOT / "examples" / "petstore" / "openapi.yaml"
SWAPI = CORPUS / "graphql" / "swapi" / "schema.graphql"
HELLOWORLD = CORPUS / "proto" / "grpc-helloworld" / "helloworld.proto"
SLACK = CORPUS / "openapi" / "slack-web-api-v2" / "slack_web_openapi_v2.json"
MOCKC = str(Path(sys.executable).with_name("mockc"))


def _tree(folder: Path) -> dict[str, tuple[bytes, bool]]:
    return {
        path.relative_to(folder).as_posix(): (path.read_bytes(), os.access(path, os.X_OK))
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".mockc" not in path.relative_to(folder).parts
    }


@pytest.mark.parametrize(
    "spec", [PETSTORE, SWAPI, HELLOWORLD, SLACK], ids=lambda spec: spec.parent.name
)
def test_the_served_folder_is_what_generate_writes(spec: Path, tmp_path: Path) -> None:
    served, generated = tmp_path / "served" / "server", tmp_path / "generated" / "server"
    written = write_server(spec, served)
    assert not (served / "mocks").exists()  # written when the server first needs them
    # handed to the server as it is: the data the file holds, the same types too
    assert repr(json.loads((served / "contract.json").read_bytes())) == repr(written.contract)
    mock_warnings: list[Diagnostic] = []
    written.mocks.report = mock_warnings.extend
    for operation_id in reversed(list(written.mocks.operation_ids)):  # any order: same bytes
        written.mocks.write(operation_id, served / "mocks")
    compiled, _ = generate([spec], generated, SERVE_OPTIONS)
    assert _tree(served) == _tree(generated)
    assert "server.py" in _tree(served) and _tree(served)["server.py"][1]
    # The warnings are generate's, but for those of check_validators (left to
    # `mockc generate` and `mockc validate`); a mock's come when it is written.
    validators: list[Diagnostic] = []
    check_validators.run(compile_specs([spec]).api, validators)
    assert Counter(map(repr, [*written.diagnostics, *mock_warnings, *validators])) == Counter(
        map(repr, compiled.diagnostics)
    )
    assert not (served / ".mockc").exists()


def test_sigterm_stops_the_server_and_removes_its_folder(tmp_path: Path) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    with ServerProcess(
        [MOCKC, "serve", str(PETSTORE)], cwd=tmp_path, env={"TMPDIR": str(temp)}
    ) as running:
        assert httpx.get(f"{running.url}/pets/7").json()["id"] == 7
        assert [path.name for path in temp.iterdir()][0].startswith("mockc-serve-")
        assert running.terminate() == 0
    assert list(temp.iterdir()) == []


def test_a_graphql_schema_is_served(tmp_path: Path) -> None:
    with ServerProcess([MOCKC, "serve", str(SWAPI)], cwd=tmp_path) as running:
        answer = httpx.post(f"{running.url}/graphql", json={"query": "{ __typename }"})
        assert answer.status_code == 200
        assert answer.json() == {"data": {"__typename": "Root"}}
        assert running.terminate() == 0


def _serve(tmp_path: Path, *args: str, port: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PORT": str(port), "TMPDIR": str(tmp_path)}
    return subprocess.run(
        [MOCKC, "serve", str(PETSTORE), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_busy_port_fails_as_the_generated_server_does(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = _serve(tmp_path, port=port)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        f"mockc: port {port} on 127.0.0.1 is already in use"
    )
    assert list(tmp_path.glob("mockc-serve-*")) == []


def test_an_unknown_server_option_is_refused_by_the_server(tmp_path: Path) -> None:
    done = _serve(tmp_path, "--no-such-option", port=0)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        "mockc: server.py: unrecognized arguments: --no-such-option (see server.py --help)"
    )
