"""A mock's ``then`` reactions, compiled: what each names, and its templates.

A reaction's ``body`` (the message as given) and its ``params`` (the path
parameters that keep the message to the streams opened with them, such as
one room's) are templates, like a response's body: rendered against the
request that the mock answers, so an HTTP mock can send
``{"orderId": "{{ request.path.orderId }}"}`` to the clients of
``/orders/{orderId}/events``. Reactions without templates are rendered once,
when the mock loads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..engine import Trigger
from ..expressions import ExpressionError, Origin, Scope, Template, compile_template
from .problems import MockProblem, expression_problem
from .source import DocPath, SourceDocument

__all__ = ["Reaction", "compile_reactions", "render_reactions", "static_triggers"]


@dataclass(frozen=True, slots=True)
class Reaction:
    """One ``then`` item: the trigger, and its templates when it has any."""

    trigger: Trigger
    """As written (the body and params unrendered when templated)."""
    body: Template | None = None
    params: tuple[tuple[str, Template], ...] = ()

    @property
    def is_static(self) -> bool:
        return (self.body is None or self.body.is_static) and all(
            template.is_static for _, template in self.params
        )


def compile_reactions(
    source: SourceDocument, file: str, problems: list[MockProblem]
) -> tuple[Reaction, ...]:
    """The mock's ``then`` items (already checked against the mock schema)."""
    given = source.data.get("then")
    reactions: list[Reaction] = []
    for index, item in enumerate(given if isinstance(given, list) else ()):
        if not isinstance(item, dict):
            continue

        def locate(sub: DocPath, index: int = index) -> Origin:
            return Origin(file, *source.text_at(("then", index, *sub)))

        params = item.get("params") or {}
        trigger = Trigger(
            operation=item["emit"],
            after_ms=float(item.get("after_ms", 0)),
            body=item.get("body"),
            has_body="body" in item,
            params=tuple((str(name), str(value)) for name, value in params.items()),
        )
        try:
            body = (
                compile_template(item["body"], lambda sub: locate(("body", *sub)))
                if "body" in item
                else None
            )
            compiled = tuple(
                (str(name), compile_template(str(value), _at(locate, ("params", name))))
                for name, value in params.items()
            )
        except ExpressionError as error:
            problems.append(expression_problem(error, source))
            continue
        reactions.append(Reaction(trigger, body, compiled))
    return tuple(reactions)


def _at(locate: Callable[[DocPath], Origin], path: DocPath) -> Callable[[DocPath], Origin]:
    """Where a template's strings are: all at ``path`` (a parameter's one value)."""
    return lambda sub: locate(path)


def render_reactions(reactions: tuple[Reaction, ...], scope: Scope) -> tuple[Trigger, ...]:
    """The triggers of one answer: each reaction's templates rendered for ``scope``."""
    return tuple(_render(reaction, scope) for reaction in reactions)


def static_triggers(reactions: tuple[Reaction, ...]) -> tuple[Trigger, ...]:
    """The triggers of reactions that hold no template (the same for every answer)."""
    return tuple(_render(reaction, None) for reaction in reactions)


def _render(reaction: Reaction, scope: Scope | None) -> Trigger:
    trigger = reaction.trigger
    body: Any = trigger.body
    if reaction.body is not None:
        body = reaction.body.static_value if scope is None else reaction.body.render(scope)
    params = tuple(
        (name, _text(template.static_value if scope is None else template.render(scope)))
        for name, template in reaction.params
    )
    return Trigger(trigger.operation, trigger.after_ms, body, trigger.has_body, params)


def _text(value: Any) -> str:
    """A path parameter's value as the stream's path holds it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
