"""Reading request XML: the encoding read from the bytes, and the depth bound
in every encoding (counting ``<`` bytes stands in for the walk only in UTF-8)."""

from __future__ import annotations

import pytest

from mockc.runtime.soap.safety import MAX_DEPTH, UnsafeXml, parse_request, utf8_bytes

DEEP = "<a>" * (MAX_DEPTH + 1) + "</a>" * (MAX_DEPTH + 1)
SHALLOW = "<a>" * MAX_DEPTH + "</a>" * MAX_DEPTH


@pytest.mark.parametrize(
    ("raw", "utf8"),
    [
        (b"<a/>", True),
        (b"\n  <a/>", True),
        (b"\xef\xbb\xbf<a/>", True),
        (b'<?xml version="1.0"?><a/>', True),
        (b'<?xml version="1.0" encoding="utf-8"?><a/>', True),
        (b"<?xml version='1.0' encoding = 'US-ASCII' ?><a/>", True),
        (b'<?xml version="1.0" encoding="iso-8859-1"?><a/>', False),
        (b'<?xml version="1.0" encoding="UTF-7"?><a/>', False),
        ("<a/>".encode("utf-16"), False),
        ("<a/>".encode("utf-16-le"), False),
        ("<a/>".encode("utf-32-be"), False),
        ("<a/>".encode("utf-32-le"), False),
        ('<?xml version="1.0" encoding="IBM500"?><a/>'.encode("cp500"), False),
        (b"<?xml version='1.0'" + b" " * 300 + b"?><a/>", False),
    ],
)
def test_the_encoding_is_read_from_the_bytes(raw: bytes, utf8: bool) -> None:
    assert utf8_bytes(raw) is utf8


@pytest.mark.parametrize(
    "raw",
    [
        DEEP.encode(),
        DEEP.encode("utf-16"),
        ('<?xml version="1.0" encoding="UTF-7"?>' + DEEP).encode("utf-7"),
        ('<?xml version="1.0" encoding="iso-8859-1"?>' + DEEP).encode("latin-1"),
    ],
)
def test_too_deep_documents_are_refused_in_any_encoding(raw: bytes) -> None:
    with pytest.raises(UnsafeXml, match="nested deeper"):
        parse_request(raw)


def test_a_document_as_deep_as_allowed_is_read() -> None:
    root, utf8 = parse_request(SHALLOW.encode())
    assert (root.tag, utf8) == ("a", True)
    assert parse_request(SHALLOW.encode("utf-16"))[1] is False
