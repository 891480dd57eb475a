"""Start-up, settings and shutdown of the HTTP server process."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mockc.runtime.http.server import parse_settings
from tests.support.petstore import server_command, write_server
from tests.support.servers import ServerProcess, free_port, run_to_exit


def test_sigterm_stops_cleanly_with_exit_code_0(tmp_path: Path) -> None:
    directory = write_server(tmp_path)
    with ServerProcess(server_command(directory), cwd=directory) as server:
        with httpx.Client(base_url=server.url) as client:
            for number in range(200):
                assert client.get(f"/pets/{number % 7 + 1}").status_code == 200
        assert server.terminate() == 0
        assert "panicked" not in server.stderr
        assert f"mockc: serving Petstore on {server.url} (9 operations, 0 mocks" in server.stderr
        assert "experimental" not in server.stderr + server.stdout
        assert "Traceback" not in server.stderr


def test_flags_override_environment(tmp_path: Path) -> None:
    directory = write_server(tmp_path)
    port = free_port()
    server = ServerProcess(server_command(directory, "--port", str(port)), cwd=directory, port=port)
    server.env["PORT"] = str(free_port())  # the flag must win over this
    with server:
        assert httpx.get(server.url + "/health").status_code == 200


def test_parse_settings_reads_env_then_flags() -> None:
    env = {
        "PORT": "9000",
        "HOST": "0.0.0.0",
        "MOCKC_SEED": "4",
        "MOCKC_VALIDATE": "0",
        "MOCKC_MAX_BODY_BYTES": "10",
        "MOCKC_LOG_LEVEL": "INFO",
    }
    settings = parse_settings([], env)
    assert (settings.port, settings.host, settings.core.seed) == (9000, "0.0.0.0", 4)
    assert (settings.validate, settings.max_body_bytes, settings.log_level) == (False, 10, "info")
    assert parse_settings(["--port", "1", "--seed", "2"], env).port == 1
    defaults = parse_settings([], {})
    assert (defaults.port, defaults.host, defaults.validate) == (8080, "127.0.0.1", True)
    assert defaults.log_level == "warning" and not defaults.access_log


def test_core_settings_come_from_env_and_flags(tmp_path: Path) -> None:
    env = {
        "MOCKC_DELAY_MS": "50-200",
        "MOCKC_ERROR_RATE": "0.25",
        "MOCKC_UNMATCHED": "404",
        "MOCKC_JOURNAL": "off",
        "MOCKC_STATE": "redis://127.0.0.1:6379/3",
        "MOCKC_ADMIN_TOKEN": "t",
        "MOCKC_SCENARIO": "outage",
    }
    core = parse_settings([], env).core
    assert (core.delay_ms, core.error_rate, core.unmatched) == ((50.0, 200.0), 0.25, "404")
    assert (core.state_url, core.admin_token, core.scenario) == (env["MOCKC_STATE"], "t", "outage")
    assert core.journal_path(tmp_path) is None
    assert parse_settings(["--delay-ms", "30"], env).core.delay_ms == (30.0, 30.0)
    default = parse_settings([], {}).core
    assert default.journal_path(tmp_path) == tmp_path.resolve() / ".mockc-data" / "journal.sqlite"


@pytest.mark.parametrize(
    "flags",
    [
        ["--error-rate", "2"],
        ["--delay-ms", "200-50"],
        ["--unmatched", "maybe"],
        ["--delay-ms", "x"],
    ],
)
def test_bad_core_settings_are_usage_errors(flags: list[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        parse_settings(flags, {})
    assert stopped.value.code == 2


@pytest.mark.parametrize(
    ("contract_text", "expected"),
    [
        (None, "no contract file"),
        ("{not json", "cannot read the contract"),
        ('{"format": 99}', "contract format 99 is not 2"),
        ('{"format": 1, "operations": []}', "contract format 1 is not 2; regenerate"),
        ('{"format": 2, "api": {"title": "x"}}', "malformed contract"),
    ],
)
def test_bad_contract_exits_2_with_one_line(
    tmp_path: Path, contract_text: str | None, expected: str
) -> None:
    if contract_text is not None:
        (tmp_path / "contract.json").write_text(contract_text)
    result = run_to_exit(server_command(tmp_path), cwd=tmp_path, env={"PORT": str(free_port())})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0]
    assert lines[0].startswith("mockc: ")


@pytest.mark.parametrize(
    ("source", "expected"),
    [("def listPets(request)\n", "syntax error"), ("import not_a_module_xyz\n", "ModuleNotFound")],
)
def test_broken_handlers_exit_2(tmp_path: Path, source: str, expected: str) -> None:
    directory = write_server(tmp_path, handlers=source)
    result = run_to_exit(server_command(directory), cwd=directory, env={"PORT": str(free_port())})
    assert result.returncode == 2
    assert expected in result.stderr and "handlers.py" in result.stderr
    assert "Traceback" not in result.stderr


def test_port_in_use_exits_2(tmp_path: Path) -> None:
    directory = write_server(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_to_exit(server_command(directory), cwd=directory, env={"PORT": str(port)})
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr


# -- settings that change request handling -----------------------------------


@pytest.fixture(scope="module")
def lenient(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    directory = write_server(tmp_path_factory.mktemp("lenient"))
    env = {"MOCKC_VALIDATE": "0", "MOCKC_MAX_BODY_BYTES": "64"}
    with ServerProcess(server_command(directory), cwd=directory, env=env) as server:
        yield server


def test_validation_can_be_turned_off(lenient: ServerProcess) -> None:
    assert httpx.get(lenient.url + "/pets", params={"limit": "1000"}).status_code == 200
    assert httpx.post(lenient.url + "/pets", json={"tags": [1]}).status_code == 201
    assert (
        httpx.post(
            lenient.url + "/pets", content=b"{", headers={"Content-Type": "application/json"}
        ).status_code
        == 201
    )


def test_body_over_limit_is_413_by_content_length(lenient: ServerProcess) -> None:
    response = httpx.post(lenient.url + "/pets", json={"name": "x" * 100})
    assert response.status_code == 413
    assert response.json()["status"] == 413


def test_streamed_body_over_limit_is_413(lenient: ServerProcess) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"x" * 32

    response = httpx.post(
        lenient.url + "/pets", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_body_at_limit_is_accepted(lenient: ServerProcess) -> None:
    body = json.dumps({"name": "x" * 40}).encode()
    assert len(body) <= 64
    response = httpx.post(
        lenient.url + "/pets", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 201


def test_seed_changes_fake_data(tmp_path: Path) -> None:
    directory = write_server(tmp_path)
    bodies = []
    for seed in ("1", "1", "2"):
        with ServerProcess(
            server_command(directory), cwd=directory, env={"MOCKC_SEED": seed}
        ) as server:
            bodies.append(httpx.get(server.url + "/pets/1").json())
    assert bodies[0] == bodies[1]
    assert bodies[0] != bodies[2]


def test_journal_detail_setting() -> None:
    assert parse_settings([], {}).core.journal_detail == "full"
    summary = parse_settings([], {"MOCKC_JOURNAL_DETAIL": "summary"}).core
    assert summary.journal_detail == "summary"
    with pytest.raises(SystemExit):
        parse_settings(["--journal-detail", "everything"], {})
