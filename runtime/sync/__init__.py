"""Sync: a server pulls its mocks and scenarios from a mockc orchestrator.

With ``MOCKC_SYNC_FROM=http://orchestrator:8888``, ``MOCKC_SYNC_TOKEN=mki_…``
and ``MOCKC_SYNC_SERVER=NAME`` (a server of the token's namespace), a thread
polls ``GET /servers/NAME/sync`` with ``If-None-Match`` four times a second and
applies a changed snapshot to the server's mocks (written to ``mocks/`` and
``scenarios/``, so the last snapshot is served, across restarts too, while
the orchestrator cannot be reached).
"""

from .client import SyncClient, start_sync
from .snapshot import apply_snapshot, snapshot_of

__all__ = ["SyncClient", "apply_snapshot", "snapshot_of", "start_sync"]
