"""The settings table: every setting honoured or refused, for every protocol."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockc.runtime.graphql.app import DEFAULT_MAX_BODY_BYTES as GRAPHQL_MAX_BODY
from mockc.runtime.graphql.server import parse_settings as graphql_settings
from mockc.runtime.grpc.app import DEFAULT_STREAM_COUNT
from mockc.runtime.grpc.server import DEFAULT_ADMIN_PORT, DEFAULT_PORT
from mockc.runtime.grpc.server import parse_settings as grpc_settings
from mockc.runtime.http.app import DEFAULT_MAX_BODY_BYTES as HTTP_MAX_BODY
from mockc.runtime.http.server import parse_settings as http_settings
from mockc.runtime.settings import (
    ALWAYS_REDACTED,
    PROTOCOL_NAMES,
    SETTINGS,
    core_settings,
    read_settings,
    redacted_headers,
    settings_of,
)
from tests.support.petstore import server_command, write_server
from tests.support.servers import free_port, run_to_exit


def _refused(
    capsys: pytest.CaptureFixture[str], protocol: str, argv: list[str], env: dict[str, str]
) -> str:
    with pytest.raises(SystemExit) as stopped:
        read_settings(protocol, argv, env)
    assert stopped.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mockc: ")
    return lines[0]


def test_each_setting_is_declared_once() -> None:
    names = [setting.name for setting in SETTINGS]
    envs = [setting.env for setting in SETTINGS if setting.env]
    flags = [setting.flag for setting in SETTINGS if setting.flag]
    assert len(set(names)) == len(names)
    assert len(set(envs)) == len(envs)
    assert len(set(flags)) == len(flags)
    for setting in SETTINGS:
        assert setting.env or setting.flag, setting.name
        assert setting.protocols and setting.protocols <= set(PROTOCOL_NAMES), setting.name
        assert setting.meaning


@pytest.mark.parametrize("protocol", sorted(PROTOCOL_NAMES))
def test_defaults_parse_for_every_protocol(protocol: str) -> None:
    values = read_settings(protocol, [], {})
    assert set(values) == {setting.name for setting in settings_of(protocol)}


def test_table_defaults_are_the_adapters_defaults() -> None:
    http, graphql, grpc = http_settings([], {}), graphql_settings([], {}), grpc_settings([], {})
    assert http.max_body_bytes == HTTP_MAX_BODY
    assert graphql.graphql.max_body_bytes == GRAPHQL_MAX_BODY
    assert (grpc.port, grpc.admin_port, grpc.stream_count) == (
        DEFAULT_PORT,
        DEFAULT_ADMIN_PORT,
        DEFAULT_STREAM_COUNT,
    )
    assert http.port == graphql.port == 8080


@pytest.mark.parametrize(
    ("protocol", "env", "argv", "named"),
    [
        ("grpc", {"MOCKC_GRAPHQL_MAX_DEPTH": "3"}, [], "MOCKC_GRAPHQL_MAX_DEPTH does not apply"),
        ("http", {}, ["--max-nodes", "5"], "--max-nodes does not apply to HTTP servers"),
        ("http", {"MOCKC_GRAPHIQL": "0"}, [], "MOCKC_GRAPHIQL does not apply to HTTP servers"),
        ("http", {"MOCKC_ADMIN_PORT": "9000"}, [], "MOCKC_ADMIN_PORT does not apply"),
        ("http", {}, ["--stream-count", "2"], "--stream-count does not apply to HTTP"),
        ("grpc", {}, ["--access-log"], "--access-log does not apply to gRPC"),
    ],
)
def test_a_setting_the_protocol_ignores_is_refused(
    capsys: pytest.CaptureFixture[str],
    protocol: str,
    env: dict[str, str],
    argv: list[str],
    named: str,
) -> None:
    assert named in _refused(capsys, protocol, argv, env)


def test_validate_and_max_body_bytes_apply_to_every_protocol() -> None:
    from mockc.runtime.graphql.server import parse_settings as graphql_settings
    from mockc.runtime.grpc.server import parse_settings as grpc_settings

    env = {"MOCKC_VALIDATE": "0", "MOCKC_MAX_BODY_BYTES": "1000"}
    grpc = grpc_settings([], env)
    assert (grpc.validate, grpc.max_body_bytes) == (False, 1000)
    graphql = graphql_settings(["--max-depth", "9"], env)
    assert (graphql.graphql.validate, graphql.graphql.max_body_bytes) == (False, 1000)
    assert graphql.graphql.limits.max_depth == 9


def test_an_empty_variable_counts_as_unset() -> None:
    assert read_settings("grpc", [], {"MOCKC_VALIDATE": ""})["port"] == 50051


@pytest.mark.parametrize(
    ("env", "argv", "named"),
    [
        ({"MOCKC_SEED": "x"}, [], "MOCKC_SEED='x' is not a valid value (a whole number)"),
        ({"PORT": "99999"}, [], "PORT='99999' is not a valid value"),
        ({}, ["--journal-detail", "all"], "--journal-detail='all' is not a valid value (one of"),
        ({"MOCKC_ERROR_RATE": "2"}, [], "MOCKC_ERROR_RATE='2'"),
        ({}, ["--no-such-flag"], "unrecognized arguments: --no-such-flag"),
        (
            {"MOCKC_SYNC_FROM": "orchestrator:8888"},
            [],
            "MOCKC_SYNC_FROM='orchestrator:8888' is not a valid value (an http:// or https:// URL)",
        ),
        ({}, ["--sync-from", "ftp://x"], "--sync-from='ftp://x' is not a valid value"),
    ],
)
def test_a_bad_value_names_where_it_came_from(
    capsys: pytest.CaptureFixture[str], env: dict[str, str], argv: list[str], named: str
) -> None:
    assert named in _refused(capsys, "http", argv, env)


def test_flags_win_over_the_environment_which_wins_over_defaults() -> None:
    env = {"MOCKC_SEED": "4", "MOCKC_LOG_LEVEL": "INFO"}
    assert read_settings("http", [], env)["seed"] == 4
    assert read_settings("http", ["--seed", "5"], env)["seed"] == 5
    assert read_settings("http", [], env)["log_level"] == "info"
    reflection = {"MOCKC_REFLECTION": "0"}
    assert read_settings("grpc", [], reflection)["reflection"] is False
    assert read_settings("grpc", ["--reflection"], reflection)["reflection"] is True
    assert read_settings("http", ["--serve-orphaned"], {})["serve_orphaned"] is True


@pytest.mark.parametrize("protocol", sorted(PROTOCOL_NAMES))
def test_sync_settings_reach_the_core_settings(protocol: str) -> None:
    env = {
        "MOCKC_SYNC_FROM": "http://orchestrator:8888",
        "MOCKC_SYNC_TOKEN": "mki_secret",
        "MOCKC_SYNC_SERVER": "central",
    }
    core = core_settings(read_settings(protocol, ["--sync-server", "other"], env))
    assert (core.sync_from, core.sync_token, core.sync_server) == (
        "http://orchestrator:8888",
        "mki_secret",
        "other",
    )
    unset = core_settings(read_settings(protocol, [], {}))
    assert (unset.sync_from, unset.sync_token, unset.sync_server) == (None, None, None)


def test_journal_redaction_setting() -> None:
    assert redacted_headers("") == frozenset(ALWAYS_REDACTED)
    assert redacted_headers("X-Api-Key, x-secret ,") == {*ALWAYS_REDACTED, "x-api-key", "x-secret"}
    assert redacted_headers("OFF") == frozenset()
    core = http_settings([], {"MOCKC_JOURNAL_REDACT": "x-api-key"}).core
    assert "x-api-key" in core.journal_redact and "authorization" in core.journal_redact


def test_a_refused_setting_stops_the_server_with_one_line(tmp_path: Path) -> None:
    directory = write_server(tmp_path)
    result = run_to_exit(
        server_command(directory),
        cwd=directory,
        env={"PORT": str(free_port()), "MOCKC_STREAM_COUNT": "5"},
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "mockc: MOCKC_STREAM_COUNT does not apply to HTTP servers (only to gRPC); unset it"
    ]


@pytest.mark.parametrize("protocol", sorted(PROTOCOL_NAMES))
def test_help_lists_the_flags_the_protocol_honours(
    capsys: pytest.CaptureFixture[str], protocol: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        read_settings(protocol, ["--help"], {})
    assert stopped.value.code == 0
    shown = capsys.readouterr().out
    for setting in SETTINGS:
        if setting.flag is None:
            continue
        assert (f"{setting.flag} " in shown) == (protocol in setting.protocols), setting.flag
