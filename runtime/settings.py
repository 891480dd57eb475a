"""Server settings every protocol shares: environment variables, overridden by flags.

- ``MOCKC_SEED`` / ``--seed``: seed of fake data and random choices.
- ``MOCKC_STATE`` / ``--state``: ``memory`` (default) or ``redis://host:port/db``.
- ``MOCKC_STATE_NAMESPACE``: prefix of this server's keys in a shared store
  (default: the API's name).
- ``MOCKC_JOURNAL`` / ``--journal``: journal file (default
  ``.mockc-data/journal.sqlite``), or ``off``.
- ``MOCKC_JOURNAL_MAX`` / ``--journal-max``: entries kept (default 100000).
- ``MOCKC_JOURNAL_DETAIL`` / ``--journal-detail``: ``full`` (default: headers and
  bodies too) or ``summary`` (method, target, status, timing, mock: cheaper under load).
- ``MOCKC_UNMATCHED`` / ``--unmatched``: ``fallback`` (the spec's answer) or
  ``404`` when mocks exist for an operation and none matches.
- ``MOCKC_SERVE_ORPHANED`` / ``--serve-orphaned``: serve mocks whose operation
  left the spec.
- ``MOCKC_SCENARIO`` / ``--scenario``: scenario to activate at start-up.
- ``MOCKC_DELAY_MS`` / ``--delay-ms``: added latency, ``100`` or ``50-200``.
- ``MOCKC_ERROR_RATE`` / ``--error-rate``: share of requests answered 500, 0–1.
- ``MOCKC_ADMIN_TOKEN``: bearer token of the admin API (no flag: flags show in ``ps``).
- ``MOCKC_DATA_DIR`` / ``--data-dir``: journal and runtime state (``.mockc-data``).
- ``MOCKC_JSON_MAX_DEPTH`` / ``--json-max-depth``: the deepest nesting of arrays and
  objects read from clients' JSON (request bodies, admin bodies), 1–512 (default 256).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .json_codec import DEFAULT_MAX_DEPTH, MAX_DEPTH_CEILING

__all__ = [
    "CoreSettings",
    "add_core_arguments",
    "core_settings",
    "flag_value",
    "non_negative",
    "parse_delay",
]

UNMATCHED_POLICIES = ("fallback", "404")
JOURNAL_DETAILS = ("full", "summary")
DATA_DIR = ".mockc-data"


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

    def data_path(self, directory: Path) -> Path:
        return (directory / self.data_dir).resolve()

    def journal_path(self, directory: Path) -> Path | None:
        if self.journal.lower() in ("off", "0", "false", "no", "none"):
            return None
        if self.journal:
            return Path(self.journal)
        return self.data_path(directory) / "journal.sqlite"


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
    """An argparse type: a whole number, 0 or more."""
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def _json_depth(text: str) -> int:
    value = int(text)
    if not 1 <= value <= MAX_DEPTH_CEILING:
        raise ValueError(text)
    return value


def flag_value(text: str) -> bool:
    """``1``/``true``/``yes``/``on`` → True; ``0``/``false``/``no``/``off``/empty → False."""
    return text.strip().lower() not in ("0", "false", "no", "off", "")


def add_core_arguments(parser: argparse.ArgumentParser, env: Mapping[str, str]) -> None:
    """The flags of :class:`CoreSettings`, defaulting to their environment variables."""
    parser.add_argument("--seed", type=int, default=env.get("MOCKC_SEED", "0"))
    parser.add_argument(
        "--state", default=env.get("MOCKC_STATE", "memory"), help="memory or a redis:// URL"
    )
    parser.add_argument(
        "--journal", default=env.get("MOCKC_JOURNAL", ""), help="journal file, or off"
    )
    parser.add_argument(
        "--journal-max", type=_positive, default=env.get("MOCKC_JOURNAL_MAX", "100000")
    )
    parser.add_argument(
        "--journal-detail",
        choices=JOURNAL_DETAILS,
        default=env.get("MOCKC_JOURNAL_DETAIL", "full"),
        help="full: headers and bodies too; summary: cheaper",
    )
    parser.add_argument(
        "--unmatched",
        choices=UNMATCHED_POLICIES,
        default=env.get("MOCKC_UNMATCHED", "fallback"),
        help="answer of a request no mock matches",
    )
    parser.add_argument(
        "--serve-orphaned",
        type=flag_value,
        nargs="?",
        const=True,
        default=env.get("MOCKC_SERVE_ORPHANED", "0"),
    )
    parser.add_argument("--scenario", default=env.get("MOCKC_SCENARIO") or None)
    parser.add_argument(
        "--delay-ms", type=parse_delay, default=env.get("MOCKC_DELAY_MS", "0"), help="100 or 50-200"
    )
    parser.add_argument("--error-rate", type=_rate, default=env.get("MOCKC_ERROR_RATE", "0"))
    parser.add_argument("--data-dir", default=env.get("MOCKC_DATA_DIR", DATA_DIR))
    parser.add_argument(
        "--json-max-depth",
        type=_json_depth,
        default=env.get("MOCKC_JSON_MAX_DEPTH", str(DEFAULT_MAX_DEPTH)),
        help=f"deepest nesting of client JSON, 1-{MAX_DEPTH_CEILING}",
    )


def core_settings(options: argparse.Namespace, env: Mapping[str, str]) -> CoreSettings:
    return CoreSettings(
        seed=options.seed,
        state_url=options.state,
        journal=options.journal,
        journal_max=options.journal_max,
        journal_detail=options.journal_detail,
        unmatched=options.unmatched,
        serve_orphaned=bool(options.serve_orphaned),
        scenario=options.scenario,
        delay_ms=options.delay_ms,
        error_rate=options.error_rate,
        admin_token=env.get("MOCKC_ADMIN_TOKEN") or None,
        data_dir=options.data_dir,
        state_namespace=env.get("MOCKC_STATE_NAMESPACE") or None,
        json_max_depth=options.json_max_depth,
    )
