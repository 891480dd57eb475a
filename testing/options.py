"""What server to start: :class:`ServerOptions`, hashable so that equal
options share one running server."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = ["Scope", "ServerOptions"]

Scope = Literal["session", "module"]


@dataclass(frozen=True, kw_only=True)
class ServerOptions:
    """A server to generate and start: from ``spec`` (one spec file, or several),
    or from the server named ``server`` of the project config file ``config``
    (``mockc.toml`` or ``pyproject.toml``; ``server`` may be left out when the
    file declares one server)."""

    spec: tuple[Path, ...] = ()
    config: Path | None = None
    server: str | None = None
    seed: int = 0
    target: str | None = None
    env: tuple[tuple[str, str], ...] = ()
    """Extra environment of the server (``MOCKC_UNMATCHED``, ``MOCKC_SCENARIO``…)."""
    admin_token: str | None = None
    scope: Scope = "session"
    start_timeout: float = 30.0

    @classmethod
    def make(
        cls,
        *,
        spec: str | Path | Sequence[str | Path] | None = None,
        config: str | Path | None = None,
        server: str | None = None,
        seed: int = 0,
        target: str | None = None,
        env: Mapping[str, str] | None = None,
        admin_token: str | None = None,
        scope: Scope = "session",
        start_timeout: float = 30.0,
        base: Path | None = None,
    ) -> ServerOptions:
        """Options from plain values; relative paths are taken from ``base``
        (default: the current folder)."""
        if scope not in ("session", "module"):
            raise ValueError(f"scope must be 'session' or 'module', not {scope!r}")
        specs: tuple[str | Path, ...]
        if spec is None:
            specs = ()
        elif isinstance(spec, (str, Path)):
            specs = (spec,)
        else:
            specs = tuple(spec)
        if not specs and config is None:
            raise ValueError("a mock server needs a spec or a config file (spec=… or config=…)")
        here = base or Path.cwd()
        return cls(
            spec=tuple(_absolute(here, path) for path in specs),
            config=_absolute(here, config) if config is not None else None,
            server=server,
            seed=seed,
            target=target,
            env=tuple(sorted((env or {}).items())),
            admin_token=admin_token,
            scope=scope,
            start_timeout=start_timeout,
        )

    @property
    def label(self) -> str:
        """How messages name the server."""
        if self.spec:
            return ", ".join(str(path) for path in self.spec)
        return f"{self.config}" + (f" [{self.server}]" if self.server else "")


def _absolute(base: Path, path: str | Path) -> Path:
    return (base / Path(path)).resolve()
