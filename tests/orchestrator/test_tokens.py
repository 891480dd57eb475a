"""Token format, checksum, hashing and the pepper file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from mockc.compiler.orchestrator.tokens import (
    Kind,
    TokenFormatError,
    hash_token,
    load_pepper,
    new_token,
    parse_kind,
)


@pytest.mark.parametrize("kind", list(Kind))
def test_tokens_have_their_prefix_enough_randomness_and_a_checksum(kind: Kind) -> None:
    tokens = {new_token(kind) for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert token.startswith(kind.value + "_")
        assert len(token) == len(kind.value) + 1 + 30 + 6
        assert parse_kind(token) is kind
    # 30 base62 characters of randomness: log2(62) * 30 > 160 bits
    assert 30 * 5.954 > 160


def test_a_mistyped_token_fails_its_checksum() -> None:
    token = new_token(Kind.USER)
    last = token[-1]
    typo = token[:-1] + ("A" if last != "A" else "B")
    with pytest.raises(TokenFormatError, match="checksum"):
        parse_kind(typo)
    swapped = token[:5] + token[6] + token[5] + token[7:]
    if swapped != token:
        with pytest.raises(TokenFormatError):
            parse_kind(swapped)


@pytest.mark.parametrize(
    "text",
    ["", "mk_", "hello", "gh_" + "a" * 36, "mk_" + "a" * 35, "mk_" + "!" * 36, "MK_" + "a" * 36],
)
def test_malformed_tokens_are_refused(text: str) -> None:
    with pytest.raises(TokenFormatError):
        parse_kind(text)


def test_the_hash_depends_on_the_pepper(tmp_path: Path) -> None:
    token = new_token(Kind.USER)
    first = hash_token(token, b"p" * 32)
    assert first == hash_token(token, b"p" * 32)
    assert first != hash_token(token, b"q" * 32)
    assert token not in first


def test_the_pepper_is_made_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    pepper = load_pepper(tmp_path / "data")
    assert len(pepper) == 32
    mode = stat.S_IMODE((tmp_path / "data" / "pepper").stat().st_mode)
    assert mode == 0o600
    assert load_pepper(tmp_path / "data") == pepper


def test_a_damaged_pepper_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "pepper").write_bytes(b"short")
    with pytest.raises(ValueError, match="damaged"):
        load_pepper(tmp_path)
