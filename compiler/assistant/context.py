"""What every tool shares: the registry of running servers, the HTTP client,
the admin API caller, the supervisor of the processes this one started, and
the orchestrator when one is configured."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from ..orchestrator.supervisor import Supervisor
from .admin import AdminApi
from .orchestrator import Orchestrator, orchestrator_from
from .state import Registry

__all__ = ["ToolContext"]


@dataclass(slots=True)
class ToolContext:
    registry: Registry
    orchestrator: Orchestrator | None
    client: httpx.AsyncClient
    admin: AdminApi
    supervisor: Supervisor

    @classmethod
    def create(
        cls, *, state: Path | None = None, orchestrator: Orchestrator | None = None
    ) -> ToolContext:
        registry = Registry(state)
        orchestrator = orchestrator or orchestrator_from()
        client = httpx.AsyncClient(trust_env=False)
        return cls(
            registry=registry,
            orchestrator=orchestrator,
            client=client,
            admin=AdminApi(client, registry, orchestrator),
            supervisor=Supervisor(start_timeout=60.0, stop_timeout=10.0),
        )
