"""Passes over the IR. Each is ``run(api, diagnostics) -> api``: it returns a
new Api (IR values are immutable) and appends warnings to ``diagnostics``;
it raises a :class:`~mockc.compiler.errors.SpecError` for faults it cannot
repair. ``PASSES`` is the order they run in, and that order is the documentation:

1. ``name``: operation ids become valid identifiers, unique within the Api.
2. ``check_examples``: spec examples that contradict their own schema are
   dropped (with a warning naming where), so a server never serves them as
   valid answers.
3. ``check_validators``: every schema's validator is compiled once; regular
   expressions the validator's engine refuses are named (the server checks
   them with a second engine, or not at all), and so are schemas that cannot
   be compiled at all.

The IR checker (:mod:`.check_ir`) runs after each pass that changed the Api,
so a pass that breaks an invariant is named. Mock generation
(:mod:`.mockgen`) is the last pass: it turns the checked Api into one mock
per operation, validating every body it writes. The passes share one set of
thawed named schemas and one validator registry (:mod:`.schemas`).
"""

from __future__ import annotations

from collections.abc import Callable

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic

from . import check_examples, check_validators, name
from .check_ir import IrChecker

Pass = Callable[[ir.Api, list[Diagnostic]], ir.Api]

PASSES: tuple[tuple[str, Pass], ...] = (
    ("name", name.run),
    ("check_examples", check_examples.run),
    ("check_validators", check_validators.run),
)


SERVE_PASSES: tuple[tuple[str, Pass], ...] = tuple(
    (pass_name, run) for pass_name, run in PASSES if pass_name != "check_validators"
)
"""The passes of a server generated to be served at once (``mockc serve SPEC``):
``check_validators`` only warns (the server compiles what it validates with,
and checks the patterns jsonschema-rs refuses with a second engine), so it is
left to ``mockc generate`` and ``mockc validate``."""


def run_passes(
    api: ir.Api,
    diagnostics: list[Diagnostic],
    *,
    passes: tuple[tuple[str, Pass], ...] | None = None,
    check_ir: bool = True,
) -> ir.Api:
    """``api`` after ``passes`` (None: :data:`PASSES`); with ``check_ir``, the IR
    checker runs after each pass that changed it (a broken invariant names the pass)."""
    checker = IrChecker()
    checked: ir.Api | None = None if check_ir else api
    for pass_name, run in PASSES if passes is None else passes:
        api = run(api, diagnostics)
        if check_ir and api is not checked:
            checker.check(api, after=pass_name)
            checked = api
    return api


__all__ = ["PASSES", "SERVE_PASSES", "Pass", "run_passes"]
