"""Shared pytest set-up: put the repository root on ``sys.path`` so tests can
``import tests.support...`` (the root itself is the ``mockc`` package, so
pytest's own rootdir logic would insert its parent instead), and share the
tests among pytest-xdist workers by file (``tests/support/parallel.py``)."""

import sys
from pathlib import Path

import pytest

_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

_PARENT = str(Path(_ROOT).parent)


def _forget_the_checkouts_parent() -> None:
    """pytest puts the checkout's parent folder on ``sys.path`` too (setting
    up the root, which is a package, imports it from there); a sibling folder
    named like a library (``mcp``, ``zeep``) would then shadow that library.
    The tests import nothing from there."""
    while _PARENT in sys.path:
        sys.path.remove(_PARENT)


def pytest_collectstart(collector: object) -> None:
    _forget_the_checkouts_parent()


@pytest.hookimpl(trylast=True)  # after pytest's setup, which imports the root package
def pytest_runtest_setup(item: object) -> None:
    _forget_the_checkouts_parent()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """``--dist loadgroup`` (as ``scripts/test`` runs): files and named groups as units."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from tests.support.parallel import FileOrGroupScheduling

    return FileOrGroupScheduling(config, log)  # type: ignore[arg-type]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if hasattr(config, "workerinput"):  # an xdist worker: the order units are handed out
        from tests.support.parallel import order_for_workers

        order_for_workers(items)
