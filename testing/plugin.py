"""The pytest plug-in (entry point ``pytest11: mockc``): mock servers
generated from specs as fixtures.

- ``mock_server``: the server of the test (its ``@pytest.mark.mockc(...)``
  marker, or the module's or class's, else the ini options ``mockc_spec`` /
  ``mockc_config``), as a :class:`~.scoped.ServerForTest`: mocks the test adds
  are removed after it, journal assertions see the test's requests only;
- ``mockc_options``: the options that server is started from; parametrize it
  (``@pytest.mark.parametrize("mockc_options", [{"spec": "a.yaml"}, …])``) or
  override it;
- ``start_mock_server``: a factory for more servers in one test:
  ``start_mock_server(spec="users.graphql")`` takes the marker's keywords and
  returns a :class:`~.scoped.ServerForTest` like ``mock_server``'s;
- ``mockc_servers``: the session's :class:`~.pool.ServerPool`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .errors import MockcTestingError
from .options import ServerOptions

if TYPE_CHECKING:  # imported by the fixtures: loading the plug-in stays cheap
    from .pool import ServerPool
    from .scoped import ServerForTest

__all__ = ["mock_server", "mockc_options", "mockc_servers", "start_mock_server"]

MARKER = "mockc"
_MARKER_HELP = (
    "mockc(spec=None, config=None, server=None, seed=0, target=None, env=None, "
    "admin_token=None, scope='session'): the mock server of the mock_server fixture"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("mockc_spec", "spec file(s) of the default mock server", type="paths")
    parser.addini("mockc_config", "mockc.toml (or pyproject.toml) of the default mock server")
    parser.addini("mockc_server", "name of the server in mockc_config")
    parser.addini("mockc_seed", "fake-data seed of the mock servers", default="0")
    parser.addini("mockc_scope", "session (default) or module: how long a server lives")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", _MARKER_HELP)


@pytest.fixture(scope="session")
def mockc_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerPool]:
    """The session's running mock servers; all stopped at its end."""
    from .pool import ServerPool

    pool = ServerPool(tmp_path_factory.mktemp("mockc"))
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture
def mockc_options(request: pytest.FixtureRequest) -> ServerOptions:
    """The options of the test's server: its marker, else the ini options."""
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None:
        if marker.args:
            raise pytest.UsageError(
                f"@pytest.mark.{MARKER} takes keywords only (spec=…), got {marker.args!r}"
            )
        return _options(dict(marker.kwargs), request.path.parent, request.config)
    return _ini_options(request.config)


@pytest.fixture
def mock_server(
    request: pytest.FixtureRequest, mockc_servers: ServerPool, mockc_options: Any
) -> Iterator[ServerForTest]:
    """The test's mock server; what the test adds to it is taken back after."""
    scoped = _server_for(request, mockc_servers, _as_options(mockc_options, request))
    try:
        yield scoped
    finally:
        scoped.finish()


@pytest.fixture
def start_mock_server(
    request: pytest.FixtureRequest, mockc_servers: ServerPool
) -> Iterator[Callable[..., ServerForTest]]:
    """A factory: ``start_mock_server(spec=…, seed=…)`` (the marker's keywords)
    starts (or reuses) a server for this test; what the test adds to each is
    taken back after it."""
    started: list[ServerForTest] = []

    def start(**fields: Any) -> ServerForTest:
        scoped = _server_for(request, mockc_servers, _as_options(fields, request))
        started.append(scoped)
        return scoped

    try:
        yield start
    finally:
        for scoped in reversed(started):
            scoped.finish()


def _server_for(
    request: pytest.FixtureRequest, pool: ServerPool, options: ServerOptions
) -> ServerForTest:
    """The server of ``options`` from ``pool``, seen from the requesting test."""
    import httpx

    from .scoped import ServerForTest

    module = request.node.getparent(pytest.Module)
    try:
        server = pool.get(
            options,
            module=module.nodeid if module is not None else "",
            on_module_end=module.addfinalizer if module is not None else None,
        )
    except MockcTestingError as error:
        pytest.fail(f"{type(error).__name__}: {error}", pytrace=False)
    try:
        return ServerForTest(server, run_id=request.node.nodeid)
    except httpx.TransportError as error:
        pytest.fail(
            f"the mock server of {options.label} no longer answers ({error}):\n"
            + server.process.log_tail(),
            pytrace=False,
        )


def _as_options(value: Any, request: pytest.FixtureRequest) -> ServerOptions:
    """``mockc_options`` as given: options, a mapping of their fields, or a spec path."""
    if isinstance(value, ServerOptions):
        return value
    if isinstance(value, (str, Path)):
        return _options({"spec": value}, request.path.parent, request.config)
    if isinstance(value, Mapping):
        return _options(dict(value), request.path.parent, request.config)
    raise pytest.UsageError(
        f"mockc_options must be ServerOptions, a mapping or a spec path, not {value!r}"
    )


def _options(fields: dict[str, Any], base: Path, config: pytest.Config) -> ServerOptions:
    """Options from a marker's keywords; relative paths from ``base`` (the test
    file's folder), else from the root folder."""
    for name in ("spec", "config"):
        value = fields.get(name)
        if isinstance(value, (str, Path)) and not (base / value).exists():
            fields[name] = _root(config) / value
    fields.setdefault("seed", _ini_seed(config))
    if config.getini("mockc_scope"):
        fields.setdefault("scope", config.getini("mockc_scope"))
    try:
        return ServerOptions.make(base=base, **fields)
    except (TypeError, ValueError) as error:
        raise pytest.UsageError(f"@pytest.mark.{MARKER}: {error}") from None


def _ini_options(config: pytest.Config) -> ServerOptions:
    specs: list[Path] = list(config.getini("mockc_spec"))
    config_file: str = config.getini("mockc_config")
    if not specs and not config_file:
        raise pytest.UsageError(
            "mock_server needs a server: mark the test @pytest.mark.mockc(spec=…) "
            "or set mockc_spec (or mockc_config) in the pytest configuration"
        )
    try:
        return ServerOptions.make(
            spec=specs or None,
            config=config_file or None,
            server=config.getini("mockc_server") or None,
            seed=_ini_seed(config),
            scope=config.getini("mockc_scope") or "session",
            base=_root(config),
        )
    except ValueError as error:
        raise pytest.UsageError(f"mockc ini options: {error}") from None


def _root(config: pytest.Config) -> Path:
    return config.inipath.parent if config.inipath is not None else config.rootpath


def _ini_seed(config: pytest.Config) -> int:
    text = config.getini("mockc_seed")
    try:
        return int(text)
    except ValueError:
        raise pytest.UsageError(f"mockc_seed must be a whole number, not {text!r}") from None
