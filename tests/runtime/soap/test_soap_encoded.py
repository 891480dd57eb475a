"""rpc/encoded services (SOAP 1.1 section 5), served by generated servers and
called by real clients: suds-community (which speaks SOAP encoding) on every
operation of the National Weather Service's NDFD WSDL and of a hand-written
WSDL with a complex type and SOAP-ENC arrays (``inventory_encoded.wsdl``);
zeep on both; hand-written envelopes for what clients send (multi-reference
``href``) and what they must not (bad references, wrong ``xsi:type``)."""

from __future__ import annotations

import datetime
import decimal
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import zeep
from lxml import etree
from suds.client import Client as SudsClient
from zeep.transports import Transport

from mockc.compiler.frontends.wsdl.reading import SOAP_ENCODING_NS, soap_encoding_schema
from tests.support.servers import ServerProcess

from .soap_kit import CORPUS, generate

NDFD = CORPUS / "nws-ndfd-rpc-encoded" / "ndfdXML.wsdl"
NDFD_ADDRESS = "/xml/SOAP_server/ndfdXMLserver.php"
NDFD_NS = "http://graphical.weather.gov/xml/DWMLgen/wsdl/ndfdXML.wsdl"
INVENTORY = Path(__file__).with_name("inventory_encoded.wsdl")
INVENTORY_NS = "urn:example:inventory"
ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/"

NDFD_MOCKS = {
    "corner-points-alaska": """\
id: corner-points-alaska
operation: ndfdXMLPortType_CornerPoints
priority: 10
match:
  when: request.body.CornerPoints.sector == 'alaska'
response:
  status: CornerPointsResponse
  body: {listLatLonOut: "61.5,-150.25 62.5,-151.75"}
""",
    "subgrid-of-a-referenced-value": """\
id: subgrid-of-a-referenced-value
operation: ndfdXMLPortType_LatLonListSubgrid
priority: 10
match:
  when: request.body.LatLonListSubgrid.resolution == 42.5
response:
  status: LatLonListSubgridResponse
  body: {listLatLonOut: "42.5,-42.5"}
""",
    "zip-code-answer-off-pattern": """\
id: zip-code-answer-off-pattern
operation: ndfdXMLPortType_LatLonListZipCode
priority: 10
match:
  when: request.body.LatLonListZipCode.zipCodeList == '99999'
response:
  status: LatLonListZipCodeResponse
  body: {listLatLonOut: "nowhere"}
""",
}
INVENTORY_MOCKS = {
    "special-item": """\
id: special-item
operation: Inventory_storeItem
priority: 10
match:
  when: request.body.storeItem.item.sku == 'special' and request.body.storeItem.restock == true
response:
  status: storeItemResponse
  body:
    stored: {sku: special, quantity: 7, price: 2.5}
    count: 7
""",
    "two-skus": """\
id: two-skus
operation: Inventory_findItems
priority: 10
match:
  when: request.body.findItems.warehouse == 'north'
response:
  status: findItemsResponse
  body:
    items:
    - {sku: a, quantity: 1, price: 1.25}
    - {sku: b, quantity: 2, price: 2.5}
""",
}

NDFD_VALUES: dict[str, Any] = {
    "decimal": decimal.Decimal("38.99"),
    "dateTime": datetime.datetime(2026, 1, 2, 3, 4, 5),
    "date": datetime.date(2026, 1, 2),
    "integer": 1,
    "string": "maxt",
    "productType": "time-series",
    "unitType": "e",
    "formatType": "24 hourly",
    "listLatLonType": "38.99,-77.01",
    "zipCodeListType": "20910",
    "sectorType": "conus",
    "featureTypeType": "Forecast_Gml2Point",
    "compTypeType": "IsEqual",
    "displayLevelType": 1,
}
"""A valid value of each type an NDFD part has (by the type's local name)."""


class _LocalEncodingSchema(Transport):  # type: ignore[misc]
    """zeep imports the SOAP encoding schema by its URL; this machine has no
    network, so it gets the copy the compiler uses."""

    def load(self, url: str) -> bytes:
        if url.rstrip("/") == SOAP_ENCODING_NS.rstrip("/"):
            return soap_encoding_schema()
        content: bytes = super().load(url)
        return content


