"""Strings generated from regular expressions."""

from __future__ import annotations

import random
import re

import pytest

from mockc.runtime.fake.pattern import string_matching

REALISTIC_PATTERNS = [
    r"^[A-Z]{3}$",
    r"^\d{5}(-\d{4})?$",
    r"^[a-z0-9-]+$",
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$",
    r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$",
    r"^\+?[1-9]\d{1,14}$",
    r"^#[0-9a-fA-F]{6}$",
    r"^[A-Z]{2}\d{2}[A-Z0-9]{4}\d{7}([A-Z0-9]?){0,16}$",
    r"^(GET|POST|PUT|DELETE)$",
    r"^[^\s@]+@[^\s@]+$",
    r"^\w+(\.\w+)*$",
    r"^v\d+$",
    r"^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$",
    r"^(?!-)[a-z]{1,5}(?<!-)$",
    r"(\w)\1",
    r"^\S+\s\S+$",
    r"^[^0-9]{2,4}$",
    r"^.{3,6}$",
    r"^[\d\-]{4}$",
    r"[A-Z]",
]


@pytest.mark.parametrize("pattern", REALISTIC_PATTERNS)
def test_generated_strings_match_the_pattern(pattern: str) -> None:
    for seed in range(20):
        text = string_matching(pattern, random.Random(seed))
        assert text is not None
        assert re.search(pattern, text), (pattern, text)


def test_different_randomness_gives_different_strings() -> None:
    values = {string_matching(r"^[a-z]{8}$", random.Random(seed)) for seed in range(10)}
    assert len(values) > 5


@pytest.mark.parametrize(
    "pattern,low,high",
    [(r"^[a-z]+$", 10, 12), (r"^\d*$", 3, 3), (r"[A-Z]", 5, None), (r"^x{0,50}$", 0, 4)],
)
def test_length_bounds_are_respected(pattern: str, low: int, high: int | None) -> None:
    for seed in range(10):
        text = string_matching(pattern, random.Random(seed), min_length=low, max_length=high)
        assert text is not None
        assert re.search(pattern, text)
        assert len(text) >= low and (high is None or len(text) <= high)


@pytest.mark.parametrize("pattern", [r"^a$", r"^[0-9]{2}$"])
def test_impossible_lengths_give_none(pattern: str) -> None:
    assert string_matching(pattern, random.Random(0), min_length=5, max_length=6) is None


@pytest.mark.parametrize("pattern", [r"(", r"[z-a]", r"^(?=a)b$", r"\p{L}+"])
def test_invalid_or_unsatisfiable_patterns_give_none_without_raising(pattern: str) -> None:
    assert string_matching(pattern, random.Random(0)) is None
