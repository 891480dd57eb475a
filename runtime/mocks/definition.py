"""One mock file → a compiled :class:`MockDefinition`, or the problems that stop it.

Reading goes: text (size, encoding) → YAML/JSON with positions → the schema
→ compiling conditions, actions and responses → checks against the
operations, when they are known. Every problem carries the file, line and
column of the node it is about.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine import Operation, Schedule, Stream
from ..expressions import Expression, ExpressionError, Origin, compile_expression
from .conformance import crud_problems, response_problems
from .crud import CrudSpec, compile_crud
from .matching import Condition, compile_conditions
from .problems import ERROR, WARNING, MockProblem, expression_problem
from .responses import ResponseSpec, compile_response, status_text
from .schema import SAFE_NAME_PATTERN
from .source import (
    MAX_FILE_BYTES,
    DocPath,
    SourceDocument,
    SourceError,
    parse_source,
    read_source,
)
from .triggers import Reaction, compile_reactions
from .validation import schema_problems

__all__ = [
    "MockDefinition",
    "MockDocument",
    "compile_mock",
    "is_safe_name",
    "load_mock_document",
]

_SAFE_NAME = re.compile(SAFE_NAME_PATTERN)


def is_safe_name(name: str) -> bool:
    """Whether ``name`` is a valid mock id or scenario name (a safe file name)."""
    return bool(_SAFE_NAME.match(name)) and "\n" not in name


@dataclass(frozen=True, slots=True)
class MockDefinition:
    """A mock ready to be bound to its operation and served."""

    id: str
    operation: str
    file: str
    priority: int
    enabled: bool
    orphaned: bool
    conditions: tuple[Condition, ...]
    actions: tuple[Expression, ...]
    responses: tuple[ResponseSpec, ...]
    sequence: str
    crud: CrudSpec | None
    document: dict[str, Any]
    stream: Stream | None = None
    """How a streaming answer goes on: ``stream``, with the count of ``responses``
    as its default count."""
    emit: Schedule | None = None
    """When the mock's operation sends on its own (``emit``)."""
    then: tuple[Reaction, ...] = ()
    """What other operations emit when the mock answers (``then``)."""
    agent: bool = False
    """``source: agent``: an agent answers the requests it matches (runtime/agent)."""


@dataclass(slots=True)
class MockDocument:
    """What reading one mock file gave: its data, definition (None when it has
    errors) and problems. ``id`` is the mock's id, or the file stem."""

    file: str
    id: str
    data: Any
    definition: MockDefinition | None
    problems: list[MockProblem] = field(default_factory=list)
    format: str = "yaml"
    path: Path | None = None
    scenario: str | None = None
    id_source: SourceDocument | None = field(default=None, repr=False, compare=False)
    """The file's source when it writes the id."""

    @property
    def id_at(self) -> tuple[int, int]:
        """Where the id is written (the start of the file when it comes from the name)."""
        return (1, 1) if self.id_source is None else self.id_source.text_at(("id",))

    @property
    def has_errors(self) -> bool:
        return any(problem.level == ERROR for problem in self.problems)


def load_mock_document(
    path: Path,
    text: str | None = None,
    *,
    file: str | None = None,
    operations: Mapping[str, Operation] | None = None,
    scenario: str | None = None,
    defs: Mapping[str, Any] | None = None,
) -> MockDocument:
    """Read and compile the mock file at ``path`` (or ``text``, as if it were that
    file's content). ``file`` is the name problems show (default: ``path``);
    unknown operations are reported only when ``operations`` is given, bodies
    checked against response schemas only when ``defs`` is given too."""
    shown = file if file is not None else str(path)
    json_format = path.suffix.lower() == ".json"
    document = MockDocument(
        shown,
        path.stem,
        None,
        None,
        format="json" if json_format else "yaml",
        path=path,
        scenario=scenario,
    )
    try:
        content = read_source(path) if text is None else _bounded(text)
        source = parse_source(content, json_format=json_format)
    except SourceError as error:
        document.problems.append(MockProblem(shown, error.line, error.column, error.message))
        return document
    document.data = source.data
    if isinstance(source.data, dict) and isinstance(source.data.get("id"), str):
        document.id = source.data["id"]
        document.id_source = source
    definition, problems = compile_mock(
        source, file=shown, default_id=path.stem, operations=operations, defs=defs
    )
    document.definition = definition
    document.problems.extend(problems)
    return document


