"""The database schema, as an ordered list of migrations applied once each.

Each migration is a function over a connection, written with SQLAlchemy's
dialect-neutral DDL, so one list serves SQLite and PostgreSQL. Applied
versions are recorded in ``mockc_schema_migrations``; on PostgreSQL an
advisory lock keeps two orchestrators starting at once from racing. A new
migration is appended, never edited: a database migrated by an older
orchestrator is brought forward, and one from a newer orchestrator is refused.

(Alembic would add an environment script, a configuration file and a revision
graph for what is here a short linear list; the runner is a dozen lines and
is tested on both databases.)
"""

from __future__ import annotations

import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

__all__ = ["MIGRATIONS", "SchemaError", "migrate"]

_LOCK_ID = 0x6D6F636B63  # "mockc"


class SchemaError(RuntimeError):
    """The database was migrated by a newer orchestrator than this one."""


def _v1_tables(connection: Connection) -> None:
    metadata = sa.MetaData()
    sa.Table(
        "tokens",
        metadata,
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("namespace", sa.String(63), nullable=False, index=True),
        sa.Column("scopes", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("hint", sa.String(20), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float),
        sa.Column("last_used_at", sa.Float),
        sa.Column("revoked_at", sa.Float),
    )
    sa.Table(
        "servers",
        metadata,
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("namespace", sa.String(63), nullable=False),
        sa.Column("name", sa.String(63), nullable=False),
        sa.Column("protocol", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("desired", sa.String(20), nullable=False),
        sa.Column("port", sa.Integer),
        sa.Column("admin_port", sa.Integer),
        sa.Column("pid", sa.Integer),
        sa.Column("options", sa.Text, nullable=False),
        sa.Column("spec_files", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("started_at", sa.Float),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.UniqueConstraint("namespace", "name", name="servers_namespace_name"),
    )
    sa.Table(
        "webhooks",
        metadata,
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("namespace", sa.String(63), nullable=False, index=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("events", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    sa.Table(
        "deliveries",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("webhook_id", sa.String(40), nullable=False, index=True),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.Float, nullable=False),
        sa.Column("last_code", sa.Integer),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("finished_at", sa.Float),
    )
    metadata.create_all(connection)


Migration = tuple[int, str, Callable[[Connection], None]]
MIGRATIONS: tuple[Migration, ...] = ((1, "tokens, servers, webhooks, deliveries", _v1_tables),)

_metadata = sa.MetaData()
_applied = sa.Table(
    "mockc_schema_migrations",
    _metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.Float, nullable=False),
)


def migrate(engine: Engine) -> list[int]:
    """Apply the migrations ``engine``'s database lacks; returns their versions."""
    done: list[int] = []
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
        _metadata.create_all(connection, checkfirst=True)
        applied = {row.version for row in connection.execute(sa.select(_applied.c.version))}
        known = {version for version, _, _ in MIGRATIONS}
        newer = sorted(applied - known)
        if newer:
            raise SchemaError(
                f"the database has schema version {newer[-1]}, newer than this orchestrator "
                f"knows ({max(known)}); upgrade mockc"
            )
        for version, name, apply in MIGRATIONS:
            if version in applied:
                continue
            apply(connection)
            connection.execute(
                _applied.insert().values(version=version, name=name, applied_at=time.time())
            )
            done.append(version)
    return done
