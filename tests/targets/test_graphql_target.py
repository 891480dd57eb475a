"""The GraphQL target: the files of a generated server, from the IR alone."""

from __future__ import annotations

import ast
import json
from functools import cache
from pathlib import Path

import pytest
import yaml
from graphql import build_schema, lexicographic_sort_schema, print_schema

from mockc.compiler import ir
from mockc.compiler.driver import GenerateOptions, compile_specs, plan_files
from mockc.compiler.frontends.graphql import load_all
from mockc.compiler.frontends.graphql.reading import read_schema
from mockc.runtime.contract import CONTRACT_FORMAT, engine_operations
from mockc.runtime.mocks import load_mock_document
from mockc.targets.common import FileOwner, TargetOptions, runtime_files
from mockc.targets.graphql import generate
from mockc.targets.graphql.generator import GraphqlServer
from mockc.targets.graphql.sdl import print_sdl
from mockc.targets.registry import RuntimeAdapter
from tests.support.corpus import CORPUS

GRAPHQL = CORPUS / "graphql"
CORPUS_SCHEMAS = sorted(GRAPHQL.glob("*/schema.graphql"))
SWAPI = GRAPHQL / "swapi" / "schema.graphql"
SHOP = Path(__file__).resolve().parents[1] / "runtime" / "graphql" / "fixtures" / "shop.graphql"


@cache
def _api(path: Path) -> ir.Api:
    return load_all([path])


def _files(path: Path, **options: object) -> dict[str, bytes]:
    compiled = compile_specs([path])
    planned = plan_files(compiled, GenerateOptions(**options))  # type: ignore[arg-type]
    return {file.path: file.content for file in planned}


@pytest.mark.parametrize("path", CORPUS_SCHEMAS, ids=lambda path: path.parent.name)
def test_the_printed_schema_is_the_schema_read(path: Path) -> None:
    """The SDL is printed from the IR alone: the IR loses nothing of the schema."""
    printed = build_schema(print_sdl(_api(path)), assume_valid=True)
    original = read_schema([path], []).schema
    assert print_schema(lexicographic_sort_schema(printed)) == print_schema(
        lexicographic_sort_schema(original)
    )


def test_a_schema_printed_from_swapi_is_the_upstream_text() -> None:
    assert print_sdl(_api(SWAPI)) == SWAPI.read_text()


def test_the_server_files() -> None:
    files = _files(SWAPI)
    generated = sorted(name for name in files if not name.startswith(("_vendor/", "mocks/")))
    assert generated == [
        ".dockerignore",
        ".gitignore",
        "Dockerfile",
        "README.md",
        "contract.json",
        "docker-compose.yml",
        "handlers.py",
        "k8s.yaml",
        "requirements.txt",
        "schema.graphql",
        "server.py",
    ]
    assert sorted(name for name in files if name.startswith("mocks/")) == sorted(
        f"mocks/{op.id}.yaml" for op in _api(SWAPI).operations
    )
    assert b"from mockc_runtime.graphql.server import main" in files["server.py"]
    for name in ("server.py", "handlers.py"):
        ast.parse(files[name])
    requirements = files["requirements.txt"].decode().splitlines()[1:]
    assert requirements == list(GraphqlServer.requirements)
    assert "graphql-core==3.3.2" in requirements and "granian==2.8.7" in requirements
    assert b'\nCMD ["python", "server.py"]\n' in files["Dockerfile"]


def test_the_contract_lists_root_fields_then_object_types_and_scalar_schemas() -> None:
    contract = json.loads(_files(SHOP)["contract.json"])
    assert (contract["format"], contract["protocol"]) == (CONTRACT_FORMAT, "graphql")
    assert contract["graphql"]["schema"] == "schema.graphql"
    operations = contract["operations"]
    assert operations[0] == {
        "id": "query_user",
        "shape": "unary",
        "input": None,
        "outputs": [],
        "binding": {"kind": "graphql", "root": "query", "field": "user", "return_type": "User"},
    }
    ticks = next(spec for spec in operations if spec["id"] == "subscription_ticks")
    assert (ticks["shape"], ticks["binding"]["root"], ticks["binding"]["field"]) == (
        "server_stream",
        "subscription",
        "ticks",
    )
    types = [spec["id"] for spec in operations if "object_type" in spec["binding"]]
    assert types == ["User", "Product", "Order", "OrderLine", "ProductConnection", "ProductEdge"]
    scalars = contract["graphql"]["scalars"]
    assert scalars["DateTime"] == {"type": "string", "format": "date-time"}
    assert scalars["JSON"]["type"] == "object"
    assert [op.id for op in engine_operations(contract)] == [spec["id"] for spec in operations]


