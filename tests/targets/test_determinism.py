"""Every target writes byte-identical output from the same inputs in separate
processes with different hash seeds (set and dict orders, ``id()`` values and
string hashes all differ between them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.corpus import CORPUS, ROOT

SPECS = {
    "http": [ROOT / "examples" / "petstore" / "openapi.yaml"],
    "http-multifile": [
        CORPUS / "openapi" / "redocly-cafe-multifile-v31" / "openapi" / "openapi.yaml"
    ],
    "grpc": [
        CORPUS / "proto" / "googleapis-pubsub-v1" / "google" / "pubsub" / "v1" / "pubsub.proto"
    ],
    "graphql": [CORPUS / "graphql" / "swapi" / "schema.graphql"],
}


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _generate(specs: list[Path], out: Path, hash_seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-m", "mockc.compiler.cli", "generate", *map(str, specs)]
        + ["-o", str(out), "-q"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return _tree(out)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_output_is_byte_identical_across_processes_and_hash_seeds(
    name: str, tmp_path: Path
) -> None:
    first = _generate(SPECS[name], tmp_path / "one" / "out", "1")
    second = _generate(SPECS[name], tmp_path / "two" / "out", "4242")
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    assert differing == []
    assert any(path.startswith("mocks/") for path in first)
