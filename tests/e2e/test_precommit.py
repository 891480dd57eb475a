"""The pre-commit hook, with the real ``pre-commit`` tool in a temporary git
repository: a spec edit makes the hook regenerate and fail, the second run
passes, and a user's edit to a mock survives the hook.

The hook repository is a snapshot of this working tree committed into a
temporary git repository (pre-commit needs a commit to point ``rev`` at);
pre-commit installs mockc from it into its own virtualenv, as a user's
pre-commit would — which takes a while, hence ``slow``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = ROOT / "examples" / "petstore" / "openapi.yaml"

pytestmark = pytest.mark.slow


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env=_env()
    )
    return result.stdout.strip()


def _env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PRE_COMMIT", "VIRTUAL_ENV"))
    }
    env.update(
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.com",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.com",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        **extra,
    )
    return env


def _snapshot_of_this_repository(target: Path) -> str:
    """This working tree (tracked and new files, as .gitignore says) committed
    into a fresh repository; its commit id."""
    listed = _git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "-m", "snapshot")
    return _git(target, "rev-parse", "HEAD")


def _pre_commit(project: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--color", "never"],
        cwd=project,
        capture_output=True,
        text=True,
        env=_env(PRE_COMMIT_HOME=str(home)),
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("precommit")
    hook_repo = root / "mockc-repo"
    hook_repo.mkdir()
    rev = _snapshot_of_this_repository(hook_repo)
    project = root / "project"
    (project / "specs").mkdir(parents=True)
    shutil.copy(PETSTORE, project / "specs" / "petstore.yaml")
    (project / "mockc.toml").write_text(
        '[[servers]]\nname = "petstore"\nspec = "specs/petstore.yaml"\nout = "mocks/petstore"\n'
    )
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: mockc\n"
    )
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    return project, root / "pre-commit-home"


def test_the_hook_regenerates_fails_then_passes_and_keeps_user_edits(
    project: tuple[Path, Path],
) -> None:
    repo, home = project
    server = repo / "mocks" / "petstore"

    first = _pre_commit(repo, home)  # staged: the spec and the config
    assert first.returncode == 1, first.stdout + first.stderr
    assert "mockc (regenerate mock servers)" in first.stdout
    assert "files changed; review them and stage them" in first.stdout
    assert (server / "mocks" / "showPetById.yaml").is_file()
    _git(repo, "add", "-A")
    second = _pre_commit(repo, home)
    assert second.returncode == 0, second.stdout + second.stderr
    _git(repo, "commit", "-q", "-m", "petstore mock server")

    # A user edits a mock and commits it: the hook has nothing to do.
    mock = server / "mocks" / "showPetById.yaml"
    mock.write_text(
        mock.read_text().replace("    name: Priya Fischer\n", "    name: Tom  # ours\n")
    )
    assert "name: Tom  # ours" in mock.read_text()
    _git(repo, "add", "-A")
    assert _pre_commit(repo, home).returncode == 0
    _git(repo, "commit", "-q", "-m", "Tom")

    # The spec changes: the hook regenerates, keeps the edit, and fails...
    spec = repo / "specs" / "petstore.yaml"
    spec.write_text(spec.read_text().replace("  /pets/{petId}:\n", "  /pet/{petId}:\n"))
    _git(repo, "add", "specs/petstore.yaml")
    changed = _pre_commit(repo, home)
    assert changed.returncode == 1, changed.stdout + changed.stderr
    assert "updated         mocks/showPetById.yaml [description]" in changed.stdout
    text = mock.read_text()
    assert "name: Tom  # ours" in text
    assert "description: GET /pet/{petId}" in text
    # ...until the result is staged.
    _git(repo, "add", "-A")
    passed = _pre_commit(repo, home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    _git(repo, "commit", "-q", "-m", "moved pets")
    assert _git(repo, "status", "--porcelain") == ""
