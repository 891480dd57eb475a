"""The proto front end: every corpus proto loads; messages map by the proto3 JSON
mapping; services become operations of the four shapes; errors are located."""

from __future__ import annotations

import base64
import json
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from google.protobuf import descriptor_pb2

from mockc.compiler import ir
from mockc.compiler.driver import compile_specs
from mockc.compiler.errors import Diagnostic, RefError, SpecError
from mockc.compiler.frontends import proto
from mockc.compiler.frontends.registry import front_end_for
from tests.support.corpus import CORPUS

PROTO = CORPUS / "proto"
ROUTE_GUIDE = PROTO / "grpc-route-guide" / "route_guide.proto"
PUBSUB = PROTO / "googleapis-pubsub-v1" / "google" / "pubsub" / "v1" / "pubsub.proto"
UNITTEST = PROTO / "protobuf-unittest-proto2" / "google" / "protobuf" / "unittest.proto"


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def schemas(api: ir.Api) -> dict[str, Any]:
    return {named.name: ir.thaw(named.schema) for named in api.schemas}


def validator(api: ir.Api, name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": schemas(api)})


@pytest.mark.parametrize(
    "path", sorted(PROTO.rglob("*.proto")), ids=lambda p: str(p.relative_to(PROTO))
)
def test_every_corpus_proto_loads_with_its_imports(path: Path) -> None:
    warnings: list[Diagnostic] = []
    api = proto.load(path, warnings=warnings)
    files = descriptor_pb2.FileDescriptorSet.FromString(
        base64.b64decode(proto.descriptor_set_of(api))
    )
    assert files.file, "the descriptor set travels in the IR"
    assert not any(file.HasField("source_code_info") for file in files.file)
    assert all(w.level == "warning" for w in warnings)
    assert ir.api_from_json(json.loads(json.dumps(ir.to_json(api)))) == api


def test_route_guide_has_the_four_shapes_and_the_documented_sources() -> None:
    api = proto.load(ROUTE_GUIDE)
    shapes = {op.id: op.shape for op in api.operations}
    assert shapes == {
        "RouteGuide_GetFeature": ir.Shape.UNARY,
        "RouteGuide_ListFeatures": ir.Shape.SERVER_STREAM,
        "RouteGuide_RecordRoute": ir.Shape.CLIENT_STREAM,
        "RouteGuide_RouteChat": ir.Shape.BIDI,
    }
    chat = api.operation("RouteGuide_RouteChat")
    assert chat.binding == ir.GrpcBinding(
        package="routeguide",
        service="RouteGuide",
        method="RouteChat",
        input_type="routeguide.RouteNote",
        output_type="routeguide.RouteNote",
    )
    assert chat.binding.full_method == "/routeguide.RouteGuide/RouteChat"
    assert chat.source is not None
    assert (chat.source.pointer, chat.source.line, chat.source.column) == (
        "/RouteGuide/RouteChat",
        67,
        3,
    )
    assert chat.summary == "A Bidirectional streaming RPC."
    assert "RouteNotes" in chat.description
    assert [output.key for output in chat.outputs] == ["OK"]
    (content,) = chat.input.contents if chat.input else ()
    assert content.media_type == "application/grpc+proto"
    assert ir.thaw(content.schema) == {"$ref": "#/$defs/routeguide.RouteNote"}
    assert (api.name, api.title, api.spec_format) == ("route_guide", "RouteGuide", "proto3")


def test_messages_map_by_the_proto3_json_mapping(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "shop.proto",
        """\
        syntax = "proto3";
        package shop.v1;
        import "google/protobuf/timestamp.proto";
        import "google/protobuf/duration.proto";
        import "google/protobuf/wrappers.proto";
        import "google/protobuf/struct.proto";
        import "google/protobuf/field_mask.proto";
        import "google/protobuf/any.proto";
        import "google/protobuf/empty.proto";

        // An order of the shop.
        message Order {
          int32 small = 1;
          uint32 unsigned = 2;
          int64 big_number = 3;   // a 64-bit id
          double price = 4;
          bool paid = 5;
          bytes blob = 6;
          Status status = 7;
          repeated string tags = 8;
          map<string, Line> lines = 9;
          map<int32, string> by_number = 10;
          optional string note = 11;
          oneof payment {
            string card = 12;
            string voucher = 13;
          }
          google.protobuf.Timestamp created = 14;
          google.protobuf.Duration ttl = 15;
          google.protobuf.Int32Value maybe = 16;
          google.protobuf.Struct extra = 17;
          google.protobuf.FieldMask mask = 18;
          google.protobuf.Any any = 19;
          Nested nested = 20;
          message Nested { string inner = 1; }
          enum Status { STATUS_UNSPECIFIED = 0; OPEN = 1; }
        }
        message Line { string sku = 1; }
        service Shop {
          rpc Place(Order) returns (google.protobuf.Empty);
        }
        """,
    )
    api = proto.load(path)
    defs = schemas(api)
    order = defs["shop.v1.Order"]
    props = order["properties"]
    assert order["description"] == "An order of the shop."
    assert props["small"]["type"] == "integer" and props["small"]["maximum"] == 2**31 - 1
    assert props["unsigned"]["minimum"] == 0
    assert props["bigNumber"]["type"] == ["string", "integer"]
    assert props["bigNumber"]["description"] == "a 64-bit id"
    assert props["price"] == {"type": "number", "format": "double"}
    assert props["blob"]["contentEncoding"] == "base64"
    assert props["status"] == {"$ref": "#/$defs/shop.v1.Order.Status"}
    assert defs["shop.v1.Order.Status"]["enum"] == ["STATUS_UNSPECIFIED", "OPEN"]
    assert props["tags"] == {"type": "array", "items": {"type": "string"}}
    assert props["lines"]["additionalProperties"] == {"$ref": "#/$defs/shop.v1.Line"}
    assert props["byNumber"]["propertyNames"] == {"pattern": "^-?[0-9]+$"}
    assert props["note"] == {"type": "string"}, "proto3 optional is no oneof"
    assert "card" not in props and "voucher" not in props
    branches = order["oneOf"]
    assert [b.get("required") for b in branches[:2]] == [["card"], ["voucher"]]
    assert props["created"] == {"$ref": "#/$defs/google.protobuf.Timestamp"}
    assert defs["google.protobuf.Timestamp"]["format"] == "date-time"
    assert defs["google.protobuf.Int32Value"]["type"] == ["integer", "null"]
    assert defs["google.protobuf.Empty"]["additionalProperties"] is False
    assert "shop.v1.Order.Nested" in defs
    assert not any("Entry" in name for name in defs), "map entries are no schemas"
    check = validator(api, "shop.v1.Order")
    check.validate({"card": "4111", "created": "2024-01-01T00:00:00Z", "ttl": "1.5s"})
    with pytest.raises(jsonschema.ValidationError):
        check.validate({"card": "4111", "voucher": "x"})
    with pytest.raises(jsonschema.ValidationError):
        check.validate({"ttl": "five minutes"})


def test_proto2_required_fields_defaults_and_groups_map() -> None:
    api = proto.load(UNITTEST)
    defs = schemas(api)
    required = defs["protobuf_unittest.TestRequired"]
    assert {"a", "b", "c"} <= set(required["required"])
    defaults = defs["protobuf_unittest.TestAllTypes"]["properties"]
    assert defaults["defaultInt32"]["default"] == 41
    assert defaults["defaultString"]["default"] == "hello"
    assert defaults["defaultInt64"]["default"] == "42"
    assert defaults["defaultNestedEnum"]["default"] == "BAR"
    assert defaults["optionalgroup"] == {
        "$ref": "#/$defs/protobuf_unittest.TestAllTypes.OptionalGroup"
    }
    assert api.spec_format == "proto2"
    assert [op.id for op in api.operations] == ["TestService_Foo", "TestService_Bar"]


def test_imports_are_found_from_the_package_and_imports_are_in_the_sources() -> None:
    api = proto.load(PUBSUB)
    assert len(api.operations) == 25
    assert api.sources[0] == str(PUBSUB)
    root = PROTO / "googleapis-pubsub-v1"
    assert str(root / "google" / "pubsub" / "v1" / "schema.proto") in api.sources
    assert str(root / "google" / "api" / "annotations.proto") in api.sources
    assert api.title == "Publisher, Subscriber" and api.version == "v1"
    pull = api.operation("Subscriber_StreamingPull")
    assert pull.shape is ir.Shape.BIDI
    topic = schemas(api)["google.pubsub.v1.Topic"]["properties"]
    assert topic["labels"]["additionalProperties"] == {"type": "string"}
    assert topic["messageRetentionDuration"] == {
        "description": topic["messageRetentionDuration"]["description"],
        "$ref": "#/$defs/google.protobuf.Duration",
    }


def test_include_paths_resolve_imports_from_elsewhere(tmp_path: Path) -> None:
    write(tmp_path / "common", "money/money.proto", 'syntax = "proto3";\npackage money;\n'
          "message Money { int64 units = 1; }\n")  # fmt: skip
    spec = write(
        tmp_path / "api",
        "bank.proto",
        """\
        syntax = "proto3";
        import "money/money.proto";
        service Bank { rpc Balance(money.Money) returns (money.Money); }
        """,
    )
    with pytest.raises(RefError) as caught:
        proto.load(spec)
    error = caught.value.diagnostics[0]  # then protoc's "money.Money is not defined"
    assert (error.file, error.line, error.column) == (str(spec), 2, 1)
    assert 'import "money/money.proto" was not found' in error.message
    assert "-I DIR" in error.message
    api = proto.load(spec, include_paths=[tmp_path / "common"])
    assert api.operations[0].id == "Bank_Balance"
    compiled = compile_specs([spec], include_paths=[tmp_path / "common"])
    assert compiled.target == "grpc"


def test_syntax_errors_are_reported_with_file_line_and_column(tmp_path: Path) -> None:
    spec = write(tmp_path, "bad.proto", 'syntax = "proto3";\nmessage A {\n  int32 a = 1\n}\n')
    with pytest.raises(SpecError) as caught:
        proto.load(spec)
    (error,) = caught.value.diagnostics
    assert (error.file, error.line, error.column) == (str(spec), 4, 1)
    assert error.message == 'Expected ";".'
    rendered = caught.value.render()
    assert rendered.startswith(f"{spec}:4:1: error: Expected")
    assert rendered.endswith("    }\n    ^")


def test_undefined_types_are_all_reported(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "two.proto",
        'syntax = "proto3";\nmessage A { Missing m = 1; Other o = 2; }\n',
    )
    with pytest.raises(SpecError) as caught:
        proto.load(spec)
    found = [(d.line, d.column, d.message) for d in caught.value.diagnostics]
    assert found == [
        (2, 13, '"Missing" is not defined.'),
        (2, 28, '"Other" is not defined.'),
    ]


def test_protoc_warnings_become_warnings(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "w.proto",
        'syntax = "proto3";\nimport "google/protobuf/empty.proto";\nmessage A { int32 a = 1; }\n',
    )
    warnings: list[Diagnostic] = []
    api = proto.load(spec, warnings=warnings)
    levels = {(w.level, w.line) for w in warnings}
    assert ("warning", 2) in levels
    assert any("declares no service" in w.message for w in warnings)
    assert api.operations == ()


def test_files_are_compiled_together_and_ids_stay_unique(tmp_path: Path) -> None:
    write(tmp_path, "a.proto", 'syntax = "proto3";\npackage a;\nmessage M {}\n'
          "service S { rpc Get(M) returns (M); }\n")  # fmt: skip
    write(tmp_path, "b.proto", 'syntax = "proto3";\npackage b;\nimport "a.proto";\n'
          "service S { rpc Get(a.M) returns (a.M); }\n")  # fmt: skip
    compiled = compile_specs([tmp_path / "a.proto", tmp_path / "b.proto"])
    ids = [op.id for op in compiled.api.operations]
    assert ids == ["S_Get", "S_Get_2"]
    full = [op.binding.full_method for op in compiled.api.operations]  # type: ignore[union-attr]
    assert full == ["/a.S/Get", "/b.S/Get"]


def test_the_registry_picks_the_proto_front_end(tmp_path: Path) -> None:
    assert front_end_for(ROUTE_GUIDE).name == "proto"
    assert front_end_for(ROUTE_GUIDE).target == "grpc"
    sniffed = write(tmp_path, "service.txt", 'syntax = "proto3";\nmessage A {}\n')
    assert front_end_for(sniffed).name == "proto"
    yaml_like = write(tmp_path, "x.yaml", "openapi: 3.0.0\nmessage: hi\n")
    assert front_end_for(yaml_like).name == "openapi"


def test_missing_file() -> None:
    with pytest.raises(SpecError) as caught:
        proto.load(Path("nowhere.proto"))
    assert caught.value.diagnostics[0].message == "no such file"
