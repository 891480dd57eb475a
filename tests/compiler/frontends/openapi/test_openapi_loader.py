"""Operations, parameters, bodies and examples from small specs written here."""

from __future__ import annotations

import textwrap
from pathlib import Path

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic
from mockc.compiler.frontends import openapi


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def binding(operation: ir.Operation) -> ir.HttpBinding:
    assert isinstance(operation.binding, ir.HttpBinding)
    return operation.binding


OAS3 = """\
openapi: 3.0.3
info: {title: Tiny Shop, version: "1"}
servers:
  - url: https://{region}.shop.test/v1
    variables: {region: {default: eu}}
paths:
  /items/{itemId}:
    parameters:
      - {name: itemId, in: path, schema: {type: string}}
      - {name: verbose, in: query, schema: {type: boolean}}
    get:
      parameters:
        - {name: verbose, in: query, required: true, schema: {type: integer}}
        - {name: ids, in: query, style: pipeDelimited, explode: false,
           schema: {type: array, items: {type: integer}}}
        - name: filter
          in: query
          content:
            application/json:
              schema: {type: object}
        - {name: bogus, in: body, schema: {type: string}}
      responses:
        200:
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
              examples:
                first: {$ref: '#/components/examples/First'}
                remote: {externalValue: 'https://example.test/x.json'}
        4XX: {description: bad}
    put:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
            example: {id: a}
          text/plain:
            schema: {type: string}
      responses:
        default: {description: any}
  /items:
    post:
      operationId: get items
      responses: {"201": {description: created}}
    get:
      responses: {"200": {description: ok}}
components:
  examples:
    First: {summary: the first, value: {id: first}}
  schemas:
    Item:
      type: object
      nullable: true
      properties:
        id: {type: string}
        children: {type: array, items: {$ref: '#/components/schemas/Item'}}
"""


def test_oas3_operations(tmp_path: Path) -> None:
    warnings: list[Diagnostic] = []
    api = openapi.load(write(tmp_path, "shop.yaml", OAS3), warnings=warnings)
    assert api.name == "tiny_shop" and api.spec_format == "openapi-3.0"
    assert api.servers == (ir.Server(url="https://eu.shop.test/v1", protocol="https"),)
    ids = [o.id for o in api.operations]
    assert ids == ["get_items_itemId", "put_items_itemId", "get_items_2", "get_items"]
    assert binding(api.operation("get_items")).method == "POST"  # the declared id wins
    get = api.operation("get_items_itemId")
    params = {(p.name, p.location): p for p in binding(get).parameters}
    assert ("bogus", ir.ParameterLocation.QUERY) not in params
    assert any("'in'" in w.message and w.pointer and w.pointer.endswith("/3/in") for w in warnings)
    item_id = params["itemId", ir.ParameterLocation.PATH]
    assert item_id.required is True
    verbose = params["verbose", ir.ParameterLocation.QUERY]
    assert verbose.required is True and ir.thaw(verbose.schema) == {"type": "integer"}
    ids_param = params["ids", ir.ParameterLocation.QUERY]
    assert (ids_param.style, ids_param.explode) == ("pipeDelimited", False)
    filter_param = params["filter", ir.ParameterLocation.QUERY]
    assert filter_param.media_type == "application/json"
    assert ir.thaw(filter_param.schema) == {"type": "object"}
    ok, bad = get.outputs
    assert (ok.key, ok.is_error, bad.key, bad.is_error) == ("200", False, "4XX", True)
    (content,) = ok.message.contents
    assert [(e.name, ir.thaw(e.value), e.summary) for e in content.examples] == [
        ("first", {"id": "first"}, "the first")
    ]
    assert content.examples[0].source == ir.Source(
        file=str(tmp_path / "shop.yaml"), pointer="/components/examples/First"
    )


def test_oas3_request_bodies_and_cyclic_schema(tmp_path: Path) -> None:
    api = openapi.load(write(tmp_path, "shop.yaml", OAS3))
    put = api.operation("put_items_itemId")
    assert put.input is not None and put.input.required
    json_body, text_body = put.input.contents
    assert (json_body.media_type, text_body.media_type) == ("application/json", "text/plain")
    assert ir.thaw(json_body.schema) == {"$ref": "#/$defs/Item"}
    assert [(e.name, ir.thaw(e.value)) for e in json_body.examples] == [("default", {"id": "a"})]
    item = ir.thaw(api.schema_map()["Item"])
    assert item["type"] == ["object", "null"]
    assert item["properties"]["children"]["items"] == {"$ref": "#/$defs/Item"}
    assert api.schemas[0].source == ir.Source(
        file=str(tmp_path / "shop.yaml"), pointer="/components/schemas/Item"
    )


