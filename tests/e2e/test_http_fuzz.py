"""Property test: mutated requests never make a generated server fail (5xx).

Servers are generated from corpus specs and run as real processes; requests
are written byte by byte on a raw socket, so nothing a client library would
refuse is out of reach: request targets with stray percent-escapes, encoded
NULs and lone surrogates; query strings with brackets, repeated and huge
values; headers with odd media types, Prefer hints and cookies; bodies taken
from the specs' own examples (and the generated mocks) and then mutated.
Every answer must be below 500, except a 5xx the request asked for with
``Prefer: code=5xx`` on an operation that declares it (an injected answer).
"""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.corpus import CORPUS
from tests.support.servers import ServerProcess

SPECS = {
    "petstore-expanded": CORPUS / "openapi/oai-petstore-expanded-v3/petstore-expanded.yaml",
    "uspto": CORPUS / "openapi/oai-uspto-v3/uspto.yaml",
    "api-with-examples": CORPUS / "openapi/oai-api-with-examples-v3/api-with-examples.yaml",
    "uber": CORPUS / "openapi/oai-uber-v2/uber.yaml",
    "adyen-transfers": CORPUS / "openapi/adyen-transfers-v31/TransferService-v4.yaml",
}
TODOS = Path(__file__).parent / "fixtures" / "todos.yaml"
TODO_ACTIONS = {
    "listTodos": "list",
    "createTodo": "create",
    "getTodo": "get",
    "replaceTodo": "replace",
    "patchTodo": "patch",
    "deleteTodo": "delete",
}
TODO_MOCKS = {
    **{
        f"crud-{operation}.yaml": (
            f"operation: {operation}\ncrud: {{collection: todos, action: {action}}}\n"
        )
        for operation, action in TODO_ACTIONS.items()
    },
    "echo.yaml": (
        "operation: createOrder\n"
        "actions: \"state.put('last', request.body.customer)\"\n"
        "response:\n"
        "  status: 201\n"
        "  headers: {X-Customer: '{{ request.body.customer }}', X-Q: '{{ request.query.q }}'}\n"
        "  body:\n"
        "    orderId: '{{ request.headers[\"x-id\"] }}'\n"
        "    customer: $.body.customer\n"
        "    count: '{{ request.body.items | length }}'\n"
        "    status: \"{{ state.get('last') }}\"\n"
    ),
}
TARGETS = {
    **{name: (spec, {}, {}) for name, spec in SPECS.items()},
    "todos-with-mocks": (TODOS, TODO_MOCKS, {}),
    "todos-without-validation": (TODOS, TODO_MOCKS, {"MOCKC_VALIDATE": "0"}),
}
EXAMPLES = 200
"""Requests per spec; each is a fresh connection to the running server."""


class Target:
    """A running server and what its contract says requests look like."""

    def __init__(self, server: ServerProcess, out: Path) -> None:
        self.server = server
        contract = json.loads((out / "contract.json").read_text(encoding="utf-8"))
        self.operations: list[dict[str, Any]] = contract["operations"]
        self.bodies: list[Any] = [{}]
        for operation in self.operations:
            for response in operation["outputs"]:
                for content in response.get("contents", {}).values():
                    self.bodies.extend((content.get("examples") or {}).values())
        for mock in sorted((out / "mocks").glob("*.yaml")):
            document = yaml.safe_load(mock.read_text(encoding="utf-8"))
            body = (document.get("response") or {}).get("body")
            if body is not None:
                self.bodies.append(body)


@pytest.fixture(scope="module", params=sorted(TARGETS))
def target(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    spec, mocks, settings = TARGETS[request.param]
    out = tmp_path_factory.mktemp(f"fuzz-{request.param}") / "server"
    generate([spec], out, GenerateOptions(link_runtime=True))
    for name, text in mocks.items():
        (out / "mocks" / name).write_text(text, encoding="utf-8")
    env = {"MOCKC_JOURNAL": "off", **settings}
    with ServerProcess([sys.executable, "server.py"], cwd=out, env=env) as server:
        yield Target(server, out)
        assert "unexpected error" not in server.stderr, server.stderr[-4000:]


# -- strategies --------------------------------------------------------------

_NASTY_TEXT = st.sampled_from(
    [
        "",
        "0",
        "-1",
        "1e999",
        "9" * 400,
        "%00",
        "%ff%fe",
        "%ED%A0%80",
        "%C0%AF",
        "..%2F..%2Fetc",
        "a%20b",
        "%",
        "%%",
        "%zz",
        "true",
        "null",
        "[]",
        "{}",
        "x" * 3000,
        "\u00e9",
        "\u2460",
        "\u0663",
        "a;b=c",
        "a,b,c",
        "k[0][x]",
    ]
)
_TOKEN_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="%"),
    max_size=20,
)


