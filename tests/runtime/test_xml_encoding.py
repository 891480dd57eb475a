"""XML bodies written from data: any key is a well-formed element name, any text
is well-formed character data, checked with a real XML parser."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockc.runtime.http.encoding import encode_body, xml_name

_ESCAPE = re.compile(r"_x([0-9A-F]{4,6})_")


def decoded(name: str) -> str:
    """The key an element name was written from (the inverse of ``xml_name`` for
    names that did not need a leading ``_``)."""
    return _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), name)


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("name", "name"),
        ("a b", "a_x0020_b"),
        ('a"b', "a_x0022_b"),
        ("<script>", "_x003C_script_x003E_"),
        ("x:y", "x_x003A_y"),
        ("200", "_200"),
        ("", "_"),
        ("_x0020_", "_x005F_x0020_"),
        ("naïve", "na_x00EF_ve"),
    ],
)
def test_keys_become_valid_element_names(key: str, name: str) -> None:
    assert xml_name(key) == name


def test_markup_in_keys_and_values_cannot_inject_elements() -> None:
    body = {'a"><evil/><b x="': "</a><evil/>", "k y": "\x00\x07 text"}
    root = ET.fromstring(encode_body(body, "application/xml"))
    assert [decoded(child.tag) for child in root] == list(body)
    assert list(root.iter("evil")) == []
    assert root[0].text == "</a><evil/>"
    assert root[1].text == "\ufffd\ufffd text"


_keys = st.text(max_size=12)
_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_keys, children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(body=st.dictionaries(_keys, _values, max_size=5))
def test_any_data_is_well_formed_xml_that_keeps_its_keys(body: dict[str, Any]) -> None:
    root = ET.fromstring(encode_body(body, "application/xml"))
    assert root.tag == "root"
    written = [child.tag for child in root]
    assert len(written) == len(body)
    for key, tag in zip(body, written, strict=True):
        prefixed = key[:1] in set("0123456789-.")  # a name cannot start with these
        assert decoded(tag[1:] if prefixed or not key else tag) == key
