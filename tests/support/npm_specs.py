"""Real specs too large for the corpus, fetched pinned from the npm registry
(``npm pack NAME@VERSION``) into ``bench/.cache/npm`` at test or bench time,
never committed.

    path = fetch(GITHUB_REST)   # raises Unavailable (saying why) without npm
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .cache_lock import cache_lock

__all__ = ["CACHE", "GITHUB_REST", "NpmSpec", "Unavailable", "fetch"]

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "bench" / ".cache" / "npm"


@dataclass(frozen=True, kw_only=True)
class NpmSpec:
    package: str
    version: str
    member: str
    """Path of the spec inside the package's tarball."""


GITHUB_REST = NpmSpec(
    package="@octokit/openapi",
    version="23.0.2",
    member="package/generated/api.github.com.json",
)
"""GitHub's REST API description (1,223 operations, 13 MB of JSON), MIT licence."""


class Unavailable(Exception):
    """The spec is not cached and cannot be fetched here (the message says why)."""


def fetch(spec: NpmSpec) -> Path:
    """The spec file, from the cache or fetched with ``npm pack`` (by one test
    worker at a time: the others wait, then find it cached)."""
    folder = CACHE / f"{spec.package.strip('@').replace('/', '__')}-{spec.version}"
    target = folder / Path(spec.member).name
    if target.is_file():
        return target
    with cache_lock(folder):
        if not target.is_file():
            _fetch(spec, folder, target)
    return target


def _fetch(spec: NpmSpec, folder: Path, target: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise Unavailable("npm is not installed, so the pinned spec cannot be fetched")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as temp:
        try:
            done = subprocess.run(
                [npm, "pack", f"{spec.package}@{spec.version}", "--pack-destination", temp],
                capture_output=True,
                text=True,
                timeout=300,
                env={**os.environ, "npm_config_fetch_retries": "1"},
            )
        except subprocess.TimeoutExpired:
            raise Unavailable(f"npm pack {spec.package}@{spec.version} timed out") from None
        tarballs = list(Path(temp).glob("*.tgz"))
        if done.returncode != 0 or not tarballs:
            said = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise Unavailable(f"npm pack {spec.package}@{spec.version} failed: " + " / ".join(said))
        with tarfile.open(tarballs[0]) as archive:
            member = archive.extractfile(spec.member)
            if member is None:
                raise Unavailable(f"{spec.member} is not in {spec.package}@{spec.version}")
            partial = target.with_suffix(".partial")
            partial.write_bytes(member.read())
            partial.replace(target)
