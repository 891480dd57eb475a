"""The HTTP target's file plan, from a hand-built IR (no front end involved)."""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path

from mockc.compiler import ir
from mockc.targets.common import FileOwner
from mockc.targets.common.generator import INSTALL_COMMAND, START_COMMAND
from mockc.targets.http import HttpOptions, generate
from mockc.targets.http.generator import HttpServer

ROOT = Path(__file__).resolve().parents[2]

HOSTILE = 'Ends with a quote" and """triple""" and \\ backslash\n\x00import os; os.system("x")'


def _api() -> ir.Api:
    pet = ir.freeze({"type": "object", "properties": {"id": {"type": "integer"}}})
    return ir.Api(
        name="shop",
        title="Shop",
        version="2.0",
        sources=("shop.yaml",),
        schemas=(ir.NamedSchema(name="Pet", schema=pet),),
        operations=(
            ir.Operation(
                id="getPet",
                summary=HOSTILE,
                binding=ir.HttpBinding(
                    method="GET",
                    path="/pets/{id}",
                    parameters=(
                        ir.Parameter(
                            name="id",
                            location=ir.ParameterLocation.PATH,
                            schema=ir.freeze({"type": "integer"}),
                        ),
                        ir.Parameter(name="q", location=ir.ParameterLocation.QUERY),
                        ir.Parameter(
                            name="x-t",
                            location=ir.ParameterLocation.HEADER,
                            style="simple",
                            explode=True,
                        ),
                    ),
                ),
                outputs=(
                    ir.Output(
                        key="200",
                        message=ir.Message(
                            contents=(
                                ir.Content(
                                    media_type="application/json",
                                    schema=ir.freeze({"$ref": "#/$defs/Pet"}),
                                    examples=(
                                        ir.Example(name="b", value=ir.freeze({"id": 2})),
                                        ir.Example(name="a", value=ir.freeze({"id": 1})),
                                    ),
                                ),
                            )
                        ),
                    ),
                    ir.Output(key="204"),
                ),
            ),
        ),
    )


def _files(**options: object) -> dict[str, bytes]:
    plan = generate(_api(), HttpOptions(version="9.9.9", **options))  # type: ignore[arg-type]
    return {f.path: f.content for f in plan}


def test_contract_fills_in_parameter_defaults_and_keeps_example_order() -> None:
    contract = json.loads(_files()["contract.json"])
    (operation,) = contract["operations"]
    by_name = {p["name"]: p for p in operation["binding"]["parameters"]}
    assert by_name["id"] == {
        "name": "id",
        "location": "path",
        "required": True,
        "schema": {"type": "integer"},
        "style": "simple",
        "explode": False,
    }
    assert (by_name["q"]["style"], by_name["q"]["explode"], by_name["q"]["schema"]) == (
        "form",
        True,
        {},
    )
    assert (by_name["x-t"]["style"], by_name["x-t"]["explode"]) == ("simple", True)
    assert list(operation["outputs"][0]["contents"]["application/json"]["examples"]) == ["b", "a"]
    assert operation["outputs"][1] == {
        "key": "204",
        "description": "",
        "headers": [],
        "contents": {},
    }
    assert contract["defs"] == {
        "Pet": {"type": "object", "properties": {"id": {"type": "integer"}}}
    }
    assert contract["generated_by"] == "mockc 9.9.9"


def test_hostile_spec_text_cannot_break_generated_python() -> None:
    files = _files()
    for name in ("handlers.py", "server.py"):
        tree = ast.parse(files[name].decode())
        assert not any(
            isinstance(node, ast.Import | ast.ImportFrom) and "os" in ast.dump(node)
            for node in ast.walk(tree)
        ), name
    handlers = ast.parse(files["handlers.py"].decode())
    (hook,) = [node for node in handlers.body if isinstance(node, ast.FunctionDef)]
    assert hook.name == "getPet"
    assert "import os" in ast.get_docstring(hook)  # kept as text, not as code


def test_handlers_and_ignore_lists_are_user_owned_and_the_rest_generated() -> None:
    plan = generate(_api(), HttpOptions(version="1"))
    owners = {f.path: f.owner for f in plan}
    for yours in ("handlers.py", ".gitignore", ".dockerignore"):
        assert owners.pop(yours) is FileOwner.USER
    assert set(owners.values()) == {FileOwner.GENERATED}


def test_runtime_is_vendored_unless_linked() -> None:
    vendored = _files()
    assert "_vendor/mockc_runtime/http/server.py" in vendored
    assert "_vendor/mockc_runtime/engine/engine.py" in vendored
    assert b"_vendor" in vendored["server.py"]
    linked = _files(link_runtime=True)
    assert not any(path.startswith("_vendor/") for path in linked)
    assert b"from mockc.runtime.http.server import main" in linked["server.py"]
    assert "mockc==9.9.9" in linked["requirements.txt"].decode().splitlines()


def test_runtime_requirements_are_pinned_as_in_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = set(project["dependencies"])
    for requirement in HttpServer.requirements:
        assert requirement in declared
    text = _files()["requirements.txt"].decode()
    assert [line for line in text.splitlines() if not line.startswith("#")] == list(
        HttpServer.requirements
    )


def test_dockerfile_installs_and_starts_exactly_as_documented() -> None:
    dockerfile = _files()["Dockerfile"].decode().splitlines()
    assert f"RUN {INSTALL_COMMAND}" in dockerfile
    assert f"CMD {json.dumps(list(START_COMMAND))}" in dockerfile
    assert "ENV HOST=0.0.0.0 PORT=8080" in dockerfile
    assert "STOPSIGNAL SIGTERM" in dockerfile


def test_contract_format_agrees_with_the_runtime_that_reads_it() -> None:
    from mockc.runtime.contract import CONTRACT_FORMAT as READ
    from mockc.targets.common.contract import CONTRACT_FORMAT as WRITTEN

    assert json.loads(_files()["contract.json"])["format"] == WRITTEN == READ
