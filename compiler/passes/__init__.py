"""Passes over the IR. Each is ``run(api, diagnostics) -> api``: it returns a
new Api (IR values are immutable) and appends warnings to ``diagnostics``;
it raises a :class:`~mockc.compiler.errors.SpecError` for faults it cannot
repair. ``PASSES`` is the order they run in, and that order is the documentation:

1. ``check_refs``: every ``$ref`` points at a named schema of the Api.
2. ``check_examples``: spec examples that contradict their own schema are
   dropped (with a warning naming where), so a server never serves them as
   valid answers.
3. ``check_validators``: every schema's validator is compiled once; regular
   expressions the validator's engine refuses are named (the server checks
   them with a second engine, or not at all), and so are schemas that cannot
   be compiled at all.
"""

from __future__ import annotations

from collections.abc import Callable

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic

from . import check_examples, check_refs, check_validators

Pass = Callable[[ir.Api, list[Diagnostic]], ir.Api]

PASSES: tuple[Pass, ...] = (check_refs.run, check_examples.run, check_validators.run)


def run_passes(api: ir.Api, diagnostics: list[Diagnostic]) -> ir.Api:
    for run in PASSES:
        api = run(api, diagnostics)
    return api


__all__ = ["PASSES", "Pass", "run_passes"]
