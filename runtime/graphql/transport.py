"""GraphQL over HTTP: reading a request's parameters, choosing the response type.

Follows the GraphQL-over-HTTP conventions: ``POST`` with an
``application/json`` body (``application/graphql`` and form bodies are read
too), ``GET`` with ``query``, ``variables``, ``operationName`` and
``extensions`` in the query string (queries only); answers are
``application/graphql-response+json`` when the client accepts it, else
``application/json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from ..exceptions import RuntimeFailure
from ..json_codec import DEFAULT_MAX_DEPTH, JsonLimitError, parse_json
from ..web.negotiation import choose_media_type, media_type_of

__all__ = [
    "GRAPHQL_RESPONSE",
    "JSON",
    "GraphqlParams",
    "RequestError",
    "params_from_body",
    "params_from_query",
    "response_media_type",
]

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


class RequestError(RuntimeFailure):
    """A request that is not a well-formed GraphQL request: answered with ``status``
    and a GraphQL error naming the problem."""

    def __init__(
        self, status: int, message: str, headers: tuple[tuple[str, str], ...] = ()
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


@dataclass(slots=True)
class GraphqlParams:
    query: str
    variables: dict[str, Any] | None = None
    operation_name: str | None = None
    extensions: dict[str, Any] | None = None


def response_media_type(accept: str | None) -> str | None:
    """The media type to answer: GraphQL's own when the client names it (ties go
    to it), ``application/json`` for legacy clients and ``*/*``; None: 406."""
    if accept is None or not accept.strip():
        return JSON
    if GRAPHQL_RESPONSE in accept.lower():
        return choose_media_type(accept, (GRAPHQL_RESPONSE, JSON))
    return choose_media_type(accept, (JSON,))


def params_from_query(query_string: str) -> GraphqlParams:
    values = {name: items[0] for name, items in parse_qs(query_string).items()}
    return _params(
        {
            "query": values.get("query"),
            "variables": _json_text("variables", values.get("variables")),
            "operationName": values.get("operationName"),
            "extensions": _json_text("extensions", values.get("extensions")),
        }
    )


def params_from_body(
    content_type: str | None, body: bytes, *, max_depth: int = DEFAULT_MAX_DEPTH
) -> GraphqlParams:
    media = media_type_of(content_type or "")
    if media == "application/graphql":
        return _params({"query": body.decode("utf-8", "replace")})
    if media == "application/x-www-form-urlencoded":
        return params_from_query(body.decode("utf-8", "replace"))
    if media != JSON and not media.endswith("+json"):
        raise RequestError(
            415,
            f"unsupported content type {media or 'none'!r}; send application/json",
            (("accept", JSON),),
        )
    try:
        data = parse_json(body, max_depth=max_depth)
    except JsonLimitError as error:
        raise RequestError(400, f"the body is refused: {error}") from None
    except ValueError as error:
        raise RequestError(400, f"the body is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise RequestError(400, "the body must be a JSON object with a 'query'")
    return _params(data)


def _json_text(name: str, text: str | None) -> Any:
    if text is None or text == "":
        return None
    try:
        return parse_json(text)
    except ValueError as error:
        raise RequestError(400, f"'{name}' is not JSON: {error}") from None


def _params(data: dict[str, Any]) -> GraphqlParams:
    query = data.get("query")
    if not isinstance(query, str) or not query.strip():
        raise RequestError(400, "a GraphQL request needs a 'query' (a document as text)")
    variables = data.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise RequestError(400, "'variables' must be an object")
    name = data.get("operationName")
    if name is not None and not isinstance(name, str):
        raise RequestError(400, "'operationName' must be text")
    extensions = data.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise RequestError(400, "'extensions' must be an object")
    return GraphqlParams(query, variables, name or None, extensions)
