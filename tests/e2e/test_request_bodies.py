"""Request bodies a spec declares are read as the spec says, over real HTTP: form
fields in bracket keys (deepObject), multipart parts holding JSON, XML by its
``xml`` annotations, opaque media types, and discriminated ``oneOf`` bodies."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.servers import ServerProcess, free_port

SPEC = Path(__file__).parent / "fixtures" / "bodies" / "openapi.yaml"
FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    out = tmp_path_factory.mktemp("bodies") / "server"
    generate([SPEC], out, GenerateOptions())
    command = [sys.executable, "server.py"]
    with (
        ServerProcess(command, cwd=out, port=free_port()) as server,
        httpx.Client(base_url=server.url, timeout=10) as http,
    ):
        yield http


def _violations(response: httpx.Response) -> list[dict[str, str]]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return list(response.json().get("errors", []))


# -- forms -----------------------------------------------------------------------


def test_form_bracket_keys_are_nested_objects_and_arrays(client: httpx.Client) -> None:
    body = (
        "amount=2000&currency=usd&capture=true"
        "&metadata[order_id]=6735&metadata[note]=a%20b"
        "&items[0][price]=3&items[0][quantity]=2&items[1][price]=5"
        "&expand[]=customer&expand[]=invoice"
        "&shipping[name]=Jo&shipping[address][line1]=1%20Main&shipping[address][city]=X"
    )
    response = client.post("/charges", content=body, headers=FORM)
    assert response.status_code == 200, response.text


def test_form_empty_string_clears_an_anyof_object(client: httpx.Client) -> None:
    response = client.post("/charges", content="amount=1&currency=eur&metadata=", headers=FORM)
    assert response.status_code == 200, response.text


def test_form_nested_values_are_validated_where_they_are(client: httpx.Client) -> None:
    body = "amount=2000&currency=usd&items[0][price]=cheap&shipping[address][zip]=1"
    response = client.post("/charges", content=body, headers=FORM)
    assert response.status_code == 422
    pointers = {v["pointer"] for v in _violations(response)}
    assert "/items/0/price" in pointers
    assert any(p.startswith("/shipping") for p in pointers)


def test_form_nesting_is_bounded(client: httpx.Client) -> None:
    key = "metadata" + "[a]" * 40
    response = client.post("/charges", content=f"amount=1&currency=usd&{key}=x", headers=FORM)
    assert response.status_code == 400
    assert "limit is 32" in response.json()["detail"]


def test_form_with_no_fields_is_an_empty_object_not_a_missing_body(client: httpx.Client) -> None:
    response = client.post("/charges", content=b"", headers=FORM)
    assert response.status_code == 422
    assert {v["pointer"] for v in _violations(response)} == {"/amount", "/currency"}


# -- multipart ----------------------------------------------------------------------


def test_multipart_object_part_is_json(client: httpx.Client) -> None:
    files = {
        "file": ("evidence.pdf", b"%PDF-1.4 x", "application/pdf"),
        "purpose": (None, "dispute_evidence"),
        "link": (None, '{"create": true, "expires_at": 1700000000}', "application/json"),
    }
    response = client.post("/files", files=files)
    assert response.status_code == 200, response.text


def test_multipart_bracket_keys_and_repeated_parts(client: httpx.Client) -> None:
    files = [
        ("file", ("a.txt", b"abc", "text/plain")),
        ("purpose", (None, "identity_document")),
        ("link[create]", (None, "false")),
        ("tags", (None, "one")),
        ("tags", (None, "two")),
    ]
    response = client.post("/files", files=files)
    assert response.status_code == 200, response.text


def test_multipart_object_part_that_is_not_the_declared_object(client: httpx.Client) -> None:
    files = {
        "file": ("a.txt", b"abc", "text/plain"),
        "purpose": (None, "dispute_evidence"),
        "link": (None, '{"create": "yes"}'),
    }
    response = client.post("/files", files=files)
    assert response.status_code == 422
    assert [v["pointer"] for v in _violations(response)] == ["/link/create"]


# -- XML and other media types ------------------------------------------------------------


XML = {"content-type": "application/xml"}


def test_xml_body_is_read_by_its_annotations(client: httpx.Client) -> None:
    body = (
        b'<?xml version="1.0"?><pet id="7"><name>Rex</name><age>3</age>'
        b"<tags><tag>a</tag><tag>b</tag></tags><photoUrl>u1</photoUrl><photoUrl>u2</photoUrl></pet>"
    )
    response = client.post("/pets", content=body, headers=XML)
    assert response.status_code == 201, response.text


def test_xml_body_is_validated(client: httpx.Client) -> None:
    body = b'<pet id="seven"><age>old</age><colour>red</colour></pet>'
    response = client.post("/pets", content=body, headers=XML)
    assert response.status_code == 422
    pointers = {v["pointer"] for v in _violations(response)}
    assert {"/id", "/age", "/name"} <= pointers
    assert any("colour" in v["message"] for v in _violations(response))


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<pet><name>&b;</name></pet>",
        b'<!DOCTYPE pet [<!ENTITY x SYSTEM "file:///etc/passwd">]><pet><name>&x;</name></pet>',
        b"<pet><name>unclosed</pet>",
        b"<pet>" + b"<a>" * 300 + b"</a>" * 300 + b"</pet>",
    ],
    ids=["entity-expansion", "external-entity", "malformed", "too-deep"],
)
def test_hostile_or_broken_xml_is_a_400(client: httpx.Client, body: bytes) -> None:
    response = client.post("/pets", content=body, headers=XML)
    assert response.status_code == 400, response.text
    assert "passwd" not in response.text and "root:" not in response.text


@pytest.mark.parametrize(
    ("media_type", "body"),
    [
        ("text/javascript", b"window.pets = [1, 2];"),
        ("application/vnd.custom", b"\x00\x01 opaque"),
        ("application/octet-stream", b"\x89PNG"),
    ],
)
def test_sent_bodies_of_other_declared_types_are_accepted(
    client: httpx.Client, media_type: str, body: bytes
) -> None:
    response = client.post("/pets", content=body, headers={"content-type": media_type})
    assert response.status_code == 201, response.text


def test_a_missing_body_is_still_missing(client: httpx.Client) -> None:
    response = client.post("/pets", headers=XML)
    assert response.status_code == 400
    assert response.json()["detail"] == "the request body is required"


# -- discriminator ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"type": "reboot"},
        {"type": "power_off"},
        {"type": "resize", "size": "s-1vcpu-1gb"},
        {"type": "RenameAction", "name": "web-1"},
    ],
)
def test_discriminator_chooses_the_branch(client: httpx.Client, body: dict[str, str]) -> None:
    response = client.post("/actions", json=body)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"type": "nonsense"}, ""),
        ({"type": "resize"}, "/size"),
        ({"size": "big"}, "/type"),
    ],
)
def test_discriminator_refuses_what_the_chosen_branch_refuses(
    client: httpx.Client, body: dict[str, str], pointer: str
) -> None:
    response = client.post("/actions", json=body)
    assert response.status_code == 422
    assert [v["pointer"] for v in _violations(response)] == [pointer]


def test_fake_answers_follow_the_discriminator(client: httpx.Client) -> None:
    response = client.post("/actions", json={"type": "reboot"}, headers={"Prefer": "dynamic=true"})
    assert response.status_code == 201
    body = response.json()
    assert body["type"] in {"reboot", "power_off", "resize", "RenameAction"}
    if body["type"] == "resize":
        assert "size" in body
