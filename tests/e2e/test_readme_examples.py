"""The README's GraphQL and gRPC examples, run as written: the commands of each
section's first shell block, in a folder holding the repository's examples/,
with mockc and python from this environment on PATH (only the ports are
swapped for free ones). grpcurl is used when installed; otherwise the same
call (method, JSON request) is made with grpcio, as grpcurl would."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import grpc
import httpx
import pytest
from google.protobuf import json_format, message_factory

from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _section_commands(heading: str) -> list[str]:
    """The commands of the first ``sh`` block under ``heading``: comments
    dropped, continuation lines joined."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(f"\n{heading}\n") :]
    block = section[section.index("```sh\n") + 6 :]
    block = block[: block.index("```")]
    joined = block.replace("\\\n", " ")
    return [re.sub(r"\s{2,}#.*$", "", line).strip() for line in joined.splitlines() if line]


def _with_ports(command: str, ports: dict[str, int]) -> str:
    for written, port in ports.items():
        command = re.sub(rf"\b{written}\b", str(port), command)
    return command


def _environment() -> dict[str, str]:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def _shell(command: str, cwd: Path) -> str:
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@contextmanager
def _serving(command: str, cwd: Path, health: str) -> Iterator[None]:
    process = subprocess.Popen(
        ["bash", "-c", command],
        cwd=cwd,
        env=_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                assert process.stderr is not None
                raise AssertionError(f"{command} exited: {process.stderr.read().decode()}")
            try:
                if httpx.get(health, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"{command}: no answer at {health}"
            time.sleep(0.2)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path


def test_the_graphql_example(checkout: Path) -> None:
    ports = {"8080": free_port()}
    generate, serve, query = (_with_ports(c, ports) for c in _section_commands("## GraphQL"))
    assert generate.startswith("mockc generate examples/")
    _shell(generate, checkout)
    port = re.search(r"PORT=(\d+)", serve)
    assert port is not None
    with _serving(serve, checkout, f"http://127.0.0.1:{port[1]}/health"):
        answer = json.loads(_shell(query, checkout))
    person = answer["data"]["person"]
    assert isinstance(person["name"], str) and isinstance(person["homeworld"]["name"], str)


def test_the_grpc_example(checkout: Path) -> None:
    ports = {"50051": free_port(), "8081": free_port()}
    generate, serve, call, journal = (_with_ports(c, ports) for c in _section_commands("## gRPC"))
    assert generate.startswith("mockc generate examples/")
    _shell(generate, checkout)
    out = checkout / re.search(r"-o (\S+)", generate)[1]  # type: ignore[index]
    with _serving(serve, checkout, f"http://127.0.0.1:{ports['8081']}/health"):
        if shutil.which("grpcurl"):
            reply = json.loads(_shell(call, checkout))
        else:
            reply = _like_grpcurl(call, out / "protos")
        entries = json.loads(_shell(journal, checkout))["entries"]
    assert set(reply) <= {"name", "location"} and isinstance(reply.get("name", ""), str)
    assert entries[0]["operation"] == "RouteGuide_GetFeature"


def _like_grpcurl(command: str, protos: Path) -> dict[str, object]:
    """``grpcurl -plaintext -d JSON ADDRESS package.Service/Method``, with
    grpcio and the server's generated modules."""
    words = shlex.split(command)
    assert words[:2] == ["grpcurl", "-plaintext"] and words[2] == "-d", words
    request_json, address, method = words[3], words[4], words[5]
    service_name, method_name = method.rsplit("/", 1)
    sys.path.insert(0, str(protos))
    try:
        module = __import__("route_guide_pb2")
    finally:
        sys.path.remove(str(protos))
    service = module.DESCRIPTOR.services_by_name[service_name.rsplit(".", 1)[1]]
    described = service.methods_by_name[method_name]
    request_type = message_factory.GetMessageClass(described.input_type)
    reply_type = message_factory.GetMessageClass(described.output_type)
    with grpc.insecure_channel(address) as channel:
        call = channel.unary_unary(
            f"/{method}",
            request_serializer=request_type.SerializeToString,
            response_deserializer=reply_type.FromString,
        )
        reply = call(json_format.Parse(request_json, request_type()), timeout=30)
    return json_format.MessageToDict(reply)
