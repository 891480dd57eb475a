"""The quick start, end to end: generate the petstore server and talk to it."""

from __future__ import annotations

import filecmp
import json
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import httpx
import jsonschema
import pytest

from mockc.compiler import ir
from mockc.compiler.driver import GenerateOptions, compile_specs, generate
from tests.support.servers import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = ROOT / "examples" / "petstore" / "openapi.yaml"


@pytest.fixture(scope="module")
def petstore_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("petstore") / "server"
    generate([PETSTORE], out, GenerateOptions())
    return out


@pytest.fixture(scope="module")
def server(petstore_dir: Path):  # type: ignore[no-untyped-def]
    with ServerProcess([sys.executable, "server.py"], cwd=petstore_dir) as running:
        yield running


def _validator(name: str) -> jsonschema.Draft202012Validator:
    api = compile_specs([PETSTORE]).api
    defs = {named.name: ir.thaw(named.schema) for named in api.schemas}
    return jsonschema.Draft202012Validator(
        {"$ref": f"#/$defs/{name}", "$defs": defs},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def test_get_a_pet_answers_a_pet_matching_the_schema(server: ServerProcess) -> None:
    response = httpx.get(f"{server.url}/pets/1")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    _validator("Pet").validate(response.json())


def test_answers_are_deterministic_per_request_and_differ_between_ids(
    server: ServerProcess,
) -> None:
    first = httpx.get(f"{server.url}/pets/1").json()
    assert httpx.get(f"{server.url}/pets/1").json() == first
    assert httpx.get(f"{server.url}/pets/2").json() != first


def test_spec_examples_are_served_and_selectable(server: ServerProcess) -> None:
    listed = httpx.get(f"{server.url}/pets")
    assert [pet["name"] for pet in listed.json()] == ["Rex", "Tom"]
    missing = httpx.get(f"{server.url}/pets/1", headers={"Prefer": "code=404"})
    assert (missing.status_code, missing.json()) == (404, {"code": 404, "message": "pet not found"})
    dynamic = httpx.get(f"{server.url}/pets", headers={"Prefer": "dynamic=true"})
    assert dynamic.status_code == 200
    _validator("Pets").validate(dynamic.json())
    assert [pet["name"] for pet in dynamic.json()] != ["Rex", "Tom"]
    unknown = httpx.get(f"{server.url}/pets", headers={"Prefer": "example=nope"})
    assert unknown.status_code == 400
    assert "two-pets" in unknown.text


def test_invalid_requests_list_every_violation(server: ServerProcess) -> None:
    response = httpx.get(f"{server.url}/pets", params={"limit": "500"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert [(e["in"], e["name"]) for e in response.json()["errors"]] == [("query", "limit")]
    body = httpx.post(f"{server.url}/pets", json={"name": "", "status": "lost"})
    assert body.status_code == 422
    pointers = sorted(error["pointer"] for error in body.json()["errors"])
    assert pointers == ["/name", "/status"]
    bad_id = httpx.get(f"{server.url}/pets/zero")
    assert bad_id.status_code == 400
    assert bad_id.json()["errors"][0]["name"] == "petId"


def test_malformed_and_oversized_bodies_get_4xx(server: ServerProcess) -> None:
    malformed = httpx.post(
        f"{server.url}/pets", content=b'{"name": ', headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 400
    wrong_type = httpx.post(
        f"{server.url}/pets", content=b"name=x", headers={"content-type": "text/csv"}
    )
    assert wrong_type.status_code == 415
    huge = httpx.post(
        f"{server.url}/pets",
        content=b'{"name": "' + b"x" * (11 * 1024 * 1024) + b'"}',
        headers={"content-type": "application/json"},
    )
    assert huge.status_code == 413


def test_created_pet_is_answered_with_201(server: ServerProcess) -> None:
    response = httpx.post(f"{server.url}/pets", json={"name": "Rex"})
    assert response.status_code == 201
    _validator("Pet").validate(response.json())


def test_unknown_paths_and_wrong_methods(server: ServerProcess) -> None:
    missing = httpx.get(f"{server.url}/petz")
    assert missing.status_code == 404
    assert "/pets" in missing.json()["closest"]
    wrong = httpx.put(f"{server.url}/pets")
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "GET, HEAD, POST"
    deleted = httpx.delete(f"{server.url}/pets/3")
    assert (deleted.status_code, deleted.content) == (204, b"")


def test_accept_is_negotiated(server: ServerProcess) -> None:
    response = httpx.get(f"{server.url}/pets/1", headers={"Accept": "application/xml"})
    assert response.status_code == 406
    assert "application/json" in response.text


def test_health(server: ServerProcess) -> None:
    health = httpx.get(f"{server.url}/health").json()
    assert health["status"] == "ok"
    assert health["version"] == "0.1.0"
    assert health["uptime"] >= 0


def test_sigterm_stops_cleanly(petstore_dir: Path) -> None:
    with ServerProcess([sys.executable, "server.py"], cwd=petstore_dir) as running:
        assert httpx.get(f"{running.url}/pets/1").status_code == 200
        assert running.terminate() == 0


def test_seed_changes_fake_data(petstore_dir: Path) -> None:
    answers = []
    for seed in ("1", "2"):
        with ServerProcess(
            [sys.executable, "server.py"], cwd=petstore_dir, env={"MOCKC_SEED": seed}
        ) as running:
            dynamic = {"Prefer": "dynamic=true"}
            answers.append(httpx.get(f"{running.url}/pets/1", headers=dynamic).json())
    assert answers[0] != answers[1]


def test_generation_seed_changes_the_generated_mocks(tmp_path: Path) -> None:
    bodies = []
    for seed in (1, 2):
        out = tmp_path / str(seed)
        generate([PETSTORE], out, GenerateOptions(seed=seed))
        bodies.append((out / "mocks" / "showPetById.yaml").read_text())
    assert bodies[0] != bodies[1]
    assert "id: '{{ request.path.petId }}'" in bodies[0]


def test_regeneration_is_byte_identical(tmp_path: Path, petstore_dir: Path) -> None:
    again = tmp_path / "again"
    generate([PETSTORE], again, GenerateOptions())
    # .mockc-data holds what the running server wrote (its journal), not output
    comparison = filecmp.dircmp(petstore_dir, again, ignore=["__pycache__", ".mockc-data"])
    assert _differences(comparison) == []


def _differences(comparison: filecmp.dircmp[str]) -> list[str]:
    found = [*comparison.left_only, *comparison.right_only, *comparison.diff_files]
    for name, sub in comparison.subdirs.items():
        found += [f"{name}/{entry}" for entry in _differences(sub)]
    # dircmp compares by stat signature first; check contents for real
    for name in comparison.common_files:
        left = Path(comparison.left) / name
        right = Path(comparison.right) / name
        if left.read_bytes() != right.read_bytes():
            found.append(name)
    return found


def test_runs_without_mockc_installed_using_the_dockerfile_commands(
    tmp_path: Path, petstore_dir: Path
) -> None:
    """`pip install -r requirements.txt && python server.py`, as the Dockerfile
    does it, in a fresh virtual environment that has no mockc."""
    dockerfile = (petstore_dir / "Dockerfile").read_text()
    install = re.search(r"^RUN (.+)$", dockerfile, re.MULTILINE)
    start = re.search(r"^CMD (.+)$", dockerfile, re.MULTILINE)
    assert install and start
    install_args = install.group(1).split()
    start_args = json.loads(start.group(1))
    assert install_args[:2] == ["pip", "install"] and start_args[0] == "python"

    app = tmp_path / "app"
    shutil.copytree(petstore_dir, app)
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = str(env_dir / "bin" / "python")
    subprocess.run(
        [python, "-m", *install_args, "--disable-pip-version-check", "-q"],
        cwd=app,
        check=True,
        timeout=300,
    )
    probe = subprocess.run([python, "-c", "import mockc"], capture_output=True)
    assert probe.returncode != 0, "mockc must not be importable in this environment"
    with ServerProcess([python, *start_args[1:]], cwd=app) as running:
        assert httpx.get(f"{running.url}/pets/1").status_code == 200


def test_a_pet_fetched_by_id_carries_that_id(server: ServerProcess) -> None:
    assert httpx.get(f"{server.url}/pets/42").json()["id"] == 42


def test_link_runtime_serves_from_the_installed_runtime(tmp_path: Path) -> None:
    out = tmp_path / "linked"
    generate([PETSTORE], out, GenerateOptions(link_runtime=True))
    assert not (out / "_vendor").exists()
    with ServerProcess([sys.executable, "server.py"], cwd=out) as running:
        assert httpx.get(f"{running.url}/pets/1").status_code == 200


@pytest.mark.parametrize("source", ["spec", "folder"])
def test_mockc_serve(source: str, petstore_dir: Path, tmp_path: Path) -> None:
    target = str(PETSTORE) if source == "spec" else str(petstore_dir)
    mockc = str(Path(sys.executable).with_name("mockc"))
    with ServerProcess([mockc, "serve", target], cwd=tmp_path) as running:
        assert httpx.get(f"{running.url}/pets/1").status_code == 200
        assert running.terminate() == 0


def test_mockc_serve_spec_answers_as_the_generated_server(
    server: ServerProcess, tmp_path: Path
) -> None:
    # `mockc serve SPEC` writes its mocks as JSON (faster); the answers are the same.
    mockc = str(Path(sys.executable).with_name("mockc"))
    with ServerProcess([mockc, "serve", str(PETSTORE)], cwd=tmp_path) as running:
        for path in ("/pets/7", "/pets/1", "/pets?limit=10"):
            ours, theirs = httpx.get(f"{running.url}{path}"), httpx.get(f"{server.url}{path}")
            assert (ours.status_code, ours.headers["content-type"], ours.content) == (
                theirs.status_code,
                theirs.headers["content-type"],
                theirs.content,
            )
        assert httpx.get(f"{running.url}/pets/7").json()["id"] == 7
        ours_listed, theirs_listed = (
            httpx.get(f"{url}/__mockc/mocks").json()["mocks"] for url in (running.url, server.url)
        )
        assert [mock.pop("file") for mock in ours_listed] == [
            f"mocks/{mock.pop('file')[len('mocks/') : -len('.yaml')]}.json"
            for mock in theirs_listed
        ]
        assert ours_listed == theirs_listed


def test_mockc_serve_passes_server_options_through(petstore_dir: Path, tmp_path: Path) -> None:
    mockc = str(Path(sys.executable).with_name("mockc"))
    command = [mockc, "serve", str(petstore_dir), "--error-rate", "1", "--journal", "off"]
    with ServerProcess(command, cwd=tmp_path) as running:
        assert httpx.get(f"{running.url}/pets/1").status_code == 500
