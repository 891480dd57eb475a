"""Failures reach the assistant as clear messages: a bug of mockc is named as
one (not the SDK's bare "Error executing tool"), an API's problem is passed
on unchanged, and resources read as their files."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from mockc.compiler.assistant import AssistantError, ToolContext, build_server
from mockc.compiler.assistant.errors import problem_error, reported
from mockc.compiler.assistant.resources import DOCS


def test_an_unexpected_failure_is_named_a_bug() -> None:
    async def broken() -> None:
        raise ValueError("boom")

    with pytest.raises(AssistantError) as caught:
        asyncio.run(reported(broken)())
    assert str(caught.value) == (
        "internal error of mockc: ValueError: boom; this is a bug in mockc, please report it"
    )


def test_a_problem_document_is_passed_on_whole() -> None:
    problem = {"title": "Unprocessable", "status": 422, "detail": "the mock is not valid"}
    text = str(problem_error("server 'pets': POST /__mockc/mocks", 422, problem))
    head, _, body = text.partition("\n")
    assert head == "server 'pets': POST /__mockc/mocks answered 422: the mock is not valid"
    assert json.loads(body) == problem
    assert str(problem_error("x", 502, "bad gateway")) == "x answered 502: bad gateway"


def test_the_docs_are_resources(tmp_path: Path) -> None:
    from mcp import Client

    context = ToolContext.create(state=tmp_path)

    async def run() -> tuple[list[str], str]:
        async with Client(build_server(context)) as client:
            listed = [str(r.uri) for r in (await client.list_resources()).resources]
            page = await client.read_resource("mockc://docs/assistants")
            return listed, page.contents[0].text

    listed, page = asyncio.run(run())
    assert {f"mockc://docs/{path.stem}" for path in DOCS.glob("*.md")} <= set(listed)
    assert page == (DOCS / "assistants.md").read_text(encoding="utf-8")
