"""Every entry document of the OpenAPI corpus loads into a sound Api."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic
from mockc.compiler.frontends import openapi
from tests.support.corpus import CORPUS as CORPUS_ROOT
from tests.support.npm_specs import GITHUB_REST, Unavailable, fetch

CORPUS = CORPUS_ROOT / "openapi"


def _entry_documents() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    entries = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".json"):
            continue
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
        if any(f"{key}:" in head or f'"{key}"' in head for key in ("openapi", "swagger")):
            entries.append(path)
    return entries


def refs_in(value: Any) -> Iterator[str]:
    """Every ``$ref`` value in a (frozen) JSON value."""
    if isinstance(value, dict) or hasattr(value, "items"):
        for key, item in value.items():
            if key == "$ref":
                yield item
            else:
                yield from refs_in(item)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from refs_in(item)


def all_schemas(api: ir.Api) -> Iterator[ir.JsonValue]:
    for named in api.schemas:
        yield named.schema
    for operation in api.operations:
        messages = [operation.input] if operation.input else []
        messages += [output.message for output in operation.outputs]
        for message in messages:
            for content in message.contents:
                yield content.schema
        assert isinstance(operation.binding, ir.HttpBinding)
        for parameter in operation.binding.parameters:
            yield parameter.schema
        for output in operation.outputs:
            for header in output.headers:
                yield header.schema


def assert_refs_resolve(api: ir.Api) -> None:
    names = {named.name for named in api.schemas}
    for schema in all_schemas(api):
        for ref in refs_in(schema):
            assert ref.startswith(ir.SCHEMA_REF_PREFIX), ref
            assert ref[len(ir.SCHEMA_REF_PREFIX) :] in names, ref


ENTRIES = _entry_documents()


@pytest.mark.parametrize("path", ENTRIES, ids=[str(p.relative_to(CORPUS)) for p in ENTRIES])
def test_corpus_entry_loads_with_resolvable_refs(path: Path) -> None:
    api = openapi.load(path)
    assert api.sources[0] == str(path)
    assert api.name.isidentifier()
    assert api.spec_format in ("swagger-2.0", "openapi-3.0", "openapi-3.1")
    ids = [operation.id for operation in api.operations]
    assert len(ids) == len(set(ids)) and all(i.isidentifier() for i in ids)
    assert_refs_resolve(api)
    assert [s.name for s in api.schemas] == sorted(s.name for s in api.schemas)


def test_corpus_has_entry_documents() -> None:
    if not CORPUS.is_dir():
        pytest.skip("corpus not present")
    assert len(ENTRIES) >= 18


@pytest.mark.parametrize(
    ("relative", "operations", "spec_format"),
    [
        ("oai-petstore-v2/petstore.yaml", 3, "swagger-2.0"),
        ("oai-petstore-v3/petstore.yaml", 3, "openapi-3.0"),
        ("oai-petstore-expanded-v2/petstore-expanded.json", 4, "swagger-2.0"),
        ("oai-petstore-expanded-v3/petstore-expanded.yaml", 4, "openapi-3.0"),
        ("oai-uspto-v3/uspto.yaml", 3, "openapi-3.0"),
        ("redocly-cafe-multifile-v31/openapi/openapi.yaml", 12, "openapi-3.1"),
        ("slack-web-api-v2/slack_web_openapi_v2.json", 174, "swagger-2.0"),
        ("digitalocean-multifile/specification/DigitalOcean-public.v2.yaml", 184, "openapi-3.0"),
        ("oai-webhook-example-v31/webhook-example.yaml", 0, "openapi-3.1"),
    ],
)
def test_operation_counts(relative: str, operations: int, spec_format: str) -> None:
    path = CORPUS / relative
    if not path.exists():
        pytest.skip("corpus not present")
    api = openapi.load(path)
    assert len(api.operations) == operations
    assert api.spec_format == spec_format


def test_petstore_v3_operations_and_parameters() -> None:
    api = openapi.load(CORPUS / "oai-petstore-v3/petstore.yaml")
    assert [o.id for o in api.operations] == ["listPets", "createPets", "showPetById"]
    assert api.name == "swagger_petstore"
    list_pets = api.operation("listPets")
    assert isinstance(list_pets.binding, ir.HttpBinding)
    assert (list_pets.binding.method, list_pets.binding.path) == ("GET", "/pets")
    (limit,) = list_pets.binding.parameters
    assert limit.name == "limit" and limit.location is ir.ParameterLocation.QUERY
    assert limit.required is False and limit.style == "" and limit.explode is None
    assert ir.thaw(limit.schema) == {"type": "integer", "maximum": 100, "format": "int32"}
    assert [(o.key, o.is_error) for o in list_pets.outputs] == [("200", False), ("default", False)]
    header = list_pets.outputs[0].headers[0]
    assert header.name == "x-next" and header.location is ir.ParameterLocation.HEADER
    pet = api.schema_map()["Pets"]
    assert ir.thaw(pet)["items"] == {"$ref": "#/$defs/Pet"}
    show = api.operation("showPetById")
    assert show.source == ir.Source(
        file=str(CORPUS / "oai-petstore-v3/petstore.yaml"), pointer="/paths/~1pets~1{petId}/get"
    )


def test_petstore_v2_servers_and_bodies() -> None:
    api = openapi.load(CORPUS / "oai-petstore-v2/petstore.json")
    assert api.servers == (ir.Server(url="http://petstore.swagger.io/v1", protocol="http"),)
    create = api.operation("createPets")
    assert create.input is None
    assert [c.media_type for c in create.outputs[-1].message.contents] == ["application/json"]


def test_separate_files_refs_become_named_schemas() -> None:
    path = CORPUS / "oai-petstore-separate-v2/spec/swagger.yaml"
    api = openapi.load(path)
    base = CORPUS / "oai-petstore-separate-v2"
    assert api.sources == (
        str(path),
        str(base / "common/Error.yaml"),
        str(base / "spec/NewPet.yaml"),
        str(base / "spec/Pet.yaml"),
        str(base / "spec/parameters.yaml"),
    )
    assert [s.name for s in api.schemas] == ["Error", "NewPet", "Pet"]
    assert api.schema_map()["Pet"] == api.schema_map()["Pet"]
    find = api.operation("findPets")
    assert isinstance(find.binding, ir.HttpBinding)
    tags, limit = find.binding.parameters
    assert (tags.name, tags.style, tags.explode) == ("tags", "form", False)
    assert tags.source == ir.Source(file=str(base / "spec/parameters.yaml"), pointer="/tagsParam")
    assert limit.name == "limit"
    add = api.operation("addPet")
    assert add.input is not None and add.input.required
    assert [(c.media_type, ir.thaw(c.schema)) for c in add.input.contents] == [
        ("application/json", {"$ref": "#/$defs/NewPet"})
    ]
    assert api.operation("find_pet_by_id").binding.path == "/pets/{id}"  # type: ignore[union-attr]


def test_cafe_path_items_in_other_files() -> None:
    api = openapi.load(CORPUS / "redocly-cafe-multifile-v31/openapi/openapi.yaml")
    menu = api.operation("listMenuItems")
    assert menu.source is not None and menu.source.file.endswith("paths/menu.yaml")
    assert "MenuItem" in api.schema_map()
    assert len(api.sources) > 30 and api.sources[1:] == tuple(sorted(api.sources[1:]))


def test_slack_is_repaired_with_warnings() -> None:
    warnings: list[Diagnostic] = []
    api = openapi.load(CORPUS / "slack-web-api-v2/slack_web_openapi_v2.json", warnings=warnings)
    assert warnings and all(w.level == "warning" for w in warnings)
    assert all(w.line is not None for w in warnings)
    latest = ir.thaw(api.schema_map()["objs_channel"])["properties"]["latest"]
    assert latest == {"anyOf": [{"$ref": "#/$defs/objs_message"}, {"type": "null"}]}
    post = api.operation("chat_postMessage")
    assert post.input is not None
    assert [c.media_type for c in post.input.contents] == ["application/x-www-form-urlencoded"]
    form = ir.thaw(post.input.contents[0].schema)
    assert form["type"] == "object" and "channel" in form["required"]
    assert api.servers == (ir.Server(url="https://slack.com/api", protocol="https"),)


def test_swagger2_response_examples() -> None:
    api = openapi.load(CORPUS / "slack-web-api-v2/slack_web_openapi_v2.json")
    content = api.operation("pins_list").outputs[0].message.contents[0]
    assert content.media_type == "application/json"
    (example,) = content.examples
    assert example.name == "default"
    assert ir.thaw(example.value)["ok"] is True


def test_oas3_media_type_examples() -> None:
    api = openapi.load(CORPUS / "oai-api-with-examples-v3/api-with-examples.yaml")
    contents = api.operations[0].outputs[0].message.contents
    assert [c.media_type for c in contents] == ["application/json"]
    (example,) = contents[0].examples
    assert example.name == "foo"
    assert ir.thaw(example.value)["versions"][0]["status"] == "CURRENT"


def test_second_load_is_identical() -> None:
    path = CORPUS / "digitalocean-multifile/specification/DigitalOcean-public.v2.yaml"
    assert ir.to_json(openapi.load(path)) == ir.to_json(openapi.load(path))


def test_digitalocean_reads_only_reached_files() -> None:
    path = CORPUS / "digitalocean-multifile/specification/DigitalOcean-public.v2.yaml"
    api = openapi.load(path)
    on_disk = sum(1 for p in path.parent.rglob("*") if p.is_file())
    assert len(api.sources) < on_disk


def test_slack_loads_fast() -> None:
    started = time.process_time()  # CPU time: a busy machine does not stretch it
    openapi.load(CORPUS / "slack-web-api-v2/slack_web_openapi_v2.json")
    assert time.process_time() - started < 2.0


def test_github_rest_spec_loads() -> None:
    """GitHub's REST description, pinned on npm (its load time is measured by
    bench/generate_bench.py, not asserted here)."""
    try:
        spec = fetch(GITHUB_REST)
    except Unavailable as why:
        pytest.skip(str(why))
    api = openapi.load(spec)
    assert len(api.operations) == 1223
    assert_refs_resolve(api)
