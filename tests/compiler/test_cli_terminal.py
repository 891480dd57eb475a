"""``mockc generate`` on a real terminal (a pseudo-terminal): a live progress
display and colour; NO_COLOR takes the colour away, -q the progress; through
a pipe neither (plain lines only)."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = ROOT / "examples" / "petstore" / "openapi.yaml"
MOCKC = str(Path(sys.executable).with_name("mockc"))

COLOUR = re.compile(rb"\x1b\[[0-9;]*(?:3[0-7]|38;[0-9;]+|9[0-7])m")
"""An SGR sequence that sets a foreground colour."""
ESCAPE = re.compile(rb"\x1b\[")

pytestmark = pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")


def _environment(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "CI"}
    }
    return {**env, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40", **extra}


def _on_terminal(args: list[str], cwd: Path, **env: str) -> tuple[int, bytes]:
    main, child = pty.openpty()
    process = subprocess.Popen(
        args, stdin=child, stdout=child, stderr=child, cwd=cwd, env=_environment(**env)
    )
    os.close(child)
    output = b""
    while True:
        ready, _, _ = select.select([main], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        elif process.poll() is not None:
            break
    os.close(main)
    return process.wait(timeout=120), output


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    shutil.copy(PETSTORE, tmp_path / "petstore.yaml")
    return tmp_path / "petstore.yaml"


def test_a_terminal_gets_progress_and_colour(spec: Path) -> None:
    code, output = _on_terminal([MOCKC, "generate", spec.name, "-o", "out"], spec.parent)
    assert code == 0, output
    assert b"out: reading specs" in output and b"out: generating mocks" in output
    assert COLOUR.search(output)
    assert b"\x1b[32madded\x1b[0m           mocks/listPets.yaml" in output
    assert re.search(rb"mockc: out: 4 operations; \d+ file\(s\) written", output)


def test_no_color_keeps_the_progress_without_colour(spec: Path) -> None:
    code, output = _on_terminal(
        [MOCKC, "generate", spec.name, "-o", "out"], spec.parent, NO_COLOR="1"
    )
    assert code == 0, output
    assert b"out: generating mocks" in output
    assert not COLOUR.search(output)
    assert b"  added           mocks/listPets.yaml" in output


def test_quiet_shows_no_progress(spec: Path) -> None:
    code, output = _on_terminal([MOCKC, "generate", spec.name, "-o", "out", "-q"], spec.parent)
    assert code == 0, output
    assert b"reading specs" not in output and b"generating mocks" not in output
    assert b"mockc: out: 4 operations" in output


def test_a_pipe_gets_plain_text(spec: Path) -> None:
    done = subprocess.run(
        [MOCKC, "generate", spec.name, "-o", "out"],
        cwd=spec.parent,
        env=_environment(),
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert not ESCAPE.search(done.stderr)
    assert re.search(
        rb"mockc: out: 4 operations; (\d+) file\(s\) written, 0 unchanged \(added \1\)\n",
        done.stderr,
    )
