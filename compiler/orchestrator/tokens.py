"""Bearer tokens: their format, their checksum and how they are stored.

A token is ``mk_`` (user) or ``mki_`` (integration), 30 base62 characters of
randomness (178 bits) and 6 base62 characters of CRC32 over the rest — the
shape of GitHub's tokens, so secret scanners can recognise a leaked one and a
mistyped one is refused before any database lookup.

Only a hash is stored: HMAC-SHA256 keyed with a *pepper*, 32 random bytes in
``DATA/pepper`` (mode 0600), never in the database. A slow hash (argon2,
bcrypt) protects low-entropy passwords; a 178-bit random token cannot be
guessed whatever the hash, and a fast keyed hash can be looked up by index on
every request (a salted slow hash would need a scan or a second id) for
microseconds instead of ~50 ms of CPU. The pepper means a copy of the database
alone (a PostgreSQL dump) cannot even test candidate tokens.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import zlib
from enum import StrEnum
from pathlib import Path

__all__ = [
    "PEPPER_FILE",
    "Kind",
    "TokenFormatError",
    "checksum_ok",
    "derived_secret",
    "hash_token",
    "load_pepper",
    "new_token",
    "parse_kind",
]

PEPPER_FILE = "pepper"
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
RANDOM_LENGTH = 30
CHECKSUM_LENGTH = 6
_SHAPE = re.compile(r"^(mki|mk)_([0-9A-Za-z]{30})([0-9A-Za-z]{6})$")


class Kind(StrEnum):
    USER = "mk"
    INTEGRATION = "mki"


class TokenFormatError(ValueError):
    """Not a mockc token, or a mistyped one (its checksum does not match)."""


def _base62(number: int, length: int) -> str:
    digits: list[str] = []
    for _ in range(length):
        number, digit = divmod(number, 62)
        digits.append(_ALPHABET[digit])
    return "".join(reversed(digits))


def _checksum(body: str) -> str:
    return _base62(zlib.crc32(body.encode()), CHECKSUM_LENGTH)


def new_token(kind: Kind) -> str:
    random_part = "".join(secrets.choice(_ALPHABET) for _ in range(RANDOM_LENGTH))
    body = f"{kind.value}_{random_part}"
    return body + _checksum(body)


def parse_kind(token: str) -> Kind:
    """The token's kind; raises :class:`TokenFormatError` for anything malformed."""
    found = _SHAPE.fullmatch(token)
    if found is None:
        raise TokenFormatError("the bearer token is not a mockc token (mk_… or mki_…)")
    if not checksum_ok(token):
        raise TokenFormatError("the bearer token's checksum does not match: is it mistyped?")
    return Kind(found.group(1))


def checksum_ok(token: str) -> bool:
    body, check = token[:-CHECKSUM_LENGTH], token[-CHECKSUM_LENGTH:]
    return hmac.compare_digest(_checksum(body), check)


def hash_token(token: str, pepper: bytes) -> str:
    return hmac.new(pepper, token.encode(), hashlib.sha256).hexdigest()


def derived_secret(pepper: bytes, purpose: str) -> str:
    """A secret the orchestrator can recompute and never stores (a server's admin
    token, a webhook's signing key)."""
    return hmac.new(pepper, purpose.encode(), hashlib.sha256).hexdigest()


def load_pepper(data: Path) -> bytes:
    """The pepper in ``data``, created (0600) on first use."""
    path = data / PEPPER_FILE
    data.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pepper = path.read_bytes()
        if len(pepper) < 32:
            raise ValueError(f"{path}: the pepper is damaged ({len(pepper)} bytes)") from None
        return pepper
    with os.fdopen(descriptor, "wb") as file:
        file.write(secrets.token_bytes(32))
    return path.read_bytes()
