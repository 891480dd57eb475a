"""Every setting of a generated server, for every protocol, in one table.

Each :class:`Setting` declares its environment variable, its flag, its
default, what it means and which protocols honour it (:data:`SETTINGS`).
:func:`read_settings` reads them for one protocol, environment first and
flags over it, and refuses at start-up (one line on stderr, exit code 2) a
bad value, or a setting the protocol does not honour: nothing is silently
ignored. The README's settings tables are rendered from this table
(``scripts/settings_tables.py``) and a test keeps them equal.

A protocol's ``server.py`` builds its settings object from the values
:func:`read_settings` returns; :func:`core_settings` builds the part every
protocol shares (:class:`CoreSettings`). To add a setting, declare it in
:data:`SETTINGS` and read its value in the ``server.py`` of each protocol it
names; for a protocol to honour an existing one, add the protocol to its
``protocols`` and read it there (then run ``scripts/settings_tables.py
--write``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from .json_codec import DEFAULT_MAX_DEPTH, MAX_DEPTH_CEILING

__all__ = [
    "EVERY_PROTOCOL",
    "PROTOCOL_NAMES",
    "SETTINGS",
    "CoreSettings",
    "Setting",
    "core_settings",
    "flag_value",
    "non_negative",
    "parse_delay",
    "read_settings",
    "settings_of",
]

UNMATCHED_POLICIES = ("fallback", "404")
JOURNAL_DETAILS = ("full", "summary")
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
DATA_DIR = ".mockc-data"
ALWAYS_REDACTED = ("authorization", "cookie", "proxy-authorization", "set-cookie")
"""Headers (gRPC: metadata keys) the journal never keeps, unless redaction is ``off``."""
EXIT_BAD_SETTINGS = 2
_OFF_WORDS = ("off", "0", "false", "no", "none")

PROTOCOL_NAMES = {"http": "HTTP", "graphql": "GraphQL", "grpc": "gRPC"}
"""The protocols with a server, and how the documentation names them."""
EVERY_PROTOCOL: frozenset[str] = frozenset(PROTOCOL_NAMES)


# -- value parsers (each raises ValueError on a bad text) ---------------------


def parse_delay(text: str) -> tuple[float, float]:
    """``"100"`` → (100, 100); ``"50-200"`` → (50, 200); milliseconds, not negative."""
    low, _, high = text.strip().partition("-")
    first = float(low) if low else 0.0
    second = float(high) if high else first
    if first < 0 or second < first:
        raise ValueError(text)
    return first, second


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise ValueError(text)
    return value


def non_negative(text: str) -> int:
    """A whole number, 0 or more."""
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value < 65536:
        raise ValueError(text)
    return value


def _optional_port(text: str) -> int | None:
    if text.strip().lower() in _OFF_WORDS:
        return None
    value = _port(text)
    if value == 0:
        raise ValueError(text)
    return value


def _milliseconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise ValueError(text)
    return value


def _interval(text: str) -> float:
    low, high = parse_delay(text)
    if low != high:
        raise ValueError(text)
    return low


def _json_depth(text: str) -> int:
    value = int(text)
    if not 1 <= value <= MAX_DEPTH_CEILING:
        raise ValueError(text)
    return value


def flag_value(text: str) -> bool:
    """``1``/``true``/``yes``/``on`` → True; ``0``/``false``/``no``/``off``/empty → False."""
    return text.strip().lower() not in ("0", "false", "no", "off", "")


def _text(text: str) -> str:
    return text


def _optional_text(text: str) -> str | None:
    return text or None


def _sync_origin(text: str) -> str | None:
    """``MOCKC_SYNC_FROM``: empty → None (no sync); else an http(s) URL."""
    text = text.strip()
    if not text:
        return None
    if not text.lower().startswith(("http://", "https://")) or len(text) <= len("http://"):
        raise ValueError(text)
    return text


def redacted_headers(text: str) -> frozenset[str]:
    """``MOCKC_JOURNAL_REDACT``: ``off`` → nothing redacted; else the headers of
    :data:`ALWAYS_REDACTED` and those of the comma list, lower-cased."""
    if text.strip().lower() == "off":
        return frozenset()
    named = (name.strip().lower() for name in text.split(","))
    return frozenset(ALWAYS_REDACTED).union(name for name in named if name)


# -- the table --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: where it is read from, its default and who honours it."""

    name: str
    """The key of its value in what :func:`read_settings` returns."""
    env: str | None
    """Its environment variable (None: a flag only)."""
    flag: str | None
    """Its flag of ``server.py`` (None: the environment only, e.g. secrets)."""
    default: str
    """The default, as text read like a user's value."""
    meaning: str
    """What it does, one line (Markdown), as the README shows it."""
    protocols: frozenset[str] = EVERY_PROTOCOL
    """The protocols whose servers honour it; the others refuse it."""
    parse: Callable[[str], Any] = _text
    choices: tuple[str, ...] = ()
    """The values it accepts (compared lower-cased), when a closed list."""
    shown_default: str | None = None
    """The default as the README shows it, when not ``default`` itself."""
    protocol_defaults: Mapping[str, str] = field(default_factory=dict)
    """Per-protocol defaults, overriding ``default``."""
    switch: bool = False
    """A flag without a value (``--access-log``)."""
    hint: str = ""
    """What a valid value looks like, for error messages."""

    def default_for(self, protocol: str) -> str:
        return self.protocol_defaults.get(protocol, self.default)

    def read(self, text: str) -> Any:
        if self.choices:
            text = text.strip().lower()
            if text not in self.choices:
                raise ValueError(text)
            return text
        return self.parse(text)

    def expects(self) -> str:
        if self.choices:
            return "one of " + ", ".join(self.choices)
        return self.hint


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "port",
        "PORT",
        "--port",
        "8080",
        "port to listen on",
        parse=_port,
        protocol_defaults={"grpc": "50051"},
        shown_default="`8080` (gRPC: `50051`)",
        hint="a port number",
    ),
    Setting(
        "host",
        "HOST",
        "--host",
        "127.0.0.1",
        "interface to listen on (the Dockerfile sets `0.0.0.0`)",
    ),
    Setting(
        "seed",
        "MOCKC_SEED",
        "--seed",
        "0",
        "seed of fake data and random choices",
        parse=int,
        hint="a whole number",
    ),
    Setting(
        "validate",
        "MOCKC_VALIDATE",
        "--validate",
        "1",
        "validate requests against the contract",
        parse=flag_value,
    ),
    Setting(
        "max_body_bytes",
        "MOCKC_MAX_BODY_BYTES",
        "--max-body-bytes",
        str(10 * 1024 * 1024),
        "larger request bodies get `413` (gRPC: request messages, `RESOURCE_EXHAUSTED`)",
        parse=non_negative,
        shown_default="10 MiB",
        hint="a number of bytes",
    ),
    Setting(
        "json_max_depth",
        "MOCKC_JSON_MAX_DEPTH",
        "--json-max-depth",
        str(DEFAULT_MAX_DEPTH),
        "deepest nesting of arrays and objects in clients' JSON (request bodies, admin "
        "bodies); deeper gets `400` (see docs/limits.md)",
        parse=_json_depth,
        hint=f"a whole number from 1 to {MAX_DEPTH_CEILING}",
    ),
    Setting(
        "state",
        "MOCKC_STATE",
        "--state",
        "memory",
        "state store; `redis://host:6379/0` shares it between replicas",
    ),
    Setting(
        "state_namespace",
        "MOCKC_STATE_NAMESPACE",
        None,
        "",
        "prefix of this server's keys in a shared Redis",
        parse=_optional_text,
        shown_default="API name",
    ),
    Setting(
        "unmatched",
        "MOCKC_UNMATCHED",
        "--unmatched",
        "fallback",
        "when mocks exist but none matches: the spec's answer, or `404` "
        "(GraphQL: a `NOT_FOUND` error; gRPC: `NOT_FOUND`)",
        choices=UNMATCHED_POLICIES,
    ),
    Setting(
        "scenario",
        "MOCKC_SCENARIO",
        "--scenario",
        "",
        "scenario to activate at start-up",
        parse=_optional_text,
        shown_default="last active",
    ),
    Setting(
        "serve_orphaned",
        "MOCKC_SERVE_ORPHANED",
        "--serve-orphaned",
        "0",
        "serve mocks whose operation left the spec",
        parse=flag_value,
    ),
    Setting(
        "delay_ms",
        "MOCKC_DELAY_MS",
        "--delay-ms",
        "0",
        "latency added to every answer: `100` or `50-200`",
        parse=parse_delay,
        hint="milliseconds: 100 or 50-200",
    ),
    Setting(
        "error_rate",
        "MOCKC_ERROR_RATE",
        "--error-rate",
        "0",
        "share of requests answered `500` (GraphQL: root fields failed; gRPC: `INTERNAL`), 0–1",
        parse=_rate,
        hint="a number from 0 to 1",
    ),
    Setting(
        "journal",
        "MOCKC_JOURNAL",
        "--journal",
        "",
        "request journal file, or `off`",
        shown_default="`.mockc-data/journal.sqlite`",
    ),
    Setting(
        "journal_max",
        "MOCKC_JOURNAL_MAX",
        "--journal-max",
        "100000",
        "entries kept (oldest dropped)",
        parse=_positive,
        hint="a whole number, 1 or more",
    ),
    Setting(
        "journal_detail",
        "MOCKC_JOURNAL_DETAIL",
        "--journal-detail",
        "full",
        "`summary` leaves out headers and bodies (cheaper under heavy load)",
        choices=JOURNAL_DETAILS,
    ),
    Setting(
        "journal_redact",
        "MOCKC_JOURNAL_REDACT",
        "--journal-redact",
        "",
        "headers (gRPC: metadata) whose values the journal replaces by `[redacted]`, "
        "besides `authorization`, `cookie`, `proxy-authorization`, `set-cookie`: "
        "a comma list, or `off` to keep them all",
        parse=redacted_headers,
        shown_default="the four named",
    ),
    Setting(
        "admin_token",
        "MOCKC_ADMIN_TOKEN",
        None,
        "",
        "bearer token required by the admin API (no flag: flags show in `ps`); "
        "see [the admin API](#the-admin-api) for a non-loopback `HOST` without one",
        parse=_optional_text,
        shown_default="none",
    ),
    Setting(
        "admin_port",
        "MOCKC_ADMIN_PORT",
        "--admin-port",
        "8081",
        "port of the admin API (HTTP), or `off` for none",
        protocols=frozenset({"grpc"}),
        parse=_optional_port,
        hint="a port number, or off",
    ),
    Setting(
        "data_dir",
        "MOCKC_DATA_DIR",
        "--data-dir",
        DATA_DIR,
        "journal, admin token and runtime state",
    ),
    Setting(
        "sync_from",
        "MOCKC_SYNC_FROM",
        "--sync-from",
        "",
        "orchestrator to pull this server's mocks and scenarios from, "
        "`http://orchestrator:8888` (see docs/orchestrator.md)",
        parse=_sync_origin,
        shown_default="none",
        hint="an http:// or https:// URL",
    ),
    Setting(
        "sync_token",
        "MOCKC_SYNC_TOKEN",
        None,
        "",
        "token the orchestrator gave for syncing, `mki_…` (no flag: flags show in `ps`)",
        parse=_optional_text,
        shown_default="none",
    ),
    Setting(
        "sync_server",
        "MOCKC_SYNC_SERVER",
        "--sync-server",
        "",
        "name of the orchestrator's server (of the token's namespace) to sync from",
        parse=_optional_text,
        shown_default="none",
    ),
    Setting(
        "log_level",
        "MOCKC_LOG_LEVEL",
        "--log-level",
        "warning",
        "`debug` … `critical`",
        choices=LOG_LEVELS,
    ),
    Setting(
        "access_log",
        None,
        "--access-log",
        "0",
        "log every request",
        protocols=frozenset({"http", "graphql"}),
        parse=flag_value,
        switch=True,
        shown_default="off",
    ),
    Setting(
        "list_length",
        "MOCKC_GRAPHQL_LIST_LENGTH",
        "--list-length",
        "2",
        "items in a faked list",
        protocols=frozenset({"graphql"}),
        parse=non_negative,
        hint="a whole number",
    ),
    Setting(
        "max_list",
        "MOCKC_GRAPHQL_MAX_LIST",
        "--max-list",
        "100",
        "most items when `first`, `last` or `limit` ask for more",
        protocols=frozenset({"graphql"}),
        parse=non_negative,
        hint="a whole number",
    ),
    Setting(
        "event_interval_ms",
        "MOCKC_GRAPHQL_EVENT_INTERVAL_MS",
        "--event-interval-ms",
        "1000",
        "between two subscription events a mock says nothing about",
        protocols=frozenset({"graphql"}),
        parse=_milliseconds,
        hint="milliseconds",
    ),
    Setting(
        "graphiql",
        "MOCKC_GRAPHIQL",
        "--graphiql",
        "1",
        "serve GraphiQL at `/graphql`",
        protocols=frozenset({"graphql"}),
        parse=flag_value,
    ),
    Setting(
        "introspection",
        "MOCKC_GRAPHQL_INTROSPECTION",
        "--introspection",
        "1",
        "answer introspection queries",
        protocols=frozenset({"graphql"}),
        parse=flag_value,
    ),
    Setting(
        "max_depth",
        "MOCKC_GRAPHQL_MAX_DEPTH",
        "--max-depth",
        "64",
        "deepest chain of fields, through fragments (`0`: no limit)",
        protocols=frozenset({"graphql"}),
        parse=non_negative,
    ),
    Setting(
        "max_nodes",
        "MOCKC_GRAPHQL_MAX_NODES",
        "--max-nodes",
        "500000",
        "most objects and values in one answer, estimated before it runs (`0`: no limit)",
        protocols=frozenset({"graphql"}),
        parse=non_negative,
    ),
    Setting(
        "max_answer_bytes",
        "MOCKC_GRAPHQL_MAX_ANSWER_BYTES",
        "--max-answer-bytes",
        str(64 * 1024 * 1024),
        "largest answer (`0`: no limit)",
        protocols=frozenset({"graphql"}),
        parse=non_negative,
        shown_default="64 MiB",
        hint="a number of bytes",
    ),
    Setting(
        "max_subscriptions",
        "MOCKC_GRAPHQL_MAX_SUBSCRIPTIONS",
        "--max-subscriptions",
        "100",
        "operations running at once on one WebSocket (`0`: no limit)",
        protocols=frozenset({"graphql"}),
        parse=non_negative,
    ),
    Setting(
        "stream_count",
        "MOCKC_STREAM_COUNT",
        "--stream-count",
        "3",
        "messages of a server stream whose mock does not say",
        protocols=frozenset({"grpc"}),
        parse=non_negative,
        hint="a whole number",
    ),
    Setting(
        "stream_interval_ms",
        "MOCKC_STREAM_INTERVAL_MS",
        "--stream-interval-ms",
        "0",
        "milliseconds between the messages of a stream, unless its mock says",
        protocols=frozenset({"grpc"}),
        parse=_interval,
        hint="milliseconds",
    ),
    Setting(
        "reflection",
        "MOCKC_REFLECTION",
        "--reflection",
        "1",
        "serve gRPC server reflection",
        protocols=frozenset({"grpc"}),
        parse=flag_value,
    ),
    Setting(
        "max_message_bytes",
        "MOCKC_MAX_MESSAGE_BYTES",
        "--max-message-bytes",
        str(4 * 1024 * 1024),
        "largest message received or sent",
        protocols=frozenset({"grpc"}),
        parse=non_negative,
        shown_default="4 MiB",
        hint="a number of bytes",
    ),
)
"""Every setting of every protocol's server, in the order the README lists them."""


