"""The orchestrator the tools go through when ``MOCKC_ORCHESTRATOR_URL`` and
``MOCKC_ORCHESTRATOR_TOKEN`` are set: servers are created, started and stopped
there, and their admin APIs are reached through its proxy
(``/servers/{name}/admin/{path}``), which holds their admin tokens."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from .errors import AssistantError, problem_error

__all__ = ["Orchestrator", "orchestrator_from"]

URL_VARIABLE = "MOCKC_ORCHESTRATOR_URL"
TOKEN_VARIABLE = "MOCKC_ORCHESTRATOR_TOKEN"


@dataclass(frozen=True, slots=True)
class Orchestrator:
    url: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token}", "accept": "application/json"}

    def server_path(self, name: str) -> str:
        return f"/servers/{quote(name, safe='')}"

    def admin_base(self, name: str) -> str:
        """The URL the server's ``/__mockc/PATH`` is reached at, as ``BASE + PATH``."""
        return f"{self.url}{self.server_path(name)}/admin/"

    async def call(
        self, client: httpx.AsyncClient, method: str, path: str, body: Any = None
    ) -> Any:
        """The answer's JSON document; a failure is an :class:`AssistantError`
        carrying the orchestrator's problem document unchanged."""
        what = f"the orchestrator ({self.url}) {method} {path}"
        try:
            response = await client.request(
                method, self.url + path, json=body, headers=self.headers, timeout=300.0
            )
        except httpx.HTTPError as error:
            raise AssistantError(
                f"the orchestrator at {self.url} did not answer ({type(error).__name__}); "
                f"check {URL_VARIABLE}"
            ) from None
        document = response_document(response)
        if response.status_code >= 400:
            raise problem_error(what, response.status_code, document)
        return document


def response_document(response: httpx.Response) -> Any:
    """An answer's JSON document, its text when it is not JSON, None when empty."""
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def orchestrator_from(environ: Mapping[str, str] | None = None) -> Orchestrator | None:
    """The orchestrator named by the environment, or None (servers are local)."""
    environ = os.environ if environ is None else environ
    url = environ.get(URL_VARIABLE, "").strip().rstrip("/")
    token = environ.get(TOKEN_VARIABLE, "").strip()
    if not url:
        return None
    if not token:
        raise AssistantError(f"{URL_VARIABLE} is set but {TOKEN_VARIABLE} is not")
    return Orchestrator(url=url, token=token)
