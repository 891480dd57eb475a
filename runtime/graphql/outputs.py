"""GraphQL's reading of output keys: fields declare none.

A root field or type mock answers data; when a hook or mock answers with an
HTTP-style status (``404``, ``500``), the resolvers turn it into a field error
whose ``extensions.code`` names it. An injected error is such a ``500``: the
field fails with ``INTERNAL_SERVER_ERROR``.
"""

from __future__ import annotations

from ..engine import KeyedOutputs, Reply

__all__ = ["OUTPUTS", "GraphqlOutputs"]


class GraphqlOutputs(KeyedOutputs):
    """No declared outputs; errors are HTTP-style statuses turned into field errors."""

    empty_status = "200"

    def injected_fault(self, delay_ms: float) -> Reply:
        return Reply(
            status="500",
            body={"title": "Injected error", "detail": "server-wide error rate"},
            media_type="application/json",
            delay_ms=delay_ms,
            source="fault",
        )


OUTPUTS = GraphqlOutputs()
