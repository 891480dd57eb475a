"""Which runtime packages a server carries follows the target registry and
the runtime's own imports (targets/common/vendor.py)."""

from __future__ import annotations

from pathlib import Path

from mockc.targets.common.vendor import runtime_files, vendored_packages
from mockc.targets.registry import RuntimeAdapter, adapter_packages, target_named


def _adapter(tmp_path: Path, source: str, folder_name: str = "wire") -> RuntimeAdapter:
    folder = tmp_path / folder_name
    folder.mkdir()
    (folder / "__init__.py").write_text('"""A plug-in adapter."""\n')
    (folder / "server.py").write_text(source)
    return RuntimeAdapter(package="wire", source=folder)


def test_every_registered_adapter_is_a_protocol_package_and_the_rest_is_core() -> None:
    assert {"http", "grpc", "graphql"} <= adapter_packages()
    core = vendored_packages(())
    assert not core & {"grpc", "graphql"}
    assert {"", "admin", "journal", "mocks"} <= core


def test_an_adapter_brings_the_adapters_it_imports_and_no_other(tmp_path: Path) -> None:
    alone = _adapter(tmp_path, "from ..service import MockService\n", "alone")
    assert "wire" in vendored_packages((alone,))
    assert "graphql" not in vendored_packages((alone,))
    importing = _adapter(tmp_path, "from ..graphql.schema import load_schema\n", "importing")
    assert {"wire", "graphql"} <= vendored_packages((importing,))


def test_a_plugin_adapter_is_vendored_under_the_runtime_package(tmp_path: Path) -> None:
    adapter = _adapter(tmp_path, "from ..service import MockService\n")
    paths = {file.path for file in runtime_files((adapter,))}
    assert "_vendor/mockc_runtime/wire/server.py" in paths
    assert "_vendor/mockc_runtime/service.py" in paths
    assert not any(path.startswith("_vendor/mockc_runtime/grpc/") for path in paths)


def test_grpc_and_graphql_servers_carry_their_own_adapter_and_no_http() -> None:
    for name in ("grpc", "graphql"):
        adapters = target_named(name).adapters
        assert [adapter.package for adapter in adapters] == [name]
        assert name in vendored_packages(adapters)
        assert "web" in vendored_packages(adapters)  # the shared toolkit is core
        assert "http" not in vendored_packages(adapters)
