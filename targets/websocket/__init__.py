"""WebSocket target: an Api's WebSocket channels served by a standalone server."""

from .generator import generate

__all__ = ["generate"]
