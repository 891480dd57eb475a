from pathlib import Path
from typing import Any

import pytest

from mockc.runtime.engine import (
    Content,
    Engine,
    Operation,
    Output,
    Reply,
    Request,
    load_hooks,
)
from mockc.runtime.exceptions import HandlersError, HookError, NotAcceptable, PreferenceError
from mockc.runtime.http.encoding import encode_body
from mockc.runtime.http.outputs import OUTPUTS as HTTP_OUTPUTS
from mockc.runtime.http.outputs import answered_status
from mockc.runtime.web.negotiation import choose_media_type

PET = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}


def output(status: str, schema: Any = PET, examples: dict[str, Any] | None = None) -> Output:
    return Output(status, (Content("application/json", schema, examples or {}),))


def engine(*outputs: Output, **options: Any) -> Engine:
    operation = Operation("op", outputs, policy=HTTP_OUTPUTS)
    return Engine(
        [operation], {}, encoder=encode_body, choose_media_type=choose_media_type, **options
    )


def handle(eng: Engine, **fields: Any) -> Reply:
    return eng.handle(Request("op", **fields))


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["404", "201", "200"], "200"),
        (["default", "302", "500"], "302"),
        (["default", "500"], "200"),
        (["500", "404"], "500"),
        (["2XX", "404"], "200"),
        (["3XX", "204"], "204"),
    ],
)
def test_default_output(statuses: list[str], expected: str) -> None:
    assert handle(engine(*(output(s) for s in statuses))).status == expected


def test_answered_status_of_keys() -> None:
    assert answered_status("2XX") == "200"
    assert answered_status("default") == "200"
    assert answered_status("default", "418") == "418"
    assert answered_status("NOT_FOUND") == "NOT_FOUND"


def test_prefer_code_exact_then_range_then_default() -> None:
    eng = engine(
        output("200"),
        output("404", examples={"a": {"id": 4}}),
        output("5XX"),
        output("default", examples={"d": {"id": 0}}),
    )
    assert handle(eng, prefer={"code": "404"}).content == b'{"id":4}'
    assert handle(eng, prefer={"code": "503"}).status == "503"
    assert handle(eng, prefer={"code": "418"}).content == b'{"id":0}'
    with pytest.raises(PreferenceError) as error:
        handle(engine(output("200")), prefer={"code": "404"})
    assert error.value.available == ("200",)


def test_examples_by_name_first_by_default_and_dynamic() -> None:
    eng = engine(output("200", examples={"one": {"id": 1}, "two": {"id": 2}}))
    assert handle(eng).content == b'{"id":1}'
    assert handle(eng, prefer={"example": "two"}).content == b'{"id":2}'
    dynamic = handle(eng, prefer={"dynamic": "true"}).content
    assert dynamic not in (b'{"id":1}', b'{"id":2}') and b'"id":' in dynamic
    with pytest.raises(PreferenceError, match="available: one, two"):
        handle(eng, prefer={"example": "three"})


def test_fake_data_is_stable_per_path_params_and_seed() -> None:
    eng = engine(output("200"))
    first = handle(eng, path={"n": 1}).content
    assert handle(eng, path={"n": 1}).content == first
    assert handle(eng, path={"n": 2}).content != first
    assert handle(engine(output("200")), path={"n": 1}).content == first
    assert handle(engine(output("200"), seed=9), path={"n": 1}).content != first


def test_rendered_bodies_are_cached_in_a_bounded_lru() -> None:
    eng = engine(output("200"), cache_size=3)
    for number in range(10):
        handle(eng, path={"id": number})
    assert len(eng._bodies) == 3
    assert handle(eng, path={"id": 9}).content is handle(eng, path={"id": 9}).content


def test_not_acceptable_and_empty_outputs() -> None:
    with pytest.raises(NotAcceptable):
        handle(engine(output("200")), accept="text/html")
    reply = handle(engine(Output("204")))
    assert (reply.status, reply.content) == ("204", None)
    assert handle(engine()).status == "200"


def test_declared_headers_are_faked_except_content_headers() -> None:
    out = Output("200", (), (("X-Rate", {"type": "integer"}), ("Content-Type", {})))
    headers = handle(engine(out)).headers
    assert list(headers) == ["X-Rate"] and headers["X-Rate"].lstrip("-").isdigit()


def test_hooks_answer_first_and_failures_are_hook_errors() -> None:
    calls: list[Request] = []

    def hook(request: Request) -> Reply | None:
        calls.append(request)
        if request.path.get("id") == 1:
            return request.reply(status=418, body={"tea": True})
        if request.path.get("id") == 2:
            raise ValueError("nope")
        if request.path.get("id") == 3:
            return "junk"  # type: ignore[return-value]
        return None

    eng = engine(output("200", examples={"x": {"id": 5}}), hooks={"op": hook})
    teapot = handle(eng, path={"id": 1})
    assert (teapot.status, teapot.content, teapot.media_type) == (
        418,
        b'{"tea":true}',
        "application/json",
    )
    assert handle(eng, path={"id": 4}).content == b'{"id":5}'
    with pytest.raises(HookError, match="ValueError: nope"):
        handle(eng, path={"id": 2})
    with pytest.raises(HookError, match="returned str"):
        handle(eng, path={"id": 3})
    assert len(calls) == 4


