"""Every exception class the runtime defines derives from ``RuntimeFailure``,
so that one ``except RuntimeFailure`` catches whatever the runtime raises on
purpose (and nothing it does not)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import mockc.runtime
from mockc.runtime.exceptions import RuntimeFailure


def _runtime_modules() -> list[str]:
    names = [mockc.runtime.__name__]
    for info in pkgutil.walk_packages(mockc.runtime.__path__, mockc.runtime.__name__ + "."):
        if info.name.rsplit(".", 1)[-1] != "__main__":  # importing it would run it
            names.append(info.name)
    return names


def _defined_exceptions(module_name: str) -> list[type[BaseException]]:
    module = importlib.import_module(module_name)
    return [
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, BaseException)
        and value.__module__ == module_name
    ]


def test_the_walk_sees_the_runtime() -> None:
    found = {cls.__qualname__ for name in _runtime_modules() for cls in _defined_exceptions(name)}
    assert {"RuntimeFailure", "ContractError", "MockError", "CodecError", "Problem"} <= found


def test_every_runtime_exception_derives_from_runtime_failure() -> None:
    strays = [
        f"{cls.__module__}.{cls.__qualname__}"
        for name in _runtime_modules()
        for cls in _defined_exceptions(name)
        if not issubclass(cls, RuntimeFailure)
    ]
    assert strays == []
