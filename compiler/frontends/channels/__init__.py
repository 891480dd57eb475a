"""The channel config front end: a JSON file of channels (``"mockc": "channels/1"``)
to the IR, for teams without an AsyncAPI document.

The format is documented in ``docs/channels.md`` and published as the JSON
Schema ``docs/channels.schema.json`` (:data:`.schema.CONFIG_SCHEMA`). Each
message a client sends is a ``receive`` operation (``unary`` with its reply,
``subscribe`` without one); each message the server sends is a ``send``
operation (``server_stream``). Schedules of server messages go to the Api's
``x-channels`` extension, which targets hand to their servers.
"""

from __future__ import annotations

from pathlib import Path

from ... import ir
from ...errors import Diagnostic
from .mapping import read_api
from .reading import read_config

__all__ = ["SPEC_FORMAT", "load"]

SPEC_FORMAT = "mockc-channels-1"


def load(path: Path, *, warnings: list[Diagnostic] | None = None) -> ir.Api:
    """The Api of the channel config in ``path``; SpecError (file, line, pointer)
    when it breaks the format."""
    config = read_config(Path(path))
    return read_api(config, spec_format=SPEC_FORMAT)
