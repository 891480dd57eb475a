"""The tool ``query_mock_logs``: the journal search of a server's admin API with
every filter it takes, its analysis as the admin API reports it, and plain-
language insights drawn from that analysis."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from .admin import segment
from .context import ToolContext
from .insights import insights

__all__ = ["LogTools"]

_SERVER = Field(description="URL, or name (or folder) from start_mock_server/discover.")
_TOKEN = Field(description="The server's admin token, if it needs one.")
_TIME = "epoch seconds or ISO 8601 date-time"


class LogTools:
    def __init__(self, context: ToolContext) -> None:
        self.context = context

    async def query_mock_logs(
        self,
        server: Annotated[str, _SERVER],
        method: Annotated[str | None, Field(description="HTTP method (or MCP method).")] = None,
        path: Annotated[str | None, Field(description="Regular expression on the path.")] = None,
        status: Annotated[str | None, Field(description="Status (200, 404, NOT_FOUND…).")] = None,
        since: Annotated[str | None, Field(description=f"From ({_TIME}).")] = None,
        until: Annotated[str | None, Field(description=f"Until ({_TIME}).")] = None,
        operation: Annotated[str | None, Field(description="Operation id.")] = None,
        unmatched: Annotated[
            bool | None, Field(description="Only requests no mock matched (true) or matched.")
        ] = None,
        include_admin: Annotated[
            bool, Field(description="Include calls to the admin API itself.")
        ] = False,
        limit: Annotated[int, Field(ge=1, le=10_000, description="Entries per page.")] = 100,
        offset: Annotated[int, Field(ge=0, description="Entries to skip.")] = 0,
        entry_id: Annotated[
            int | None, Field(description="One entry by id (the other filters are ignored).")
        ] = None,
        admin_token: Annotated[str | None, _TOKEN] = None,
    ) -> dict[str, Any]:
        """Search a mock server's request journal and analyse it: count, latency
        p50/p95/p99, error rate, top paths and operations, unmatched requests with
        near-miss reports (which mock came closest and why it failed), plus
        plain-language insights."""
        api = self.context.admin
        target = api.target(server, admin_token)
        if entry_id is not None:
            _, entry = await api.call(target, "GET", f"journal/{segment(str(entry_id))}")
            return {"entry": entry}
        window = {"since": since, "until": until, "include_admin": include_admin or None}
        _, found = await api.call(
            target,
            "GET",
            "journal",
            query={
                "method": method,
                "path": path,
                "status": status,
                "operation": operation,
                "unmatched": unmatched,
                "limit": limit,
                "offset": offset,
                **window,
            },
        )
        _, analysis = await api.call(target, "GET", "journal/analysis", query=window)
        return {
            "search": found,
            "analysis": analysis,
            "insights": insights(analysis if isinstance(analysis, dict) else {}),
        }
