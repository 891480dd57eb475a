"""Text templates and JSON templates: typed whole values, aliases, static
values, escapes and size bounds."""

from __future__ import annotations

from typing import Any

import pytest

from mockc.runtime.engine import Request
from mockc.runtime.expressions import (
    MAX_VALUE_BYTES,
    ExpressionError,
    FakeProvider,
    Origin,
    RenderLimitError,
    Scope,
    Template,
    TextTemplate,
    compile_template,
    compile_text_template,
)
from mockc.runtime.state import MemoryStore

ORIGIN = Origin("mocks/pet.yaml", 7, 9)
PET = Request(
    "showPetById",
    path={"petId": 7},
    query={"verbose": True, "id": "12"},
    headers={"x-tenant": "acme"},
    body={"name": "Tom", "tags": ["cat"], "owner": {"name": "Ann"}, "price": 2.5},
)
SCOPE = Scope(PET, MemoryStore(), FakeProvider(1))


def text(template: str, scope: Scope = SCOPE) -> str:
    return compile_text_template(template, ORIGIN).render(scope)


def locate_all(path: tuple[str | int, ...]) -> Origin:
    return Origin("mocks/pet.yaml", 20 + len(path), 3)


def render(value: Any, scope: Scope = SCOPE) -> Any:
    return compile_template(value, locate_all).render(scope)


# -- text templates ------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("plain", "plain"),
        ("", ""),
        ("Pet {{ request.path.petId }}", "Pet 7"),
        ("{{request.path.petId}}", "7"),
        ("{{ request.body.name }} and {{ request.body.owner.name }}", "Tom and Ann"),
        ("{{ request.body.missing }}|", "|"),
        ("{{ request.query.verbose }}", "true"),
        ("{{ request.body.price }}", "2.5"),
        ("{{ request.body.tags }}", '["cat"]'),
        ("{{ request.body.owner }}", '{"name":"Ann"}'),
        ("{{ null }}{{ false }}", "false"),
        ("a }} b", "a }} b"),
        ("a } { b", "a } { b"),
        (r"\{{ not an expression }}", "{{ not an expression }}"),
        (r"literal \{{ and {{ 1 + 1 }}", "literal {{ and 2"),
        ('{{ "}}" }}', "}}"),
        ("{{ '{{' }}", "{{"),
        ('{{ {"a": {"b": 1}} }}', '{"a":{"b":1}}'),
        ('{{{"a": 1}}}', '{"a":1}'),
        ("{{ request.headers['X-Tenant'] | upper }}!", "ACME!"),
        ("line one\nline {{ 2 }}", "line one\nline 2"),
        ("  {{ request.path.petId }}  ", "  7  "),
        ("$.pathParam.petId", "7"),
        ("  $.body.name  ", "Tom"),
        ("$.notAnAlias.x", "$.notAnAlias.x"),
        ("costs $.5", "costs $.5"),
    ],
)
def test_text_templates(template: str, expected: str) -> None:
    assert text(template) == expected


def test_static_text_templates_render_without_evaluation() -> None:
    static = compile_text_template(r"hello \{{ there }}", ORIGIN)
    assert isinstance(static, TextTemplate)
    assert static.is_static
    assert static.static_value == "hello {{ there }}"
    assert static.render(SCOPE) == "hello {{ there }}"
    folded = compile_text_template("{{ 1 + 2 }} items", ORIGIN)
    assert folded.is_static and folded.render(SCOPE) == "3 items"
    dynamic = compile_text_template("{{ uuid() }}", ORIGIN)
    assert not dynamic.is_static
    assert dynamic.render(SCOPE) != dynamic.render(SCOPE)


def test_text_template_keeps_its_source() -> None:
    template = compile_text_template("Pet {{ request.path.petId }}", ORIGIN)
    assert template.text == "Pet {{ request.path.petId }}"
    assert template.origin == ORIGIN


# -- JSON templates ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{{ request.path.petId }}", 7),
        ("  {{ request.path.petId }}\n", 7),
        ("{{ request.query.id | int }}", 12),
        ("{{ request.body.price }}", 2.5),
        ("{{ request.query.verbose }}", True),
        ("{{ request.body.missing }}", None),
        ("{{ request.body.tags }}", ["cat"]),
        ("{{ request.body.owner }}", {"name": "Ann"}),
        ("$.body.owner", {"name": "Ann"}),
        ("$.pathParam.petId", 7),
        (" $.body.tags[0] ", "cat"),
        ("id-{{ request.path.petId }}", "id-7"),
        ("{{ request.path.petId }}{{ request.path.petId }}", "77"),
        ("{{ 1 }} {{ 2 }}", "1 2"),
        ("$.unknownRoot.x", "$.unknownRoot.x"),
        ("see $.body.name", "see $.body.name"),
        ("plain", "plain"),
        (5, 5),
        (None, None),
    ],
)
def test_whole_value_templates_keep_their_type(value: Any, expected: Any) -> None:
    result = render(value)
    assert result == expected
    assert type(result) is type(expected)


