"""SSE target: the channels an AsyncAPI document sends on, served as
``text/event-stream`` streams by a standalone server."""

from .generator import generate

__all__ = ["generate"]
