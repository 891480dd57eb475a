"""Every endpoint × every way a token can be wrong, on both databases: no token,
malformed, wrong checksum, revoked, expired → 401; read-only scope on a write →
403; a token of another namespace → 404 for everything of this one. Tokens never
appear in the logs or the database in clear."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

from mockc.compiler.orchestrator.routes import ROUTES
from mockc.compiler.orchestrator.store import database_url
from tests.support.corpus import CORPUS

from .harness import Orchestrator

PETSTORE = CORPUS / "openapi/oai-petstore-expanded-v3/petstore-expanded.yaml"
SCOPE_ORDER = ("read", "write", "admin")


def _endpoints(token_id: str, webhook_id: str) -> list[tuple[str, str, str]]:
    """(method, concrete path, scope) of every route."""
    values = {"name": "s1", "id": token_id, "scenario": "x", "entry": "1"}
    found: list[tuple[str, str, str]] = []
    for method, template, _, scope in ROUTES:
        ids = dict(values)
        if template.startswith("/webhooks"):
            ids["id"] = webhook_id
        elif "/mocks/" in template:
            ids["id"] = "findPets"
        path = template.format(**ids)
        found.append((method, path, scope))
    found += [
        ("GET", "/openapi.json", "read"),
        ("GET", "/metrics", "read"),
        ("GET", "/servers/s1/admin/info", "read"),
        ("POST", "/servers/s1/admin/mocks", "write"),
        ("DELETE", "/servers/s1/admin/journal", "write"),
    ]
    return found


def _call(client: httpx.Client, method: str, path: str, token: str | None) -> httpx.Response:
    headers = {} if token is None else {"authorization": token}
    body = {} if method in ("POST", "PUT") else None
    return client.request(method, path, headers=headers, json=body)


def test_auth_table(orchestrator: Orchestrator) -> None:
    orch = orchestrator
    other_admin = orch.create_token("--admin", "--namespace", "other")
    with orch.client(orch.admin_token) as admin:
        created = admin.post(
            "/servers",
            json={"name": "s1", "start": False, "files": {"petstore.yaml": PETSTORE.read_text()}},
        )
        assert created.status_code == 201, created.text
        read = admin.post("/tokens", json={"name": "reader", "scope": "read"}).json()
        revoked = admin.post("/tokens", json={"name": "gone", "scope": "admin"}).json()
        assert admin.post(f"/tokens/{revoked['id']}/revoke").json()["active"] is False
        expired = admin.post(
            "/tokens", json={"name": "brief", "scope": "admin", "expires_in": 1}
        ).json()
        webhook = admin.post("/webhooks", json={"url": "http://127.0.0.1:9/hook"}).json()
        whoami = admin.get("/whoami").json()
    time.sleep(1.2)
    valid = orch.admin_token
    bad_checksum = valid[:-1] + ("a" if valid[-1] != "a" else "b")
    unauthenticated = {
        "no token": None,
        "not bearer": f"Basic {valid}",
        "malformed": "Bearer hello",
        "wrong checksum": f"Bearer {bad_checksum}",
        "unknown": "Bearer " + valid[:3] + ("x" * 30) + valid[-6:],
        "revoked": f"Bearer {revoked['token']}",
        "expired": f"Bearer {expired['token']}",
    }
    wrong: list[str] = []
    endpoints = _endpoints(whoami["id"], webhook["id"])
    with httpx.Client(base_url=orch.url, timeout=60) as client:
        for method, path, scope in endpoints:
            for case, header in unauthenticated.items():
                answer = _call(client, method, path, header)
                if (
                    answer.status_code != 401
                    or "bearer" not in answer.headers.get("www-authenticate", "").lower()
                ):
                    wrong.append(f"{case}: {method} {path} → {answer.status_code}")
            answer = _call(client, method, path, f"Bearer {read['token']}")
            if SCOPE_ORDER.index(scope) > 0:
                if answer.status_code != 403:
                    wrong.append(f"read scope: {method} {path} → {answer.status_code}")
            elif answer.status_code in (401, 403):
                wrong.append(f"read scope on a read: {method} {path} → {answer.status_code}")
            answer = _call(client, method, path, f"Bearer {other_admin}")
            names_this_namespace = "/s1" in path or re.search(r"/(tokens|webhooks)/", path)
            if names_this_namespace and answer.status_code != 404:
                wrong.append(f"other namespace: {method} {path} → {answer.status_code}")
        listed = client.get("/servers", headers={"authorization": f"Bearer {other_admin}"})
        assert listed.json() == {"servers": []}
        assert client.get("/health").status_code == 200
    assert wrong == [], "\n".join(wrong)

    # the server still exists: nothing of another namespace touched it
    with orch.client(orch.admin_token) as admin:
        assert admin.get("/servers/s1").status_code == 200
        tokens = [valid, other_admin, read["token"], revoked["token"], expired["token"]]
        assert "token" not in admin.get(f"/tokens/{read['id']}").json()
    _assert_nowhere_in_clear(orch, tokens)


def _assert_nowhere_in_clear(orch: Orchestrator, tokens: list[str]) -> None:
    texts = [orch.log]
    texts += [
        path.read_bytes().decode(errors="replace")
        for path in Path(orch.data).rglob("*")
        if path.is_file() and path.suffix in ("", ".log", ".sqlite", ".sqlite-wal", ".json")
    ]
    engine = sa.create_engine(database_url(Path(orch.data), orch.db))
    with engine.connect() as connection:
        for table in ("tokens", "servers", "webhooks", "deliveries"):
            for row in connection.execute(sa.text(f"SELECT * FROM {table}")):
                texts.append(" ".join(str(value) for value in row))
    engine.dispose()
    for token in tokens:
        assert all(token not in text for text in texts), "a token is stored in clear"
