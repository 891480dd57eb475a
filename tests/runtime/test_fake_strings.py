"""Fake strings by format, pattern, length and property name."""

from __future__ import annotations

import random
import re

import pytest
from jsonschema import Draft202012Validator

from mockc.runtime.fake.strings import FORMATS, fake_string


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_known_format_passes_the_format_checker(fmt: str) -> None:
    validator = Draft202012Validator(
        {"type": "string", "format": fmt}, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    for seed in range(10):
        value = fake_string({"format": fmt}, random.Random(seed))
        assert validator.is_valid(value), value


def test_pattern_and_format_together_prefer_a_value_meeting_both() -> None:
    schema = {"format": "email", "pattern": "@example\\.com$"}
    value = fake_string(schema, random.Random(1))
    assert "@" in value and value.endswith("@example.com")


@pytest.mark.parametrize("low,high", [(0, 0), (1, 1), (3, 8), (40, 41), (5, None)])
def test_length_bounds_hold_for_plain_and_named_strings(low: int, high: int | None) -> None:
    schema = {"minLength": low} | ({} if high is None else {"maxLength": high})
    for name in ("", "description", "email", "city"):
        value = fake_string(schema, random.Random(3), name)
        assert len(value) >= low and (high is None or len(value) <= high)


@pytest.mark.parametrize(
    "name,check",
    [
        ("email", lambda v: "@" in v),
        ("contactEmail", lambda v: "@" in v),
        ("phone_number", lambda v: re.search(r"\d{3}", v)),
        ("homepage", lambda v: v.startswith("https://")),
        ("currency", lambda v: re.fullmatch("[A-Z]{3}", v)),
        ("userId", lambda v: any(ch.isdigit() for ch in v)),
        ("hostname", lambda v: v.endswith(".example.com")),
        ("description", lambda v: v.endswith(".") and " " in v),
        ("zip_code", lambda v: v.isdigit()),
    ],
)
def test_property_names_give_realistic_values(name: str, check: object) -> None:
    value = fake_string({}, random.Random(5), name)
    assert callable(check) and check(value), value


def test_a_format_outranks_the_property_name() -> None:
    assert re.fullmatch(
        r"\d{4}-\d{2}-\d{2}", fake_string({"format": "date"}, random.Random(0), "email")
    )
