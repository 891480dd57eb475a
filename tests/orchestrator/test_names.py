"""Names that become paths: servers, namespaces, spec files, admin paths."""

from __future__ import annotations

import pytest

from mockc.compiler.orchestrator.errors import Problem
from mockc.compiler.orchestrator.names import check_file_name, check_name
from mockc.compiler.orchestrator.proxy import check_admin_path

TRAVERSALS = [
    "../etc/passwd",
    "a/../../b",
    "..",
    "/etc/passwd",
    "%2e%2e/x",
    "%2E%2E%2Fx",
    "%252e%252e/x",
    "..%2fx",
    "a\\..\\b",
    "..\\x",
    "．．/x",  # fullwidth dots (NFKC → ..)
    "a/./b",
    ".hidden",
    "a//b",
    "x\x00y",
    "",
]


@pytest.mark.parametrize("name", TRAVERSALS)
def test_file_names_cannot_climb_out(name: str) -> None:
    with pytest.raises(Problem) as raised:
        check_file_name(name)
    assert raised.value.status == 400


@pytest.mark.parametrize("name", ["openapi.yaml", "api/v1/pets.yaml", "a_b-c+d.proto", "x.v2.json"])
def test_plain_file_names_pass(name: str) -> None:
    assert check_file_name(name) == name


@pytest.mark.parametrize(
    "name", ["", "-a", "a-", "A", "a_b", "a.b", "../x", "a/b", "x" * 64, "%2e%2e", 7, None]
)
def test_server_names_are_dns_labels(name: object) -> None:
    with pytest.raises(Problem):
        check_name(name)


@pytest.mark.parametrize("name", ["a", "pets", "pet-store-2", "x" * 63])
def test_good_server_names(name: str) -> None:
    assert check_name(name) == name


@pytest.mark.parametrize(
    "path", ["../x", "..%2fx", "%2e%2e/info", "mocks/../../x", "a//b", "a\\b", "%252e%252e/x", ""]
)
def test_admin_paths_cannot_climb(path: str) -> None:
    with pytest.raises(Problem):
        check_admin_path(path)


@pytest.mark.parametrize("path", ["info", "journal/analysis", "mocks/findPets", "mocks/a%20b"])
def test_admin_paths_pass(path: str) -> None:
    assert check_admin_path(path) == path