def _serve(wsdl: Path, out: Path, mocks: dict[str, str]) -> ServerProcess:
    generate(wsdl, out)
    for name, text in mocks.items():
        (out / "mocks" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return ServerProcess([sys.executable, "server.py"], out)


@pytest.fixture(scope="module")
def ndfd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with _serve(NDFD, tmp_path_factory.mktemp("ndfd"), NDFD_MOCKS) as server:
        yield server
        assert server.terminate() == 0


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with _serve(INVENTORY, tmp_path_factory.mktemp("inventory"), INVENTORY_MOCKS) as server:
        yield server
        assert server.terminate() == 0


def _ndfd_arguments(suds: SudsClient, name: str) -> list[Any]:
    method = suds.wsdl.services[0].ports[0].methods[name]
    arguments: list[Any] = []
    for part in method.soap.input.body.parts:
        type_name, namespace = part.type
        if type_name == "weatherParametersType":
            weather = suds.factory.create(f"{{{namespace}}}{type_name}")
            for key in weather.__keylist__:
                setattr(weather, key, key == "maxt")
            arguments.append(weather)
        else:
            arguments.append(NDFD_VALUES[type_name])
    return arguments


def _patterns(wsdl: Path) -> dict[str, str]:
    """The pattern of each named simple type of a WSDL's schema (by local name)."""
    tree = etree.parse(str(wsdl))
    xsd = "http://www.w3.org/2001/XMLSchema"
    return {
        str(simple.get("name")): str(pattern.get("value"))
        for simple in tree.iter(f"{{{xsd}}}simpleType")
        for pattern in simple.iter(f"{{{xsd}}}pattern")
    }


def test_suds_calls_every_ndfd_operation_and_reads_the_declared_types(
    ndfd: ServerProcess,
) -> None:
    suds = SudsClient(f"{ndfd.url}{NDFD_ADDRESS}?wsdl", cache=None)
    methods = suds.wsdl.services[0].ports[0].methods
    assert len(methods) == 12
    patterns = _patterns(NDFD)
    for name, method in methods.items():
        answer = getattr(suds.service, name)(*_ndfd_arguments(suds, name))
        sent = suds.last_sent().str()
        assert 'xsi:type="' in sent and "encodingStyle" in sent, name
        received = etree.fromstring(suds.last_received().str().encode())
        [element] = received.find(f"{{{ENVELOPE}}}Body")
        assert element.tag == f"{{{NDFD_NS}}}{name}Response", name
        assert element.get(f"{{{ENVELOPE}}}encodingStyle") == SOAP_ENCODING_NS
        [part] = method.soap.output.body.parts
        [accessor] = element
        assert accessor.tag == part.name  # unqualified
        type_name = part.type[0]
        assert accessor.get("{http://www.w3.org/2001/XMLSchema-instance}type", "").endswith(
            ":" + type_name
        ), name
        assert isinstance(answer, str) and answer, name
        if type_name in patterns:  # the fake value has the declared lexical form
            assert re.fullmatch(patterns[type_name], answer), (name, answer)


def test_a_mock_matches_on_an_encoded_part_value(ndfd: ServerProcess) -> None:
    suds = SudsClient(f"{ndfd.url}{NDFD_ADDRESS}?wsdl", cache=None)
    assert suds.service.CornerPoints("alaska") == "61.5,-150.25 62.5,-151.75"
    assert suds.service.CornerPoints("conus") != "61.5,-150.25 62.5,-151.75"


def test_zeep_calls_every_ndfd_operation(ndfd: ServerProcess) -> None:
    """zeep writes rpc/encoded requests without xsi:type or encodingStyle (it
    reads SOAP encoding only partly), which section 5 allows: the server reads
    the accessors by the WSDL's types."""
    client = zeep.Client(f"{ndfd.url}{NDFD_ADDRESS}?wsdl")
    weather = {name: name == "maxt" for name in _weather_members(client)}
    calls = {
        "NDFDgen": (38.99, -77.01, "time-series", _time(), _time(), "e", weather),
        "NDFDgenByDay": (38.99, -77.01, datetime.date(2026, 1, 2), 1, "e", "24 hourly"),
        "NDFDgenLatLonList": ("38.99,-77.01", "glance", _time(), _time(), "m", weather),
        "NDFDgenByDayLatLonList": ("38.99,-77.01", datetime.date(2026, 1, 2), 2, "e", "12 hourly"),
        "GmlLatLonList": ("38.99,-77.01", _time(), "Forecast_Gml2Point", weather),
        "GmlTimeSeries": ("38.99,-77.01", _time(), _time(), "IsEqual", "Ndfd_KmlPoint", "maxt"),
        "LatLonListSubgrid": (35.0, -80.0, 36.0, -79.0, 20.0),
        "LatLonListLine": (35.0, -80.0, 36.0, -79.0),
        "LatLonListZipCode": ("20910 25414",),
        "LatLonListSquare": (35.0, -80.0, 1.0, 1.0, 20.0),
        "CornerPoints": ("alaska",),
        "LatLonListCityNames": (1234,),
    }
    for name, arguments in calls.items():
        answer = getattr(client.service, name)(*arguments)
        assert isinstance(answer, str) and answer, name
    assert client.service.CornerPoints("alaska") == "61.5,-150.25 62.5,-151.75"


def _weather_members(client: zeep.Client) -> list[str]:
    weather = client.get_type(
        "{http://graphical.weather.gov/xml/DWMLgen/schema/DWML.xsd}weatherParametersType"
    )
    return [name for name, _ in weather.elements]


def _time() -> datetime.datetime:
    return datetime.datetime(2026, 1, 2, 3, 4, 5)


def test_suds_sends_and_reads_arrays_and_structs(inventory: ServerProcess) -> None:
    suds = SudsClient(f"{inventory.url}/inventory?wsdl", cache=None)
    items = suds.service.findItems(["a", "b"], "north")
    assert [(item.sku, item.quantity, item.price) for item in items] == [
        ("a", 1, 1.25),
        ("b", 2, 2.5),
    ]
    received = etree.fromstring(suds.last_received().str().encode())
    array = received.find(f".//{{{INVENTORY_NS}}}findItemsResponse/items")
    assert array is not None
    xsi = "{http://www.w3.org/2001/XMLSchema-instance}type"
    assert array.get(xsi) == "SOAP-ENC:Array"
    prefix, _, array_type = array.get(f"{{{SOAP_ENCODING_NS}}}arrayType", "").partition(":")
    assert (array.nsmap[prefix], array_type) == ("urn:example:inventory:types", "Item[2]")
    item = suds.factory.create("{urn:example:inventory:types}Item")
    item.sku, item.quantity, item.price = "special", 3, 1.5
    stored = suds.service.storeItem(item, True)
    assert (stored.stored.sku, stored.stored.quantity, stored.count) == ("special", 7, 7)
    item.sku = "other"
    generated = suds.service.storeItem(item, False)  # the generated mock's fake values
    assert isinstance(generated.stored.quantity, int) and isinstance(generated.count, int)
    assert isinstance(generated.stored.price, float)


def test_zeep_sends_and_reads_arrays_and_structs(inventory: ServerProcess) -> None:
    client = zeep.Client(f"{inventory.url}/inventory?wsdl", transport=_LocalEncodingSchema())
    skus = client.get_type("{urn:example:inventory:types}ArrayOfString")
    items = client.service.findItems(skus(["a", "b"]), "north")
    assert [(item.sku, item.quantity, item.price) for item in items] == [
        ("a", 1, 1.25),
        ("b", 2, 2.5),
    ]
    stored = client.service.storeItem({"sku": "special", "quantity": 3, "price": 1.5}, True)
    assert (stored.stored.sku, stored.count) == ("special", 7)


def _post(server: ServerProcess, path: str, body: str, action: str = '""') -> httpx.Response:
    envelope = (
        f'<soapenv:Envelope xmlns:soapenv="{ENVELOPE}"'
        ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f' xmlns:soapenc="{SOAP_ENCODING_NS}">'
        f'<soapenv:Body soapenv:encodingStyle="{SOAP_ENCODING_NS}">{body}</soapenv:Body>'
        "</soapenv:Envelope>"
    )
    return httpx.post(
        server.url + path,
        content=envelope.encode(),
        headers={"content-type": "text/xml; charset=utf-8", "soapaction": action},
    )


SUBGRID = (
    f'<ns1:LatLonListSubgrid xmlns:ns1="{NDFD_NS}">'
    '<lowerLeftLatitude xsi:type="xsd:decimal">35</lowerLeftLatitude>'
    '<lowerLeftLongitude xsi:type="xsd:decimal">-80</lowerLeftLongitude>'
    '<upperRightLatitude xsi:type="xsd:decimal">36</upperRightLatitude>'
    '<upperRightLongitude xsi:type="xsd:decimal">-79</upperRightLongitude>'
    "{resolution}</ns1:LatLonListSubgrid>{after}"
)


def test_a_multi_reference_value_is_followed_as_axis_sends_it(ndfd: ServerProcess) -> None:
    answer = _post(
        ndfd,
        NDFD_ADDRESS,
        SUBGRID.format(
            resolution='<resolution href="#id0"/>',
            after='<multiRef id="id0" soapenc:root="0" xsi:type="xsd:decimal">42.5</multiRef>',
        ),
    )
    assert answer.status_code == 200, answer.text
    assert "<listLatLonOut" in answer.text and "42.5,-42.5" in answer.text


@pytest.mark.parametrize(
    ("resolution", "after", "said"),
    [
        ('<resolution href="#nowhere"/>', "", "href '#nowhere' names no element of the Body"),
        (
            '<resolution href="#a"/>',
            '<multiRef id="a" href="#b"/><multiRef id="b" href="#a"/>',
            "leads back to itself",
        ),
        (
            '<resolution xsi:type="xsd:boolean">true</resolution>',
            "",
            "xsi:type 'xsd:boolean' does not fit the declared type",
        ),
        ('<resolution xsi:type="nope:decimal">1</resolution>', "", "undeclared prefix"),
        ("<resolution>twenty</resolution>", "", "'twenty' is not a number"),
        ("", "", "/LatLonListSubgrid/resolution: missing"),
    ],
    ids=[
        "dangling-href",
        "href-cycle",
        "wrong-xsi-type",
        "unknown-prefix",
        "not-a-number",
        "no-part",
    ],
)
def test_a_malformed_encoded_request_is_a_client_fault(
    ndfd: ServerProcess, resolution: str, after: str, said: str
) -> None:
    answer = _post(ndfd, NDFD_ADDRESS, SUBGRID.format(resolution=resolution, after=after))
    assert answer.status_code == 500  # SOAP 1.1 sends every fault with 500
    fault = etree.fromstring(answer.content).find(f".//{{{ENVELOPE}}}Fault")
    assert fault is not None, answer.text
    assert fault.findtext("faultcode") == "soap:Client", answer.text
    assert said in (fault.findtext("faultstring") or ""), answer.text


def test_an_enumerated_part_outside_its_values_is_a_client_fault(ndfd: ServerProcess) -> None:
    answer = _post(
        ndfd,
        NDFD_ADDRESS,
        f'<ns1:CornerPoints xmlns:ns1="{NDFD_NS}"><sector xsi:type="xsd:string">mars</sector>'
        "</ns1:CornerPoints>",
    )
    fault = etree.fromstring(answer.content).find(f".//{{{ENVELOPE}}}Fault")
    assert fault is not None and fault.findtext("faultcode") == "soap:Client"
    assert "'mars' is not one of" in (fault.findtext("faultstring") or "")


def test_an_encoded_answer_off_its_declared_type_is_reported(ndfd: ServerProcess) -> None:
    checked = "x-mockc-answer-problem"
    good = _post(
        ndfd,
        NDFD_ADDRESS,
        f'<ns1:LatLonListZipCode xmlns:ns1="{NDFD_NS}">'
        '<zipCodeList xsi:type="xsd:string">20910</zipCodeList></ns1:LatLonListZipCode>',
    )
    assert good.status_code == 200 and checked not in good.headers
    bad = _post(
        ndfd,
        NDFD_ADDRESS,
        f'<ns1:LatLonListZipCode xmlns:ns1="{NDFD_NS}">'
        '<zipCodeList xsi:type="xsd:string">99999</zipCodeList></ns1:LatLonListZipCode>',
    )
    assert bad.status_code == 200  # sent as the mock says, and reported
    assert "<listLatLonOut" in bad.text and ">nowhere<" in bad.text
    assert bad.headers[checked].startswith(
        "/LatLonListZipCodeResponse/listLatLonOut: 'nowhere' does not match"
    )


def test_with_checks_off_values_pass_but_references_must_resolve(ndfd: ServerProcess) -> None:
    with ServerProcess(
        [sys.executable, "server.py"], ndfd.cwd, env={"MOCKC_VALIDATE": "0"}
    ) as unchecked:
        loose = _post(
            unchecked,
            NDFD_ADDRESS,
            SUBGRID.format(resolution="<resolution>twenty</resolution>", after=""),
        )
        assert loose.status_code == 200, loose.text
        dangling = _post(
            unchecked,
            NDFD_ADDRESS,
            SUBGRID.format(resolution='<resolution href="#nowhere"/>', after=""),
        )
        assert dangling.status_code == 500
        assert "names no element of the Body" in dangling.text


def test_an_encoded_operation_without_output_parts(tmp_path: Path) -> None:
    """zeep-tests' claim.wsdl: one part in, an output message with no part
    (the answer is the empty response element)."""
    with _serve(CORPUS / "zeep-tests" / "claim.wsdl", tmp_path / "claim", {}) as server:
        suds = SudsClient(f"{server.url}/claim.svc?wsdl", cache=None)
        assert suds.service.GetClaimDetails("C-1") is None
        received = etree.fromstring(suds.last_received().str().encode())
        [element] = received.find(f"{{{ENVELOPE}}}Body")
        assert element.tag == "{http://schemas.risk-stuff.com/soap/}GetClaimDetailsResponse"
        assert len(element) == 0
        client = zeep.Client(f"{server.url}/claim.svc?wsdl")
        assert client.service.GetClaimDetails("C-2") is None
        journal = httpx.get(server.url + "/__mockc/journal").json()["entries"]
        assert [entry["status"] for entry in journal] == ["GetClaimDetailsResponse"] * 2
