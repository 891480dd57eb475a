"""Mock steps that ask the client (``sampling``, ``elicitation``), content
blocks in tool results and prompts, and ``logging/setLevel``: the server of
``examples/mcp-conformance`` heard by the official SDK's client, whose
callbacks answer the server's requests: sent on the call's stream under the
initialize handshake (``legacy``), carried by ``input_required`` results and
the client's retries under 2026-07-28 (``auto``)."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import mcp_types as types
import pytest
from mcp import Client, StdioServerParameters
from mcp.shared.exceptions import MCPError

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.servers import ServerProcess

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "mcp-conformance"
PIXEL = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg"
    "=="
)
ASK_TWICE = """id: ask_twice
operation: tool_test_sampling
match:
  body:
    prompt: twice
stream: {count: 3}
responses:
  - status: sampling
    body:
      messages: [{role: user, content: {type: text, text: first}}]
      maxTokens: 10
  - status: sampling
    body:
      messages:
        - {role: user, content: {type: text, text: "then {{ request.steps[0].content.text }}"}}
      maxTokens: 20
  - status: result
    body: "{{ request.steps[0].content.text }} / {{ request.steps[1].content.text }}"
"""
REFUSED = """id: refused
operation: tool_test_sampling
match:
  body:
    prompt: refused
stream: {count: 2}
responses:
  - status: sampling
    body: {messages: [{role: user, content: {type: text, text: hi}}], maxTokens: 5}
  - {status: result, body: "refused: {{ request.steps[0].error.message }}"}
"""
BY_LINK = """id: by_link
operation: tool_test_elicitation
match:
  body:
    message: link
stream: {count: 2}
responses:
  - status: elicitation
    body: {message: Sign in, url: "https://example.com/sign-in", elicitationId: e-1}
  - {status: result, body: "{{ request.steps[0].action }}"}
"""
MODES = ["legacy", "auto"]
NOT_SAMPLING = """id: not_sampling
operation: tool_test_sampling
match:
  body:
    prompt: broken
