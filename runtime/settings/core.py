"""The settings every protocol's server shares: :class:`CoreSettings` (what the
service reads) and :class:`ServerSettings`, the base of each ``server.py``'s own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..json_codec import DEFAULT_MAX_DEPTH
from .table import DATA_DIR
from .values import ALWAYS_REDACTED, OFF_WORDS

__all__ = ["CoreSettings", "ServerSettings", "core_settings", "server_fields"]


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
    agent: str = "off"
    """``unmatched``: requests no mock matches go to an agent (runtime/agent)."""
    agent_window_ms: float = 50.0
    agent_timeout_ms: float = 30_000.0
    agent_fallback: str = "fake"

    def data_path(self, directory: Path) -> Path:
        return (directory / self.data_dir).resolve()

    def journal_path(self, directory: Path) -> Path | None:
        if self.journal.lower() in OFF_WORDS:
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
        agent=values.get("agent", "off"),
        agent_window_ms=values.get("agent_window_ms", 50.0),
        agent_timeout_ms=values.get("agent_timeout_ms", 30_000.0),
        agent_fallback=values.get("agent_fallback", "fake"),
    )


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """What every ``server.py`` is told: where to listen, the core settings, the
    log level. Each protocol's settings extend it with their own fields."""

    host: str = "127.0.0.1"
    port: int = 8080
    core: CoreSettings = CoreSettings()
    log_level: str = "warning"


def server_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """The :class:`ServerSettings` fields of the values :func:`.read_settings`
    returned, as keyword arguments of any subclass."""
    return {
        "host": values["host"],
        "port": values["port"],
        "core": core_settings(values),
        "log_level": values["log_level"],
    }
