"""Required ``xsd:any``s (tests/runtime/soap/wildcards.wsdl): each answered
by an element its namespace constraint and ``processContents`` accept, a
global element of the schemas where one is needed, and a warning naming the
place of a strict one that no element fits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic
from mockc.compiler.frontends.wsdl import load
from mockc.compiler.frontends.wsdl.wildcards import Wildcard
from mockc.compiler.passes.check_ir import IrChecker

ROOT = Path(__file__).resolve().parents[4]
WSDL = ROOT / "tests" / "runtime" / "soap" / "wildcards.wsdl"


def _answer(api: ir.Api, operation: str) -> dict[str, Any]:
    schema: dict[str, Any] = ir.thaw(api.operation(operation).outputs[0].message.contents[0].schema)
    return schema


def test_each_required_wildcard_is_an_element_it_accepts() -> None:
    warnings: list[Diagnostic] = []
    api = load(WSDL, warnings=warnings)
    IrChecker().check(api, after="wsdl")
    item = _answer(api, "Ext_Get")["properties"]["item"]
    assert item["x-order"] == ["id", "_any", "_any_2", "_any_3", "_any_4", "_any_5"]
    assert item["required"] == item["x-order"]
    names = {name: item["properties"][name]["xml"] for name in item["x-order"][1:]}
    assert names == {
        # strict ##any and ##targetNamespace: a global element, simple ones
        # first, of the wildcard's own namespace first
        "_any": {"name": "Revision", "namespace": "urn:ext"},
        "_any_2": {"name": "Revision", "namespace": "urn:ext"},
        # strict ##other: another namespace's element
        "_any_3": {"name": "Label", "namespace": "urn:ext:meta"},
        # lax, limited to urn:ext:meta: a declared element of it
        "_any_4": {"name": "Label", "namespace": "urn:ext:meta"},
        # lax ##local and no unqualified global element: an undeclared one
        "_any_5": {"name": "any"},
    }
    revision = item["properties"]["_any"]
    assert (revision["type"], revision["minimum"], revision["maximum"]) == ("integer", 1, 9)
    assert _answer(load(WSDL), "Ext_Get") == _answer(api, "Ext_Get")  # the same every time


def test_a_strict_wildcard_no_element_fits_is_a_warning_naming_its_place() -> None:
    warnings: list[Diagnostic] = []
    api = load(WSDL, warnings=warnings)
    [warning] = warnings
    assert (warning.level, warning.file, warning.line) == ("warning", str(WSDL.resolve()), 34)
    assert 'processContents="strict", namespace="##local"' in warning.message
    assert "in LocalResponse" in warning.message and "not valid XSD" in warning.message
    local = _answer(api, "Ext_Local")
    assert local["x-order"] == ["id"]


def test_mockc_generate_prints_the_warning(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "mockc"), "generate", str(WSDL), "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"{WSDL.resolve()}:34: warning: a required xsd:any" in done.stderr, done.stderr


@pytest.mark.parametrize(
    ("constraint", "allowed", "refused"),
    [
        ("##any", ["urn:t", "urn:o", None], []),
        ("##other", ["urn:o"], ["urn:t", None]),
        ("##local", [None], ["urn:t", "urn:o"]),
        ("##targetNamespace", ["urn:t"], ["urn:o", None]),
        ("urn:o ##local", ["urn:o", None], ["urn:t", "urn:p"]),
    ],
)
def test_namespace_constraints(
    constraint: str, allowed: list[str | None], refused: list[str | None]
) -> None:
    wildcard = Wildcard(constraint, "urn:t", "x.xsd", 1)
    assert [wildcard.allows(namespace) for namespace in allowed] == [True] * len(allowed)
    assert [wildcard.allows(namespace) for namespace in refused] == [False] * len(refused)
