"""The command line with .proto files: -I/--include, located errors, the target."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mockc.compiler.cli import EXIT_BAD_INPUT, main
from tests.support.corpus import CORPUS

HELLOWORLD = CORPUS / "proto" / "grpc-helloworld" / "helloworld.proto"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _bank(tmp_path: Path) -> tuple[Path, Path]:
    common = tmp_path / "common"
    (common / "money").mkdir(parents=True)
    (common / "money" / "money.proto").write_text(
        'syntax = "proto3";\npackage money;\nmessage Money { int64 units = 1; }\n'
    )
    spec = tmp_path / "bank.proto"
    spec.write_text(
        'syntax = "proto3";\nimport "money/money.proto";\n'
        "service Bank { rpc Balance(money.Money) returns (money.Money); }\n"
    )
    return spec, common


def test_include_is_repeatable_on_inspect_validate_and_generate(tmp_path: Path) -> None:
    spec, common = _bank(tmp_path)
    code, _, err = _run("validate", str(spec))
    assert code == EXIT_BAD_INPUT
    assert f'{spec}:2:1: error: import "money/money.proto" was not found' in err
    code, out, _ = _run("inspect", str(spec), "-I", str(common), "--include", str(tmp_path))
    assert code == 0
    api = json.loads(out)
    assert [op["id"] for op in api["operations"]] == ["Bank_Balance"]
    assert api["operations"][0]["binding"]["kind"] == "grpc"
    code, _, err = _run("validate", str(spec), "-I", str(common))
    assert code == 0 and "1 operation(s)" in err
    out_dir = tmp_path / "out"
    code, _, err = _run("generate", str(spec), "-I", str(common), "-o", str(out_dir), "-q")
    assert code == 0, err
    assert (out_dir / "protos" / "money" / "money_pb2.py").is_file()
    assert json.loads((out_dir / "contract.json").read_text())["protocol"] == "grpc"


def test_syntax_errors_name_file_line_and_column(tmp_path: Path) -> None:
    spec = tmp_path / "bad.proto"
    spec.write_text('syntax = "proto3";\nmessage A {\n  int32 a = 1\n}\n')
    code, _, err = _run("inspect", str(spec))
    assert code == EXIT_BAD_INPUT
    assert err.splitlines()[:3] == [f'{spec}:4:1: error: Expected ";".', "    }", "    ^"]


def test_proto_and_openapi_specs_cannot_be_served_together(tmp_path: Path) -> None:
    petstore = Path(__file__).resolve().parents[2] / "examples" / "petstore" / "openapi.yaml"
    code, _, err = _run("inspect", str(HELLOWORLD), str(petstore))
    assert code == EXIT_BAD_INPUT
    assert "different targets (grpc, http)" in err


def test_an_openapi_spec_cannot_be_generated_as_grpc(tmp_path: Path) -> None:
    petstore = Path(__file__).resolve().parents[2] / "examples" / "petstore" / "openapi.yaml"
    code, _, err = _run("generate", str(petstore), "--target", "grpc", "-o", str(tmp_path / "x"))
    assert code == EXIT_BAD_INPUT
    assert ".proto" in err