def _fill(template: str, draw: st.DrawFn) -> str:
    """A path from ``template`` with each ``{name}`` replaced by a nasty value."""
    out = ""
    rest = template
    while "{" in rest and "}" in rest:
        before, _, after = rest.partition("{")
        _, _, rest = after.partition("}")
        value = draw(st.one_of(_NASTY_TEXT, _TOKEN_TEXT.map(_percent_encode)))
        out += before + value
    return out + rest


def _percent_encode(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-._~" else f"%{ord(c):02X}" for c in text)


_JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
_JSON = st.recursive(
    _JSON_LEAVES,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def _mutated(draw: st.DrawFn, value: Any) -> Any:
    """``value`` with one part replaced, removed or added."""
    if isinstance(value, dict) and value and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(value)))
        changed = dict(value)
        choice = draw(st.integers(0, 2))
        if choice == 0:
            changed[key] = draw(_JSON)
        elif choice == 1:
            del changed[key]
        else:
            changed[draw(st.text(max_size=8))] = draw(_JSON)
        return changed
    if isinstance(value, list) and value and draw(st.booleans()):
        index = draw(st.integers(0, len(value) - 1))
        return [*value[:index], draw(_mutated(value[index])), *value[index + 1 :]]
    return draw(st.one_of(st.just(value), _JSON))


_RAW_BODIES = st.sampled_from(
    [
        b"",
        b"{",
        b'{"a": "\\ud800"}',
        b'{"\\udfff": 1}',
        b'["\\ud800\\u0000"]',
        b"\xff\xfe\x00",
        b"[" * 40 + b"]" * 40,
        b"1" * 5000,
        b'{"a": 1, "a": 2}',
        b"null",
        b"a=1&b[c]=2",
        b"<x><y/></x>",
    ]
)
_MEDIA_TYPES = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/vnd.api+json",
        "application/merge-patch+json",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "multipart/form-data",
        "text/plain",
        "application/xml",
        "*/*",
        "application/",
        "/json",
        ";;;",
        "application/json; charset=latin-9",
    ]
)
_ACCEPTS = st.one_of(
    _MEDIA_TYPES,
    st.sampled_from(
        [
            "application/vnd.github.v3+json",
            "application/json;q=0, */*;q=0",
            "*/*;q=nan",
            "text/html;level=1;q=0.5, */*;q=0.1",
            ",,,",
        ]
    ),
)
_NASTY_CODES = st.sampled_from(["999", "600", "101", "0", "2XX", "abc", "-1", "①", "٤٠٤", "5XX"])
_PREFERS = st.one_of(
    st.builds(lambda code: f"code={code}", _NASTY_CODES),
    st.builds(lambda name: f"example={name}", _TOKEN_TEXT),
    st.sampled_from(["dynamic=true", "dynamic", "code=200, example=x", "code"]),
)
_HEADER_VALUES = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
    max_size=40,
)


SITES = ("method", "path", "query", "accept", "prefer", "headers", "body", "repeats")
"""Where a request is mutated; one or two sites per request, the rest stays valid."""


