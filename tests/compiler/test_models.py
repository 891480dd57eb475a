"""``mockc generate --models``: models.py (datamodel-code-generator at
generation time), hook stubs typed with it and checked by mypy, merged like
every generated file, and a located warning instead of a failure."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml
from click.testing import CliRunner

from mockc.compiler.cli import main
from mockc.compiler.config import load_config
from mockc.compiler.driver import GenerateOptions, generate
from tests.support.servers import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = ROOT / "examples" / "petstore" / "openapi.yaml"
ROUTE_GUIDE = ROOT / "tests" / "corpus" / "proto" / "grpc-route-guide" / "route_guide.proto"
SWAPI = ROOT / "tests" / "corpus" / "graphql" / "swapi" / "schema.graphql"
TYPED = GenerateOptions(models=True)

# Per target: a spec, a hook, a body mypy accepts, a body it refuses and the
# refusal it must print.
CASES = {
    "http": (
        PETSTORE,
        "showPetById",
        '    if request.path["petId"] == 7:\n'
        '        return request.reply(status=404, body={"code": 404, "message": "no pet 7"})\n'
        "    return None\n",
        '    return request.reply(status=404, body={"code": "404", "message": "no pet 7"})\n',
        'has incompatible type "dict[str, str]"',
    ),
    "grpc": (
        ROUTE_GUIDE,
        "RouteGuide_GetFeature",
        '    return request.reply(body={"name": "here", "location": request.body})\n',
        '    latitude: str = request.body["latitude"]\n    return None\n',
        'Incompatible types in assignment (expression has type "int", variable has type "str")',
    ),
    "graphql": (
        SWAPI,
        "query_person",
        '    person: str | None = request.body.get("id")\n'
        '    return request.reply(body={"id": person, "name": "Luke"})\n',
        '    return {"name": "Luke"}\n',
        'Incompatible return value type (got "dict[str, str]", expected "Reply | None")',
    ),
}


def _defined(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _with_body(handlers: Path, hook: str, body: str) -> None:
    """Replace the stub body of ``hook`` (after its docstring) by ``body``."""
    text = handlers.read_text()
    pattern = re.compile(rf'(^def {hook}\(.*?""".*?"""\n)    return None\n', re.DOTALL | re.M)
    replaced, count = pattern.subn(lambda m: m.group(1) + body, text, count=1)
    assert count == 1, f"no stub {hook} in {handlers}"
    handlers.write_text(replaced)


def _mypy(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", os.devnull, "handlers.py"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_models_py_holds_a_type_per_schema_and_per_operation(tmp_path: Path) -> None:
    generate([PETSTORE], tmp_path, TYPED)
    names = _defined(tmp_path / "models.py")
    assert {"Pet", "NewPet", "Pets", "Error"} <= names
    for piece in ("Path", "Query", "Body", "Output", "Request"):
        assert f"ShowPetById{piece}" in names
    assert "Reply" in names
    handlers = (tmp_path / "handlers.py").read_text()
    assert (
        'def showPetById(request: "models.ShowPetByIdRequest") -> "models.Reply | None":'
        in handlers
    )
    assert "if TYPE_CHECKING:\n    import models\n" in handlers


def test_generated_types_need_nothing_but_the_standard_library(tmp_path: Path) -> None:
    """A server never imports models.py (handlers.py does under TYPE_CHECKING),
    models.py itself would need no package to load, and the server's
    requirements are those of a server without it."""
    typed, plain = tmp_path / "typed", tmp_path / "plain"
    generate([PETSTORE], typed, TYPED)
    generate([PETSTORE], plain, GenerateOptions())
    for name in ("models.py", "handlers.py"):
        tree = ast.parse((typed / name).read_text())
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert imported <= {"__future__", "typing", "collections.abc", "models"}, name
    assert (typed / "requirements.txt").read_bytes() == (plain / "requirements.txt").read_bytes()


def test_without_models_nothing_changes(tmp_path: Path) -> None:
    generate([PETSTORE], tmp_path, GenerateOptions())
    assert not (tmp_path / "models.py").exists()
    handlers = (tmp_path / "handlers.py").read_text()
    assert "def showPetById(request):" in handlers and "TYPE_CHECKING" not in handlers


@pytest.mark.parametrize("target", sorted(CASES))
def test_mypy_accepts_a_right_hook_and_refuses_a_wrong_one(tmp_path: Path, target: str) -> None:
    spec, hook, right, wrong, refusal = CASES[target]
    generate([spec], tmp_path, TYPED)
    handlers = tmp_path / "handlers.py"
    stubs = handlers.read_text()
    _with_body(handlers, hook, right)
    checked = _mypy(tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    handlers.write_text(stubs)
    _with_body(handlers, hook, wrong)
    checked = _mypy(tmp_path)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "handlers.py:" in checked.stdout and refusal in checked.stdout, checked.stdout


def test_a_typed_hook_answers_on_a_running_server(tmp_path: Path) -> None:
    generate([PETSTORE], tmp_path, TYPED)
    _with_body(tmp_path / "handlers.py", "showPetById", CASES["http"][2])
    with ServerProcess([sys.executable, "server.py"], cwd=tmp_path) as server:
        answer = httpx.get(server.url + "/pets/7")
        assert answer.status_code == 404
        assert answer.json() == {"code": 404, "message": "no pet 7"}
        assert httpx.get(server.url + "/pets/1").status_code == 200


def test_models_py_is_byte_identical_in_any_checkout_and_process(tmp_path: Path) -> None:
    outputs = []
    for seed, checkout in (("1", tmp_path / "a"), ("2", tmp_path / "deeper" / "b")):
        (checkout / "specs").mkdir(parents=True)
        shutil.copy(PETSTORE, checkout / "specs" / "petstore.yaml")
        command = "from mockc.compiler.cli import main; main()"
        subprocess.run(
            [sys.executable, "-c", command, "generate", "specs/petstore.yaml", "-o", "out"]
            + ["--models", "-q"],
            cwd=checkout,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
            capture_output=True,
            timeout=300,
        )
        outputs.append(
            (
                (checkout / "out" / "models.py").read_bytes(),
                (checkout / "out/handlers.py").read_bytes(),
            )
        )
    assert outputs[0] == outputs[1]
    assert b"datamodel-codegen" not in outputs[0][0] and b"timestamp" not in outputs[0][0]


def test_models_py_follows_an_edited_spec_and_hooks_keep_user_code(tmp_path: Path) -> None:
    spec = tmp_path / "petstore.yaml"
    shutil.copy(PETSTORE, spec)
    out = tmp_path / "out"
    generate([spec], out, TYPED)
    _with_body(out / "handlers.py", "showPetById", CASES["http"][2])
    document = yaml.safe_load(spec.read_text())
    document["components"]["schemas"]["NewPet"]["properties"]["nickname"] = {"type": "string"}
    spec.write_text(yaml.safe_dump(document, sort_keys=False))

    generate([spec], out, TYPED)
    assert "nickname: NotRequired[str]" in (out / "models.py").read_text()
    assert 'body={"code": 404, "message": "no pet 7"}' in (out / "handlers.py").read_text()
    manifest = json.loads((out / ".mockc" / "manifest.json").read_text())
    assert manifest["files"]["models.py"]["owner"] == "generated"


def test_turning_models_on_types_the_hooks_of_an_existing_server(tmp_path: Path) -> None:
    generate([PETSTORE], tmp_path, GenerateOptions())
    handlers = tmp_path / "handlers.py"
    handlers.write_text(
        handlers.read_text().replace(
            "def showPetById(request):",
            "def showPetById(request):  # mine",
        )
    )
    text = handlers.read_text()
    handlers.write_text(
        re.sub(
            r'(^def showPetById\(request\):  # mine\n    """.*?"""\n)    return\n',
            lambda m: m.group(1) + CASES["http"][2],
            text,
            flags=re.DOTALL | re.M,
        )
    )
    generate([PETSTORE], tmp_path, TYPED)
    merged = handlers.read_text()
    assert "if TYPE_CHECKING:\n    import models\n" in merged
    assert (
        'def showPetById(request: "models.ShowPetByIdRequest") -> "models.Reply | None":' in merged
    )
    assert 'body={"code": 404, "message": "no pet 7"}' in merged
    checked = _mypy(tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_schema_the_generator_refuses_is_a_located_warning(tmp_path: Path) -> None:
    deep: dict[str, object] = {"type": "string"}
    for level in range(60):
        deep = {"type": "object", "properties": {f"p{level}": deep}}
    spec = tmp_path / "deep.yaml"
    spec.write_text(
        yaml.safe_dump(
            {
                "openapi": "3.0.3",
                "info": {"title": "Deep", "version": "1"},
                "paths": {
                    "/things": {
                        "get": {
                            "operationId": "listThings",
                            "responses": {
                                "200": {
                                    "description": "ok",
                                    "content": {
                                        "application/json": {
                                            "schema": {"$ref": "#/components/schemas/Thing"}
                                        }
                                    },
                                }
                            },
                        }
                    }
                },
                "components": {
                    "schemas": {
                        "Fine": {"type": "object", "properties": {"a": {"type": "integer"}}},
                        "Thing": deep,
                    }
                },
            },
            sort_keys=False,
        )
    )
    out = tmp_path / "out"
    compiled, _ = generate([spec], out, TYPED)
    warnings = [d for d in compiled.diagnostics if d.code == "models"]
    assert len(warnings) == 1
    assert warnings[0].level == "warning"
    assert Path(warnings[0].file).name == "deep.yaml"
    assert warnings[0].pointer == "/components/schemas/Thing"
    assert "Thing typed Any" in warnings[0].message
    models = (out / "models.py").read_text()
    assert "Thing: TypeAlias = Any" in models and "class Fine(TypedDict):" in models
    assert (out / "server.py").is_file() and (out / "contract.json").is_file()


def test_models_true_in_the_project_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(PETSTORE, tmp_path / "petstore.yaml")
    (tmp_path / "mockc.toml").write_text(
        '[[servers]]\nname = "petstore"\nspec = "petstore.yaml"\nout = "out"\nmodels = true\n'
    )
    assert load_config(tmp_path / "mockc.toml").servers[0].models is True
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["generate", "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "ShowPetByIdRequest" in (tmp_path / "out" / "models.py").read_text()
