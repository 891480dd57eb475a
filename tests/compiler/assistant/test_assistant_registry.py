"""The registry of running servers: kept under $XDG_STATE_HOME/mockc, written
atomically, pruned of servers whose process is gone, rebuilt when damaged."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mockc.compiler.assistant.state import Registry, state_dir


def _entry(name: str, pid: int, folder: Path) -> dict[str, object]:
    return {"name": name, "pid": pid, "folder": str(folder), "host": "127.0.0.1", "port": 1}


@pytest.fixture
def sleeper(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A live process running ``<folder>/server.py``, as a started server would."""
    folder = tmp_path / "server"
    folder.mkdir()
    (folder / "server.py").write_text("import time\ntime.sleep(60)\n")
    process = subprocess.Popen([sys.executable, str(folder / "server.py")])
    yield process, folder
    process.kill()
    process.wait()


def test_the_state_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert state_dir() == tmp_path / "mockc"
    monkeypatch.setenv("XDG_STATE_HOME", "relative/ignored")
    assert state_dir() == Path.home() / ".local" / "state" / "mockc"


def test_live_servers_stay_and_dead_ones_are_pruned(sleeper, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    process, folder = sleeper
    registry = Registry(tmp_path / "state")
    registry.put(_entry("live", process.pid, folder))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    registry.put(_entry("dead", dead.pid, folder))
    registry.put(_entry("other-program", process.pid, tmp_path / "elsewhere"))
    assert [entry["name"] for entry in registry.entries()] == ["live"]
    stored = json.loads(registry.path.read_text())
    assert list(stored["servers"]) == ["live"] and stored["format"] == 1
    assert registry.remove("live") is not None
    assert registry.entries() == [] and registry.remove("live") is None


def test_a_damaged_file_is_rebuilt(sleeper, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    process, folder = sleeper
    registry = Registry(tmp_path / "state")
    registry.folder.mkdir(parents=True)
    registry.path.write_text("{not json")
    assert registry.entries() == []
    registry.put(_entry("live", process.pid, folder))
    assert registry.get("live") is not None
    assert (registry.path.stat().st_mode & 0o777) == 0o600
    assert not list(registry.folder.glob(".servers-*"))  # no temporary file left behind


def test_concurrent_writers_lose_nothing(sleeper, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    process, folder = sleeper
    registries = [Registry(tmp_path / "state") for _ in range(4)]

    def add(index: int) -> None:
        for n in range(10):
            registries[index].put(_entry(f"s{index}-{n}", process.pid, folder))

    threads = [threading.Thread(target=add, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(registries[0].entries()) == 40