def settings_of(protocol: str) -> tuple[Setting, ...]:
    """The settings ``protocol``'s server honours."""
    return tuple(setting for setting in SETTINGS if protocol in setting.protocols)


# -- parsing ----------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors as one line (exit code 2)."""

    def error(self, message: str) -> NoReturn:
        _refuse(f"{self.prog}: {message} (see {self.prog} --help)")


def _refuse(message: str) -> NoReturn:
    print(f"mockc: {message}", file=sys.stderr, flush=True)
    raise SystemExit(EXIT_BAD_SETTINGS)


def _protocol_list(protocols: frozenset[str]) -> str:
    return ", ".join(PROTOCOL_NAMES.get(name, name) for name in sorted(protocols))


def _parser(protocol: str, description: str) -> _Parser:
    parser = _Parser(prog="server.py", description=description)
    for setting in SETTINGS:
        if setting.flag is None:
            continue
        honoured = protocol in setting.protocols
        help_text = _help(setting, protocol) if honoured else argparse.SUPPRESS
        if setting.switch:
            parser.add_argument(
                setting.flag, dest=setting.name, action="store_const", const="1", help=help_text
            )
        elif setting.parse is flag_value:
            parser.add_argument(
                setting.flag, dest=setting.name, metavar="1/0", nargs="?", const="1", help=help_text
            )
        else:
            metavar = "{" + ",".join(setting.choices) + "}" if setting.choices else "VALUE"
            parser.add_argument(setting.flag, dest=setting.name, metavar=metavar, help=help_text)
    return parser


