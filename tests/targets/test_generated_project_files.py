"""What every target's output carries besides the server: ignore lists that
keep the running server's data out of git and images, a k8s manifest with
probes, resources and an image tag placeholder, and a ``handlers.py`` that
ruff accepts — generated from a real spec of each target."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mockc.compiler.driver import GenerateOptions, generate
from mockc.runtime import settings
from mockc.runtime.mocks import files as mock_files
from mockc.targets.common.emit import DATA_DIR
from tests.support.corpus import CORPUS

RUFF = str(Path(sys.executable).with_name("ruff"))
SPECS = {
    "http": CORPUS / "openapi" / "oai-petstore-expanded-v3" / "petstore-expanded.yaml",
    "graphql": CORPUS / "graphql" / "swapi" / "schema.graphql",
    "grpc": CORPUS / "proto" / "grpc-route-guide" / "route_guide.proto",
}
# The project's own rule set, but for E501 (long lines come from spec text in
# docstrings) and pep8-naming (hooks are named by operation ids); RET and PIE
# catch the stub bodies ruff's defaults would flag.
RULES = "E4,E7,E9,F,W,I,UP,B,SIM,RET,PIE"


@pytest.fixture(scope="module", params=sorted(SPECS))
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = SPECS[request.param]
    assert spec.is_file(), spec
    out = tmp_path_factory.mktemp(request.param) / "out"
    generate([spec], out, GenerateOptions(link_runtime=True))
    return out


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([RUFF, *args], capture_output=True, text=True, timeout=120)


def test_handlers_are_ruff_clean(server: Path) -> None:
    handlers = str(server / "handlers.py")
    for args in (
        ("check", "--isolated", handlers),
        ("check", "--isolated", "--select", RULES, handlers),
        ("format", "--isolated", "--check", handlers),
    ):
        done = _ruff(*args)
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_data_folder_is_the_runtimes() -> None:
    assert DATA_DIR == settings.DATA_DIR == mock_files.DATA_DIR


def test_git_ignores_the_journal_and_the_active_scenario(server: Path, tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    shutil.copytree(server, repo)
    data = repo / DATA_DIR
    data.mkdir()
    (data / "journal.sqlite").write_bytes(b"SQLite format 3\x00")
    (data / "scenario.json").write_text('{"active": "outage"}\n')
    (repo / "__pycache__").mkdir(exist_ok=True)
    (repo / "__pycache__" / "server.cpython-311.pyc").write_bytes(b"\x00")
    git = ["git", "-C", str(repo), "-c", "core.excludesFile=/dev/null"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    tracked = subprocess.run(
        [*git, "ls-files"], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert "handlers.py" in tracked and ".mockc/manifest.json" in tracked
    assert ".gitignore" in tracked and ".dockerignore" in tracked
    assert not [path for path in tracked if path.startswith((f"{DATA_DIR}/", "__pycache__/"))]


def test_images_leave_out_local_data_and_merge_state(server: Path) -> None:
    patterns = [
        line
        for line in (server / ".dockerignore").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert f"{DATA_DIR}/" in patterns and ".mockc/" in patterns and ".git/" in patterns
    assert "mocks/" not in patterns and "handlers.py" not in patterns


def test_k8s_has_probes_resources_and_an_image_tag_placeholder(server: Path) -> None:
    documents = list(yaml.safe_load_all((server / "k8s.yaml").read_text()))
    deployment = next(d for d in documents if d["kind"] == "Deployment")
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    assert container["image"].endswith("-mock:${IMAGE_TAG}")
    for probe in ("livenessProbe", "readinessProbe"):
        check = container[probe]
        assert "httpGet" in check or "grpc" in check
        port = check["httpGet"]["port"] if "httpGet" in check else check["grpc"]["port"]
        assert port == container["ports"][0]["containerPort"]
        if "httpGet" in check:
            assert check["httpGet"]["path"] == "/health"
    resources = container["resources"]
    assert set(resources) == {"requests", "limits"}
    assert set(resources["requests"]) == set(resources["limits"]) == {"cpu", "memory"}


def test_the_ignore_lists_are_yours_and_kept_on_regeneration(tmp_path: Path) -> None:
    spec = SPECS["http"]
    out = tmp_path / "out"
    generate([spec], out, GenerateOptions(link_runtime=True))
    gitignore = out / ".gitignore"
    gitignore.write_text(gitignore.read_text() + "secrets.env\n")
    _, report = generate([spec], out, GenerateOptions(link_runtime=True))
    assert gitignore.read_text().endswith(
        f"{DATA_DIR}/\n# Python's caches.\n__pycache__/\n*.py[cod]\nsecrets.env\n"
    )
    assert ".gitignore" in report.kept_user_files
    other = tmp_path / "elsewhere"  # as deep as ``out``: headers name the spec relative to it
    generate([spec], other, GenerateOptions(link_runtime=True))
    for name in (".dockerignore", "k8s.yaml"):
        assert (other / name).read_bytes() == (out / name).read_bytes()
