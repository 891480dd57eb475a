"""The hook types models.py ends with: one Protocol per operation, the type of
its hook's ``request``, and the signature ``handlers.py`` gives each hook.

A hook is called with the runtime's ``Request``; these Protocols describe it
with the operation's own types, for an editor and mypy. handlers.py imports
models.py only under ``TYPE_CHECKING``
(:data:`mockc.targets.common.emit.HOOK_IMPORTS`), so a running server never loads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Set

from .document import HookTypes

__all__ = ["hook_signature", "hook_types_code"]

MODULE = "models"
"""models.py's import name, seen from handlers.py beside it."""


_PREAMBLE = '''

# Hook types: what a hook in handlers.py is given and returns. Types only:
# nothing here runs when the server does.


class Reply:
    """What ``request.reply(...)`` builds: a hook returns one, or None."""
'''

_GRPC_ERROR = '''

class GrpcError(TypedDict):
    """A reply with a status other than OK: the error's message and details."""

    message: str
    details: NotRequired[list[Any]]
'''

_ANY_DICT = "dict[str, Any]"


def hook_signature(hook: HookTypes) -> str:
    """A hook's parameters and return type, as handlers.py spells them."""
    return f'(request: "{MODULE}.{hook.request}") -> "{MODULE}.Reply | None"'


def hook_types_code(hooks: Iterable[HookTypes], defined: Set[str]) -> str:
    """The Protocols of ``hooks``; a type the generator did not define
    (``defined``) is ``Any``."""
    hooks = tuple(hooks)
    parts = [_PREAMBLE]
    if any("GrpcError" in hook.reply_body for hook in hooks):
        parts.append(_GRPC_ERROR)
    parts.extend(_protocol(hook, defined) for hook in hooks)
    return "".join(parts)


def _protocol(hook: HookTypes, defined: Set[str]) -> str:
    def known(name: str | None) -> str:
        if name is None:
            return _ANY_DICT
        return name if name in defined else "Any"

    reply_body = " | ".join(
        part if part in defined or part in ("None", "Any", "GrpcError") else "Any"
        for part in hook.reply_body.split(" | ")
    )
    return f'''

class {hook.request}(Protocol):
    """The ``request`` a ``{hook.operation_id}`` hook is given."""

    path: {known(hook.path)}
    query: {known(hook.query)}
    headers: {_ANY_DICT}
    cookies: {_ANY_DICT}
    body: {known(hook.body)}

    def reply(
        self,
        status: str | int = 200,
        body: {reply_body} = None,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
    ) -> Reply: ...
'''
