"""``mockc serve SPEC`` writes the generated mocks as JSON, much faster than
YAML: the data the server loads must be exactly what the YAML mocks hold."""

from __future__ import annotations

import datetime
from pathlib import Path

import orjson
import pytest
import yaml

from mockc.compiler.driver import compile_specs
from mockc.compiler.passes.mockgen import _json_text, generate_mocks
from tests.support.corpus import CORPUS

ROOT = Path(__file__).resolve().parents[2]
SPECS = [
    ROOT / "examples" / "petstore" / "openapi.yaml",
    CORPUS / "openapi/slack-web-api-v2/slack_web_openapi_v2.json",
    CORPUS / "openapi/digitalocean-multifile/specification/DigitalOcean-public.v2.yaml",
    CORPUS / "openapi/oai-api-with-examples-v3/api-with-examples.yaml",
]
_LOADER = yaml.CSafeLoader


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.parent.name)
def test_json_mocks_hold_what_the_yaml_mocks_hold(spec: Path) -> None:
    api = compile_specs([spec]).api
    as_yaml = generate_mocks(api, warnings=[])
    as_json = generate_mocks(api, warnings=[], mock_format="json")
    assert len(as_yaml) == len(as_json) == len(api.operations)
    for written, fast in zip(as_yaml, as_json, strict=True):
        assert fast.path == written.path.removesuffix(".yaml") + ".json"
        assert fast.mock_id == written.mock_id
        expected = yaml.load(written.content, Loader=_LOADER)
        loaded = orjson.loads(fast.content)
        # repr tells 1 from 1.0 and True from 1, which == does not.
        assert repr(loaded) == repr(expected), fast.path


@pytest.mark.parametrize(
    "value",
    [{1: "a"}, float("nan"), float("inf"), 2**70, datetime.date(2020, 1, 2), b"raw"],
    ids=["int key", "nan", "inf", "huge int", "date", "bytes"],
)
def test_what_json_cannot_hold_exactly_stays_yaml(value: object) -> None:
    assert _json_text({"id": "x", "response": {"body": [value]}}) is None


def test_json_mock_text_is_indented_json() -> None:
    text = _json_text({"id": "x", "response": {"status": 200, "body": {"n": 1.5, "ok": True}}})
    assert text is not None
    assert text.endswith(b"\n")
    assert orjson.loads(text) == {
        "id": "x",
        "response": {"status": 200, "body": {"n": 1.5, "ok": True}},
    }
