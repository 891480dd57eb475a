"""Journal entries compared with expected calls, and the report of a miss."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mockc.testing.calls import Call, CallExpectation, describe_calls


def entry(
    entry_id: int,
    operation: str | None,
    *,
    method: str = "POST",
    target: str = "/pets",
    status: str = "201",
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> Call:
    data = "" if body is None else json.dumps(body)
    return Call(
        {
            "id": entry_id,
            "operation": operation,
            "method": method,
            "target": target,
            "status": status,
            "source": f"mock:{operation}",
            "request": {
                "headers": headers or {},
                "body": {"data": data, "encoding": "utf-8", "size": len(data)},
            },
        }
    )


def test_body_conditions_hold_for_contained_objects() -> None:
    call = entry(1, "createPet", body={"name": "Rex", "tags": ["a"], "owner": {"id": 3, "x": 1}})
    holds = CallExpectation("createPet", {"body": {"name": "Rex", "owner": {"id": 3}}})
    assert holds.mismatch(call) is None
    missing = CallExpectation("createPet", {"body": {"owner": {"name": "Ann"}}})
    assert missing.mismatch(call) == "body.owner.name is absent"
    differs = CallExpectation("createPet", {"body": {"tags": ["b"]}})
    assert differs.mismatch(call) == 'body.tags is ["a"], not ["b"]'


def test_text_conditions() -> None:
    call = entry(1, "getPet", method="GET", target="/pets/3?full=1", status="200")
    assert CallExpectation("getPet", {"method": "get", "status": 200}).mismatch(call) is None
    assert CallExpectation("getPet", {"path": "/pets/3"}).mismatch(call) is None
    assert CallExpectation("getPet", {"target": "/pets/3"}).mismatch(call) == (
        "target is '/pets/3?full=1', not '/pets/3'"
    )
    assert CallExpectation("getPet", {"status": 404}).mismatch(call) == (
        "status is '200', not '404'"
    )
    assert CallExpectation("other", {}).mismatch(call) == "operation is 'getPet'"


def test_header_names_in_any_case() -> None:
    call = entry(1, "getPet", headers={"X-Tenant": "acme"})
    assert CallExpectation("getPet", {"headers": {"x-tenant": "acme"}}).mismatch(call) is None
    assert CallExpectation("getPet", {"headers": {"X-TENANT": "other"}}).mismatch(call) == (
        "header 'X-TENANT' is 'acme', not 'other'"
    )
    assert CallExpectation("getPet", {"headers": {"x-id": "1"}}).mismatch(call) == (
        "header 'x-id' is absent"
    )


def test_an_unknown_condition_is_refused() -> None:
    with pytest.raises(TypeError, match="unknown call condition.s. bdy; known: method"):
        CallExpectation("getPet", {"bdy": {}})


def test_the_report_lists_near_misses_and_other_calls() -> None:
    calls = [
        entry(1, "createPet", body={"name": "Rex"}),
        entry(2, "getPet", method="GET", target="/pets/1", status="200"),
        entry(3, None, method="GET", target="/nowhere", status="404"),
    ]
    expectation = CallExpectation("createPet", {"body": {"name": "Rexy"}})
    assert describe_calls(expectation, calls) == (
        "calls of createPet (1):\n"
        '  #1 POST /pets → 201 (createPet): body.name is "Rex", not "Rexy"\n'
        "other calls: (no operation) ×1, getPet ×1"
    )
    assert describe_calls(CallExpectation("deletePet", {}), []) == (
        "deletePet was not called\nnothing was called"
    )