@st.composite
def requests(draw: st.DrawFn, target: Target) -> tuple[bytes, bool]:
    """One raw HTTP/1.1 request; True when it asks for an injected 5xx."""
    operation = draw(st.sampled_from(target.operations))
    sites = set(draw(st.lists(st.sampled_from(SITES), min_size=0, max_size=2)))
    method = operation["binding"]["method"]
    if "method" in sites:
        method = draw(st.sampled_from(["GET", "PATCH", "OPTIONS", "HEAD", "FOO", "DELETE"]))
    path = (
        _fill(operation["binding"]["path"], draw)
        if "path" in sites
        else _fill_valid(operation["binding"]["path"])
    )
    if "path" in sites and draw(st.integers(0, 4)) == 0:
        path = draw(_NASTY_TEXT).join("//")
    if not path.startswith("/"):
        path = "/" + path
    parameters = operation["binding"]["parameters"]
    if "query" in sites:
        names = [p["name"] for p in parameters if p["location"] == "query"] or ["q"]
        pairs = []
        for _ in range(draw(st.integers(1, 4))):
            name = draw(st.one_of(st.sampled_from(names), _TOKEN_TEXT.map(_percent_encode)))
            value = draw(st.one_of(_NASTY_TEXT, _TOKEN_TEXT.map(_percent_encode)))
            pairs.append(f"{_percent_encode(name) if '%' not in name else name}={value}")
        path += "?" + "&".join(pairs)
    headers = {"host": "127.0.0.1", "connection": "close"}
    if "accept" in sites:
        headers["accept"] = draw(_ACCEPTS)
    injected = False
    if "prefer" in sites:
        declared = [r["key"] for r in operation["outputs"]]
        names = [
            name
            for r in operation["outputs"]
            for content in r.get("contents", {}).values()
            for name in content.get("examples") or {}
        ]
        prefer = draw(
            st.one_of(
                _NASTY_CODES.map(lambda code: f"code={code}"),
                _PREFERS,
                st.sampled_from(declared or ["200"]).map(lambda code: f"code={code}"),
                st.sampled_from(names or ["x"]).map(lambda name: f"example={name}"),
            )
        )
        headers["prefer"] = prefer
        code = prefer.partition("=")[2].partition(",")[0]
        injected = code.startswith("5") and bool({code, "default", "5XX", "5xx"} & set(declared))
    if "headers" in sites:
        for name in [p["name"] for p in parameters if p["location"] == "header"] or ["x-id"]:
            headers[name.lower()] = draw(_HEADER_VALUES)
        headers["cookie"] = draw(_HEADER_VALUES)
    body = b""
    if operation["input"] or "body" in sites:
        seed = draw(st.sampled_from(target.bodies))
        body = json.dumps(seed).encode()
        headers["content-type"] = "application/json"
        if "body" in sites:
            if draw(st.integers(0, 3)) == 0:
                body = draw(_RAW_BODIES)
            else:
                body = json.dumps(draw(_mutated(seed))).encode()
            headers["content-type"] = draw(_MEDIA_TYPES)
    headers["content-length"] = str(len(body))
    lines = [f"{k}: {v}\r\n" for k, v in headers.items()]
    if "repeats" in sites:  # repeated fields are joined by the server
        for _ in range(draw(st.integers(1, 2))):
            name = draw(st.sampled_from(["accept", "prefer", "cookie", "x-id", "content-type"]))
            lines.insert(1, f"{name}: {draw(st.one_of(_HEADER_VALUES, _ACCEPTS, _PREFERS))}\r\n")
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(lines)
    return head.encode("utf-8") + b"\r\n" + body, injected


def _fill_valid(template: str) -> str:
    """A path from ``template`` with each ``{name}`` replaced by ``1``."""
    out = ""
    rest = template
    while "{" in rest and "}" in rest:
        before, _, after = rest.partition("{")
        _, _, rest = after.partition("}")
        out += before + "1"
    return out + rest


def _status_of(server: ServerProcess, raw: bytes) -> int:
    with socket.create_connection((server.host, server.port), timeout=20) as connection:
        connection.sendall(raw)
        received = b""
        while b"\r\n" not in received:
            chunk = connection.recv(4096)
            if not chunk:
                break
            received += chunk
    line = received.partition(b"\r\n")[0].decode("latin-1")
    assert line.startswith("HTTP/1.1 "), f"no status line for {raw[:300]!r}: {received[:300]!r}"
    return int(line.split()[1])


def test_mutated_requests_never_get_a_server_error(target: Target) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(request=requests(target))
    def check(request: tuple[bytes, bool]) -> None:
        raw, injected = request
        status = _status_of(target.server, raw)
        assert status < 500 or injected, f"{status} for {raw[:600]!r}"

    check()
