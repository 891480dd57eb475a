"""``python -m mockc.runtime.mocks schema`` prints the JSON Schema of mock files;
``python -m mockc.runtime.mocks validate FOLDER`` checks a folder of mocks
(exit status 1 when any problem is an error)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .folder import validate_mock_folder
from .schema import schema_text

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mockc.runtime.mocks")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("schema", help="print the JSON Schema of mock files")
    validate = commands.add_parser("validate", help="check every mock file of a folder")
    validate.add_argument("folder", type=Path)
    arguments = parser.parse_args(argv)
    if arguments.command == "schema":
        sys.stdout.write(schema_text())
        return 0
    problems = validate_mock_folder(arguments.folder)
    for problem in problems:
        print(problem.render())
    return 1 if any(problem.is_error for problem in problems) else 0


if __name__ == "__main__":
    sys.exit(main())
