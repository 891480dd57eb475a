"""Webhooks: events of a namespace POSTed to its subscribers, signed, retried.

Each delivery is a row (so it survives a restart and its history can be
read). The body is JSON ``{"id", "event", "namespace", "time", "data"}``;
``X-Mockc-Signature: sha256=<hex HMAC-SHA256 of the body>`` with the
webhook's secret (derived from the pepper, shown once, never stored).
A delivery that fails (no 2xx, or no answer in 10 s) is retried after
``backoff``, 2×, 4×… that, until ``MAX_ATTEMPTS``; then it is ``failed``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import secrets
import time
from typing import Any
from urllib.parse import urlsplit

import httpx

from mockc.runtime.json_codec import json_bytes

from .errors import Problem
from .store import Store
from .tokens import derived_secret

__all__ = ["EVENTS", "MAX_ATTEMPTS", "WebhookDispatcher", "check_webhook", "signature"]

EVENTS = ("mock.created", "mock.deleted", "server.started", "server.stopped", "request.unmatched")
MAX_ATTEMPTS = 6


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def check_webhook(body: Any) -> tuple[str, list[str]]:
    if not isinstance(body, dict):
        raise Problem(400, "the request body must be a JSON object")
    unknown = sorted(set(body) - {"url", "events"})
    if unknown:
        raise Problem(400, f"unknown field(s): {', '.join(unknown)}")
    url = body.get("url")
    if not isinstance(url, str) or len(url) > 2000:
        raise Problem(400, "'url' must be an http(s) URL")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Problem(400, "'url' must be an http(s) URL")
    events = body.get("events", list(EVENTS))
    if (
        not isinstance(events, list)
        or not events
        or not all(isinstance(event, str) and event in EVENTS for event in events)
    ):
        raise Problem(400, f"'events' must be a non-empty list of {list(EVENTS)}")
    return url, sorted(set(events))


class WebhookDispatcher:
    def __init__(self, store: Store, pepper: bytes, *, backoff: float = 1.0) -> None:
        self.store = store
        self.pepper = pepper
        self.backoff = backoff
        self.client = httpx.AsyncClient(trust_env=False, timeout=10.0)
        self._wake = asyncio.Event()

    def secret(self, webhook_id: str) -> str:
        return "whsec_" + derived_secret(self.pepper, f"webhook:{webhook_id}")

    def create(self, namespace: str, url: str, events: list[str]) -> dict[str, Any]:
        row = {
            "id": "whk_" + secrets.token_hex(8),
            "namespace": namespace,
            "url": url,
            "events": events,
            "created_at": time.time(),
        }
        self.store.add_webhook(row)
        return row

    async def emit(self, namespace: str, event: str, data: dict[str, Any]) -> None:
        hooks = await asyncio.to_thread(self.store.list_webhooks, namespace)
        now = time.time()
        rows = []
        for hook in hooks:
            if event not in hook["events"]:
                continue
            rows.append(
                {
                    "webhook_id": hook["id"],
                    "event": event,
                    "payload": {
                        "id": "evt_" + secrets.token_hex(8),
                        "event": event,
                        "namespace": namespace,
                        "time": now,
                        "data": data,
                    },
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
            )
        if rows:
            await asyncio.to_thread(self.store.add_deliveries, rows)
            self._wake.set()

    async def run(self) -> None:
        """Deliver what is due, forever."""
        while True:
            due = await asyncio.to_thread(self.store.due_deliveries, time.time())
            if due:
                await asyncio.gather(*(self._deliver(delivery) for delivery in due))
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=min(self.backoff, 0.5))

    async def _deliver(self, delivery: dict[str, Any]) -> None:
        hooks = await asyncio.to_thread(self.store.list_webhooks, delivery["payload"]["namespace"])
        hook = next((found for found in hooks if found["id"] == delivery["webhook_id"]), None)
        if hook is None:
            await asyncio.to_thread(self.store.update_delivery, delivery["id"], status="cancelled")
            return
        body = json_bytes(delivery["payload"])
        headers = {
            "content-type": "application/json",
            "user-agent": "mockc-orchestrator",
            "x-mockc-event": delivery["event"],
            "x-mockc-delivery": str(delivery["id"]),
            "x-mockc-signature": signature(self.secret(hook["id"]), body),
        }
        attempts = delivery["attempts"] + 1
        code: int | None = None
        error: str | None = None
        try:
            response = await self.client.post(hook["url"], content=body, headers=headers)
            code = response.status_code
            if not 200 <= code < 300:
                error = f"answered {code}"
        except httpx.HTTPError as failure:
            error = f"{type(failure).__name__}: {failure}"
        now = time.time()
        if error is None:
            values: dict[str, Any] = {"status": "delivered", "finished_at": now}
        elif attempts >= MAX_ATTEMPTS:
            values = {"status": "failed", "finished_at": now}
        else:
            values = {"next_attempt_at": now + self.backoff * 2 ** (attempts - 1)}
        await asyncio.to_thread(
            self.store.update_delivery,
            delivery["id"],
            attempts=attempts,
            last_code=code,
            last_error=error,
            **values,
        )

    async def close(self) -> None:
        await self.client.aclose()


def public_delivery(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "event": row["event"],
        "status": row["status"],
        "attempts": row["attempts"],
        "next_attempt_at": row["next_attempt_at"] if row["status"] == "pending" else None,
        "last_code": row["last_code"],
        "last_error": row["last_error"],
        "created_at": row["created_at"],
        "finished_at": row["finished_at"],
        "payload": row["payload"],
    }


def public_webhook(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "namespace": row["namespace"],
        "url": row["url"],
        "events": row["events"],
        "created_at": row["created_at"],
    }
