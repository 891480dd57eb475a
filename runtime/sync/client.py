"""The thread that polls the orchestrator and applies what changed."""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import urllib.error
import urllib.request
from typing import TYPE_CHECKING
from urllib.parse import quote

from .snapshot import apply_snapshot

if TYPE_CHECKING:
    from ..service import MockService

__all__ = ["SyncClient", "start_sync"]

log = logging.getLogger("mockc.sync")
POLL_SECONDS = 0.25


class SyncClient:
    def __init__(self, service: MockService, origin: str, token: str, server: str) -> None:
        self.service = service
        self.url = f"{origin.rstrip('/')}/servers/{quote(server, safe='')}/sync"
        self.token = token
        self.etag: str | None = None
        self.applied = 0
        self.problems: list[str] = []
        """What the last snapshot held that this server refused."""
        """Snapshots applied so far."""
        self.reachable = True
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mockc-sync", daemon=True)

    def start(self) -> SyncClient:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def poll_once(self) -> bool:
        """One request; True when a new snapshot was applied."""
        request = urllib.request.Request(self.url)
        request.add_header("Authorization", f"Bearer {self.token}")
        # what the orchestrator shows of its replicas: who, which snapshot, how many mocks
        request.add_header("X-Mockc-Replica", f"{socket.gethostname()}:{os.getpid()}")
        request.add_header("X-Mockc-Replica-Mocks", str(self.service.mocks.active_mock_count))
        request.add_header("X-Mockc-Replica-Problems", str(len(self.problems)))
        if self.etag:
            request.add_header("If-None-Match", self.etag)
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                document = json.loads(answer.read())
                etag = answer.headers.get("ETag")
        except urllib.error.HTTPError as error:
            if error.code != 304:
                self._unreachable(f"{self.url} answered {error.code}")
            else:
                self._reachable()
            return False
        except (OSError, ValueError) as error:
            self._unreachable(f"{self.url}: {error}")
            return False
        self._reachable()
        problems = apply_snapshot(self.service.mocks, document)
        self.service.mocks_changed()
        self.problems = problems
        for problem in problems:
            log.warning("sync: %s", problem)
        self.etag = etag
        self.applied += 1
        return True

    def _unreachable(self, why: str) -> None:
        if self.reachable:
            log.warning("sync: %s; serving the last snapshot", why)
        self.reachable = False

    def _reachable(self) -> None:
        if not self.reachable:
            log.warning("sync: %s reachable again", self.url)
        self.reachable = True

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception:  # noqa: BLE001 - the thread must outlive any one failure
                log.exception("sync: applying a snapshot failed")
            self._stop.wait(POLL_SECONDS)


def start_sync(service: MockService) -> SyncClient | None:
    """Start syncing when ``MOCKC_SYNC_FROM`` (``--sync-from``) is set; None otherwise."""
    settings = service.settings
    origin = settings.sync_from
    if not origin:
        return None
    token = settings.sync_token
    server = settings.sync_server
    if not token or not server:
        log.error("MOCKC_SYNC_FROM needs MOCKC_SYNC_TOKEN and MOCKC_SYNC_SERVER too: not syncing")
        return None
    return SyncClient(service, origin, token, server).start()
