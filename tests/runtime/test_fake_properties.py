"""Property-based: every value generated for a random satisfiable schema validates."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from mockc.runtime.fake import FakeData

NAMES = ["id", "name", "email", "city", "createdAt", "price", "count", "tags", "status", "x"]
FORMATS = ["date-time", "date", "uuid", "email", "uri", "ipv4", "ipv6", "hostname", "byte"]
PATTERNS = [r"^[A-Z]{3}$", r"^\d{5}(-\d{4})?$", r"^[a-z0-9-]+$", r"^v\d+\.\d+$"]


@st.composite
def strings(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    choice = draw(st.sampled_from(["plain", "format", "pattern", "length"]))
    if choice == "format":
        schema["format"] = draw(st.sampled_from(FORMATS))
    elif choice == "pattern":
        schema["pattern"] = draw(st.sampled_from(PATTERNS))
    elif choice == "length":
        low = draw(st.integers(0, 20))
        schema["minLength"] = low
        schema["maxLength"] = low + draw(st.integers(0, 10))
    return schema


@st.composite
def integers(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer"}
    step = draw(st.sampled_from([None, 1, 2, 5, 10, 7]))
    if draw(st.booleans()):
        low = draw(st.integers(-(10**6), 10**6))
        key = draw(st.sampled_from(["minimum", "exclusiveMinimum"]))
        schema[key] = low
        if draw(st.booleans()):
            width = draw(st.integers(2 * (step or 1) + 2, 10**4))
            schema[draw(st.sampled_from(["maximum", "exclusiveMaximum"]))] = low + width
    if step is not None:
        schema["multipleOf"] = step
    if draw(st.booleans()):
        schema["format"] = draw(st.sampled_from(["int32", "int64"]))
        for key in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
            if key in schema:
                schema[key] = max(min(schema[key], 2**30), -(2**30))
    return schema


@st.composite
def numbers(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "number"}
    step = draw(st.sampled_from([None, 0.5, 0.25, 0.01, 0.1, 2]))
    if draw(st.booleans()):
        low = draw(st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 3)))
        schema[draw(st.sampled_from(["minimum", "exclusiveMinimum"]))] = low
        if draw(st.booleans()):
            # wide enough to hold a multiple of the step: a schema no value
            # satisfies says nothing about the generator
            width = draw(st.floats(0.001, 1e4).map(lambda v: round(v, 3) + 1 + 2 * (step or 0)))
            schema[draw(st.sampled_from(["maximum", "exclusiveMaximum"]))] = low + width
    if step is not None:
        schema["multipleOf"] = step
    return schema


def primitives() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        strings(),
        integers(),
        numbers(),
        st.just({"type": "boolean"}),
        st.just({"type": "null"}),
        st.lists(st.text(max_size=5), min_size=1, max_size=4, unique=True).map(
            lambda values: {"enum": values}
        ),
        st.integers().map(lambda value: {"const": value}),
        strings().map(lambda schema: {**schema, "type": ["string", "null"]}),
    )


def _extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def objects(draw: st.DrawFn) -> dict[str, Any]:
        props = draw(st.dictionaries(st.sampled_from(NAMES), children, max_size=5))
        schema: dict[str, Any] = {"type": "object", "properties": props}
        schema["required"] = (
            draw(st.lists(st.sampled_from(sorted(props)), unique=True)) if props else []
        )
        schema["additionalProperties"] = draw(
            st.one_of(st.booleans(), st.just({"type": "integer"}))
        )
        return schema

    @st.composite
    def arrays(draw: st.DrawFn) -> dict[str, Any]:
        low = draw(st.integers(0, 3))
        schema: dict[str, Any] = {
            "type": "array",
            "items": draw(children),
            "minItems": low,
            "maxItems": low + draw(st.integers(0, 3)),
        }
        if draw(st.booleans()):
            schema["items"] = draw(st.sampled_from([{"type": "string"}, {"type": "integer"}]))
            schema["uniqueItems"] = True
        return schema

    @st.composite
    def all_of(draw: st.DrawFn) -> dict[str, Any]:
        first = draw(st.dictionaries(st.sampled_from(NAMES[:5]), children, max_size=3))
        second = draw(st.dictionaries(st.sampled_from(NAMES[5:]), children, max_size=3))
        return {
            "allOf": [
                {"type": "object", "properties": first, "required": sorted(first)},
                {"properties": second, "required": sorted(second)},
                {"minProperties": len(first) + len(second)},
            ]
        }

    distinct = st.lists(
        st.sampled_from(["string", "boolean", "null", "object", "array", "integer"]),
        min_size=1,
        max_size=4,
        unique=True,
    )
    return st.one_of(
        objects(),
        arrays(),
        all_of(),
        distinct.map(lambda kinds: {"oneOf": [{"type": kind} for kind in kinds]}),
        st.lists(children, min_size=1, max_size=3).map(lambda subs: {"anyOf": subs}),
    )


SCHEMAS = st.recursive(primitives(), _extend, max_leaves=12)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=SCHEMAS, seed=st.integers(0, 2**32), key=st.text(max_size=8))
def test_generated_values_validate(schema: dict[str, Any], seed: int, key: str) -> None:
    value = FakeData({}, seed=seed).generate(schema, key=key)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert list(validator.iter_errors(value)) == [], value
    assert FakeData({}, seed=seed).generate(schema, key=key) == value


@settings(max_examples=60, deadline=None)
@given(schema=SCHEMAS, depth=st.integers(0, 4), length=st.integers(0, 4))
def test_depth_and_length_settings_keep_values_valid(
    schema: dict[str, Any], depth: int, length: int
) -> None:
    value = FakeData({}, max_depth=depth, list_length=length).generate(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert list(validator.iter_errors(value)) == [], value
