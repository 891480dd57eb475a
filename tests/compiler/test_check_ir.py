"""The IR checker: the invariants of docs/ir.md, named at their place."""

from __future__ import annotations

import dataclasses

import pytest

from mockc.compiler import ir
from mockc.compiler.driver import compile_specs
from mockc.compiler.errors import IrError, RefError
from mockc.compiler.passes import PASSES, run_passes
from mockc.compiler.passes.check_ir import IrChecker
from tests.support.corpus import ROOT

SPEC = ir.Source(file="spec.yaml", pointer="/paths/~1pets/get", line=7, column=5)


def _operation(**changes: object) -> ir.Operation:
    operation = ir.Operation(
        id="listPets",
        outputs=(ir.Output(key="200"), ir.Output(key="default", is_error=True)),
        binding=ir.HttpBinding(method="GET", path="/pets"),
        source=SPEC,
    )
    return dataclasses.replace(operation, **changes)  # type: ignore[arg-type]


def _api(*operations: ir.Operation, schemas: tuple[ir.NamedSchema, ...] = ()) -> ir.Api:
    return ir.Api(name="t", operations=operations, schemas=schemas)


def _faults(api: ir.Api) -> list[str]:
    with pytest.raises(IrError) as raised:
        IrChecker().check(api)
    return [d.message for d in raised.value.diagnostics]


def test_a_sound_api_passes() -> None:
    IrChecker().check(_api(_operation()))


def test_a_fault_is_named_at_the_place_of_its_node() -> None:
    with pytest.raises(IrError) as raised:
        IrChecker().check(_api(_operation(id="list pets")))
    (fault,) = raised.value.diagnostics
    assert (fault.file, fault.pointer, fault.line, fault.column) == (
        "spec.yaml",
        SPEC.pointer,
        7,
        5,
    )
    assert "'list pets' is not an identifier" in fault.message


def test_ids_are_unique_ignoring_case() -> None:
    assert _faults(_api(_operation(), _operation(id="ListPets"))) == [
        "operation id 'ListPets' is not unique"
    ]


def test_a_pass_that_renames_an_operation_is_named() -> None:
    checker = IrChecker()
    checker.check(_api(_operation()))
    with pytest.raises(IrError, match=r"changed operation ids: listAllPets, listPets \(after"):
        checker.check(_api(_operation(id="listAllPets")), after="rename")


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (_operation(outputs=(ir.Output(key="20"),)), "'20' is not an HTTP status"),
        (
            _operation(outputs=(ir.Output(key="200"), ir.Output(key="200"))),
            "output '200' is declared twice",
        ),
        (
            _operation(
                binding=ir.GrpcBinding(
                    package="p", service="S", method="M", input_type="p.A", output_type="p.B"
                ),
                outputs=(ir.Output(key="MISSING", is_error=True),),
            ),
            "'MISSING' is not a gRPC status name",
        ),
        (
            _operation(
                binding=ir.SoapBinding(service="S", port="P", operation="O"),
                shape=ir.Shape.BIDI,
                outputs=(ir.Output(key="OResponse"),),
            ),  # fmt: skip
            "shape 'bidi' is not one a SoapBinding can have",
        ),
        (
            _operation(
                outputs=(ir.Output(key="500", fault=ir.Fault(code="soap:Server")),),
            ),
            "fault '500' must be a SOAP error output",
        ),
        (
            _operation(
                shape=ir.Shape.SUBSCRIBE,
                outputs=(ir.Output(key="lightMeasured"),),
                binding=ir.ChannelBinding(protocol="kafka", channel="lights", action="send"),
            ),
            "shape 'subscribe' contradicts the channel action 'send'",
        ),
        (
            _operation(
                shape=ir.Shape.PUBLISH,
                outputs=(ir.Output(key="turnOn"),),
                binding=ir.ChannelBinding(
                    protocol="kafka", channel="lights", action="send", options=ir.MqttOptions()
                ),
            ),
            "MqttOptions do not fit protocol 'kafka'",
        ),
        (
            _operation(
                shape=ir.Shape.PUBLISH,
                outputs=(ir.Output(key="turnOn"),),
                binding=ir.ChannelBinding(protocol="kafka", channel="lights.{id}", action="send"),
            ),
            "channel parameter {id} is not declared",
        ),
        (
            _operation(
                outputs=(ir.Output(key="result"),),
                binding=ir.McpBinding(primitive="tool", name="t", mime_type="text/plain"),
            ),
            "only a resource has a MIME type and a URI",
        ),
        (
            _operation(
                alternate_bindings=(ir.HttpBinding(method="get", path="/pets"),),
            ),
            "HTTP method 'get' is not an upper-case token",
        ),
    ],
)
def test_outputs_and_bindings_are_checked_per_binding_kind(
    operation: ir.Operation, message: str
) -> None:
    assert any(message in fault for fault in _faults(_api(operation)))


