"""mockc and the AsyncAPI initiative's reference parser (@asyncapi/parser,
pinned, run by a pinned Node.js from npm) agree on every corpus document:
what the parser accepts mockc generates from, what it rejects mockc rejects,
and where both say where, they name the same place."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from mockc.compiler.driver import compile_specs
from mockc.compiler.errors import SpecError
from tests.compiler.frontends.asyncapi.test_asyncapi_corpus import ASYNCAPI, DOCUMENTS, INVALID
from tests.support.npm_tools import ASYNCAPI_PARSER, Unavailable, install

SCRIPT = Path(__file__).parents[3] / "support" / "asyncapi_parse.mjs"
PLACED_ELSEWHERE = {
    # 1.x: the parser names no place; mockc names /asyncapi (the version)
    "slack-events-api-1.2/slack_events_api_async_v1.json",
}


@pytest.fixture(scope="module")
def verdicts() -> dict[str, Any]:
    try:
        tool = install(ASYNCAPI_PARSER)
    except Unavailable as why:
        pytest.skip(f"the reference parser is not available: {why}")
    script = tool.script(SCRIPT)
    done = subprocess.run(
        [str(tool.node), str(script), *map(str, DOCUMENTS)],
        cwd=tool.folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return {str(Path(file).relative_to(ASYNCAPI)): verdict for file, verdict in found.items()}


def _mockc_pointer(path: Path) -> str | None:
    """Where mockc's first error is (None: it accepts the document)."""
    try:
        compile_specs([path])
    except SpecError as error:
        return error.diagnostics[0].pointer or ""
    return None


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ASYNCAPI)))
def test_mockc_accepts_what_the_reference_parser_accepts(
    path: Path, verdicts: dict[str, Any]
) -> None:
    name = str(path.relative_to(ASYNCAPI))
    verdict = verdicts[name]
    assert verdict["valid"] == (name not in INVALID), verdict["errors"][:3]
    if verdict["valid"]:
        return
    pointer = _mockc_pointer(path)
    assert pointer is not None
    parser_places = {"/" + error["path"] for error in verdict["errors"] if error["path"]}
    if name in PLACED_ELSEWHERE:
        assert pointer not in parser_places, f"both name {pointer}: drop it from PLACED_ELSEWHERE"
    else:
        assert pointer in parser_places, (pointer, sorted(parser_places))
