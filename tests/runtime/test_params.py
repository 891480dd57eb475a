from typing import Any

import pytest

from mockc.runtime.http.params import MISSING, ParamDecoder, ParamError, parse_cookies, split_query

DEFS = {"Id": {"type": "integer"}}
INTS = {"type": "array", "items": {"type": "integer"}}
OBJ = {"type": "object", "properties": {"R": {"type": "integer"}, "G": {"type": "integer"}}}


def decoder(location: str, schema: Any, style: str, explode: bool, **extra: Any) -> ParamDecoder:
    spec = {
        "name": "id",
        "location": location,
        "required": False,
        "schema": schema,
        "style": style,
        "explode": explode,
        **extra,
    }
    return ParamDecoder.compile(spec, DEFS)


@pytest.mark.parametrize(
    ("schema", "style", "explode", "text", "expected"),
    [
        ({"type": "integer"}, "simple", False, "5", 5),
        ({"$ref": "#/$defs/Id"}, "simple", False, "5", 5),
        ({"type": "number"}, "simple", False, "2.5", 2.5),
        ({"type": "boolean"}, "simple", False, "true", True),
        ({"type": "integer"}, "simple", False, "five", "five"),
        (INTS, "simple", False, "3,4,5", [3, 4, 5]),
        (OBJ, "simple", False, "R,100,G,200", {"R": 100, "G": 200}),
        (OBJ, "simple", True, "R=100,G=200", {"R": 100, "G": 200}),
        ({"type": "integer"}, "label", False, ".5", 5),
        (INTS, "label", False, ".3,4,5", [3, 4, 5]),
        (INTS, "label", True, ".3.4.5", [3, 4, 5]),
        (OBJ, "label", True, ".R=100.G=200", {"R": 100, "G": 200}),
        ({"type": "integer"}, "matrix", False, ";id=5", 5),
        (INTS, "matrix", False, ";id=3,4,5", [3, 4, 5]),
        (INTS, "matrix", True, ";id=3;id=4;id=5", [3, 4, 5]),
        (OBJ, "matrix", False, ";id=R,100,G,200", {"R": 100, "G": 200}),
        (OBJ, "matrix", True, ";R=100;G=200", {"R": 100, "G": 200}),
    ],
)
def test_path_styles(schema: Any, style: str, explode: bool, text: str, expected: Any) -> None:
    assert decoder("path", schema, style, explode).read_text(text) == expected


@pytest.mark.parametrize(
    ("schema", "style", "explode", "query", "expected"),
    [
        ({"type": "integer"}, "form", True, "id=5", 5),
        (INTS, "form", True, "id=3&id=4", [3, 4]),
        (INTS, "form", True, "id=3", [3]),
        (INTS, "form", False, "id=3,4", [3, 4]),
        (INTS, "spaceDelimited", False, "id=3%204", [3, 4]),
        (INTS, "pipeDelimited", False, "id=3|4", [3, 4]),
        (OBJ, "form", True, "R=1&G=2&other=x", {"R": 1, "G": 2}),
        (OBJ, "form", False, "id=R,1,G,2", {"R": 1, "G": 2}),
        (OBJ, "deepObject", True, "id[R]=1&id[G]=2&x=3", {"R": 1, "G": 2}),
        ({"type": "string"}, "form", True, "id=a+b%21", "a b!"),
        ({"type": "integer"}, "form", True, "other=1", MISSING),
        (OBJ, "deepObject", True, "other=1", MISSING),
    ],
)
def test_query_styles(schema: Any, style: str, explode: bool, query: str, expected: Any) -> None:
    assert decoder("query", schema, style, explode).from_query(split_query(query)) == expected


def test_header_and_cookie_values() -> None:
    assert decoder("header", INTS, "simple", False).read_text("1,2") == [1, 2]
    assert decoder("cookie", INTS, "form", False).read_text("1,2") == [1, 2]
    assert parse_cookies('a=1; b="two"; junk') == {"a": "1", "b": "two"}


def test_media_type_params_are_json_decoded() -> None:
    param = decoder("query", OBJ, "form", True, media_type="application/json")
    assert param.from_query(split_query('id={"R":1}')) == {"R": 1}
    with pytest.raises(ParamError, match="not valid JSON"):
        param.from_query(split_query("id={"))
