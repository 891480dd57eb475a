"""The protocol-neutral engine: operations, requests, replies, and what answers.

- :mod:`.model`: the values (operations, outputs, requests, replies, streams);
- :mod:`.outputs`: the :class:`OutputPolicy` an adapter gives its operations;
- :mod:`.selection`: which output, content and example answer;
- :mod:`.rendering`: examples and fake data, encoded once and cached;
- :mod:`.hooks`: the user's ``handlers.py``;
- :mod:`.engine`: the :class:`Engine` that puts them together;
- :mod:`.emit`: messages a mock sends on its own (schedules, on demand, reactions).
"""

from .engine import Engine
from .hooks import load_hooks
from .model import (
    AgentRoute,
    Content,
    Encoder,
    Hook,
    MediaChooser,
    Operation,
    Output,
    Reply,
    Request,
    Responder,
    Schedule,
    Stream,
    Trigger,
)
from .outputs import KEYED_OUTPUTS, KeyedOutputs, OutputPolicy
from .rendering import echo_path_params, header_text

__all__ = [
    "KEYED_OUTPUTS",
    "AgentRoute",
    "Content",
    "Encoder",
    "Engine",
    "Hook",
    "KeyedOutputs",
    "MediaChooser",
    "Operation",
    "Output",
    "OutputPolicy",
    "Reply",
    "Request",
    "Responder",
    "Schedule",
    "Stream",
    "Trigger",
    "echo_path_params",
    "header_text",
    "load_hooks",
]
