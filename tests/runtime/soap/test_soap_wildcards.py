"""Required ``xsd:any``s in answers (wildcards.wsdl, written for this test:
strict ones of any namespace, of the target namespace and of another one,
lax ones limited to a namespace and to no namespace): fake data of several
seeds is valid XSD for xmlschema and libxml2, the server's generated answer
passes its own check and zeep and suds read it; the strict ``##local`` one no
element fits is reported as the generation warned."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import zeep
from lxml import etree
from suds.client import Client as SudsClient

from mockc.compiler import ir
from mockc.compiler.frontends.wsdl import load
from mockc.runtime.fake import FakeData
from mockc.runtime.soap.validation import LibxmlSchemas, XmlschemaSchemas
from mockc.runtime.soap.xml_values import write_element
from tests.support.servers import ServerProcess

from .soap_kit import generate

WSDL = Path(__file__).with_name("wildcards.wsdl")
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"


def test_fake_answers_of_several_seeds_are_valid_xsd() -> None:
    schema: dict[str, Any] = ir.thaw(
        load(WSDL).operation("Ext_Get").outputs[0].message.contents[0].schema
    )
    checks = (XmlschemaSchemas.load(WSDL), LibxmlSchemas.load(WSDL))
    for seed in range(4):
        value = FakeData({}, seed=seed).generate(schema, key="Ext_Get/GetResponse")
        element = write_element(None, schema, value)
        children = [child.tag for child in element[0]]
        assert children == [
            "{urn:ext}id", "{urn:ext}Revision", "{urn:ext}Revision",
            "{urn:ext:meta}Label", "{urn:ext:meta}Label", "any",
        ]  # fmt: skip
        assert 1 <= int(element[0][1].text or "") <= 9
        for check in checks:
            assert check.problems(element) == [], (seed, etree.tostring(element))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = generate(WSDL, tmp_path_factory.mktemp("wildcards"))
    with ServerProcess([sys.executable, "server.py"], out) as process:
        yield process


def _call(server: ServerProcess, operation: str) -> httpx.Response:
    return httpx.post(
        server.url + "/ext",
        content=f'<s:Envelope xmlns:s="{SOAP11}"><s:Body><{operation} xmlns="urn:ext">'
        f"<id>a</id></{operation}></s:Body></s:Envelope>".encode(),
        headers={"content-type": "text/xml", "soapaction": f'"urn:ext/{operation}"'},
    )


def test_the_generated_answer_passes_the_server_s_check(server: ServerProcess) -> None:
    answer = _call(server, "Get")
    assert answer.status_code == 200, answer.text
    assert "x-mockc-answer-problem" not in answer.headers
    body = etree.fromstring(answer.content).find(f"{{{SOAP11}}}Body")
    assert body is not None
    item = body[0][0]
    assert [child.tag for child in item][1:4] == [
        "{urn:ext}Revision", "{urn:ext}Revision", "{urn:ext:meta}Label",
    ]  # fmt: skip


def test_the_strict_local_wildcard_no_element_fits_is_reported(server: ServerProcess) -> None:
    answer = _call(server, "Local")
    assert answer.status_code == 200
    assert "LocalResponse" in answer.headers["x-mockc-answer-problem"]


def test_zeep_and_suds_read_the_answer(server: ServerProcess) -> None:
    body = etree.fromstring(_call(server, "Get").content).find(f"{{{SOAP11}}}Body")
    assert body is not None
    texts = [child.text for child in body[0][0]]
    read = zeep.Client(f"{server.url}/ext?wsdl").service.Get(id="a")
    assert read.id == texts[0]
    assert [read._value_1, read._value_2] == [int(texts[1] or ""), int(texts[2] or "")]
    assert [read._value_3, read._value_4] == texts[3:5]
    assert read._value_5.tag == "any" and read._value_5.text == texts[5]
    suds = SudsClient(f"{server.url}/ext?wsdl", cache=None).service.Get(id="a")
    assert (suds.id, suds.Revision, suds.Label, suds.any) == (
        texts[0], texts[1:3], texts[3:5], texts[5],
    )  # fmt: skip
