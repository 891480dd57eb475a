import pytest

from mockc.runtime.web.negotiation import (
    choose_media_type,
    choose_media_type_leniently,
    match_declared,
    parse_accept,
)

JSON_XML = ("application/json", "application/xml")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/json"),
        ("", "application/json"),
        ("*/*", "application/json"),
        ("application/xml", "application/xml"),
        ("application/xml;q=0.5, application/json", "application/json"),
        ("application/*;q=0.2, application/xml", "application/xml"),
        ("text/html, application/*;q=0.1", "application/json"),
        ("application/json;q=0, */*", "application/xml"),
        ("image/png", None),
        ("application/json;q=0", None),
    ],
)
def test_choose_media_type(accept: str | None, expected: str | None) -> None:
    assert choose_media_type(accept, JSON_XML) == expected


def test_a_declared_wildcard_accepts_anything() -> None:
    assert choose_media_type("image/png", ("*/*",)) == "*/*"
    assert choose_media_type("text/csv", ("text/*",)) == "text/*"


def test_parse_accept_skips_garbage() -> None:
    assert parse_accept("text/html;q=0.8, nonsense, */*;q=x, a/b;q=1.5, c/d;q=nan") == [
        ("text", "html", 0.8),
    ]


def test_match_declared_request_content_types() -> None:
    declared = ("application/json", "image/*", "*/*")
    assert match_declared("application/json", declared) == "application/json"
    assert match_declared("image/png", declared) == "image/*"
    assert match_declared("text/csv", declared) == "*/*"
    assert match_declared("text/csv", ("application/json",)) is None


OCTOKIT = "application/vnd.github.v3+json"
GH = "application/vnd.github+json"


@pytest.mark.parametrize(
    "accept",
    [
        OCTOKIT,
        GH,
        "application/vnd.github.v3+json; charset=utf-8",
        "application/vnd.github.raw+json;q=0.9",
        "application/merge-patch+json",
    ],
)
def test_a_json_suffix_type_takes_declared_json(accept: str) -> None:
    assert choose_media_type(accept, ("application/json",)) == "application/json"
    assert choose_media_type(accept, JSON_XML) == "application/json"


def test_plain_json_takes_a_declared_suffix_type() -> None:
    declared = ("application/hal+json", "application/xml")
    assert choose_media_type("application/json", declared) == "application/hal+json"
    assert choose_media_type("text/xml", declared) == "application/xml"
    assert choose_media_type("application/atom+xml", declared) == "application/xml"


def test_the_most_specific_match_wins_among_equal_qualities() -> None:
    declared = ("application/json", GH)
    assert choose_media_type(GH, declared) == GH
    assert choose_media_type("application/json", declared) == "application/json"
    assert choose_media_type("text/plain, application/json", ("text/csv", "application/json")) == (
        "application/json"
    )


def test_q_values_and_wildcards_follow_rfc_9110() -> None:
    assert choose_media_type(f"{GH};q=0, */*;q=0.1", ("application/json",)) == "application/json"
    # the most specific range decides: the exact q=0 refuses, a wildcard does not revive it
    assert choose_media_type("application/json;q=0, */*", ("application/json",)) is None
    assert choose_media_type("application/*;q=0.3, text/*;q=0.9", JSON_XML) == "application/json"
    assert choose_media_type("*/json, bogus", JSON_XML) == "application/json"  # no valid range
    assert choose_media_type("application/json;q=2", JSON_XML) == "application/json"  # malformed
    assert choose_media_type("application/xml;q=2, application/json;q=0.5", JSON_XML) == (
        "application/json"
    )


def test_unrelated_types_are_still_refused() -> None:
    assert choose_media_type("application/vnd.github.diff", ("application/json",)) is None
    assert choose_media_type("text/html", ("application/json",)) is None
    assert choose_media_type("application/vnd.foo+xml", ("application/json",)) is None


def test_leniently_never_refuses() -> None:
    assert choose_media_type_leniently("image/png", JSON_XML) == "application/json"
    assert choose_media_type_leniently("application/xml", JSON_XML) == "application/xml"
    assert choose_media_type_leniently("image/png", ()) is None


def test_a_suffix_content_type_fits_its_declared_syntax() -> None:
    assert match_declared("application/merge-patch+json", ("application/json",)) == (
        "application/json"
    )
    assert match_declared("application/soap+xml", ("text/xml",)) == "text/xml"
    assert match_declared("application/vnd.x+json", ("text/plain",)) is None
