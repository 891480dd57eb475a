"""What an expression can read while one request is answered."""

from __future__ import annotations

from ..engine import Request
from ..state.base import StateStore
from .fake import FakeProvider, default_fake

__all__ = ["Scope"]


class Scope:
    """The per-request evaluation context: the request, the state store (None:
    state reads are empty and writes are ignored) and the fake-data provider
    (None: a process-wide provider with seed 0)."""

    __slots__ = ("fake", "request", "state")

    def __init__(
        self,
        request: Request,
        state: StateStore | None = None,
        fake: FakeProvider | None = None,
    ) -> None:
        self.request = request
        self.state = state
        self.fake = fake

    def fake_provider(self) -> FakeProvider:
        """The provider ``fake.*`` draws from."""
        fake = self.fake
        if fake is None:
            fake = self.fake = default_fake()
        return fake
