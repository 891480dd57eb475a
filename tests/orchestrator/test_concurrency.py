"""Several requests at once: servers created in parallel all run, a name raced for is
given once, and SIGTERM to the orchestrator leaves no server process behind."""

from __future__ import annotations

import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.support.corpus import CORPUS

from .harness import Orchestrator
from .test_lifecycle import pid_alive

PETSTORE = CORPUS / "openapi/oai-petstore-expanded-v3/petstore-expanded.yaml"


def test_parallel_creates_a_raced_name_and_no_orphans(tmp_path: Path) -> None:
    spec = PETSTORE.read_text()
    with Orchestrator(tmp_path / "data") as orch:

        def create(name: str) -> int:
            with orch.client(orch.admin_token) as client:
                body = {"name": name, "files": {"p.yaml": spec}}
                return client.post("/servers", json=body).status_code

        names = [f"s{index}" for index in range(5)] + ["same"] * 3
        with ThreadPoolExecutor(8) as pool:
            statuses = dict(enumerate(pool.map(create, names)))
        assert [statuses[i] for i in range(5)] == [201] * 5
        assert sorted(statuses[i] for i in range(5, 8)) == [201, 409, 409]
        with orch.client(orch.admin_token) as client:
            servers = client.get("/servers").json()["servers"]
        assert len(servers) == 6 and all(s["health"] == "ok" for s in servers)
        pids = [s["pid"] for s in servers]
        assert len(set(pids)) == 6 and all(pid_alive(pid) for pid in pids)
        assert orch.stop(signal.SIGTERM) == 0
        assert [pid for pid in pids if pid_alive(pid)] == []
