"""Serving the orchestrator: open the store, adopt the servers, serve until a signal,
then stop every child by its PID."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from mockc.runtime.startup import check_port, embedded_granian, serve_until_signalled

from .app import OrchestratorApp
from .context import Context
from .recovery import restore, shutdown, watch
from .servers import ServerManager
from .store import database_url, open_store
from .supervisor import Supervisor
from .tokens import load_pepper
from .unmatched import watch_unmatched
from .webhooks import WebhookDispatcher

__all__ = ["Config", "prepare_data", "serve"]

log = logging.getLogger("mockc.orchestrator")


@dataclass(frozen=True, kw_only=True)
class Config:
    host: str = "127.0.0.1"
    port: int = 8888
    data: Path = Path("mockc-data")
    db: str | None = None
    spec_root: Path | None = None
    servers_host: str = "127.0.0.1"
    log_level: str = "warning"
    webhook_backoff: float = 1.0
    start_timeout: float = 60.0


def prepare_data(data: Path) -> bytes:
    """Create the data folder (0700) and return its pepper."""
    data.mkdir(parents=True, exist_ok=True)
    os.chmod(data, 0o700)
    return load_pepper(data)


def _configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("mockc orchestrator: %(levelname)s: %(message)s"))
    logger = logging.getLogger("mockc")
    logger.handlers[:] = [handler]
    logger.setLevel(level.upper())
    logger.propagate = False


async def serve(config: Config) -> None:
    _configure_logging(config.log_level)
    data = config.data.resolve()
    pepper = prepare_data(data)
    store = await asyncio.to_thread(open_store, database_url(data, config.db))
    manager = ServerManager(
        store,
        data,
        pepper,
        host=config.servers_host,
        spec_root=config.spec_root,
        supervisor=Supervisor(start_timeout=config.start_timeout),
    )
    webhooks = WebhookDispatcher(store, pepper, backoff=config.webhook_backoff)
    manager.emit = webhooks.emit
    context = Context(
        store=store, pepper=pepper, servers=manager, webhooks=webhooks, started=time.time()
    )
    app = OrchestratorApp(context)
    check_port(config.host, config.port)
    server = embedded_granian(app, config.host, config.port, config.log_level)

    async def restore_servers() -> None:
        outcome = await restore(manager)
        for key, what in sorted(outcome.items()):
            log.warning("server %s: %s", key, what)

    tasks = [
        asyncio.ensure_future(restore_servers()),
        asyncio.ensure_future(watch(manager)),
        asyncio.ensure_future(webhooks.run()),
        asyncio.ensure_future(watch_unmatched(manager, webhooks)),
    ]
    where = "sqlite" if store.dialect == "sqlite" else store.dialect
    banner = (
        f"mockc orchestrator: serving on http://{config.host}:{config.port} "
        f"(data {data}, state in {where})"
    )
    try:
        await serve_until_signalled(server, banner)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await shutdown(manager)
        await webhooks.close()
        store.close()
        if app.tracer is not None:
            app.tracer.close()
