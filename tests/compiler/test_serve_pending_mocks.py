"""``mockc serve SPEC`` writes each mock when the server first needs it; what
the server answers, lists and journals is what the server generated with every
mock written (``mockc generate`` with the same options, then ``server.py``)
answers, lists and journals."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockc.compiler.driver import generate
from mockc.compiler.serving import SERVE_OPTIONS
from tests.support.servers import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "corpus" / "openapi" / "oai-petstore-expanded-v3" / "petstore-expanded.yaml"
MOCKC = str(Path(sys.executable).with_name("mockc"))
OPERATIONS = ["addPet", "deletePet", "find_pet_by_id", "findPets"]


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """(URL of `mockc serve SPEC`, URL of the generated server, its folder)."""
    work = tmp_path_factory.mktemp("pending")
    folder = work / "generated"
    generate([SPEC], folder, SERVE_OPTIONS)
    env = {"TMPDIR": str(work)}
    with (
        ServerProcess([MOCKC, "serve", str(SPEC)], cwd=work, env=env) as served,
        ServerProcess([sys.executable, "server.py"], cwd=folder) as generated,
    ):
        yield served.url, generated.url, folder


def _mocks_folder(work: Path) -> Path:
    return next(work.glob("mockc-serve-*")) / "server" / "mocks"


def _answer(url: str, method: str, path: str, **options: Any) -> tuple[int, str, bytes]:
    answer = httpx.request(method, f"{url}{path}", **options)
    return answer.status_code, answer.headers.get("content-type", ""), answer.content


def test_no_mock_is_written_before_it_is_needed(servers: tuple[str, str, Path]) -> None:
    served, _, folder = servers
    work = folder.parent
    assert not _mocks_folder(work).exists()
    _answer(served, "GET", "/pets/7")
    assert [path.name for path in _mocks_folder(work).iterdir()] == ["find_pet_by_id.json"]
    assert (_mocks_folder(work) / "find_pet_by_id.json").read_bytes() == (
        folder / "mocks" / "find_pet_by_id.json"
    ).read_bytes()


@pytest.mark.parametrize(
    ("method", "path", "options"),
    [
        ("GET", "/pets/7", {}),
        ("GET", "/pets/12", {}),
        ("GET", "/pets?limit=3", {}),
        ("POST", "/pets", {"json": {"name": "Rex"}}),
        ("POST", "/pets", {"json": {"tag": "no name"}}),  # refused by validation
        ("DELETE", "/pets/3", {}),
    ],
)
def test_answers_are_the_generated_servers(
    servers: tuple[str, str, Path], method: str, path: str, options: dict[str, Any]
) -> None:
    served, generated, _ = servers
    assert _answer(served, method, path, **options) == _answer(generated, method, path, **options)


def test_the_journal_names_the_same_mocks(servers: tuple[str, str, Path]) -> None:
    served, generated, _ = servers
    for url in (served, generated):
        httpx.get(f"{url}/pets/21", headers={"x-probe": "journal"})

    def probed(url: str) -> list[tuple[Any, ...]]:
        entries = httpx.get(f"{url}/__mockc/journal").json()["entries"]
        return [
            (entry["operation"], entry["status"], entry.get("matched"), entry["response"]["body"])
            for entry in entries
            if entry["request"]["headers"].get("x-probe") == "journal"
        ]

    assert probed(served) == probed(generated)
    assert probed(served)[0][2] is not None


def test_the_admin_api_lists_every_mock(servers: tuple[str, str, Path]) -> None:
    served, generated, folder = servers
    listed = [httpx.get(f"{url}/__mockc/mocks").json()["mocks"] for url in (served, generated)]
    assert listed[0] == listed[1]
    assert sorted(mock["operation"] for mock in listed[0]) == sorted(OPERATIONS)
    assert sorted(path.name for path in _mocks_folder(folder.parent).iterdir()) == sorted(
        path.name for path in (folder / "mocks").iterdir()
    )
    info = [httpx.get(f"{url}/__mockc/mocks/findPets").json() for url in (served, generated)]
    assert info[0] == info[1]


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[str]:
    with ServerProcess([MOCKC, "serve", str(SPEC)], cwd=tmp_path) as served:
        yield served.url


def test_a_mock_added_before_the_generated_one_is_written(fresh: str, tmp_path: Path) -> None:
    """The generated mock is there too, as it is in the generated server."""
    added = {
        "id": "named",
        "operation": "find_pet_by_id",
        "match": {"path": {"id": 5}},
        "response": {"status": 200, "body": {"id": 5, "name": "Five"}},
    }
    created = httpx.post(f"{fresh}/__mockc/mocks", json=added)
    assert created.status_code == 201, created.text
    assert httpx.get(f"{fresh}/pets/5").json() == {"id": 5, "name": "Five"}
    assert httpx.get(f"{fresh}/pets/6").json()["id"] == 6  # the generated mock
    ids = sorted(mock["id"] for mock in httpx.get(f"{fresh}/__mockc/mocks").json()["mocks"])
    assert ids == sorted([*OPERATIONS, "named"])
