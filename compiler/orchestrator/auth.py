"""Who is calling: bearer tokens checked against the store, and tokens issued.

Answers: no token, a malformed one, a wrong checksum, an unknown, revoked or
expired token → 401; a token without the scope a route needs → 403. What
belongs to another namespace is simply not found (404) by the routes.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from .errors import Forbidden, Problem, Unauthorized
from .names import check_namespace
from .store import Store
from .tokens import Kind, TokenFormatError, hash_token, new_token, parse_kind

__all__ = ["SCOPES", "Principal", "authenticate", "issue_token", "public_token"]

SCOPES = ("read", "write", "admin")
"""Each scope includes the ones before it."""


@dataclass(frozen=True, slots=True)
class Principal:
    token_id: str
    namespace: str
    scope: str
    kind: Kind

    def require(self, scope: str) -> None:
        if SCOPES.index(self.scope) < SCOPES.index(scope):
            raise Forbidden(f"this token has the {self.scope!r} scope; this needs {scope!r}")


def authenticate(authorization: str, store: Store, pepper: bytes) -> Principal:
    scheme, _, token = authorization.partition(" ")
    if not authorization:
        raise Unauthorized("a bearer token is required: 'Authorization: Bearer mk_…'")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("the Authorization header must be 'Bearer <token>'")
    token = token.strip()
    try:
        kind = parse_kind(token)
    except TokenFormatError as error:
        raise Unauthorized(str(error)) from None
    row = store.token_by_hash(hash_token(token, pepper))
    now = time.time()
    if row is None:
        raise Unauthorized("unknown token")
    if row["revoked_at"] is not None:
        raise Unauthorized("this token was revoked")
    if row["expires_at"] is not None and row["expires_at"] <= now:
        raise Unauthorized("this token has expired")
    store.touch_token(row, now)
    return Principal(token_id=row["id"], namespace=row["namespace"], scope=row["scopes"], kind=kind)


def public_token(row: dict[str, Any]) -> dict[str, Any]:
    """A token's record as the API shows it (never the token, never its hash)."""
    now = time.time()
    expired = row["expires_at"] is not None and row["expires_at"] <= now
    return {
        "id": row["id"],
        "name": row["name"],
        "kind": "integration" if row["kind"] == Kind.INTEGRATION.value else "user",
        "namespace": row["namespace"],
        "scope": row["scopes"],
        "hint": row["hint"],
        "created_at": row["created_at"],
        "expires_at": row["expires_at"],
        "last_used_at": row["last_used_at"],
        "revoked_at": row["revoked_at"],
        "active": row["revoked_at"] is None and not expired,
    }


def issue_token(
    store: Store,
    pepper: bytes,
    *,
    namespace: str,
    name: str,
    scope: str,
    kind: Kind = Kind.USER,
    expires_at: float | None = None,
) -> tuple[dict[str, Any], str]:
    """Store a new token's hash; returns its record and the token (shown once)."""
    check_namespace(namespace)
    if scope not in SCOPES:
        raise Problem(400, f"'scope' must be one of {list(SCOPES)}")
    if not isinstance(name, str) or not 1 <= len(name) <= 200:
        raise Problem(400, "'name' must be a string of 1 to 200 characters")
    token = new_token(kind)
    row = {
        "id": "tok_" + secrets.token_hex(8),
        "kind": kind.value,
        "name": name,
        "namespace": namespace,
        "scopes": scope,
        "token_hash": hash_token(token, pepper),
        "hint": token[: len(kind.value) + 5] + "…",
        "created_at": time.time(),
        "expires_at": expires_at,
        "last_used_at": None,
        "revoked_at": None,
    }
    store.add_token(row)
    return row, token
