"""Fake integers and numbers within bounds, steps and formats."""

from __future__ import annotations

import random
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from mockc.runtime.fake.numbers import fake_integer, fake_number, is_multiple


@pytest.mark.parametrize(
    "schema",
    [
        {"minimum": 5, "maximum": 5},
        {"exclusiveMinimum": 5, "exclusiveMaximum": 7},
        {"minimum": -10, "maximum": -3},
        {"minimum": 10**12},
        {"maximum": -(10**12)},
        {"multipleOf": 3, "minimum": 1000, "maximum": 1010},
        {"multipleOf": 0.5, "minimum": 0.1, "maximum": 3},
        {"format": "int32", "minimum": 2**31 - 3},
        {"format": "int64", "maximum": -(2**63) + 2},
        {"minimum": 0.5, "maximum": 1.5},
    ],
)
def test_integers_respect_their_bounds(schema: dict[str, Any]) -> None:
    validator = Draft202012Validator({"type": "integer", **schema})
    for seed in range(20):
        value = fake_integer(schema, random.Random(seed))
        assert isinstance(value, int) and validator.is_valid(value), value


@pytest.mark.parametrize(
    "schema",
    [
        {"minimum": 0.1, "maximum": 0.2},
        {"exclusiveMinimum": 0, "exclusiveMaximum": 0.01},
        {"multipleOf": 0.01, "minimum": 1, "maximum": 2},
        {"multipleOf": 0.1},
        {"multipleOf": 0.25, "exclusiveMinimum": 1, "maximum": 1.5},
        {"multipleOf": 3},
        {"minimum": 1e9},
    ],
)
def test_numbers_respect_their_bounds_and_steps(schema: dict[str, Any]) -> None:
    validator = Draft202012Validator({"type": "number", **schema})
    for seed in range(20):
        value = fake_number(schema, random.Random(seed))
        assert validator.is_valid(value), value


def test_names_pick_realistic_ranges() -> None:
    rng = random.Random(0)
    assert all(1 <= fake_integer({}, rng, "userId") <= 1000 for _ in range(50))
    assert all(18 <= fake_integer({}, rng, "age") <= 90 for _ in range(50))
    prices = [fake_number({}, rng, "price") for _ in range(50)]
    assert all(round(price, 2) == price for price in prices)
    assert all(-90 <= fake_number({}, rng, "latitude") <= 90 for _ in range(50))


def test_a_name_range_never_overrides_the_schema() -> None:
    assert fake_integer({"minimum": 5000}, random.Random(0), "id") >= 5000


def test_is_multiple_follows_the_validators_arithmetic() -> None:
    assert is_multiple(12, 3) and not is_multiple(13, 3)
    assert is_multiple(0.75, 0.25) and not is_multiple(0.8, 0.25)
