"""The orchestrator's state: tokens, servers, webhooks and their deliveries.

SQLAlchemy Core over SQLite (a file in the data folder, WAL) or PostgreSQL
(``postgresql://…``, with psycopg 3). Methods are synchronous and short; the
ASGI app calls them in a worker thread. Rows come back as plain dicts.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .migrations import migrate

__all__ = ["SQLITE_FILE", "Store", "database_url", "open_store"]

SQLITE_FILE = "orchestrator.sqlite"
_metadata = sa.MetaData()
tokens = sa.Table(
    "tokens",
    _metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("kind", sa.String),
    sa.Column("name", sa.String),
    sa.Column("namespace", sa.String),
    sa.Column("scopes", sa.String),
    sa.Column("token_hash", sa.String),
    sa.Column("hint", sa.String),
    sa.Column("created_at", sa.Float),
    sa.Column("expires_at", sa.Float),
    sa.Column("last_used_at", sa.Float),
    sa.Column("revoked_at", sa.Float),
)
servers = sa.Table(
    "servers",
    _metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("namespace", sa.String),
    sa.Column("name", sa.String),
    sa.Column("protocol", sa.String),
    sa.Column("status", sa.String),
    sa.Column("desired", sa.String),
    sa.Column("port", sa.Integer),
    sa.Column("admin_port", sa.Integer),
    sa.Column("pid", sa.Integer),
    sa.Column("options", sa.Text),
    sa.Column("spec_files", sa.Text),
    sa.Column("created_at", sa.Float),
    sa.Column("started_at", sa.Float),
    sa.Column("updated_at", sa.Float),
    sa.Column("last_error", sa.Text),
)
webhooks = sa.Table(
    "webhooks",
    _metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("namespace", sa.String),
    sa.Column("url", sa.Text),
    sa.Column("events", sa.Text),
    sa.Column("created_at", sa.Float),
)
deliveries = sa.Table(
    "deliveries",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("webhook_id", sa.String),
    sa.Column("event", sa.String),
    sa.Column("payload", sa.Text),
    sa.Column("status", sa.String),
    sa.Column("attempts", sa.Integer),
    sa.Column("next_attempt_at", sa.Float),
    sa.Column("last_code", sa.Integer),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", sa.Float),
    sa.Column("finished_at", sa.Float),
)
_JSON_COLUMNS = ("options", "spec_files", "events", "payload")
_TOUCH_EVERY_S = 30.0


def database_url(data: Path, db: str | None) -> str:
    """The SQLAlchemy URL: ``db`` (``postgresql://`` gets the psycopg driver), else
    SQLite in ``data``."""
    if not db:
        return f"sqlite:///{(data / SQLITE_FILE).resolve()}"
    for prefix in ("postgresql://", "postgres://"):
        if db.startswith(prefix):
            return "postgresql+psycopg://" + db[len(prefix) :]
    if db.startswith(("postgresql+psycopg://", "sqlite:///")):
        return db
    raise ValueError(f"--db {db!r}: only postgresql://… (or sqlite:///…) URLs are supported")


def _row(row: Any) -> dict[str, Any]:
    found = dict(row._mapping)
    for column in _JSON_COLUMNS:
        if isinstance(found.get(column), str):
            found[column] = json.loads(found[column])
    return found


def _encoded(values: dict[str, Any]) -> dict[str, Any]:
    return {
        name: json.dumps(value, sort_keys=True) if name in _JSON_COLUMNS else value
        for name, value in values.items()
    }


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def _one(self, query: Any) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else _row(row)

    def _all(self, query: Any) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            return [_row(row) for row in connection.execute(query)]

    def _write(self, statement: Any) -> int:
        with self.engine.begin() as connection:
            return int(connection.execute(statement).rowcount or 0)

    # -- tokens ------------------------------------------------------------

    def add_token(self, row: dict[str, Any]) -> None:
        self._write(tokens.insert().values(**row))

    def token_by_hash(self, token_hash: str) -> dict[str, Any] | None:
        return self._one(tokens.select().where(tokens.c.token_hash == token_hash))

    def list_tokens(self, namespace: str) -> list[dict[str, Any]]:
        query = tokens.select().where(tokens.c.namespace == namespace)
        return self._all(query.order_by(tokens.c.created_at, tokens.c.id))

    def get_token(self, namespace: str, token_id: str) -> dict[str, Any] | None:
        return self._one(
            tokens.select().where(tokens.c.namespace == namespace, tokens.c.id == token_id)
        )

    def revoke_token(self, namespace: str, token_id: str) -> bool:
        statement = (
            tokens.update()
            .where(tokens.c.namespace == namespace, tokens.c.id == token_id)
            .values(revoked_at=sa.func.coalesce(tokens.c.revoked_at, time.time()))
        )
        return self._write(statement) > 0

    def delete_token(self, namespace: str, token_id: str) -> bool:
        return (
            self._write(
                tokens.delete().where(tokens.c.namespace == namespace, tokens.c.id == token_id)
            )
            > 0
        )

    def touch_token(self, token: dict[str, Any], now: float) -> None:
        """Record a use; written at most every 30 s per token (no write per request)."""
        last = token.get("last_used_at")
        if last is not None and now - last < _TOUCH_EVERY_S:
            return
        self._write(tokens.update().where(tokens.c.id == token["id"]).values(last_used_at=now))

    # -- servers -----------------------------------------------------------

    def add_server(self, row: dict[str, Any]) -> None:
        self._write(servers.insert().values(**_encoded(row)))

    def get_server(self, namespace: str, name: str) -> dict[str, Any] | None:
        return self._one(
            servers.select().where(servers.c.namespace == namespace, servers.c.name == name)
        )

    def list_servers(self, namespace: str | None = None) -> list[dict[str, Any]]:
        query = servers.select()
        if namespace is not None:
            query = query.where(servers.c.namespace == namespace)
        return self._all(query.order_by(servers.c.namespace, servers.c.name))

    def update_server(self, server_id: str, **values: Any) -> None:
        values["updated_at"] = time.time()
        self._write(servers.update().where(servers.c.id == server_id).values(**_encoded(values)))

    def delete_server(self, server_id: str) -> None:
        self._write(servers.delete().where(servers.c.id == server_id))

    # -- webhooks ----------------------------------------------------------

    def add_webhook(self, row: dict[str, Any]) -> None:
        self._write(webhooks.insert().values(**_encoded(row)))

    def list_webhooks(self, namespace: str) -> list[dict[str, Any]]:
        query = webhooks.select().where(webhooks.c.namespace == namespace)
        return self._all(query.order_by(webhooks.c.created_at, webhooks.c.id))

    def get_webhook(self, namespace: str, webhook_id: str) -> dict[str, Any] | None:
        return self._one(
            webhooks.select().where(webhooks.c.namespace == namespace, webhooks.c.id == webhook_id)
        )

    def delete_webhook(self, namespace: str, webhook_id: str) -> bool:
        with self.engine.begin() as connection:
            gone = connection.execute(
                webhooks.delete().where(
                    webhooks.c.namespace == namespace, webhooks.c.id == webhook_id
                )
            ).rowcount
            if gone:
                connection.execute(deliveries.delete().where(deliveries.c.webhook_id == webhook_id))
        return bool(gone)

    def namespaces_subscribed(self, event: str) -> dict[str, float]:
        """Namespaces with a webhook for ``event``, and when the first was made."""
        query = sa.select(webhooks.c.namespace, webhooks.c.events, webhooks.c.created_at)
        found: dict[str, float] = {}
        for row in self._all(query):
            if event in row["events"]:
                since = found.get(row["namespace"], row["created_at"])
                found[row["namespace"]] = min(since, row["created_at"])
        return found

    # -- deliveries --------------------------------------------------------

    def add_deliveries(self, rows: Iterable[dict[str, Any]]) -> None:
        encoded = [_encoded(row) for row in rows]
        if encoded:
            with self.engine.begin() as connection:
                connection.execute(deliveries.insert(), encoded)

    def due_deliveries(self, now: float, limit: int = 20) -> list[dict[str, Any]]:
        query = (
            deliveries.select()
            .where(deliveries.c.status == "pending", deliveries.c.next_attempt_at <= now)
            .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
            .limit(limit)
        )
        return self._all(query)

    def update_delivery(self, delivery_id: int, **values: Any) -> None:
        self._write(deliveries.update().where(deliveries.c.id == delivery_id).values(**values))

    def list_deliveries(self, webhook_id: str, limit: int = 100) -> list[dict[str, Any]]:
        query = (
            deliveries.select()
            .where(deliveries.c.webhook_id == webhook_id)
            .order_by(deliveries.c.id.desc())
            .limit(limit)
        )
        return self._all(query)


def open_store(url: str) -> Store:
    """Connect, migrate, and return the store."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    migrate(engine)
    return Store(engine)
