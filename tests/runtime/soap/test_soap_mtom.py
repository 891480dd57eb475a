"""MTOM/XOP requests (``multipart/related; type="application/xop+xml"``):
the root part is the envelope, each ``xop:Include`` reads as its attachment's
bytes in base64, so mocks match and the schemas check the inline value.
zeep and suds cannot send MTOM, so the requests are written as MIME by
Python's ``email`` package and by hand (the layout node-soap sends)."""

from __future__ import annotations

import base64
import sys
from collections.abc import Iterator
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.policy import HTTP
from pathlib import Path

import httpx
import pytest

from tests.support.servers import ServerProcess

from .soap_kit import generate

PAYLOAD = b"\x00\x01binary \xff payload"
MATCHING = f"""\
id: the-payload
operation: Files_Upload
priority: 10
match:
  when: request.body.Upload.data == "{base64.b64encode(PAYLOAD).decode()}"
response:
  status: UploadResponse
  body: {{size: {len(PAYLOAD)}}}
"""
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
XOP = "http://www.w3.org/2004/08/xop/include"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = generate(Path(__file__).with_name("files.wsdl"), tmp_path_factory.mktemp("files"))
    (out / "mocks" / "the-payload.yaml").write_text(MATCHING, encoding="utf-8")
    with ServerProcess([sys.executable, "server.py"], out) as process:
        yield process


def _envelope(namespace: str, href: str = "cid:payload@mockc") -> bytes:
    return (
        f'<s:Envelope xmlns:s="{namespace}"><s:Body><Upload xmlns="urn:files">'
        f'<name>f.bin</name><data><xop:Include xmlns:xop="{XOP}" href="{href}"/></data>'
        "</Upload></s:Body></s:Envelope>"
    ).encode()


def _mime(envelope: bytes, soap_type: str, payload: bytes = PAYLOAD) -> tuple[bytes, str]:
    """A multipart/related request as Python's email package writes it."""
    related = MIMEMultipart(
        "related", type="application/xop+xml", start="<root@mockc>", start_info=soap_type
    )
    root = MIMEApplication(envelope, "xop+xml", _encoder=lambda part: None)
    root.set_param("charset", "utf-8")
    root.set_param("type", soap_type)
    root["Content-ID"] = "<root@mockc>"
    related.attach(root)
    attachment = MIMEApplication(payload, "octet-stream")  # Content-Transfer-Encoding: base64
    attachment["Content-ID"] = "<payload@mockc>"
    related.attach(attachment)
    raw = related.as_bytes(policy=HTTP)
    head, _, body = raw.partition(b"\r\n\r\n")
    content_type = next(
        line.split(":", 1)[1].strip()
        for line in head.decode().replace("\r\n\t", " ").replace("\r\n ", " ").splitlines()
        if line.lower().startswith("content-type:")
    )
    return body, content_type


def _by_hand(envelope: bytes, soap_type: str, extra: str = "") -> tuple[bytes, str]:
    """The layout node-soap sends: binary parts, no start parameter."""
    boundary = "mockc-boundary-1"
    body = (
        f"--{boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; "
        f'type="{soap_type}"\r\nContent-ID: <root@mockc>\r\n\r\n'.encode()
        + envelope
        + f"\r\n--{boundary}\r\nContent-Type: application/octet-stream\r\n"
        "Content-Transfer-Encoding: binary\r\nContent-ID: <payload@mockc>\r\n\r\n".encode()
        + PAYLOAD
        + f"\r\n--{boundary}--\r\n".encode()
    )
    content_type = (
        f'multipart/related; type="application/xop+xml"; start-info="{soap_type}"; '
        f'boundary="{boundary}"{extra}'
    )
    return body, content_type


def test_an_mtom_request_reads_its_attachment_as_base64(server: ServerProcess) -> None:
    body, content_type = _mime(_envelope(SOAP11), "text/xml")
    answer = httpx.post(
        server.url + "/files",
        content=body,
        headers={"content-type": content_type, "soapaction": '"urn:files/Upload"'},
    )
    assert answer.status_code == 200, answer.text
    assert f"<ns0:size>{len(PAYLOAD)}</ns0:size>".encode() in answer.content  # the mock matched
    entry = httpx.get(server.url + "/__mockc/journal", params={"limit": 1}).json()["entries"][0]
    assert entry["source"] == "mock:the-payload"


def test_a_soap12_mtom_request_with_its_action_on_the_multipart_type(
    server: ServerProcess,
) -> None:
    body, content_type = _by_hand(
        _envelope(SOAP12), "application/soap+xml", '; action="urn:files/Upload"'
    )
    answer = httpx.post(
        server.url + "/files12", content=body, headers={"content-type": content_type}
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/soap+xml")
    assert f"<ns0:size>{len(PAYLOAD)}</ns0:size>".encode() in answer.content


def test_other_attachments_are_checked_as_base64_values(server: ServerProcess) -> None:
    body, content_type = _by_hand(_envelope(SOAP11), "text/xml")
    answer = httpx.post(
        server.url + "/files",
        content=body.replace(PAYLOAD, b"other bytes"),
        headers={"content-type": content_type, "soapaction": '"urn:files/Upload"'},
    )
    assert answer.status_code == 200, answer.text  # valid base64Binary; the generated mock answers
    assert b"UploadResponse" in answer.content


@pytest.mark.parametrize(
    ("envelope", "mangle", "named"),
    [
        (_envelope(SOAP11, "cid:missing@mockc"), None, b"names no attachment"),
        (_envelope(SOAP11, "http://127.0.0.1:9/x"), None, b"is not a cid: URL"),
        (_envelope(SOAP11), b"--mockc-boundary-1--", b"without its closing boundary"),
        (b"<s:Envelope", None, b"malformed XML"),
    ],
    ids=["unknown-cid", "not-cid", "unclosed", "malformed-root"],
)
def test_bad_multipart_requests_are_client_faults(
    server: ServerProcess, envelope: bytes, mangle: bytes | None, named: bytes
) -> None:
    body, content_type = _by_hand(envelope, "text/xml")
    if mangle is not None:
        body = body.replace(mangle, b"")
    answer = httpx.post(
        server.url + "/files",
        content=body,
        headers={"content-type": content_type, "soapaction": '"urn:files/Upload"'},
    )
    assert answer.status_code == 500
    assert b"<faultcode>soap:Client</faultcode>" in answer.content
    assert named in answer.content, answer.text
