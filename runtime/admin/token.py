"""The admin API is never open to the network without a token.

The admin API rewrites ``mocks/`` on disk, resets state and serves the
journal. On a loopback address (``127.0.0.1``, ``::1``, ``localhost``) it is
open unless ``MOCKC_ADMIN_TOKEN`` is set. On any other address (``0.0.0.0``
in the generated Dockerfiles) without ``MOCKC_ADMIN_TOKEN``, the server
makes a random token at start-up, prints it once on stderr and writes it to
``<data dir>/admin-token`` (mode 0600), where scripts and sidecars sharing
the folder read it; a new token is made at each start.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import secrets
import sys
from pathlib import Path

from ..exceptions import StartupError
from ..settings import CoreSettings

__all__ = ["TOKEN_FILE", "is_loopback", "secure_admin"]

TOKEN_FILE = "admin-token"
_TOKEN_BYTES = 32


def is_loopback(host: str) -> bool:
    """True for addresses only this machine reaches: 127.0.0.0/8, ``::1``, ``localhost``."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def secure_admin(settings: CoreSettings, host: str | None, directory: Path) -> CoreSettings:
    """``settings`` with the admin token to require when the admin API listens on
    ``host`` (None: no admin API is served). Without ``MOCKC_ADMIN_TOKEN`` on a
    non-loopback host, a new token is made, written and printed once."""
    if settings.admin_token is not None or host is None or is_loopback(host):
        return settings
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    path = settings.data_path(directory) / TOKEN_FILE
    _write_private(path, token)
    print(
        f"mockc: HOST {host} is not a loopback address and MOCKC_ADMIN_TOKEN is unset: "
        f"the admin API needs 'Authorization: Bearer {token}' (also in {path})",
        file=sys.stderr,
        flush=True,
    )
    return dataclasses.replace(settings, admin_token=token)


def _write_private(path: Path, token: str) -> None:
    """Write ``token`` to ``path``, readable by this user only (even if the file existed)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(descriptor, 0o600)
            os.write(descriptor, token.encode("ascii") + b"\n")
        finally:
            os.close(descriptor)
    except OSError as exc:
        raise StartupError(
            f"{path}: cannot write the admin token ({exc.strerror}); "
            "set MOCKC_ADMIN_TOKEN or a writable MOCKC_DATA_DIR"
        ) from None
