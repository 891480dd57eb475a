"""Back ends and front ends are imported when first used: mockc on an OpenAPI
spec does not pay for graphql-core or protobuf; nor does it pay for the merge's
libraries (libcst, ruamel.yaml) when nothing of the user's is merged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mockc.compiler.driver import TARGETS


def test_the_cli_starts_without_other_protocols_libraries() -> None:
    code = (
        "import sys, mockc.compiler.cli; "
        "print(sorted(m for m in ('graphql', 'google.protobuf', 'zeep', 'mcp', 'httpx2') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


MERGE_LIBRARIES = ("libcst", "ruamel")
PETSTORE = Path(__file__).resolve().parents[2] / "examples" / "petstore" / "openapi.yaml"


def _loaded(code: str, prefixes: tuple[str, ...]) -> list[str]:
    """The top-level packages among ``prefixes`` that running ``code`` imports."""
    probe = f"{code}\nimport sys\nfor name in sorted({{m.split('.')[0] for m in sys.modules}}):\n"
    probe += f"    if name in {prefixes!r}: print(name)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_the_cli_starts_without_the_merge_libraries() -> None:
    assert _loaded("import mockc.compiler.cli", MERGE_LIBRARIES) == []


def test_mockc_serve_writes_its_server_without_the_merge_libraries(tmp_path: Path) -> None:
    code = (
        "from pathlib import Path\n"
        "from mockc.compiler.serving import write_server\n"
        f"write_server(Path({str(PETSTORE)!r}), Path({str(tmp_path / 'out')!r}))"
    )
    assert _loaded(code, MERGE_LIBRARIES) == []
    assert (tmp_path / "out" / "server.py").is_file()


def test_a_merge_of_handlers_loads_libcst_only_when_the_files_differ() -> None:
    merge = "from mockc.compiler.merge import merge_python\n"
    same = merge + "merge_python(path='h.py', base=None, ours='x = 1\\n', theirs='x = 1\\n')"
    other = merge + "merge_python(path='h.py', base=None, ours='x = 1\\n', theirs='y = 2\\n')"
    assert _loaded(same, MERGE_LIBRARIES) == []
    assert _loaded(other, MERGE_LIBRARIES) == ["libcst"]


def test_a_yaml_mock_merge_loads_ruamel() -> None:
    code = "from mockc.compiler.merge import load_mock\nload_mock('m.yaml', 'id: a\\n')"
    assert _loaded(code, MERGE_LIBRARIES) == ["ruamel"]


def test_every_target_is_listed_and_loads() -> None:
    assert sorted(TARGETS) == [
        "amqp",
        "graphql",
        "grpc",
        "http",
        "kafka",
        "mcp",
        "mqtt",
        "soap",
        "sse",
        "websocket",
    ]
    assert "http" in TARGETS and "nats" not in TARGETS
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
