"""When the admin API needs a token the server makes itself (runtime/admin/token.py)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from mockc.runtime.admin.token import TOKEN_FILE, is_loopback, secure_admin
from mockc.runtime.settings import CoreSettings


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.1.2.3", False),
        ("example.com", False),
        ("", False),
    ],
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_a_token_is_made_on_a_network_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / ".mockc-data" / TOKEN_FILE
    path.parent.mkdir()
    path.write_text("old")
    path.chmod(0o644)
    secured = secure_admin(CoreSettings(), "0.0.0.0", tmp_path)
    assert secured.admin_token and len(secured.admin_token) >= 40
    assert path.read_text() == secured.admin_token + "\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    printed = capsys.readouterr().err
    assert printed.count(secured.admin_token) == 1 and printed.count("\n") == 1
    again = secure_admin(CoreSettings(), "0.0.0.0", tmp_path)
    assert again.admin_token != secured.admin_token  # a new one at each start


@pytest.mark.parametrize(
    ("settings", "host"),
    [
        (CoreSettings(admin_token="given"), "0.0.0.0"),
        (CoreSettings(), "127.0.0.1"),
        (CoreSettings(), None),  # no admin API served
    ],
)
def test_no_token_is_made_when_none_is_needed(
    tmp_path: Path, settings: CoreSettings, host: str | None
) -> None:
    assert secure_admin(settings, host, tmp_path) is settings
    assert not (tmp_path / ".mockc-data").exists()
