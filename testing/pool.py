"""The servers of a test session: started on first use, shared by the tests
that ask for the same :class:`ServerOptions`, stopped at the end of their
scope (the session, or the module)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .errors import MockcTestingError
from .options import ServerOptions
from .server import MockServer, start_server

__all__ = ["ServerPool"]


class ServerPool:
    """Running servers by options (and, for ``scope="module"``, by module)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._servers: dict[tuple[ServerOptions, str], MockServer] = {}
        self._failures: dict[tuple[ServerOptions, str], MockcTestingError] = {}

    def get(
        self,
        options: ServerOptions,
        module: str = "",
        on_module_end: Callable[[Callable[[], None]], None] | None = None,
    ) -> MockServer:
        """The server of ``options``, started if need be. ``module`` names the
        module asking (a module-scoped server is its own); ``on_module_end``
        registers what stops it. A server that failed to start fails again
        at once for the next test."""
        key = (options, module if options.scope == "module" else "")
        if key in self._failures:
            raise self._failures[key]
        server = self._servers.get(key)
        if server is not None:
            return server
        folder = self.folder / f"server-{len(self._servers) + len(self._failures) + 1}"
        try:
            server = start_server(options, folder)
        except MockcTestingError as error:
            self._failures[key] = error
            raise
        self._servers[key] = server
        if options.scope == "module" and on_module_end is not None:
            on_module_end(lambda: self.stop(key))
        return server

    def stop(self, key: tuple[ServerOptions, str]) -> None:
        """Stop a server; its folder (and ``server.log``) stays for pytest's
        temporary-folder clean-up."""
        server = self._servers.pop(key, None)
        if server is not None:
            server.stop()

    def close(self) -> None:
        """Stop every server."""
        for key in list(self._servers):
            self.stop(key)
