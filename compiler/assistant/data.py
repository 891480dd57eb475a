"""The tool ``manage_mock_data``: mocks, scenarios and state of a running server,
through its admin API. What the admin API answers is returned unchanged, its
validation errors included (as the tool's error)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .admin import segment
from .context import ToolContext
from .errors import AssistantError

__all__ = ["DataTools"]

Action = Literal[
    "list_mocks",
    "get_mock",
    "create_mock",
    "update_mock",
    "delete_mock",
    "check_mock",
    "reload_mocks",
    "list_scenarios",
    "get_scenario",
    "create_scenario",
    "delete_scenario",
    "switch_scenario",
    "get_state",
    "reset_state",
]


class DataTools:
    def __init__(self, context: ToolContext) -> None:
        self.context = context

    async def manage_mock_data(
        self,
        server: Annotated[
            str, Field(description="URL, or name (or folder) from start_mock_server/discover.")
        ],
        action: Annotated[Action, Field(description="What to do.")],
        mock_id: Annotated[
            str | None, Field(description="get_mock, update_mock, delete_mock: the mock's id.")
        ] = None,
        mock: Annotated[
            dict[str, Any] | None,
            Field(
                description="create_mock, update_mock: the mock (resource mockc://schema/mock "
                "is its JSON Schema): operation, match, response…"
            ),
        ] = None,
        mock_text: Annotated[
            str | None, Field(description="check_mock: a mock file's text, checked unwritten.")
        ] = None,
        mock_format: Annotated[
            Literal["json", "yaml"], Field(description="check_mock: the text's format.")
        ] = "yaml",
        operation: Annotated[
            str | None, Field(description="list_mocks: only this operation's mocks.")
        ] = None,
        scenario: Annotated[
            str | None,
            Field(
                description="create_mock: the scenario it belongs to; get/create/delete/"
                "switch_scenario: the scenario's name (switch: null for none)."
            ),
        ] = None,
        scenario_mocks: Annotated[
            list[dict[str, Any]] | None,
            Field(description="create_scenario: its mocks."),
        ] = None,
        admin_token: Annotated[
            str | None, Field(description="The server's admin token, if it needs one.")
        ] = None,
    ) -> dict[str, Any]:
        """List, create, update, delete and check mocks; list, create, delete and
        switch scenarios; show or reset state — on a running mock server. The
        admin API's answer is returned as it is; a refused mock gives its
        validation problems (file, line, path and message)."""
        api = self.context.admin
        target = api.target(server, admin_token)
        method, path, query, body = _request(
            action, mock_id, mock, mock_text, mock_format, operation, scenario, scenario_mocks
        )
        status, document = await api.call(target, method, path, query=query, body=body)
        if status == 204:
            return {"action": action, "done": True}
        return document if isinstance(document, dict) else {"answer": document}


def _needed(value: Any, name: str, action: str) -> Any:
    if value is None:
        raise AssistantError(f"{action} needs '{name}'")
    return value


def _request(
    action: str,
    mock_id: str | None,
    mock: dict[str, Any] | None,
    mock_text: str | None,
    mock_format: str,
    operation: str | None,
    scenario: str | None,
    scenario_mocks: list[dict[str, Any]] | None,
) -> tuple[str, str, dict[str, Any], Any]:
    """(method, path under /__mockc/, query, body) of ``action``."""
    if action == "list_mocks":
        return "GET", "mocks", {"operation": operation}, None
    if action == "create_mock":
        return "POST", "mocks", {"scenario": scenario}, _needed(mock, "mock", action)
    if action == "check_mock":
        text = _needed(mock_text, "mock_text", action)
        return "POST", "mocks/check", {}, {"text": text, "format": mock_format}
    if action == "reload_mocks":
        return "POST", "mocks/reload", {}, None
    if action in ("get_mock", "update_mock", "delete_mock"):
        path = f"mocks/{segment(_needed(mock_id, 'mock_id', action))}"
        if action == "get_mock":
            return "GET", path, {}, None
        if action == "delete_mock":
            return "DELETE", path, {}, None
        return "PUT", path, {}, _needed(mock, "mock", action)
    if action == "list_scenarios":
        return "GET", "scenarios", {}, None
    if action == "create_scenario":
        name = _needed(scenario, "scenario", action)
        return "POST", "scenarios", {}, {"name": name, "mocks": scenario_mocks or []}
    if action == "switch_scenario":
        return "PUT", "scenarios/active", {}, {"name": scenario}
    if action in ("get_scenario", "delete_scenario"):
        path = f"scenarios/{segment(_needed(scenario, 'scenario', action))}"
        return ("GET" if action == "get_scenario" else "DELETE"), path, {}, None
    if action == "get_state":
        return "GET", "state", {}, None
    if action == "reset_state":
        return "DELETE", "state", {}, None
    raise AssistantError(f"unknown action {action!r}")
