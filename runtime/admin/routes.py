"""The admin API's operations, one function each, over a :class:`MockService`.

Each takes the service and an :class:`AdminCall` (path parameters, query,
decoded JSON body) and returns ``(status, document)``; failures raise
:class:`~..http.problems.Problem`. Nothing here knows about ASGI.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..http.problems import Problem
from ..journal import JournalError
from ..mocks import MockError
from ..mocks.definition import load_mock_document
from ..service import MockService
from .emit import emit_message, list_schedules

__all__ = ["ROUTES", "AdminCall", "Handler"]


@dataclass(slots=True)
class AdminCall:
    params: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: Any = None


Result = tuple[int, Any]
Handler = Callable[[MockService, AdminCall], Result]


def _problems(error: MockError) -> Problem:
    problems = [problem.render() for problem in error.problems]
    return Problem(
        422,
        f"the mock is not valid: {len(problems)} problem(s)",
        problems=problems,
        locations=[problem.as_dict() for problem in error.problems],
    )


def _object_body(call: AdminCall) -> dict[str, Any]:
    if not isinstance(call.body, dict):
        raise Problem(400, "the request body must be a JSON object")
    return call.body


# -- mocks -------------------------------------------------------------------


def list_mocks(service: MockService, call: AdminCall) -> Result:
    mocks = service.mocks.list_mocks(call.query.get("operation") or None)
    return 200, {"mocks": mocks, "active_scenario": service.mocks.active_scenario}


def create_mock(service: MockService, call: AdminCall) -> Result:
    document = _object_body(call)
    try:
        created = service.mocks.create_mock(document, scenario=call.query.get("scenario") or None)
    except MockError as error:
        raise _problems(error) from None
    service.mocks_changed()
    return 201, created


def check_mock(service: MockService, call: AdminCall) -> Result:
    """The text of a mock file (``{"text", "format": "json"|"yaml"}``) checked as the
    server would load it, without writing it: problems at lines of that text."""
    body = _object_body(call)
    text, format = body.get("text"), body.get("format", "json")
    if not isinstance(text, str):
        raise Problem(400, "'text' must be the mock file's text")
    if format not in ("json", "yaml"):
        raise Problem(400, "'format' must be 'json' or 'yaml'")
    scenario = body.get("scenario")
    if scenario is not None and not isinstance(scenario, str):
        raise Problem(400, "'scenario' must be a scenario name or null")
    name = f"mock.{format}"
    loaded = load_mock_document(
        Path(name), text, file=name, operations=service.mocks.operations, scenario=scenario
    )
    errors = [problem for problem in loaded.problems if problem.is_error]
    if errors:
        raise _problems(MockError(errors))
    return 200, {"valid": True, "problems": [problem.as_dict() for problem in loaded.problems]}


def get_mock(service: MockService, call: AdminCall) -> Result:
    found = service.mocks.get_mock(call.params["id"])
    if found is None:
        raise Problem(404, f"no mock with id {call.params['id']!r}")
    return 200, found


def replace_mock(service: MockService, call: AdminCall) -> Result:
    document = _object_body(call)
    try:
        replaced = service.mocks.replace_mock(call.params["id"], document)
    except KeyError:
        raise Problem(404, f"no mock with id {call.params['id']!r}") from None
    except MockError as error:
        raise _problems(error) from None
    service.mocks_changed()
    return 200, replaced


def delete_mock(service: MockService, call: AdminCall) -> Result:
    if not service.mocks.delete_mock(call.params["id"]):
        raise Problem(404, f"no mock with id {call.params['id']!r}")
    service.mocks_changed()
    return 204, None


def reload_mocks(service: MockService, call: AdminCall) -> Result:
    problems = service.mocks.load()
    service.mocks_changed()
    return 200, {
        "active_mocks": service.mocks.active_mock_count,
        "problems": [problem.render() for problem in problems],
    }


# -- scenarios ---------------------------------------------------------------


def list_scenarios(service: MockService, call: AdminCall) -> Result:
    return 200, {
        "scenarios": service.mocks.list_scenarios(),
        "active": service.mocks.active_scenario,
    }


def create_scenario(service: MockService, call: AdminCall) -> Result:
    body = _object_body(call)
    name = body.get("name")
    mocks = body.get("mocks", [])
    if not isinstance(name, str) or not name:
        raise Problem(400, "a scenario needs a 'name'")
    if not isinstance(mocks, list) or not all(isinstance(mock, dict) for mock in mocks):
        raise Problem(400, "'mocks' must be a list of mock objects")
    try:
        created = service.mocks.create_scenario(name, mocks)
    except MockError as error:
        raise _problems(error) from None
    service.mocks_changed()
    return 201, created


def get_scenario(service: MockService, call: AdminCall) -> Result:
    found = service.mocks.get_scenario(call.params["name"])
    if found is None:
        raise Problem(404, f"no scenario named {call.params['name']!r}")
    return 200, found


def delete_scenario(service: MockService, call: AdminCall) -> Result:
    if not service.mocks.delete_scenario(call.params["name"]):
        raise Problem(404, f"no scenario named {call.params['name']!r}")
    service.mocks_changed()
    return 204, None


def get_active_scenario(service: MockService, call: AdminCall) -> Result:
    return 200, {"name": service.mocks.active_scenario}


def set_active_scenario(service: MockService, call: AdminCall) -> Result:
    body = _object_body(call)
    name = body.get("name")
    if name is not None and not isinstance(name, str):
        raise Problem(400, "'name' must be a scenario name or null")
    if name is not None and service.mocks.get_scenario(name) is None:
        known = [scenario["name"] for scenario in service.mocks.list_scenarios()]
        raise Problem(404, f"no scenario named {name!r}", available=known)
    service.mocks.activate_scenario(name)
    service.mocks_changed()
    return 200, {"name": service.mocks.active_scenario}


# -- state -------------------------------------------------------------------


def get_state(service: MockService, call: AdminCall) -> Result:
    return 200, service.state.snapshot()


def reset_state(service: MockService, call: AdminCall) -> Result:
    service.reset()
    return 204, None


# -- journal -----------------------------------------------------------------


def _time(name: str, text: str | None) -> float | None:
    """Epoch seconds, or an ISO 8601 date-time (``Z`` or an offset)."""
    if text is None or text == "":
        return None
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise Problem(
            400, f"{name}={text!r} is neither epoch seconds nor an ISO 8601 date-time"
        ) from None


def _bool(name: str, text: str | None) -> bool | None:
    if text is None or text == "":
        return None
    lowered = text.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise Problem(400, f"{name}={text!r} must be true or false")


def _int(name: str, text: str | None, default: int, *, low: int, high: int) -> int:
    if text is None or text == "":
        return default
    value = _whole_number(text)
    if value is None or not low <= value <= high:
        raise Problem(400, f"{name}={text!r} must be a whole number from {low} to {high}")
    return value


_MAX_ENTRY_ID = 2**63 - 1
"""The largest id SQLite can store."""


def _whole_number(text: str) -> int | None:
    """``text`` as a whole number written in ASCII digits (``str.isdigit`` also takes
    ``①`` and ``²``, which ``int`` refuses), or None."""
    if not (text.isascii() and text.isdigit()) or len(text) > 20:
        return None
    return int(text)


def search_journal(service: MockService, call: AdminCall) -> Result:
    query = call.query
    service.journal.flush()
    try:
        found = service.journal.search(
            method=(query.get("method") or "").upper() or None,
            path_regex=query.get("path") or None,
            status=query.get("status") or None,
            since=_time("since", query.get("since")),
            until=_time("until", query.get("until")),
            operation=query.get("operation") or None,
            unmatched=_bool("unmatched", query.get("unmatched")),
            include_admin=bool(_bool("include_admin", query.get("include_admin"))),
            limit=_int("limit", query.get("limit"), 100, low=1, high=10_000),
            offset=_int("offset", query.get("offset"), 0, low=0, high=10**9),
        )
    except JournalError as error:
        raise Problem(400, str(error)) from None
    return 200, found


def get_entry(service: MockService, call: AdminCall) -> Result:
    text = call.params["entry"]
    service.journal.flush()
    entry_id = _whole_number(text)
    in_range = entry_id is not None and entry_id <= _MAX_ENTRY_ID
    entry = service.journal.get(entry_id) if in_range and entry_id is not None else None
    if entry is None:
        raise Problem(404, f"no journal entry {text!r}")
    return 200, entry


def clear_journal(service: MockService, call: AdminCall) -> Result:
    service.journal.flush()
    return 200, {"deleted": service.journal.clear()}


def analyse_journal(service: MockService, call: AdminCall) -> Result:
    query = call.query
    service.journal.flush()
    return 200, service.journal.analysis(
        since=_time("since", query.get("since")),
        until=_time("until", query.get("until")),
        include_admin=bool(_bool("include_admin", query.get("include_admin"))),
    )


# -- events of streaming operations --------------------------------------------


def list_streams(service: MockService, call: AdminCall) -> Result:
    return 200, {"streams": service.events.counts()}


def push_event(service: MockService, call: AdminCall) -> Result:
    operation = call.params["operation"]
    if operation not in service.operations:
        raise Problem(404, f"no operation {operation!r}")
    body = _object_body(call)
    if "data" not in body:
        raise Problem(400, "an event is an object with its payload under 'data'")
    delivered = service.emitter.send(operation, body["data"])
    return 202, {"operation": operation, "delivered": delivered}


# -- the server --------------------------------------------------------------


def server_info(service: MockService, call: AdminCall) -> Result:
    return 200, {
        "protocol": service.protocol,
        "operations": sorted(service.operations),
        "active_mocks": service.mocks.active_mock_count,
        "active_scenario": service.mocks.active_scenario,
        "mock_problems": [problem.render() for problem in service.load_problems],
        "time": time.time(),
    }


ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/__mockc/info", server_info),
    ("GET", "/__mockc/mocks", list_mocks),
    ("POST", "/__mockc/mocks", create_mock),
    ("POST", "/__mockc/mocks/reload", reload_mocks),
    ("POST", "/__mockc/mocks/check", check_mock),
    ("GET", "/__mockc/mocks/{id}", get_mock),
    ("PUT", "/__mockc/mocks/{id}", replace_mock),
    ("DELETE", "/__mockc/mocks/{id}", delete_mock),
    ("GET", "/__mockc/scenarios", list_scenarios),
    ("POST", "/__mockc/scenarios", create_scenario),
    ("GET", "/__mockc/scenarios/active", get_active_scenario),
    ("PUT", "/__mockc/scenarios/active", set_active_scenario),
    ("GET", "/__mockc/scenarios/{name}", get_scenario),
    ("DELETE", "/__mockc/scenarios/{name}", delete_scenario),
    ("GET", "/__mockc/state", get_state),
    ("DELETE", "/__mockc/state", reset_state),
    ("GET", "/__mockc/journal", search_journal),
    ("DELETE", "/__mockc/journal", clear_journal),
    ("GET", "/__mockc/journal/analysis", analyse_journal),
    ("GET", "/__mockc/journal/{entry}", get_entry),
    ("GET", "/__mockc/events", list_streams),
    ("POST", "/__mockc/events/{operation}", push_event),
    ("GET", "/__mockc/emit", list_schedules),
    ("POST", "/__mockc/emit/{operation}", emit_message),
)
