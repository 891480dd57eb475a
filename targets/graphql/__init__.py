"""GraphQL target: a schema's root fields served over HTTP and WebSocket by a
standalone server."""

from .generator import GraphqlOptions, generate

__all__ = ["GraphqlOptions", "generate"]
