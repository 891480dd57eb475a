"""open_store: which store a ``MOCKC_STATE`` setting selects, and its errors."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from mockc.runtime.state import MemoryStore, RedisStore, StateError, open_store
from mockc.runtime.state.factory import redact_url
from tests.support.redis import redis_url, unique_namespace
from tests.support.servers import free_port


@pytest.mark.parametrize("setting", [None, "", "memory", "  memory "])
def test_no_setting_or_memory_is_the_memory_store(setting: str | None) -> None:
    assert isinstance(open_store(setting, "ns"), MemoryStore)


@pytest.mark.parametrize("scheme", ["redis", "Redis"])
def test_a_redis_url_is_the_redis_store(scheme: str) -> None:
    url = redis_url()
    store = open_store(scheme + url.removeprefix("redis"), unique_namespace("factory"))
    try:
        assert isinstance(store, RedisStore)
        store.put("key", 1)
        assert store.get("key") == 1
    finally:
        store.clear()
        store.close()


def test_a_unix_socket_url_is_the_redis_store() -> None:
    with pytest.raises(StateError, match=r"cannot reach Redis at unix:///nowhere/redis\.sock"):
        open_store("unix:///nowhere/redis.sock", "ns")


def test_an_unreachable_redis_is_a_state_error_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(StateError, match="cannot reach Redis"):
        open_store(f"rediss://127.0.0.1:{free_port()}/0", "ns")
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    "setting", ["mem", "redis", "http://localhost:6379", "localhost:6379", "user:pw@host:6379"]
)
def test_anything_else_is_a_state_error_naming_the_accepted_forms(setting: str) -> None:
    with pytest.raises(StateError) as raised:
        open_store(setting, "ns")
    message = str(raised.value)
    assert message.startswith("unknown state store")
    for form in ("'memory'", "redis://", "rediss://", "unix://"):
        assert form in message
    assert "pw" not in message


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("redis://user:secret@host:6379/1", "redis://user:***@host:6379/1"),
        ("rediss://:secret@host", "rediss://:***@host"),
        ("redis://user@host", "redis://user@host"),
        ("unix:///run/redis.sock?db=2&password=secret", "unix:///run/redis.sock?db=2&password=***"),
        ("redis://[::1]:6379/0", "redis://[::1]:6379/0"),
        ("user:secret@host", "***@host"),
        ("memory", "memory"),
    ],
)
def test_redact_url_hides_passwords(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_the_redis_client_loads_only_when_used() -> None:
    code = (
        "import sys, mockc.runtime.state as state; loaded = 'redis' in sys.modules; "
        "state.open_store(None, 'ns'); print(loaded, 'redis' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == ["False", "False"]
