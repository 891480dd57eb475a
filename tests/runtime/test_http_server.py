"""The HTTP adapter over real HTTP: a petstore server in a subprocess."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mockc.runtime import __version__
from tests.support.petstore import (
    http_operation,
    petstore_contract,
    server_command,
    write_server,
)
from tests.support.servers import ServerProcess

HANDLERS = """
def deletePet(request):
    if request.path["petId"] == 13:
        return request.reply(status=404, body={"code": 404, "message": "unlucky"},
                             headers={"X-Hook": "yes"})
    if request.path["petId"] == 66:
        raise RuntimeError("boom")
    return None
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    directory = write_server(tmp_path_factory.mktemp("petstore"), handlers=HANDLERS)
    with ServerProcess(server_command(directory), cwd=directory) as process:
        yield process


@pytest.fixture(scope="module")
def client(server: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=5.0) as http:
        yield http


def problem(response: httpx.Response) -> dict:
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


# -- routing ------------------------------------------------------------------


def test_unknown_path_is_404_with_closest_templates(client: httpx.Client) -> None:
    response = client.get("/petz")
    assert response.status_code == 404
    body = problem(response)
    assert body["title"] == "Not Found"
    assert body["status"] == 404
    assert body["detail"] == "no route for GET /petz"
    assert body["closest"][0] == "/pets"
    assert 1 <= len(body["closest"]) <= 3
    assert "/health" not in body["closest"]


def test_wrong_method_is_405_with_allow(client: httpx.Client) -> None:
    response = client.put("/pets")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST"
    assert problem(response)["status"] == 405


def test_head_answers_like_get_without_body(client: httpx.Client) -> None:
    get = client.get("/pets/5")
    head = client.head("/pets/5")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers["content-type"] == "application/json"


def test_static_segment_wins_over_template(client: httpx.Client) -> None:
    response = client.get("/pets/mine")
    assert response.status_code == 200
    assert response.json() == [{"id": 1, "name": "Tom"}]


def test_trailing_slash_matches_path_without_it(client: httpx.Client) -> None:
    assert client.get("/pets/").status_code == 200


def test_path_params_are_percent_decoded_and_coerced(client: httpx.Client) -> None:
    assert client.get("/pets/%31%32").json() == client.get("/pets/12").json()


# -- responses ----------------------------------------------------------------


def test_fake_data_differs_per_path_param_and_is_stable(client: httpx.Client) -> None:
    first = client.get("/pets/1").json()
    assert client.get("/pets/1").json() == first
    assert client.get("/pets/2").json() != first
    assert isinstance(first["id"], int) and isinstance(first["name"], str)


def test_declared_response_headers_are_filled_but_content_type_is_ours(
    client: httpx.Client,
) -> None:
    response = client.get("/pets")
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-total"].lstrip("-").isdigit()
    compact = json.dumps(response.json(), separators=(",", ":"), ensure_ascii=False)
    assert response.content == compact.encode()