def test_a_body_renders_every_string_leaf() -> None:
    body = {
        "id": "{{ request.path.petId }}",
        "name": "Tom",
        "owner": "{{ request.body.owner.name }} {{ 'Smith' }}",
        "tags": ["$.body.tags[0]", "pet", 3, True, None],
        "nested": {"tenant": "{{ request.headers['X-Tenant'] }}", "count": 2},
        "{{ keys }}": "keys are not templates",
    }
    assert render(body) == {
        "id": 7,
        "name": "Tom",
        "owner": "Ann Smith",
        "tags": ["cat", "pet", 3, True, None],
        "nested": {"tenant": "acme", "count": 2},
        "{{ keys }}": "keys are not templates",
    }


def test_static_templates_return_their_value_without_work() -> None:
    value = {"name": "Tom", "tags": ["a", {"b": 1}], "n": 1.5, "ok": False}
    template = compile_template(value, locate_all)
    assert isinstance(template, Template)
    assert template.is_static
    assert template.static_value == value
    assert template.render(SCOPE) is template.render(SCOPE)
    assert template.render(Scope(Request("other"))) is template.static_value


def test_static_parts_of_a_dynamic_template_are_shared() -> None:
    template = compile_template({"fixed": {"a": [1, 2]}, "id": "{{ uuid() }}"}, locate_all)
    assert not template.is_static
    first, second = template.render(SCOPE), template.render(SCOPE)
    assert first["id"] != second["id"]
    assert first["fixed"] is second["fixed"]


def test_constant_expressions_and_escapes_are_static() -> None:
    template = compile_template(
        {"a": "{{ 2 * 3 }}", "b": r"\{{ x }}", "c": ["{{ 'x' }}"]}, locate_all
    )
    assert template.is_static
    assert template.static_value == {"a": 6, "b": "{{ x }}", "c": ["x"]}


def test_locate_is_asked_only_for_strings_with_template_parts() -> None:
    asked: list[tuple[str | int, ...]] = []

    def locate(path: tuple[str | int, ...]) -> Origin:
        asked.append(path)
        return ORIGIN

    compile_template(
        {"a": "plain", "b": ["x", "{{ 1 }}"], "c": {"d": "$.body.name"}, "e": "$.nope"}, locate
    )
    assert asked == [("b", 1), ("c", "d")]
    asked.clear()
    compile_template("{{ request.path.petId }}", locate)
    assert asked == [()]


def test_template_errors_point_into_the_string_at_its_path() -> None:
    def locate(path: tuple[str | int, ...]) -> Origin:
        return {("body", "items", 1): Origin("mocks/pet.yaml", 30, 12)}.get(path, ORIGIN)

    with pytest.raises(ExpressionError) as caught:
        compile_template({"body": {"items": ["ok", "x {{ request.bdy }}"]}}, locate)
    assert str(caught.value).startswith("mocks/pet.yaml:30:25: request has no field 'bdy'")


def test_fake_and_state_in_templates() -> None:
    store = MemoryStore()
    store.put("orders", 4)
    scope = Scope(PET, store, FakeProvider(2))
    result = render({"count": "{{ state.get('orders') }}", "who": "{{ fake.first_name }}"}, scope)
    assert result["count"] == 4
    assert isinstance(result["who"], str) and result["who"]


# -- size bounds ---------------------------------------------------------------


def test_a_rendered_text_template_is_bounded() -> None:
    half = "a" * (MAX_VALUE_BYTES // 2 + 1)
    scope = Scope(Request("op", body={"half": half}))
    template = compile_text_template("{{ request.body.half }}{{ request.body.half }}", ORIGIN)
    with pytest.raises(RenderLimitError):
        template.render(scope)
    assert compile_text_template("{{ request.body.half }}", ORIGIN).render(scope) == half


def test_a_rendered_json_template_is_bounded() -> None:
    half = "a" * (MAX_VALUE_BYTES // 2 + 1)
    scope = Scope(Request("op", body={"half": half, "list": [half]}))
    with pytest.raises(RenderLimitError):
        render(["{{ request.body.half }}", "$.body.half"], scope)
    with pytest.raises(RenderLimitError):
        render({"a": "$.body.list", "b": "x{{ request.body.half }}"}, scope)
    assert len(render(["$.body.half"], scope)[0]) == len(half)


def test_a_huge_request_value_cannot_be_rendered_as_text() -> None:
    huge = "b" * (MAX_VALUE_BYTES + 1)
    scope = Scope(Request("op", body={"huge": huge, "many": [huge]}))
    with pytest.raises(RenderLimitError):
        text("{{ request.body.huge }}", scope)
    with pytest.raises(RenderLimitError):
        text("{{ request.body.many }}", scope)
