"""The WSDL front end: SOAP ports into IR operations, XSD into JSON Schema with
the XML vocabulary, located errors for what it refuses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mockc.compiler import ir
from mockc.compiler.errors import SpecError
from mockc.compiler.frontends.wsdl import load
from mockc.compiler.passes.check_ir import IrChecker

ROOT = Path(__file__).resolve().parents[4]
CORPUS = ROOT / "tests" / "corpus" / "wsdl"
ENCODED_FIXTURE = ROOT / "tests" / "runtime" / "soap" / "inventory_encoded.wsdl"
"""A hand-written rpc/encoded WSDL with a complex type and SOAP-ENC arrays."""


def test_document_literal_operations_with_soap12_as_alternate_binding() -> None:
    api = load(CORPUS / "dneonline-calculator" / "calculator.wsdl")
    IrChecker().check(api, after="wsdl")
    add = api.operation("CalculatorSoap_Add")
    binding = add.binding
    assert isinstance(binding, ir.SoapBinding)
    assert (binding.service, binding.port, binding.operation) == (
        "Calculator",
        "CalculatorSoap",
        "Add",
    )
    assert binding.soap_action == "http://tempuri.org/Add"
    assert binding.soap_version == "1.1"
    assert binding.input_element == "{http://tempuri.org/}Add"
    assert binding.output_element == "{http://tempuri.org/}AddResponse"
    assert binding.address == "/calculator.asmx"
    [soap12] = add.alternate_bindings
    assert isinstance(soap12, ir.SoapBinding)
    assert (soap12.port, soap12.soap_version) == ("CalculatorSoap12", "1.2")
    schema = ir.thaw(add.input.contents[0].schema) if add.input else None
    assert schema == {
        "type": "object",
        "properties": {
            "intA": {
                "type": "integer",
                "format": "int32",
                "xml": {"name": "intA", "namespace": "http://tempuri.org/"},
            },
            "intB": {
                "type": "integer",
                "format": "int32",
                "xml": {"name": "intB", "namespace": "http://tempuri.org/"},
            },
        },
        "required": ["intA", "intB"],
        "x-order": ["intA", "intB"],
        "xml": {"name": "Add", "namespace": "http://tempuri.org/"},
    }
    assert [output.key for output in add.outputs] == ["AddResponse"]
    assert add.source is not None and add.source.line == 139
    assert add.source.pointer == "/binding/CalculatorSoap/operation/Add"


def test_rpc_literal_parts_become_the_wrapper_s_unqualified_children() -> None:
    api = load(CORPUS / "cxf-rpclit" / "hello_world_RPCLit.wsdl")
    greet = api.operation("GreeterRPCLit_greetMe")
    assert isinstance(greet.binding, ir.SoapBinding)
    assert greet.binding.style == "rpc"
    assert greet.binding.input_element == "{http://apache.org/hello_world_rpclit}greetMe"
    schema = ir.thaw(greet.input.contents[0].schema) if greet.input else None
    assert schema["properties"] == {"in": {"type": "string", "xml": {"name": "in"}}}
    assert schema["xml"] == {"name": "greetMe", "namespace": "http://apache.org/hello_world_rpclit"}


def test_faults_are_error_outputs_with_their_detail_element() -> None:
    api = load(CORPUS / "cxf-wsdl-first" / "CustomerService.wsdl")
    operation = next(op for op in api.operations if op.id.endswith("getCustomersByName"))
    [fault] = [output for output in operation.outputs if output.is_error]
    assert fault.key == "NoSuchCustomerException"
    assert fault.fault == ir.Fault(
        code="soap:Server", detail_element="{http://customerservice.example.com/}NoSuchCustomer"
    )
    detail = ir.thaw(fault.message.contents[0].schema)
    assert detail["xml"]["name"] == "NoSuchCustomer"


def test_soap_header_parts_are_metadata_of_the_input_and_the_output() -> None:
    api = load(CORPUS / "cxf-soap-header" / "soap_header.wsdl")
    IrChecker().check(api, after="wsdl")
    inout = api.operation("headerTester_inoutHeader")
    assert inout.input is not None
    [header] = inout.input.headers
    assert header.name == "SOAPHeaderInfo"
    assert header.location is ir.ParameterLocation.METADATA
    assert header.element == "{http://apache.org/headers}SOAPHeaderInfo"
    schema = ir.thaw(header.schema)
    assert schema["xml"] == {"name": "SOAPHeaderInfo", "namespace": "http://apache.org/headers"}
    assert schema["required"] == ["originator", "message"]
    [answer] = inout.outputs
    assert [h.element for h in answer.headers] == [header.element]
    assert api.operation("headerTester_inHeader").outputs[0].headers == ()
    out = api.operation("headerTester_outHeader")
    assert out.input is not None and out.input.headers == ()


def test_facets_nillable_and_simple_content_reach_the_schema() -> None:
    customers = load(CORPUS / "cxf-wsdl-first" / "CustomerService.wsdl")
    answer = ir.thaw(
        customers.operation("CustomerService_getCustomersByName")
        .outputs[0]
        .message.contents[0]
        .schema
    )
    customer = answer["properties"]["return"]["items"]
    assert customer["properties"]["type"]["enum"] == ["PRIVATE", "BUSINESS"]
    assert customer["properties"]["address"]["items"]["xml"]["nillable"] is True
    device = load(CORPUS / "onvif" / "devicemgmt.wsdl")
    IrChecker().check(device, after="wsdl")
    token = ir.thaw(
        device.operation("Device_GetNetworkInterfaces").outputs[0].message.contents[0].schema
    )
    interface = token["properties"]["NetworkInterfaces"]["items"]
    assert interface["properties"]["token"]["maxLength"] == 64  # tt:ReferenceToken's facet
    info = ir.thaw(
        device.operation("Device_GetCertificateInformation").outputs[0].message.contents[0].schema
    )["properties"]["CertificateInformation"]["properties"]
    assert info["KeyUsage"]["properties"]["_value"]["xml"] == {"text": True}
    assert info["KeyUsage"]["properties"]["Critical"]["xml"]["attribute"] is True
    [ssid] = [
        op for op in device.operations if op.id == "Device_GetDot11Status"
    ]  # hexBinary lengths count octets
    status = ir.thaw(ssid.outputs[0].message.contents[0].schema)["properties"]["Status"]
    assert status["properties"]["SSID"]["pattern"] == "^([0-9A-F]{2}){1,32}$"


def test_a_required_xsd_any_is_an_element_of_an_undeclared_namespace() -> None:
    device = load(CORPUS / "onvif" / "devicemgmt.wsdl")
    services = ir.thaw(device.operation("Device_GetServices").outputs[0].message.contents[0].schema)
    capabilities = services["properties"]["Service"]["items"]["properties"]["Capabilities"]
    assert capabilities["properties"]["_any"]["xml"] == {
        "name": "any",
        "namespace": "urn:mockc:any",
    }
    assert capabilities["required"] == ["_any"]


def test_local_imports_are_followed_and_listed_as_sources() -> None:
    api = load(CORPUS / "onvif" / "ptz.wsdl")
    assert len(api.operations) == 27
    assert api.sources[0].endswith("ptz.wsdl")
    assert any(source.endswith("onvif.xsd") for source in api.sources)


def test_rpc_encoded_parts_are_accessors_typed_by_their_xsd_types() -> None:
    api = load(CORPUS / "nws-ndfd-rpc-encoded" / "ndfdXML.wsdl")
    IrChecker().check(api, after="wsdl")
    assert len(api.operations) == 12
    operation = api.operation("ndfdXMLPortType_NDFDgen")
    binding = operation.binding
    assert isinstance(binding, ir.SoapBinding)
    assert (binding.style, binding.use) == ("rpc", "encoded")
    assert binding.input_element == (
        "{http://graphical.weather.gov/xml/DWMLgen/wsdl/ndfdXML.wsdl}NDFDgen"
    )
    assert operation.input is not None
    schema = ir.thaw(operation.input.contents[0].schema)
    assert schema["x-soap-encoding"] == "http://schemas.xmlsoap.org/soap/encoding/"
    assert schema["xml"] == {
        "name": "NDFDgen",
        "namespace": "http://graphical.weather.gov/xml/DWMLgen/wsdl/ndfdXML.wsdl",
    }
    assert schema["x-order"][:3] == ["latitude", "longitude", "product"]
    assert schema["properties"]["latitude"] == {
        "type": "number",
        "xml": {"name": "latitude", "type": "{http://www.w3.org/2001/XMLSchema}decimal"},
    }
    product = schema["properties"]["product"]
    assert product["enum"] == ["time-series", "glance"]  # facets re-read with xmlschema
    assert product["xml"]["type"] == (
        "{http://graphical.weather.gov/xml/DWMLgen/schema/DWML.xsd}productType"
    )
    weather = schema["properties"]["weatherParameters"]
    assert weather["properties"]["maxt"]["xml"] == {
        "name": "maxt",
        "type": "{http://www.w3.org/2001/XMLSchema}boolean",
    }
    output = ir.thaw(operation.outputs[0].message.contents[0].schema)
    assert output["xml"]["name"] == "NDFDgenResponse"
    assert output["properties"]["dwmlOut"]["type"] == "string"


def test_soap_enc_arrays_and_simple_types_become_json_schema() -> None:
    api = load(ENCODED_FIXTURE)
    IrChecker().check(api, after="wsdl")
    find = api.operation("Inventory_findItems")
    assert find.input is not None
    request = ir.thaw(find.input.contents[0].schema)
    assert request["properties"]["skus"] == {
        "type": "array",
        "items": {
            "type": "string",
            "xml": {"name": "item", "type": "{http://www.w3.org/2001/XMLSchema}string"},
        },
        "maxItems": 3,
        "xml": {"name": "skus", "type": "{urn:example:inventory:types}ArrayOfString"},
    }
    # soapenc:string is the xsd:string it wraps
    assert request["properties"]["warehouse"] == {
        "type": "string",
        "xml": {"name": "warehouse", "type": "{http://www.w3.org/2001/XMLSchema}string"},
    }
    answer = ir.thaw(find.outputs[0].message.contents[0].schema)
    item = answer["properties"]["items"]["items"]
    assert item["xml"] == {"name": "item", "type": "{urn:example:inventory:types}Item"}
    assert item["x-order"] == ["sku", "quantity", "price"]
    assert item["properties"]["quantity"]["xml"]["type"] == "{http://www.w3.org/2001/XMLSchema}int"


def test_mockc_init_finds_an_rpc_encoded_wsdl(tmp_path: Path) -> None:
    from mockc.compiler.config import find_specs

    folder = tmp_path / "specs"
    folder.mkdir()
    wsdl = folder / "ndfdXML.wsdl"
    wsdl.write_bytes((CORPUS / "nws-ndfd-rpc-encoded" / "ndfdXML.wsdl").read_bytes())
    assert find_specs([tmp_path]) == [wsdl]


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        (None, "two.wsdl:1: error: WSDL 2.0 is not supported yet (WSDL 1.1 is)"),
    ],
    ids=["wsdl-2.0"],
)
def test_mockc_generate_says_what_is_not_supported_and_where(
    tmp_path: Path, spec: Path | None, said: str
) -> None:
    if spec is None:
        spec = tmp_path / "two.wsdl"
        spec.write_text(
            '<?xml version="1.0"?>\n<description xmlns="http://www.w3.org/ns/wsdl" '
            'targetNamespace="urn:two"><interface name="I"/></description>\n',
            encoding="utf-8",
        )
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "mockc"),
            "generate",
            str(spec),
            "-o",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert said in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "o" / "server.py").exists()


def test_remote_references_are_refused_unless_allowed(tmp_path: Path) -> None:
    wsdl = tmp_path / "remote.wsdl"
    wsdl.write_text(
        '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:t">'
        '<import namespace="urn:x" location="http://example.invalid/other.wsdl"/></definitions>',
        encoding="utf-8",
    )
    with pytest.raises(SpecError, match="remote reference .*allow-remote-refs"):
        load(wsdl)


def test_a_dtd_in_a_wsdl_is_refused(tmp_path: Path) -> None:
    wsdl = tmp_path / "xxe.wsdl"
    wsdl.write_text(
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:t">'
        "<documentation>&x;</documentation></definitions>",
        encoding="utf-8",
    )
    with pytest.raises(SpecError) as raised:
        load(wsdl)
    assert raised.value.diagnostics[0].file == str(wsdl)
    assert "refused" in raised.value.diagnostics[0].message


def test_malformed_xml_names_file_and_line(tmp_path: Path) -> None:
    wsdl = tmp_path / "broken.wsdl"
    wsdl.write_text(
        '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/">\n<types>\n</definitions>\n',
        encoding="utf-8",
    )
    with pytest.raises(SpecError) as raised:
        load(wsdl)
    assert raised.value.diagnostics[0].file.endswith("broken.wsdl")
    assert "malformed XML" in raised.value.diagnostics[0].message


def test_wsdl_2_is_refused_as_not_supported(tmp_path: Path) -> None:
    wsdl = tmp_path / "two.wsdl"
    wsdl.write_text('<description xmlns="http://www.w3.org/ns/wsdl"/>', encoding="utf-8")
    with pytest.raises(SpecError, match="WSDL 2.0 is not supported yet"):
        load(wsdl)


EXPECTED_FAILURES = {
    "zeep-tests/soap_import_2.wsdl": "declares no SOAP operation",  # abstract: what main imports
    "zeep-tests/http.wsdl": "declares no SOAP operation",  # HTTP GET/POST bindings only
    "onvif/bw-2.wsdl": "declares no SOAP operation",  # abstract: port types, no binding
    "onvif/rw-2.wsdl": "declares no SOAP operation",  # abstract: port types, no binding
}
"""Corpus WSDLs that do not load yet, with the reason."""


@pytest.mark.parametrize(
    "name", sorted(path.relative_to(CORPUS).as_posix() for path in CORPUS.rglob("*.wsdl"))
)
def test_every_corpus_wsdl_loads_or_fails_for_its_listed_reason(name: str) -> None:
    if name not in EXPECTED_FAILURES:
        api = load(CORPUS / name)
        IrChecker().check(api, after="wsdl")
        assert api.operations
        return
    with pytest.raises(SpecError) as raised:
        load(CORPUS / name)
    assert EXPECTED_FAILURES[name] in str(raised.value), "it fails for another reason now"


FACET_WSDL = """<?xml version="1.0"?>
DOCTYPE
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:t"
    xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <types><xsd:schema targetNamespace="urn:t">IMPORT
    <xsd:simpleType name="Colour"><xsd:restriction base="xsd:string">
      <xsd:enumeration value="red"/><xsd:enumeration value="ENTITY"/>
    </xsd:restriction></xsd:simpleType>
  </xsd:schema></types>
