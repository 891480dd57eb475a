"""What every route works with: the store, the servers, the webhooks, the pepper."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .servers import ServerManager
from .store import Store
from .webhooks import WebhookDispatcher

__all__ = ["Context"]

T = TypeVar("T")


@dataclass(slots=True)
class Context:
    store: Store
    pepper: bytes
    servers: ServerManager
    webhooks: WebhookDispatcher
    started: float

    async def db(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a store method in a worker thread."""
        return await asyncio.to_thread(function, *args, **kwargs)