def test_handlers_has_a_hook_per_root_field() -> None:
    tree = ast.parse(_files(SHOP)["handlers.py"])
    hooks = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert hooks == [op.id for op in _api(SHOP).operations]


def test_generated_mocks_are_valid_and_hold_leaf_fields_only(tmp_path: Path) -> None:
    files = _files(SHOP)
    contract = json.loads(files["contract.json"])
    operations = {op.id: op for op in engine_operations(contract)}
    for name, content in files.items():
        if not name.startswith("mocks/"):
            continue
        path = tmp_path / Path(name).name
        path.write_bytes(content)
        document = load_mock_document(path, operations=operations)
        assert document.problems == [], (name, document.problems)
    user = yaml.safe_load(files["mocks/query_user.yaml"])
    body = user["response"]["body"]
    assert set(body) == {
        "id",
        "login",
        "name",
        "email",
        "role",
        "createdAt",
        "homepage",
        "settings",
    }
    assert body["id"] == "{{ request.body.id }}"
    assert user["description"] == "query user: User"
    login = yaml.safe_load(files["mocks/query_userByLogin.yaml"])["response"]["body"]
    assert login["login"] == "{{ request.body.login }}"
    search = yaml.safe_load(files["mocks/query_search.yaml"])["response"]["body"]
    assert len(search) == 2 and all(item["__typename"] == "User" for item in search)
    matrix = yaml.safe_load(files["mocks/query_matrix.yaml"])["response"]["body"]
    assert len(matrix) == 2 and all(isinstance(n, int) for row in matrix for n in row)


def test_the_graphiql_files_are_vendored_with_the_graphql_runtime() -> None:
    files = _files(SWAPI)
    assets = sorted(name for name in files if "/graphql/assets/" in name)
    assert assets == [
        f"_vendor/mockc_runtime/graphql/assets/{name}"
        for name in (
            "LICENSE.md",
            "graphiql.min.css",
            "graphiql.min.js",
            "react-dom.production.min.js",
            "react.production.min.js",
        )
    ]
    assert "_vendor/mockc_runtime/web/bodies.py" in files  # the shared web toolkit
    assert not any(name.startswith("_vendor/mockc_runtime/http/") for name in files)
    linked = _files(SWAPI, link_runtime=True)
    assert not any(name.startswith("_vendor/") for name in linked)
    assert linked["requirements.txt"].decode().splitlines()[1] == "mockc==0.1.0"


def test_runtime_files_copy_assets_of_the_named_protocol_subpackages_only() -> None:
    http_only = [file.path for file in runtime_files((RuntimeAdapter(package="http"),))]
    assert not any("/graphql/" in path for path in http_only)
    # the web UI's files ship with every server; other assets only with their protocol
    assert all(path.endswith(".py") for path in http_only if "/ui/assets/" not in path)
    with_graphql = {file.path: file for file in runtime_files((RuntimeAdapter(package="graphql"),))}
    script = with_graphql["_vendor/mockc_runtime/graphql/assets/graphiql.min.js"]
    assert script.owner is FileOwner.GENERATED
    assert len(script.content) > 500_000
    assert not any("__pycache__" in path or path.endswith(".pyc") for path in with_graphql)


def test_the_target_needs_only_the_ir(tmp_path: Path) -> None:
    api = ir.api_from_json(json.loads(json.dumps(ir.to_json(_api(SHOP)))))
    files = {file.path: file.content for file in generate(api, TargetOptions(version="9"))}
    assert files["schema.graphql"].decode().split("\n", 2)[2] == print_sdl(_api(SHOP))