def test_accept_picks_xml_and_406_lists_available(client: httpx.Client) -> None:
    xml = client.get("/pets", headers={"Accept": "application/xml"})
    assert xml.headers["content-type"] == "application/xml"
    assert xml.text.startswith("<")
    fallback = client.get("/pets", headers={"Accept": "application/xml;q=0.5, application/json"})
    assert fallback.headers["content-type"] == "application/json"
    refused = client.get("/pets", headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert problem(refused)["available"] == ["application/json", "application/xml"]


def test_text_plain_example_is_utf8_text(client: httpx.Client) -> None:
    response = client.get("/pets/3/note")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "Good boy"


def test_204_has_no_body(client: httpx.Client) -> None:
    response = client.delete("/pets/3")
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers


def test_default_response_answers_200_without_body(client: httpx.Client) -> None:
    response = client.put("/pets/3/note", content=b"hi", headers={"Content-Type": "text/plain"})
    assert response.status_code == 200
    assert response.content == b""


def test_2xx_range_answers_200(client: httpx.Client) -> None:
    response = client.post("/login", data={"user": "ann", "age": "30", "roles": ["a", "b"]})
    assert response.status_code == 200
    assert isinstance(response.json()["token"], str)


def test_first_example_is_the_default_body(client: httpx.Client) -> None:
    response = client.post("/pets", json={"name": "Rex"})
    assert response.status_code == 201
    assert response.json() == {"id": 7, "name": "Rex"}


# -- Prefer -------------------------------------------------------------------


def test_prefer_code_and_example(client: httpx.Client) -> None:
    response = client.get("/pets/1", headers={"Prefer": "code=404, example=gone"})
    assert response.status_code == 404
    assert response.json() == {"code": 410, "message": "gone"}
    first = client.get("/pets/1", headers={"Prefer": "code=404"})
    assert first.json() == {"code": 404, "message": "no such pet"}


def test_prefer_code_falls_back_to_range_and_default(client: httpx.Client) -> None:
    ranged = client.post("/pets", json={"name": "a"}, headers={"Prefer": "code=409"})
    assert ranged.status_code == 409
    assert set(ranged.json()) >= {"code", "message"}
    default = client.get("/pets/1", headers={"Prefer": "code=503"})
    assert default.status_code == 503


def test_prefer_example_alone_finds_its_output(client: httpx.Client) -> None:
    assert client.get("/pets/mine", headers={"Prefer": "example=dog"}).json()[0]["name"] == "Rex"
    missing = client.get("/pets/1", headers={"Prefer": "example=missing"})
    assert missing.status_code == 404


def test_prefer_dynamic_ignores_examples(client: httpx.Client) -> None:
    response = client.get("/pets/mine", headers={"Prefer": "dynamic=true"})
    assert response.status_code == 200
    assert response.json() not in ([{"id": 1, "name": "Tom"}], [{"id": 2, "name": "Rex"}])


def test_prefer_unknown_example_or_code_is_400_listing_available(client: httpx.Client) -> None:
    unknown = client.get("/pets/mine", headers={"Prefer": "example=fish"})
    assert unknown.status_code == 400
    assert problem(unknown)["available"] == ["cat", "dog"]
    undeclared = client.delete("/pets/1", headers={"Prefer": "code=500"})
    assert undeclared.status_code == 400
    assert problem(undeclared)["available"] == ["204"]


# -- hooks --------------------------------------------------------------------


def test_hook_reply_wins_and_none_falls_through(client: httpx.Client) -> None:
    hooked = client.delete("/pets/13")
    assert hooked.status_code == 404
    assert hooked.json() == {"code": 404, "message": "unlucky"}
    assert hooked.headers["x-hook"] == "yes"
    assert client.delete("/pets/14").status_code == 204


def test_failing_hook_is_500_naming_it(client: httpx.Client, server: ServerProcess) -> None:
    response = client.delete("/pets/66")
    assert response.status_code == 500
    body = problem(response)
    assert body["hook"] == "deletePet"
    assert "RuntimeError: boom" in body["detail"]
    assert "RuntimeError: boom" in server.stderr
    assert client.get("/health").status_code == 200


# -- validation ---------------------------------------------------------------


def test_query_violations_are_400_listing_every_error(client: httpx.Client) -> None:
    response = client.get(
        "/pets",
        params={"limit": "1000", "status": "lost", "filter[age]": "old"},
        headers={"X-Request-Id": "NOT VALID"},
    )
    assert response.status_code == 400
    body = problem(response)
    assert body["title"] == "Request validation failed"
    where = {(error["in"], error["name"], error["pointer"]) for error in body["errors"]}
    assert where == {
        ("query", "limit", "/limit"),
        ("query", "status", "/status"),
        ("query", "filter", "/filter/age"),
        ("header", "X-Request-Id", "/X-Request-Id"),
    }
    assert all(error["message"] for error in body["errors"])


def test_wrong_type_after_coercion_and_bad_path_param(client: httpx.Client) -> None:
    assert client.get("/pets", params={"limit": "ten"}).status_code == 400
    bad = client.get("/pets/zero")
    assert bad.status_code == 400
    assert problem(bad)["errors"][0]["in"] == "path"
    assert client.get("/pets/0").status_code == 400  # minimum 1


def test_valid_query_params_pass(client: httpx.Client) -> None:
    response = client.get(
        "/pets?limit=5&tags=a&tags=b&status=sold&filter[age]=3&filter[kind]=cat",
        headers={"X-Request-Id": "abc-1"},
    )
    assert response.status_code == 200


def test_body_schema_violations_are_422_with_pointers(client: httpx.Client) -> None:
    response = client.post("/pets", json={"name": "", "tags": ["ok", "too-long"], "status": 3})
    assert response.status_code == 422
    pointers = {error["pointer"] for error in problem(response)["errors"]}
    assert pointers == {"/name", "/tags/1", "/status"}


def test_missing_required_property_but_read_only_id_is_not_required(
    client: httpx.Client,
) -> None:
    response = client.post("/pets", json={"tag": "x"})
    assert response.status_code == 422
    errors = problem(response)["errors"]
    assert [error["pointer"] for error in errors] == ["/name"]


def test_missing_body_is_400_and_wrong_content_type_is_415(client: httpx.Client) -> None:
    assert problem(client.post("/pets"))["status"] == 400
    response = client.post("/pets", content=b"name=x", headers={"Content-Type": "text/csv"})
    assert response.status_code == 415
    assert problem(response)["accepted"] == ["application/json"]


def test_malformed_json_and_bad_utf8_are_400(client: httpx.Client) -> None:
    headers = {"Content-Type": "application/json"}
    broken = client.post("/pets", content=b'{"name": ', headers=headers)
    assert broken.status_code == 400
    assert "line 1 column" in problem(broken)["detail"]
    latin = client.post("/pets", content=b'{"name": "\xff"}', headers=headers)
    assert latin.status_code == 400
    assert "UTF-8" in problem(latin)["detail"]


def test_form_body_is_coerced_and_validated(client: httpx.Client) -> None:
    response = client.post("/login", data={"user": "ann", "age": "200"})
    assert response.status_code == 422
    assert problem(response)["errors"][0]["pointer"] == "/age"
    missing = client.post("/login", data={"age": "20"})
    assert [e["pointer"] for e in problem(missing)["errors"]] == ["/user"]
    malformed = client.post(
        "/login",
        content=b"user=ann&age",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert malformed.status_code == 400


def test_multipart_fields_are_validated_and_files_accepted(client: httpx.Client) -> None:
    files = {"file": ("photo.png", b"\x89PNG...", "image/png")}
    ok = client.post("/pets/1/photo", data={"caption": "hi", "width": "3"}, files=files)
    assert ok.status_code == 200
    too_long = client.post("/pets/1/photo", data={"caption": "x" * 30}, files=files)
    assert too_long.status_code == 422
    assert problem(too_long)["errors"][0]["pointer"] == "/caption"
    no_file = client.post("/pets/1/photo", data={"caption": "hi"}, files={"other": b"1"})
    assert [e["pointer"] for e in problem(no_file)["errors"]] == ["/file"]


def test_opaque_body_is_accepted_as_bytes(client: httpx.Client) -> None:
    response = client.put(
        "/pets/1/note", content=b"\x00\x01", headers={"Content-Type": "application/octet-stream"}
    )
    assert response.status_code == 200


# -- health -------------------------------------------------------------------


def test_health_and_builtin_health(client: httpx.Client) -> None:
    for path in ("/health", "/__mockc/health"):
        body = client.get(path).json()
        assert body["status"] == "ok"
        assert body["version"] == __version__
        assert isinstance(body["uptime"], float)


def test_contract_health_operation_wins(tmp_path: Path) -> None:
    contract = petstore_contract()
    contract["operations"].append(
        http_operation(
            "health",
            "GET",
            "/health",
            responses=[
                {
                    "key": "200",
                    "description": "",
                    "headers": [],
                    "contents": {
                        "application/json": {"schema": {}, "examples": {"up": {"up": True}}}
                    },
                }
            ],
        )
    )
    directory = write_server(tmp_path, contract)
    with ServerProcess(
        server_command(directory), cwd=directory, health_path="/__mockc/health"
    ) as srv:
        assert httpx.get(srv.url + "/health").json() == {"up": True}
        assert httpx.get(srv.url + "/__mockc/health").json()["status"] == "ok"


def test_contract_file_round_trips() -> None:
    assert json.loads(json.dumps(petstore_contract()))["format"] == 2