def test_a_dangling_ref_is_a_ref_error() -> None:
    content = ir.Content(media_type="application/json", schema=ir.freeze({"$ref": "#/$defs/No"}))
    operation = _operation(outputs=(ir.Output(key="200", message=ir.Message(contents=(content,))),))
    with pytest.raises(RefError, match="'#/\\$defs/No' does not name a schema"):
        IrChecker().check(_api(operation))


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"type": "object", "xml": {"name": 3}}, "xml annotation: 'name' is not a str"),
        ({"type": "object", "xml": {"local": "a"}}, "unknown member 'local'"),
        ({"properties": {"a": {}}, "x-order": ["a", "b"]}, "x-order must list property names"),
        ({"properties": {"a": {"xml": []}}}, "the xml annotation is not an object"),
    ],
)
def test_the_xml_vocabulary_is_checked(schema: dict[str, object], message: str) -> None:
    named = ir.NamedSchema(name="Add", schema=ir.freeze(schema), source=SPEC)
    assert any(message in fault for fault in _faults(_api(_operation(), schemas=(named,))))


def test_a_property_named_xml_is_not_an_annotation() -> None:
    schema = {"properties": {"xml": {"type": "string"}}, "x-order": ["xml"]}
    named = ir.NamedSchema(name="Doc", schema=ir.freeze(schema))
    IrChecker().check(_api(_operation(), schemas=(named,)))


def test_x_order_may_name_the_properties_of_anyof_branches() -> None:
    """An XSD choice: its branches' elements stand in x-order; a name that no
    branch has is still refused."""
    choice = {
        "properties": {"id": {}},
        "x-order": ["id", "card", "iban"],
        "anyOf": [{"properties": {"card": {}}}, {"properties": {"iban": {}}}],
    }
    named = ir.NamedSchema(name="Pay", schema=ir.freeze(choice), source=SPEC)
    IrChecker().check(_api(_operation(), schemas=(named,)))
    wrong = {**choice, "x-order": ["id", "voucher"]}
    named = ir.NamedSchema(name="Pay", schema=ir.freeze(wrong), source=SPEC)
    assert any("x-order must list" in f for f in _faults(_api(_operation(), schemas=(named,))))


def test_passes_run_the_checker_after_each_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    def break_ids(api: ir.Api, diagnostics: list[object]) -> ir.Api:
        return dataclasses.replace(api, operations=api.operations * 2)

    monkeypatch.setattr("mockc.compiler.passes.PASSES", (*PASSES, ("break", break_ids)))
    with pytest.raises(IrError, match=r"is not unique \(after the break pass\)"):
        run_passes(_api(_operation()), [])


def test_the_name_pass_makes_ids_identifiers_and_unique() -> None:
    api = run_passes(_api(_operation(id="list pets"), _operation(id="List-Pets")), [])
    assert [operation.id for operation in api.operations] == ["list_pets", "List_Pets_2"]


def test_the_checker_costs_little_on_a_large_spec() -> None:
    """A second check of the same schemas walks none of them again."""
    import time

    api = compile_specs(
        [ROOT / "tests/corpus/openapi/slack-web-api-v2/slack_web_openapi_v2.json"]
    ).api
    checker = IrChecker()
    start = time.process_time()  # CPU time: a busy machine does not stretch it
    checker.check(api)
    first = time.process_time() - start
    start = time.process_time()
    checker.check(dataclasses.replace(api), after="again")
    assert time.process_time() - start < max(first, 0.01)


def test_the_example_petstore_passes() -> None:
    compiled = compile_specs([ROOT / "examples" / "petstore" / "openapi.yaml"])
    IrChecker().check(compiled.api)