def _bounded(text: str) -> str:
    if len(text) > MAX_FILE_BYTES or len(text.encode("utf-8")) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES >> 20
        raise SourceError(f"the mock would be larger than {limit} MiB, the limit for a mock file")
    return text


def compile_mock(
    source: SourceDocument,
    *,
    file: str,
    default_id: str,
    operations: Mapping[str, Operation] | None = None,
    defs: Mapping[str, Any] | None = None,
) -> tuple[MockDefinition | None, list[MockProblem]]:
    """The definition in ``source`` and its problems; no definition when any is an error."""
    data = source.data
    if data is None:
        return None, [MockProblem(file, 1, 1, "the file is empty; a mock needs an operation")]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        line, column = source.value_at(())
        message = f"a mock is a mapping (operation, match, response, …), not {kind}"
        return None, [MockProblem(file, line, column, message)]
    invalid = schema_problems(source)
    problems = [MockProblem(file, *found.position, found.message) for found in invalid]

    def valid(path: DocPath) -> bool:
        return not any(
            found.blocking
            and (found.path[: len(path)] == path or path[: len(found.path)] == found.path)
            for found in invalid
        )

    if invalid:
        # Report what else can be checked: expressions, patterns, the operation.
        compile_conditions(source, file, problems, valid)
        if valid(("actions",)):
            _actions(source, file, problems)
        for path in _response_paths(data):
            if valid(path):
                compile_response(source, path, file, problems)
        if operations is not None and isinstance(data.get("operation"), str):
            problems.extend(_operation_problems(source, file, operations, defs, valid))
        return None, problems
    mock_id = data.get("id", default_id)
    if "id" not in data and not is_safe_name(default_id):
        problems.append(
            MockProblem(
                file,
                1,
                1,
                f"the file name {default_id!r} is not a valid mock id (letters, digits, "
                "'_', '-', '.'); rename the file or set id",
            )
        )
    conditions = compile_conditions(source, file, problems)
    actions = _actions(source, file, problems)
    reactions = compile_reactions(source, file, problems)
    responses = [compile_response(source, path, file, problems) for path in _response_paths(data)]
    if data.get("sequence") == "random" and not any(
        response is not None and response.weight > 0 for response in responses
    ):
        line, column = source.value_at(("responses",))
        problems.append(MockProblem(file, line, column, "every weight is 0; none can be chosen"))
    if operations is not None:
        problems.extend(_operation_problems(source, file, operations, defs))
    if any(problem.level == ERROR for problem in problems):
        return None, problems
    definition = MockDefinition(
        id=mock_id,
        operation=data["operation"],
        file=file,
        priority=int(data.get("priority", 0)),
        enabled=bool(data.get("enabled", True)),
        orphaned=bool(data.get("orphaned", False)),
        conditions=conditions,
        actions=actions,
        responses=tuple(response for response in responses if response is not None),
        sequence=data.get("sequence", "cycle"),
        crud=compile_crud(data["crud"]) if "crud" in data else None,
        document=data,
        stream=_stream(data),
        emit=_schedule(data.get("emit")),
        then=reactions,
        agent=data.get("source") == "agent",
    )
    return definition, problems


def _schedule(given: Any) -> Schedule | None:
    """The mock's ``emit`` schedule (already checked against the mock schema)."""
    if not isinstance(given, dict):
        return None
    every = given.get("every_ms")
    count = given.get("count")
    return Schedule(
        after_ms=float(given.get("after_ms", 0)),
        every_ms=None if every is None else float(every),
        delays_ms=tuple(float(delay) for delay in given.get("delays_ms", ())),
        count=None if count is None else int(count),
        burst=int(given.get("burst", 1)),
    )