def _help(setting: Setting, protocol: str) -> str:
    if setting.protocol_defaults or setting.shown_default is None:
        default = setting.default_for(protocol) or "none"
    else:
        default = setting.shown_default
    source = f"{setting.env}; " if setting.env else ""
    return f"{setting.meaning} ({source}default {default})".replace("`", "").replace("%", "%%")


def read_settings(
    protocol: str,
    argv: Sequence[str] | None,
    env: Mapping[str, str],
    *,
    description: str = "Serve the mock.",
) -> dict[str, Any]:
    """The values of ``protocol``'s settings (by :attr:`Setting.name`): a flag in
    ``argv`` wins over the environment variable in ``env``, which wins over the
    default. An empty environment variable counts as unset.

    A bad value, or a setting ``protocol`` does not honour given by flag or
    environment, prints one line naming it and exits with code 2.
    """
    options = _parser(protocol, description).parse_args(argv)
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        given = getattr(options, setting.name, None) if setting.flag else None
        from_env = env.get(setting.env, "") if setting.env else ""
        if protocol not in setting.protocols:
            if given is not None or from_env:
                named = setting.flag if given is not None else setting.env
                _refuse(
                    f"{named} does not apply to {PROTOCOL_NAMES.get(protocol, protocol)} "
                    f"servers (only to {_protocol_list(setting.protocols)}); unset it"
                )
            continue
        if given is not None:
            text, source = given, setting.flag
        elif from_env:
            text, source = from_env, setting.env
        else:
            text, source = setting.default_for(protocol), None
        try:
            values[setting.name] = setting.read(text)
        except ValueError:
            expected = setting.expects()
            where = f"{source}={text!r}" if source else f"default of {setting.name}"
            _refuse(f"{where} is not a valid value" + (f" ({expected})" if expected else ""))
    return values


