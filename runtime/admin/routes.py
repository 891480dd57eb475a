"""The admin API's operations, one function each, over a :class:`MockService`.

Each takes the service and an :class:`AdminCall` (path parameters, query,
decoded JSON body) and returns ``(status, document)``; failures raise
:class:`~..web.problems.Problem`. Nothing here knows about ASGI.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..mocks import MockError
from ..mocks.definition import load_mock_document
from ..service import MockService
from ..web.problems import Problem
from .agent_routes import AGENT_ROUTES
from .call import AdminCall, Handler, Result
from .emit import emit_message, list_schedules
from .journal_routes import analyse_journal, clear_journal, get_entry, search_journal

__all__ = ["ROUTES"]


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


def _in_scenario(handler: Handler) -> Handler:
    """``handler`` for ``/__mockc/mocks/{scenario}/{id}``: a scenario's mock,
    named ``SCENARIO/ID`` (as ``/__mockc/mocks/SCENARIO%2FID`` names it too)."""

    def scenario_mock(service: MockService, call: AdminCall) -> Result:
        params = dict(call.params)
        params["id"] = f"{params.pop('scenario')}/{params['id']}"
        return handler(service, AdminCall(params, call.query, call.body))

    return scenario_mock


ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/__mockc/info", server_info),
    ("GET", "/__mockc/mocks", list_mocks),
    ("POST", "/__mockc/mocks", create_mock),
    ("POST", "/__mockc/mocks/reload", reload_mocks),
    ("POST", "/__mockc/mocks/check", check_mock),
    ("GET", "/__mockc/mocks/{id}", get_mock),
    ("PUT", "/__mockc/mocks/{id}", replace_mock),
    ("DELETE", "/__mockc/mocks/{id}", delete_mock),
    ("GET", "/__mockc/mocks/{scenario}/{id}", _in_scenario(get_mock)),
    ("PUT", "/__mockc/mocks/{scenario}/{id}", _in_scenario(replace_mock)),
    ("DELETE", "/__mockc/mocks/{scenario}/{id}", _in_scenario(delete_mock)),
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
    *AGENT_ROUTES,
)
