"""HTTP target: OpenAPI operations served over HTTP by a standalone server."""

from .generator import HttpOptions, generate

__all__ = ["HttpOptions", "generate"]
