"""The store on SQLite and on the real PostgreSQL (skipped, with the reason, when
PostgreSQL cannot be reached): migrations, tokens, servers, webhooks, deliveries."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from mockc.compiler.orchestrator.auth import issue_token
from mockc.compiler.orchestrator.migrations import MIGRATIONS, SchemaError, migrate
from mockc.compiler.orchestrator.store import Store, database_url, open_store
from mockc.compiler.orchestrator.tokens import hash_token

PEPPER = b"x" * 32


@pytest.fixture
def store(database: str | None, tmp_path: Path) -> Iterator[Store]:
    opened = open_store(database_url(tmp_path, database))
    yield opened
    opened.close()


def _server(server_id: str, name: str, namespace: str = "default") -> dict[str, object]:
    now = time.time()
    return {
        "id": server_id,
        "namespace": namespace,
        "name": name,
        "protocol": "http",
        "status": "stopped",
        "desired": "stopped",
        "options": {"seed": 1, "entry": []},
        "spec_files": {"files": ["a.yaml"], "paths": []},
        "created_at": now,
        "updated_at": now,
    }


def test_migrations_run_once_and_are_recorded(store: Store) -> None:
    assert migrate(store.engine) == []  # open_store applied them already
    with store.engine.connect() as connection:
        versions = connection.execute(
            sa.text("SELECT version FROM mockc_schema_migrations ORDER BY version")
        ).scalars()
        assert list(versions) == [version for version, _, _ in MIGRATIONS]


def test_a_database_from_a_newer_orchestrator_is_refused(store: Store) -> None:
    with store.engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO mockc_schema_migrations (version, name, applied_at) "
                "VALUES (999, 'future', 0)"
            )
        )
    with pytest.raises(SchemaError, match="999"):
        migrate(store.engine)


def test_tokens_are_stored_as_hashes_and_found_by_them(store: Store) -> None:
    row, token = issue_token(store, PEPPER, namespace="team-a", name="ci", scope="write")
    found = store.token_by_hash(hash_token(token, PEPPER))
    assert found is not None and found["id"] == row["id"] and found["scopes"] == "write"
    with store.engine.connect() as connection:
        for stored in connection.execute(sa.text("SELECT * FROM tokens")):
            assert all(token not in str(value) for value in stored)
    assert [t["id"] for t in store.list_tokens("team-a")] == [row["id"]]
    assert store.list_tokens("team-b") == []
    assert store.get_token("team-b", row["id"]) is None
    assert store.revoke_token("team-a", row["id"])
    first = store.get_token("team-a", row["id"])
    assert first is not None and first["revoked_at"] is not None
    store.revoke_token("team-a", row["id"])  # revoking twice keeps the first time
    again = store.get_token("team-a", row["id"])
    assert again is not None and again["revoked_at"] == first["revoked_at"]
    store.touch_token(again, 1234.5)
    touched = store.get_token("team-a", row["id"])
    assert touched is not None and touched["last_used_at"] == 1234.5
    assert not store.delete_token("team-b", row["id"])
    assert store.delete_token("team-a", row["id"])
    assert store.token_by_hash(hash_token(token, PEPPER)) is None


def test_servers_are_unique_per_namespace(store: Store) -> None:
    store.add_server(_server("srv_1", "pets"))
    store.add_server(_server("srv_2", "pets", namespace="other"))
    with pytest.raises(sa.exc.IntegrityError):
        store.add_server(_server("srv_3", "pets"))
    found = store.get_server("default", "pets")
    assert found is not None and found["options"] == {"seed": 1, "entry": []}
    store.update_server("srv_1", status="running", pid=42, port=8080)
    found = store.get_server("default", "pets")
    assert found is not None and (found["status"], found["pid"], found["port"]) == (
        "running",
        42,
        8080,
    )
    assert [s["id"] for s in store.list_servers("other")] == ["srv_2"]
    assert len(store.list_servers()) == 2
    store.delete_server("srv_1")
    assert store.get_server("default", "pets") is None


def test_deliveries_come_due_in_order_and_go_with_their_webhook(store: Store) -> None:
    store.add_webhook(
        {
            "id": "whk_1",
            "namespace": "default",
            "url": "http://x",
            "events": ["mock.created"],
            "created_at": 1.0,
        }
    )
    now = time.time()
    store.add_deliveries(
        [
            {
                "webhook_id": "whk_1",
                "event": "mock.created",
                "payload": {"n": n},
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now + n,
                "created_at": now,
            }
            for n in (0, 100)
        ]
    )
    due = store.due_deliveries(now + 1)
    assert [d["payload"] for d in due] == [{"n": 0}]
    store.update_delivery(due[0]["id"], status="delivered", attempts=1, last_code=200)
    assert store.due_deliveries(now + 1) == []
    history = store.list_deliveries("whk_1")
    assert [d["status"] for d in history] == ["pending", "delivered"]
    assert store.get_webhook("other", "whk_1") is None
    assert store.delete_webhook("default", "whk_1")
    assert store.list_deliveries("whk_1") == []


def test_database_urls() -> None:
    assert database_url(Path("/d"), None) == "sqlite:////d/orchestrator.sqlite"
    assert database_url(Path("/d"), "postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(ValueError, match="mysql"):
        database_url(Path("/d"), "mysql://u@h/db")
