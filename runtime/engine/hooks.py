"""User hooks: the functions of ``handlers.py`` named like operations."""

from __future__ import annotations

import dis
import importlib.util
import sys
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..exceptions import HandlersError, HookError
from .model import Hook, Operation, Reply, Request

__all__ = ["HOOKS_MODULE", "call_hook", "load_hooks"]

HOOKS_MODULE = "mockc_handlers"


def load_hooks(path: Path, operation_ids: Iterable[str]) -> dict[str, Hook]:
    """Load ``handlers.py`` by file path; the functions named like operations are hooks,
    except those that do nothing but return None (the stubs mockc writes): the
    mocks answer as if they were not there, without a call per request."""
    if not path.is_file():
        return {}
    spec = importlib.util.spec_from_file_location(HOOKS_MODULE, path)
    if spec is None or spec.loader is None:
        raise HandlersError(f"{path}: cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[HOOKS_MODULE] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise HandlersError(f"{path}:{exc.lineno}: syntax error: {exc.msg}") from exc
    except Exception as exc:
        raise HandlersError(f"{path}: failed to load: {type(exc).__name__}: {exc}") from exc
    hooks: dict[str, Hook] = {}
    for operation_id in operation_ids:
        function = getattr(module, operation_id, None)
        if callable(function) and not _does_nothing(function):
            hooks[operation_id] = function
    return hooks


_NOTHING_OPS = frozenset({"RESUME", "NOP", "CACHE", "RETURN_VALUE"})
_NONE_OPS = frozenset({"LOAD_CONST", "RETURN_CONST"})


def _does_nothing(function: Any) -> bool:
    """Whether ``function``'s body only returns None (``pass``, ``return``, a docstring)."""
    code = getattr(function, "__code__", None)
    if code is None:
        return False
    for instruction in dis.get_instructions(code):
        if instruction.opname in _NOTHING_OPS:
            continue
        if instruction.opname in _NONE_OPS and instruction.argval is None:
            continue
        return False
    return True


def call_hook(hook: Hook, operation: Operation, request: Request) -> Reply | None:
    """The hook's reply (its ``source`` set to ``hook``), or None when it passes."""
    try:
        reply: Any = hook(request)
    except Exception as exc:
        print(f"mockc: hook {operation.id}() raised:", file=sys.stderr)
        traceback.print_exc(file=sys.stderr)
        raise HookError(operation.id, exc) from exc
    if reply is None:
        return None
    if not isinstance(reply, Reply):
        raise HookError(
            operation.id,
            f"returned {type(reply).__name__}, expected request.reply(...) or None",
        )
    if not reply.source:
        reply.source = "hook"
    return reply