</definitions>
"""


@pytest.mark.parametrize(
    ("doctype", "entity", "inner"),
    [
        ("", "blue", ""),
        ('<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/hostname">]>', "&x;", ""),
        ('<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>', "&b;", ""),
        ("", "blue", '<xsd:import namespace="urn:o" schemaLocation="../outside.xsd"/>'),
        ("", "blue", '<xsd:import namespace="urn:o" schemaLocation="http://127.0.0.1:9/o.xsd"/>'),
    ],
    ids=["plain", "xxe", "entities", "outside", "remote"],
)
def test_the_facet_reader_reads_no_dtd_entity_outside_file_or_network(
    tmp_path: Path, doctype: str, entity: str, inner: str
) -> None:
    from mockc.compiler.frontends.wsdl.facets import read_facets

    (tmp_path / "outside.xsd").write_text(
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:o">'
        '<xsd:simpleType name="O"><xsd:restriction base="xsd:string"><xsd:maxLength value="1"/>'
        "</xsd:restriction></xsd:simpleType></xsd:schema>",
        encoding="utf-8",
    )
    folder = tmp_path / "wsdl"
    folder.mkdir()
    path = folder / "t.wsdl"
    text = FACET_WSDL.replace("DOCTYPE", doctype).replace("ENTITY", entity).replace("IMPORT", inner)
    path.write_text(text, encoding="utf-8")
    facets = read_facets(path)
    assert "{urn:o}O" not in facets
    if doctype:
        assert facets == {}  # refused as a whole: nothing expanded
    else:
        assert facets["{urn:t}Colour"] == {"enum": ["red", "blue"]}