def _stream(data: dict[str, Any]) -> Stream | None:
    """The mock's ``stream``; a list of ``responses`` is sent once, in order, by default."""
    given = data.get("stream")
    listed = len(data["responses"]) if isinstance(data.get("responses"), list) else None
    if given is None:
        return Stream(count=listed) if listed is not None else None
    count = given.get("count", listed)
    interval = given.get("interval_ms")
    return Stream(
        count=None if count is None else int(count),
        interval_ms=None if interval is None else float(interval),
        per=given.get("per", "message"),
    )


def _response_paths(data: dict[str, Any]) -> list[tuple[str | int, ...]]:
    if isinstance(data.get("responses"), list):
        return [("responses", index) for index in range(len(data["responses"]))]
    return [("response",)] if isinstance(data.get("response"), dict) else []


def _actions(
    source: SourceDocument, file: str, problems: list[MockProblem]
) -> tuple[Expression, ...]:
    actions = source.data.get("actions")
    texts = [actions] if isinstance(actions, str) else list(actions or ())
    compiled: list[Expression] = []
    for index, text in enumerate(texts):
        path = ("actions",) if isinstance(actions, str) else ("actions", index)
        try:
            compiled.append(compile_expression(text, Origin(file, *source.text_at(path))))
        except ExpressionError as error:
            problems.append(expression_problem(error, source))
    return tuple(compiled)


def _trigger_problems(
    source: SourceDocument, file: str, operations: Mapping[str, Operation]
) -> list[MockProblem]:
    """Reactions (``then``) that name an operation the server does not have."""
    problems: list[MockProblem] = []
    then = source.data.get("then")
    for index, item in enumerate(then if isinstance(then, list) else ()):
        target = item.get("emit") if isinstance(item, dict) else None
        if isinstance(target, str) and target not in operations:
            problems.append(
                MockProblem(
                    file,
                    *source.text_at(("then", index, "emit")),
                    f"then[{index}].emit: unknown operation '{target}'",
                )
            )
    return problems


def _operation_problems(
    source: SourceDocument,
    file: str,
    operations: Mapping[str, Operation],
    defs: Mapping[str, Any] | None,
    valid: Callable[[DocPath], bool] = lambda path: True,
) -> list[MockProblem]:
    """Unknown operation; orphaned mocks whose operation exists; and, for each
    response that is valid against the schema (``valid``), statuses the
    operation cannot answer or does not declare and bodies its schema refutes."""
    data = source.data
    name = data["operation"]
    orphaned = data.get("orphaned", False) is True
    operation = operations.get(name)
    if operation is None:
        if orphaned:
            return []
        line, column = source.text_at(("operation",))
        close = difflib.get_close_matches(name, list(operations), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else " (mockc inspect SPEC lists them)"
        return [MockProblem(file, line, column, f"unknown operation '{name}'{hint}")]
    problems: list[MockProblem] = []
    if orphaned:
        problems.append(
            MockProblem(
                file,
                *source.key_at(("orphaned",)),
                f"marked orphaned, but operation '{name}' exists; remove 'orphaned' to serve it",
                WARNING,
            )
        )
    problems.extend(_trigger_problems(source, file, operations))
    if isinstance(data.get("crud"), dict) and valid(("crud",)):
        problems.extend(crud_problems(source, file, operation))
    if not operation.outputs:
        return problems
    for path in _response_paths(data):
        if not valid(path):
            continue
        found = response_problems(source, path, file, operation, defs)
        problems.extend(found)
        response = source.data
        for part in path:
            response = response[part]
        if response.get("status") is None or any(p.level == ERROR for p in found):
            continue
        status = status_text(response["status"])
        if status.startswith("5") or operation.output_for(status) is not None:
            continue  # server errors are injected on purpose, declared or not
        declared = ", ".join(output.status for output in operation.outputs)
        problems.append(
            MockProblem(
                file,
                *source.value_at((*path, "status")),
                f"operation '{name}' declares no response {status} (declared: {declared})",
                WARNING,
            )
        )
    return problems