stream: {count: 2}
responses:
  - {status: sampling, body: {messages: "none"}}
  - {status: result, body: never}
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated server, its mocks checked."""
    out = tmp_path_factory.mktemp("conformance") / "server"
    generate([EXAMPLE / "conformance.mcp.yaml"], out, GenerateOptions())
    for mock in (EXAMPLE / "mocks").glob("*.yaml"):
        shutil.copyfile(mock, out / "mocks" / mock.name)
    (out / "mocks" / "ask_twice.yaml").write_text(ASK_TWICE, encoding="utf-8")
    (out / "mocks" / "not_sampling.yaml").write_text(NOT_SAMPLING, encoding="utf-8")
    (out / "mocks" / "refused.yaml").write_text(REFUSED, encoding="utf-8")
    (out / "mocks" / "by_link.yaml").write_text(BY_LINK, encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, "-m", "mockc.compiler.cli", "validate", "--strict", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    said = [line for line in (checked.stdout + checked.stderr).splitlines() if "warning:" in line]
    # the example's mocks are valid; the broken step's body is told before the server runs
    assert checked.returncode == 1 and len(said) == 2, said
    assert all("not_sampling.yaml:8:" in line for line in said), said
    assert '"maxTokens" is a required property (the sampling' in said[0]
    return out


@pytest.fixture(scope="module")
def url(folder: Path) -> Iterator[str]:
    with ServerProcess([sys.executable, "server.py"], folder) as server:
        yield f"{server.url}/mcp"


def _text(result: Any) -> str:
    return "\n".join(block.text for block in result.content if block.type == "text")


@pytest.mark.parametrize("mode", MODES)
def test_a_sampling_step_asks_the_clients_model_and_the_result_quotes_it(
    url: str, mode: str
) -> None:
    asked: list[types.CreateMessageRequestParams] = []

    async def sample(context: Any, params: types.CreateMessageRequestParams) -> Any:
        asked.append(params)
        said = params.messages[0].content.text  # type: ignore[union-attr]
        text = f"answer to {said}"
        return types.CreateMessageResult(
            role="assistant",
            content=types.TextContent(type="text", text=text),
            model="test-model",
        )

    async def run() -> tuple[Any, Any]:
        async with Client(url, sampling_callback=sample, mode=mode) as client:
            once = await client.call_tool("test_sampling", {"prompt": "Say hi"})
            twice = await client.call_tool("test_sampling", {"prompt": "twice"})
            return once, twice

    once, twice = asyncio.run(run())
    assert _text(once) == "LLM response: answer to Say hi"
    assert not once.is_error
    assert [(p.messages[0].content.text, p.max_tokens) for p in asked] == [  # type: ignore[union-attr]
        ("Say hi", 100),
        ("first", 10),
        ("then answer to first", 20),
    ]
    assert _text(twice) == "answer to first / answer to then answer to first"


@pytest.mark.parametrize("mode", MODES)
def test_an_elicitation_step_asks_the_user_with_the_mocks_schema(url: str, mode: str) -> None:
    asked: list[Any] = []
    answers = iter(
        [
            types.ElicitResult(action="accept", content={"username": "ada", "email": "a@b.c"}),
            types.ElicitResult(action="decline"),
        ]
    )

    async def elicit(context: Any, params: Any) -> Any:
        asked.append(params)
        return next(answers)

    async def run() -> list[str]:
        async with Client(url, elicitation_callback=elicit, mode=mode) as client:
            return [
                _text(await client.call_tool("test_elicitation", {"message": "Who are you?"}))
                for _ in range(2)
            ]

    accepted, declined = asyncio.run(run())
    assert accepted == ('User response: action=accept, content={"username":"ada","email":"a@b.c"}')
    assert declined.startswith("User response: action=decline, content=")
    assert asked[0].message == "Who are you?"
    assert asked[0].requested_schema["required"] == ["username", "email"]
    assert asked[0].requested_schema["properties"]["email"] == {
        "type": "string",
        "description": "User's email address",
    }


def test_a_client_error_answer_is_the_steps_error(url: str) -> None:
    async def refuse(context: Any, params: Any) -> Any:
        return types.ErrorData(code=-1, message="the user said no")

    async def run() -> str:
        async with Client(url, sampling_callback=refuse, mode="legacy") as client:
            return _text(await client.call_tool("test_sampling", {"prompt": "refused"}))

    assert asyncio.run(run()) == "refused: the user said no"


@pytest.mark.filterwarnings("ignore::mcp.shared.exceptions.MCPDeprecationWarning")
def test_log_entries_of_steps_below_the_level_set_are_not_sent(url: str) -> None:
    async def run(level: Any) -> list[Any]:
        heard: list[Any] = []

        async def on_log(params: Any) -> None:
            heard.append((params.level, params.data))

        async with Client(url, logging_callback=on_log, mode="legacy") as client:
            await client.set_logging_level(level)
            await client.call_tool("test_tool_with_logging", {})
        return heard

    assert asyncio.run(run("warning")) == []
    assert asyncio.run(run("info")) == [
        ("info", "Tool execution started"),
        ("info", "Tool processing data"),
        ("info", "Tool execution completed"),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_without_the_capability_or_with_bad_params_the_call_is_an_error(
    url: str, mode: str
) -> None:
    async def sample(context: Any, params: Any) -> Any:
        raise AssertionError("not asked")

    async def run() -> tuple[int, int, str]:
        async with Client(url, mode=mode) as client:
            with pytest.raises(MCPError) as undeclared:
                await client.call_tool("test_sampling", {"prompt": "x"})
        async with Client(url, sampling_callback=sample, mode=mode) as client:
            with pytest.raises(MCPError) as broken:
                await client.call_tool("test_sampling", {"prompt": "broken"})
        return undeclared.value.code, broken.value.code, broken.value.message

    undeclared, broken, message = asyncio.run(run())
    assert undeclared == -32600
    assert broken == -32603
    assert "step 0 of mock not_sampling: not the params of sampling/createMessage" in message
    assert "messages" in message


def test_content_blocks_in_tool_results_and_prompts(url: str) -> None:
    async def run() -> tuple[Any, Any, Any]:
        async with Client(url) as client:
            mixed = await client.call_tool("test_multiple_content_types", {})
            embedded = await client.get_prompt(
                "test_prompt_with_embedded_resource", {"resourceUri": "test://one"}
            )
            image = await client.get_prompt("test_prompt_with_image", {})
            return mixed, embedded, image

    mixed, embedded, image = asyncio.run(run())
    assert [block.type for block in mixed.content] == ["text", "image", "resource"]
    assert (mixed.content[1].data, mixed.content[1].mime_type) == (PIXEL, "image/png")
    assert str(mixed.content[2].resource.uri) == "test://mixed-content-resource"
    assert mixed.content[2].resource.text == '{"test":"data","value":123}'
    resource = embedded.messages[0].content.resource
    assert (str(resource.uri), resource.text) == (
        "test://one",
        "Embedded resource content for testing.",
    )
    assert embedded.messages[1].content.text == "Please process the embedded resource above."
    assert (image.messages[0].content.type, image.messages[0].content.data) == ("image", PIXEL)


def test_a_call_that_asks_the_client_first_is_journaled_input_required(url: str) -> None:
    async def sample(context: Any, params: Any) -> Any:
        return types.CreateMessageResult(
            role="assistant", content=types.TextContent(type="text", text="ok"), model="m"
        )

    async def run() -> None:
        async with Client(url, sampling_callback=sample, mode="auto") as client:
            await client.call_tool("test_sampling", {"prompt": "journaled"})

    asyncio.run(run())
    entries = httpx.get(url.removesuffix("/mcp") + "/__mockc/journal?limit=200").json()["entries"]
    statuses = [
        entry["status"]
        for entry in entries
        if entry["target"] == "test_sampling" and "journaled" in json.dumps(entry)
    ]
    assert sorted(statuses) == ["input_required", "result"]


@pytest.mark.parametrize("mode", MODES)
def test_over_stdio_too(folder: Path, mode: str) -> None:
    async def sample(context: Any, params: Any) -> Any:
        return types.CreateMessageResult(
            role="assistant", content=types.TextContent(type="text", text="from stdio"), model="m"
        )

    server = StdioServerParameters(
        command=sys.executable,
        args=["server.py", "--stdio"],
        cwd=str(folder),
        env={"MOCKC_ADMIN_PORT": "off", "MOCKC_JOURNAL": "off"},
    )

    async def run() -> str:
        async with Client(server, sampling_callback=sample, mode=mode) as client:
            return _text(await client.call_tool("test_sampling", {"prompt": "x"}))

    assert asyncio.run(run()) == "LLM response: from stdio"


@pytest.mark.parametrize("mode", MODES)
def test_an_elicitation_with_a_url_asks_in_url_mode(url: str, mode: str) -> None:
    asked: list[Any] = []

    async def elicit(context: Any, params: Any) -> Any:
        asked.append(params)
        return types.ElicitResult(action="accept")

    async def run() -> str:
        async with Client(url, elicitation_callback=elicit, mode=mode) as client:
            return _text(await client.call_tool("test_elicitation", {"message": "link"}))

    assert asyncio.run(run()) == "accept"
    assert (asked[0].mode, asked[0].url, asked[0].message) == (
        "url",
        "https://example.com/sign-in",
        "Sign in",
    )
