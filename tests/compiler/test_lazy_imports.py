"""Back ends and front ends are imported when first used: mockc on an OpenAPI
spec does not pay for graphql-core or protobuf."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mockc.compiler.driver import TARGETS


def test_the_cli_starts_without_other_protocols_libraries() -> None:
    code = (
        "import sys, mockc.compiler.cli; "
        "print(sorted(m for m in ('graphql', 'google.protobuf') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_every_target_is_listed_and_loads() -> None:
    assert sorted(TARGETS) == ["graphql", "grpc", "http"]
    assert "http" in TARGETS and "soap" not in TARGETS
    assert all(callable(TARGETS[name]) for name in TARGETS)


def test_generating_one_protocol_imports_no_other_target() -> None:
    code = (
        "import sys; from pathlib import Path; "
        "from mockc.compiler.driver import GenerateOptions, compile_specs, plan_files; "
        "plan_files(compile_specs([Path('examples/petstore/openapi.yaml')]), GenerateOptions()); "
        "print(sorted(m for m in sys.modules if m.startswith('mockc.targets.') "
        "and m.count('.') == 2))"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert (
        done.stdout.strip()
        == "['mockc.targets.common', 'mockc.targets.http', 'mockc.targets.registry']"
    )