def test_responders_slot_in_before_the_spec_fallback() -> None:
    class Always:
        def respond(self, operation: Operation, request: Request) -> Reply | None:
            return Reply(status="201", content=b"mock") if request.query else None

    eng = engine(output("200", examples={"x": {"id": 5}}), responders=[Always()])
    assert handle(eng, query={"q": 1}).content == b"mock"
    assert handle(eng).content == b'{"id":5}'


def test_load_hooks(tmp_path: Path) -> None:
    assert load_hooks(tmp_path / "handlers.py", ["op"]) == {}
    (tmp_path / "handlers.py").write_text(
        "def op(request):\n    return request.reply(body=1)\nvalue = 1\n"
    )
    assert list(load_hooks(tmp_path / "handlers.py", ["op", "value", "other"])) == ["op"]
    # stubs that only return None (as generated) are no hooks: the mocks answer alone
    (tmp_path / "handlers.py").write_text(
        'def a(request):\n    """A stub."""\n    return\n'
        "def b(request):\n    pass\n"
        "def c(request):\n    return None\n"
        "def d(request):\n    if request.path:\n        return None\n    return None\n"
        "def e(request):\n    print(request)\n"
    )
    hooks = load_hooks(tmp_path / "handlers.py", ["a", "b", "c", "d", "e"])
    assert sorted(hooks) == ["d", "e"]
    (tmp_path / "handlers.py").write_text("raise RuntimeError('bad')\n")
    with pytest.raises(HandlersError, match="RuntimeError: bad"):
        load_hooks(tmp_path / "handlers.py", ["op"])


def test_generated_objects_echo_the_requested_id() -> None:
    from mockc.runtime.engine import echo_path_params

    assert echo_path_params({"id": 5, "name": "x"}, {"petId": 7}) == {"id": 7, "name": "x"}
    assert echo_path_params({"petId": 5, "id": 9}, {"petId": 7}) == {"petId": 7, "id": 7}
    assert echo_path_params({"id": "a-uuid"}, {"petId": "abc"}) == {"id": "a-uuid"}
    assert echo_path_params({"id": 5}, {"owner": 7}) == {"id": 5}
    assert echo_path_params({"id": 5}, {"petId": 7, "photo": 2}) == {"id": 5}
    assert echo_path_params({"code": "x"}, {"code": "y"}) == {"code": "y"}
    assert echo_path_params([1, 2], {"petId": 7}) == [1, 2]


# -- output policies: what output keys mean is the adapter's ------------------------


def keyed_engine(*outputs: Output, policy: Any = None) -> Engine:
    operation = (
        Operation("op", outputs) if policy is None else Operation("op", outputs, policy=policy)
    )
    return Engine([operation], {}, encoder=encode_body)


def test_the_neutral_policy_answers_the_first_output_and_matches_keys_exactly() -> None:
    eng = keyed_engine(output("404"), output("200"), output("default"))
    assert handle(eng).status == "404"
    assert handle(eng, prefer={"code": "default"}).status == "default"
    with pytest.raises(PreferenceError):
        handle(eng, prefer={"code": "4XX"})
    assert handle(keyed_engine()).status == "ok"


def test_path_echo_follows_the_policy() -> None:
    pet = output("200", {"type": "object", "required": ["id"], "properties": {"id": PET_ID}})
    echoed = handle(engine(pet), path={"petId": 123456}).content
    assert echoed == b'{"id":123456}'
    neutral = handle(keyed_engine(pet), path={"petId": 123456}).content
    assert neutral != b'{"id":123456}' and neutral is not None
    missing = output("404", {"type": "object", "required": ["id"], "properties": {"id": PET_ID}})
    assert handle(engine(pet, missing), path={"petId": 123456}, prefer={"code": "404"}).content != (
        b'{"id":123456}'
    )


PET_ID = {"type": "integer", "minimum": 1, "maximum": 99}


def test_grpc_answers_ok_and_matches_status_names() -> None:
    from mockc.runtime.grpc.outputs import OUTPUTS as GRPC_OUTPUTS

    eng = keyed_engine(output("NOT_FOUND"), output("OK"), policy=GRPC_OUTPUTS)
    assert handle(eng).status == "OK"
    assert handle(eng, prefer={"code": "NOT_FOUND"}).status == "NOT_FOUND"


@pytest.mark.parametrize(
    ("protocol", "status"),
    [("http", "500"), ("grpc", "INTERNAL"), ("graphql", "500")],
)
def test_each_protocol_injects_faults_its_own_way(protocol: str, status: str) -> None:
    import importlib

    policy = importlib.import_module(f"mockc.runtime.{protocol}.outputs").OUTPUTS
    fault = policy.injected_fault(12.0)
    assert (fault.status, fault.delay_ms, fault.source) == (status, 12.0, "fault")
    assert "server-wide error rate" in str(fault.body)
