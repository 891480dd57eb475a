"""The published JSON Schema agrees with the code, and the documented examples load."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from mock_kit import OPERATIONS, http_operation

from mockc.runtime.engine import Operation, Output
from mockc.runtime.mocks import MOCK_SCHEMA, load_mock_document
from mockc.runtime.mocks.schema import schema_text

ROOT = Path(__file__).resolve().parents[3]
PUBLISHED = ROOT / "docs" / "mock.schema.json"
GUIDE = ROOT / "docs" / "mocks.md"
GRPC_STATUS_NAMES = (
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
    "UNAUTHENTICATED",
)  # fmt: skip


def test_the_published_schema_is_the_code_schema_byte_for_byte() -> None:
    assert PUBLISHED.read_bytes() == schema_text().encode("utf-8"), (
        "regenerate it: python -m mockc.runtime.mocks schema > docs/mock.schema.json"
    )


def test_the_module_prints_the_schema() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "mockc.runtime.mocks", "schema"],
        capture_output=True,
        check=True,
        cwd=ROOT.parent,
    )
    assert printed.stdout == PUBLISHED.read_bytes()
    assert printed.stderr == b""


def test_the_schema_is_valid_2020_12_and_its_examples_validate() -> None:
    jsonschema.Draft202012Validator.check_schema(MOCK_SCHEMA)
    validator = jsonschema.Draft202012Validator(MOCK_SCHEMA)
    for example in MOCK_SCHEMA["examples"]:
        validator.validate(example)


def _guide_mocks() -> list[str]:
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    return [block for block in blocks if re.search(r"^operation:", block, re.M)]


@pytest.mark.parametrize("text", _guide_mocks())
def test_the_mocks_in_the_guide_load_without_problems(tmp_path: Path, text: str) -> None:
    operations: dict[str, Operation] = dict(OPERATIONS)
    operation = re.search(r"^operation: (\S+)", text, re.M)
    assert operation is not None
    # an operation of another protocol's section (GraphQL, gRPC): it declares
    # what createPets declares, and the gRPC status names
    create = OPERATIONS["createPets"]
    grpc_statuses = tuple(Output(status) for status in GRPC_STATUS_NAMES)
    fallback = http_operation(create.id, (*create.outputs, *grpc_statuses))
    operations.setdefault(operation.group(1), fallback)
    path = tmp_path / "mock.yaml"
    path.write_text(text, encoding="utf-8")
    document = load_mock_document(path, operations=operations)
    assert [problem.render() for problem in document.problems] == []
    assert document.definition is not None