# -- what every protocol shares ---------------------------------------------


@dataclass(frozen=True, slots=True)
class CoreSettings:
    seed: int = 0
    state_url: str = "memory"
    journal: str = ""
    """Journal file; empty means the default under the data folder; ``off`` disables."""
    journal_max: int = 100_000
    journal_detail: str = "full"
    """``full``: headers and bodies are journaled too; ``summary``: only the request line,
    status, timing and what answered."""
    journal_redact: frozenset[str] = frozenset(ALWAYS_REDACTED)
    """Lower-cased header names whose values the journal does not keep."""
    unmatched: str = "fallback"
    serve_orphaned: bool = False
    scenario: str | None = None
    delay_ms: tuple[float, float] = (0.0, 0.0)
    error_rate: float = 0.0
    admin_token: str | None = None
    data_dir: str = DATA_DIR
    state_namespace: str | None = None
    """Prefix of this server's keys in a shared store; default: the API's name."""
    json_max_depth: int = DEFAULT_MAX_DEPTH
    """The deepest nesting of arrays and objects read from clients' JSON."""
    sync_from: str | None = None
    """The orchestrator to pull mocks from (``runtime/sync``); None: no sync."""
    sync_token: str | None = None
    sync_server: str | None = None

    def data_path(self, directory: Path) -> Path:
        return (directory / self.data_dir).resolve()

    def journal_path(self, directory: Path) -> Path | None:
        if self.journal.lower() in _OFF_WORDS:
            return None
        if self.journal:
            return Path(self.journal)
        return self.data_path(directory) / "journal.sqlite"


def core_settings(values: Mapping[str, Any]) -> CoreSettings:
    """The shared part of the values :func:`read_settings` returned."""
    return CoreSettings(
        seed=values["seed"],
        state_url=values["state"],
        journal=values["journal"],
        journal_max=values["journal_max"],
        journal_detail=values["journal_detail"],
        journal_redact=values["journal_redact"],
        unmatched=values["unmatched"],
        serve_orphaned=values["serve_orphaned"],
        scenario=values["scenario"],
        delay_ms=values["delay_ms"],
        error_rate=values["error_rate"],
        admin_token=values["admin_token"],
        data_dir=values["data_dir"],
        state_namespace=values["state_namespace"],
        json_max_depth=values["json_max_depth"],
        sync_from=values["sync_from"],
        sync_token=values["sync_token"],
        sync_server=values["sync_server"],
    )
