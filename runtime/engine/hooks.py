"""User hooks: the functions of ``handlers.py`` named like operations."""

from __future__ import annotations

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
    """Load ``handlers.py`` by file path; the functions named like operations are hooks."""
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
        if callable(function):
            hooks[operation_id] = function
    return hooks


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
