"""Every AsyncAPI document of the corpus generates a server, or is rejected
with an error that names its file, line and JSON pointer. Channels of a
protocol no registered target serves are reported in one warning each."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockc.compiler import ir
from mockc.compiler.driver import GenerateOptions, compile_specs, plan_files, servers_of
from mockc.compiler.errors import GenerationError, RefError, SpecError, UnsupportedSpecError
from mockc.compiler.frontends.asyncapi import load
from mockc.targets.registry import registered_targets
from tests.support.corpus import CORPUS

ASYNCAPI = CORPUS / "asyncapi"
DOCUMENTS = sorted(
    path
    for path in ASYNCAPI.rglob("*")
    if path.suffix in (".yml", ".yaml", ".json") and path.parent.name != "common"
)
INVALID: dict[str, type[SpecError]] = {
    # remote Avro schemas on a preview host that no longer exists
    "adeo-kafka-request-reply/asyncapi-3.0.0.yml": RefError,
    # AsyncAPI 1.x: out of the supported range
    "slack-events-api-1.2/slack_events_api_async_v1.json": UnsupportedSpecError,
    # upstream refers to common/parameters.yaml, which the example does not ship
    "social-media-multifile-3.0/backend/asyncapi.yaml": RefError,
    "social-media-multifile-3.0/comments-service/asyncapi.yaml": RefError,
}


def _served_kinds() -> set[str]:
    return {kind for target in registered_targets() for kind in target.bindings}


def test_the_corpus_holds_every_kind_of_document() -> None:
    assert len(DOCUMENTS) == 26
    assert set(INVALID) <= {str(path.relative_to(ASYNCAPI)) for path in DOCUMENTS}


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ASYNCAPI)))
def test_each_document_generates_or_is_rejected_with_a_located_error(
    path: Path, tmp_path: Path
) -> None:
    name = str(path.relative_to(ASYNCAPI))
    if name in INVALID:
        with pytest.raises(INVALID[name]) as raised:
            compile_specs([path])
        _assert_located(raised.value, path)
        return
    api = load(path)
    channels = {
        (op.binding.protocol, op.binding.channel)
        for op in api.operations
        if isinstance(op.binding, ir.ChannelBinding)
    }
    unserved = {channel for channel in channels if channel[0] not in _served_kinds()}
    if unserved == channels:
        with pytest.raises(GenerationError) as raised:
            compile_specs([path])
        _assert_located(raised.value, path)
        assert "nothing to serve" in raised.value.diagnostics[0].message
        return
    compiled = compile_specs([path])
    warned = [d for d in compiled.diagnostics if "no target serves" in d.message]
    assert len(warned) == len(unserved)
    assert {d.message.split("'")[1] for d in warned} == {channel for _, channel in unserved}
    assert all(d.file and d.line for d in warned)
    for server in servers_of(compiled):
        files = plan_files(
            compiled, GenerateOptions(link_runtime=True), out=tmp_path, server=server
        )
        assert any(file.path.endswith("contract.json") for file in files)


def _assert_located(error: SpecError, path: Path) -> None:
    diagnostic = error.diagnostics[0]
    assert Path(diagnostic.file).resolve().is_relative_to(path.parent.resolve())
    assert diagnostic.line is not None
    assert diagnostic.pointer is not None
