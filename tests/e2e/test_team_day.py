"""A team's day: generate the petstore server, hand-edit three mocks (a
condition, a response body, a header) and one hook, then change the spec —
an operation added, a path changed, an operation removed, a response schema
changed — and regenerate. Every edit survives, the report says exactly what
happened, and the regenerated server answers with the edits."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from mockc.compiler.cli import main
from tests.support.servers import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = ROOT / "examples" / "petstore" / "openapi.yaml"

UPDATE_PET = """\
    put:
      operationId: updatePet
      summary: Update a pet
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/NewPet"
      responses:
        "200":
          description: The updated pet
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Pet"
"""


def _mockc(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stderr


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def _change_spec(spec: Path) -> None:
    text = spec.read_text()
    text = text.replace("  /pets/{petId}:\n", "  /pet/{petId}:\n")  # a path changes
    start = text.index("    delete:\n      operationId: deletePet")  # an operation goes,
    text = text[:start] + UPDATE_PET + text[text.index("components:") :]  # another comes
    text = text.replace(  # a response schema changes: pets get a weight
        "            born:\n",
        "            weight:\n              type: number\n              minimum: 0.5\n"
        "              maximum: 80\n            born:\n",
    )
    spec.write_text(text)


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("team-day")
    spec = root / "openapi.yaml"
    shutil.copy(PETSTORE, spec)
    out = root / "server"
    code, err = _mockc("generate", str(spec), "-o", str(out))
    assert code == 0, err
    mocks = out / "mocks"
    # 1. a condition: pet 1 is Tom, and only pet 1
    _replace(
        mocks / "showPetById.yaml",
        "operation: showPetById\n",
        "operation: showPetById\nmatch:\n  path:\n    petId: 1   # Tom is pet 1\n",
    )
    # 2. a response body
    _replace(mocks / "showPetById.yaml", "    name: Priya Fischer\n", "    name: Tom  # our cat\n")
    # 3. a header
    _replace(
        mocks / "listPets.yaml",
        "  headers:\n",
        "  headers:\n    X-Total-Count: '2'   # the two example pets\n",
    )
    # 4. a hook
    _replace(
        out / "handlers.py",
        '    Create a pet"""\n    return\n',
        '    Create a pet"""\n'
        "    # Our QA trick: a pet called 'teapot' cannot be created.\n"
        '    if request.body.get("name") == "teapot":\n'
        '        return request.reply(status=422, body={"code": 418, "message": "teapot"})\n'
        "    return None\n",
    )
    edited = {path.name: path.read_text() for path in (*mocks.iterdir(), out / "handlers.py")}
    _change_spec(spec)
    report_file = root / "report.json"
    code, err = _mockc("generate", str(spec), "-o", str(out), "--report-json", str(report_file))
    assert code == 0, err
    [report] = json.loads(report_file.read_text())["servers"]
    return {"out": out, "spec": spec, "edited": edited, "report": report, "stderr": err}


def test_every_edit_survives(day: dict[str, Any]) -> None:
    mocks = day["out"] / "mocks"
    show = (mocks / "showPetById.yaml").read_text()
    assert "match:\n  path:\n    petId: 1   # Tom is pet 1\n" in show
    assert "    name: Tom  # our cat\n" in show
    assert "description: GET /pet/{petId} — Info for a specific pet\n" in show  # moved
    assert "    weight: " in show  # the new schema field
    listed = (mocks / "listPets.yaml").read_text()
    assert "    X-Total-Count: '2'   # the two example pets\n" in listed
    assert "    x-next: " in listed
    hooks = (day["out"] / "handlers.py").read_text()
    assert "    # Our QA trick: a pet called 'teapot' cannot be created.\n" in hooks
    assert '"""GET /pet/{petId}\n' in hooks
    # Apart from what the spec changed, the edited files are as the user left them.
    assert (mocks / "listPets.yaml").read_text() == day["edited"]["listPets.yaml"]


def test_new_removed_and_moved_operations(day: dict[str, Any]) -> None:
    mocks = day["out"] / "mocks"
    assert "operation: updatePet" in (mocks / "updatePet.yaml").read_text()
    assert "orphaned: true" in (mocks / "deletePet.yaml").read_text()
    hooks = (day["out"] / "handlers.py").read_text()
    assert "def updatePet(request):" in hooks
    assert "# mockc: orphaned: operation deletePet is no longer in the spec" in hooks


def _entries(report: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    return [(e["kind"], e["file"], e.get("field")) for e in report["entries"]]


def test_the_report_says_exactly_what_happened(day: dict[str, Any]) -> None:
    entries = _entries(day["report"])
    # Fake data of bodies the user did not edit follows the changed schema; those
    # fields are reported as updated/added one by one and are all under a body.
    fake = [
        e
        for e in entries
        if e[0] in ("updated", "added")
        and e[1] in ("mocks/showPetById.yaml", "mocks/createPet.yaml")
        and (e[2] or "").startswith("response.body.")
    ]
    assert ("added", "mocks/showPetById.yaml", "response.body.weight") in fake
    assert ("added", "mocks/createPet.yaml", "response.body.weight") in fake
    assert ("updated", "mocks/showPetById.yaml", "response.body.name") not in fake
    rest = [e for e in entries if e not in fake]
    assert rest == [
        ("updated", "README.md", None),
        ("updated", "contract.json", None),
        ("kept-user-edit", "handlers.py", "hook createPet"),
        ("updated", "handlers.py", "hook showPetById"),
        ("orphaned", "handlers.py", "hook deletePet"),
        ("added", "handlers.py", "hook updatePet"),
        ("kept-user-edit", "mocks/listPets.yaml", "response.headers.X-Total-Count"),
        ("kept-user-edit", "mocks/showPetById.yaml", "match"),
        ("updated", "mocks/showPetById.yaml", "description"),
        ("kept-user-edit", "mocks/showPetById.yaml", "response.body.name"),
        ("added", "mocks/updatePet.yaml", None),
        ("orphaned", "mocks/deletePet.yaml", None),
    ]
    counts = day["report"]["counts"]
    assert counts["conflict"] == 0 and counts["pruned"] == 0
    err = day["stderr"]
    assert "kept-user-edit  mocks/showPetById.yaml [response.body.name]: yours" in err
    assert "orphaned        mocks/deletePet.yaml: operation deletePet is no longer" in err
    assert "added           mocks/updatePet.yaml: mock of operation updatePet" in err


def test_the_regenerated_folder_is_up_to_date_and_valid(day: dict[str, Any]) -> None:
    code, err = _mockc("generate", str(day["spec"]), "-o", str(day["out"]), "--check")
    assert code == 0, err
    code, err = _mockc("validate", str(day["out"]))
    assert code == 0, err


def test_the_server_answers_with_the_edits(day: dict[str, Any]) -> None:
    with ServerProcess([sys.executable, "server.py"], cwd=day["out"]) as server:
        tom = httpx.get(f"{server.url}/pet/1")
        assert tom.status_code == 200
        assert tom.json()["name"] == "Tom" and tom.json()["id"] == 1
        assert httpx.get(f"{server.url}/pet/2").json()["name"] != "Tom"
        assert httpx.get(f"{server.url}/pets").headers["x-total-count"] == "2"
        teapot = httpx.post(f"{server.url}/pets", json={"name": "teapot"})
        assert (teapot.status_code, teapot.json()["code"]) == (422, 418)
        assert httpx.put(f"{server.url}/pet/3", json={"name": "Rex"}).status_code == 200
        assert httpx.delete(f"{server.url}/pets/1").status_code == 404
