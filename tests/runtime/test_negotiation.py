import pytest

from mockc.runtime.http.negotiation import choose_media_type, match_declared, parse_accept

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
    assert parse_accept("text/html;q=0.8, nonsense, */*;q=x") == [
        ("text", "html", 0.8),
        ("*", "*", 0.0),
    ]


def test_match_declared_request_content_types() -> None:
    declared = ("application/json", "image/*", "*/*")
    assert match_declared("application/json", declared) == "application/json"
    assert match_declared("image/png", declared) == "image/*"
    assert match_declared("text/csv", declared) == "*/*"
    assert match_declared("text/csv", ("application/json",)) is None
