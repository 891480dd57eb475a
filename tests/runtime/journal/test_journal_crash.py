"""Crash safety, for real: a process recording entries is killed with SIGKILL
in the middle of its writes; the file must stay sound and hold a prefix of
what was recorded, made of whole batches, including everything it flushed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

import pytest

from mockc.runtime.journal import Entry, open_journal

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

BATCH = 50

# Records numbered entries forever, in groups of one batch. "flush": each group
# is flushed (so it is one transaction) and its count printed once stored.
# "paced": the writer thread stores them on its own; a short pause per group.
CHILD = textwrap.dedent(
    """
    import sys
    import time
    from pathlib import Path
    from mockc.runtime.journal import Entry, open_journal

    path, batch, flush = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "flush"
    journal = open_journal(path, batch_size=batch, flush_interval=0.005, queue_size=10**7)
    n = 0
    while True:
        for _ in range(batch):
            journal.record(Entry(
                time=1_700_000_000.0 + n, duration_ms=1.0, protocol="http", method="GET",
                target=f"/n/{n}", operation="op", status="200", source="fake",
                request_headers={"x-n": str(n)}, request_body=b"x" * 4000,
            ))
            n += 1
        if flush:
            journal.flush()
            print(n, flush=True)
        else:
            time.sleep(0.0005)
            if n % 5000 == 0:
                print(n, flush=True)
    """
)


def run_and_kill(tmp_path: Path, mode: str, wait_for: int, delay: float = 0.0) -> tuple[Path, int]:
    """Start the recorder, SIGKILL it ``delay`` seconds after it reported
    ``wait_for`` entries; the journal's path and the last count it reported."""
    script = tmp_path / "recorder.py"
    script.write_text(CHILD)
    path = tmp_path / "journal.db"
    child = subprocess.Popen(
        [sys.executable, str(script), str(path), str(BATCH), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    reported = 0
    try:
        assert child.stdout is not None
        deadline = time.monotonic() + 60
        while reported < wait_for or not stored_rows(path):
            line = child.stdout.readline()
            if not line:
                pytest.fail(f"the recorder stopped: {child.stderr.read() if child.stderr else ''}")
            reported = int(line)
            assert time.monotonic() < deadline, "the recorder is too slow"
        time.sleep(delay)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    return path, reported


def stored_rows(path: Path) -> int:
    """Rows committed so far, read by a connection of this process."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        return int(connection.execute("SELECT count(*) FROM entries").fetchone()[0])


def check_sound_prefix(path: Path) -> list[int]:
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = connection.execute("SELECT id, target FROM entries ORDER BY id").fetchall()
    numbers = [int(target.rsplit("/", 1)[1]) for _, target in rows]
    assert numbers == list(range(len(numbers))), "the stored entries are not a prefix"
    assert [entry_id for entry_id, _ in rows] == list(range(1, len(rows) + 1))
    return numbers


@pytest.mark.parametrize("attempt", range(4))
def test_a_killed_writer_leaves_whole_flushed_batches(tmp_path: Path, attempt: int) -> None:
    path, reported = run_and_kill(
        tmp_path, "flush", wait_for=1000 + 500 * attempt, delay=0.0037 * attempt
    )
    numbers = check_sound_prefix(path)
    assert len(numbers) >= reported, "a flushed entry was lost"
    assert len(numbers) % BATCH == 0, "a batch was stored in part"
    journal = open_journal(path)
    assert journal.search(limit=0)["total"] == len(numbers)
    journal.close()


def test_a_killed_writer_under_load_leaves_a_sound_prefix(tmp_path: Path) -> None:
    path, _ = run_and_kill(tmp_path, "paced", wait_for=20_000)
    numbers = check_sound_prefix(path)
    assert numbers, "nothing was written before the kill"
    journal = open_journal(path)
    journal.record(
        Entry(
            time=1_700_000_000.0,
            duration_ms=1.0,
            protocol="http",
            method="GET",
            target=f"/n/{len(numbers)}",
            operation="op",
            status="200",
            source="fake",
        )
    )
    journal.close()
    assert check_sound_prefix(path) == list(range(len(numbers) + 1))