SWAGGER = """\
swagger: "2.0"
info: {title: Files, version: "2"}
host: files.test
basePath: /api
schemes: [http, https]
consumes: [application/json]
produces: [application/json, application/xml]
paths:
  /files:
    post:
      parameters:
        - {name: upload, in: formData, type: file, required: true}
        - {name: note, in: formData, type: string}
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: multi}
        - {name: ids, in: header, type: array, items: {type: integer}, collectionFormat: csv}
        - {name: words, in: query, type: array, items: {type: string}, collectionFormat: ssv}
      responses:
        "200":
          description: ok
          schema: {$ref: '#/definitions/File'}
          examples:
            application/json: {name: a.txt}
          headers:
            X-Rate: {type: integer}
  /files/{name}:
    put:
      consumes: [text/plain]
      parameters:
        - {name: name, in: path, type: string, required: true}
        - {name: body, in: body, required: true, schema: {type: string}}
      responses:
        "204": {description: done}
definitions:
  File:
    type: object
    x-nullable: true
    properties:
      size: {type: integer, minimum: 0, exclusiveMinimum: true, example: 3}
"""


def test_swagger2_forms_bodies_and_styles(tmp_path: Path) -> None:
    api = openapi.load(write(tmp_path, "files.yaml", SWAGGER))
    assert api.spec_format == "swagger-2.0"
    assert [s.url for s in api.servers] == ["http://files.test/api", "https://files.test/api"]
    post = api.operation("post_files")
    assert binding(post).path == "/files"
    assert post.input is not None and post.input.required
    (form,) = post.input.contents
    assert form.media_type == "multipart/form-data"
    schema = ir.thaw(form.schema)
    assert schema["required"] == ["upload"]
    assert schema["properties"]["upload"] == {
        "type": "string",
        "contentMediaType": "application/octet-stream",
    }
    styles = {p.name: (p.style, p.explode) for p in binding(post).parameters}
    assert styles == {
        "tags": ("form", True),
        "ids": ("simple", False),
        "words": ("spaceDelimited", False),
    }
    (ok,) = post.outputs
    assert [c.media_type for c in ok.message.contents] == ["application/json", "application/xml"]
    assert [ir.thaw(e.value) for e in ok.message.contents[0].examples] == [{"name": "a.txt"}]
    assert ok.message.contents[1].examples == ()
    assert [(h.name, ir.thaw(h.schema)) for h in ok.headers] == [("X-Rate", {"type": "integer"})]
    put = api.operation("put_files_name")
    assert put.input is not None
    assert [(c.media_type, ir.thaw(c.schema)) for c in put.input.contents] == [
        ("text/plain", {"type": "string"})
    ]
    assert put.outputs[0].message.contents == ()
    file_schema = ir.thaw(api.schema_map()["File"])
    assert file_schema["type"] == ["object", "null"]
    assert file_schema["properties"]["size"] == {
        "type": "integer",
        "exclusiveMinimum": 0,
        "examples": [3],
    }


def test_operation_ids_do_not_depend_on_position(tmp_path: Path) -> None:
    first = openapi.load(write(tmp_path, "a.yaml", OAS3))
    moved = OAS3.replace("  /items:\n", "  /aaa:\n    get: {responses: {}}\n  /items:\n")
    second = openapi.load(write(tmp_path, "b.yaml", moved))
    assert {o.id for o in first.operations} <= {o.id for o in second.operations}
    assert "get_aaa" in {o.id for o in second.operations}


def test_webhooks_are_not_operations(tmp_path: Path) -> None:
    spec = """\
    openapi: 3.1.0
    info: {title: Hooks, version: "1"}
    webhooks:
      newPet:
        post:
          requestBody: {content: {application/json: {schema: {type: object}}}}
          responses: {"200": {description: ok}}
    """
    api = openapi.load(write(tmp_path, "hooks.yaml", spec))
    assert api.operations == () and api.spec_format == "openapi-3.1"


def test_multifile_refs_share_one_name_per_target(tmp_path: Path) -> None:
    write(
        tmp_path,
        "models/pet.yaml",
        """\
        type: object
        properties:
          owner: {$ref: 'owner.yaml#/Owner'}
          friend: {$ref: '#'}
        """,
    )
    write(
        tmp_path,
        "models/owner.yaml",
        "Owner: {type: object, properties: {pet: {$ref: 'pet.yaml'}}}\n",
    )
    entry = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.0.0
        info: {title: Pets, version: "1"}
        paths:
          /pet:
            get:
              responses:
                "200":
                  description: ok
                  content:
                    application/json: {schema: {$ref: 'models/pet.yaml'}}
                "201":
                  description: ok
                  content:
                    application/json: {schema: {$ref: './models/../models/pet.yaml#'}}
        components:
          schemas:
            pet: {type: string}
        """,
    )
    api = openapi.load(entry)
    assert [s.name for s in api.schemas] == ["Owner", "pet", "pet_2"]
    contents = [o.message.contents[0].schema for o in api.operations[0].outputs]
    assert [ir.thaw(c) for c in contents] == [{"$ref": "#/$defs/pet_2"}] * 2
    pet = ir.thaw(api.schema_map()["pet_2"])
    assert pet["properties"] == {
        "owner": {"$ref": "#/$defs/Owner"},
        "friend": {"$ref": "#/$defs/pet_2"},
    }
    assert api.sources == (
        str(entry),
        str(tmp_path / "models/owner.yaml"),
        str(tmp_path / "models/pet.yaml"),
    )
