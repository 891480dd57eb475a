"""A fresh clone stands alone: with nothing beside it (no ``../shared``), the
README's quick-start command 1 installs, generates and serves the petstore, and
its test command gets through pytest collection.

The clone is of the committed HEAD, so this checks what the repository carries."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.corpus import ROOT
from tests.support.servers import ServerProcess, free_port

pytestmark = pytest.mark.slow


def _quick_start_commands() -> tuple[str, str]:
    """The README's two quick-start commands, as written."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    commands = [
        "\n".join(line for line in block.splitlines() if not line.startswith("#")).strip()
        for block in blocks[:2]
    ]
    return commands[0], commands[1]


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    parent = tmp_path_factory.mktemp("fresh")
    target = parent / "mockc"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(target)],
        check=True,
        timeout=300,
    )
    assert not (parent / "shared").exists()
    return target


def _environment() -> dict[str, str]:
    """The caller's environment without this test run's virtualenv and settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "VIRTUAL_ENV"))}
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if p != venv_bin)
    env.pop("MOCKC_CORPUS", None)
    return env


def test_quick_start_command_1_installs_generates_and_serves(clone: Path) -> None:
    first, _ = _quick_start_commands()
    install_and_generate, serve = first.rsplit(" && ", 1)
    assert serve == "PORT=8080 .venv/bin/python out/petstore/server.py"
    env = _environment()
    done = subprocess.run(
        ["bash", "-c", install_and_generate],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    port = free_port()
    command = [str(clone / ".venv" / "bin" / "python"), "out/petstore/server.py"]
    with ServerProcess(command, cwd=clone, env={**env, "PORT": str(port)}, port=port) as server:
        answer = httpx.get(server.url + "/pets/7")
        assert answer.status_code == 200
        assert answer.json()["id"] == 7


def test_the_test_command_collects_every_test(clone: Path) -> None:
    _, second = _quick_start_commands()
    assert second == "scripts/test"
    env = {**_environment(), "MOCKC_NO_REDIS": "not needed to collect"}
    done = subprocess.run(
        ["bash", "-c", f"{second} --collect-only -q -p no:cacheprovider"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, (done.stdout[-3000:], done.stderr[-3000:])
    collected = re.search(r"(\d+) tests? collected", done.stdout)
    assert collected is not None, done.stdout[-2000:]
    assert int(collected.group(1)) > 500
    assert "error" not in done.stdout.rsplit("\n", 3)[-2].lower()
