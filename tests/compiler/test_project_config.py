"""The project config: mockc.toml or [tool.mockc], errors with file and line, init."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mockc.compiler.config import (
    ConfigError,
    find_config,
    find_specs,
    load_config,
    starter_config,
)

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = ROOT / "examples" / "petstore" / "openapi.yaml"


def test_servers_with_paths_relative_to_the_config(tmp_path: Path) -> None:
    config = tmp_path / "mockc.toml"
    config.write_text(
        "[[servers]]\n"
        'name = "pets"\n'
        'specs = ["specs/a.yaml", "specs/b.yaml"]\n'
        'out = "out/pets"\n'
        "seed = 7\n"
        "link_runtime = true\n"
        "\n"
        "[[servers]]\n"
        'name = "shop"\n'
        'spec = "shop.yaml"\n'
        'out = "out/shop"\n'
        'target = "http"\n'
    )
    loaded = load_config(config)
    pets, shop = loaded.servers
    assert pets.specs == (tmp_path / "specs/a.yaml", tmp_path / "specs/b.yaml")
    assert pets.out == tmp_path / "out/pets"
    assert (pets.seed, pets.link_runtime, pets.allow_remote_refs) == (7, True, False)
    assert (pets.line, shop.line) == (1, 8)
    assert shop.specs == (tmp_path / "shop.yaml",) and shop.target == "http"
    assert loaded.uses(tmp_path / "specs" / ".." / "shop.yaml") == [shop]


def test_tool_mockc_in_pyproject(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "x"\n\n[[tool.mockc.servers]]\nname = "a"\nspec = "a.yaml"\n'
        'out = "out"\n'
    )
    [server] = load_config(pyproject).servers
    assert (server.name, server.line) == ("a", 4)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('[[servers]]\nname = "a"\nout = \n', ":3:", "not valid TOML"),
        ('[[servers]]\nname = "a"\nspec = "a.yaml"\nout = "o"\nsede = 1\n', ":5:", "sede"),
        ('[[servers]]\nname = "a"\nspec = "a.yaml"\n', ":1:", "needs out"),
        ('[[servers]]\nname = "a"\nspecs = "a.yaml"\nout = "o"\n', ":3:", "list of strings"),
        ('[[servers]]\nname = "a"\nspec = "a"\nout = "o"\ntarget = "ftp"\n', ":5:", "ftp"),
        ('[[servers]]\nname = "a b"\nspec = "a"\nout = "o"\n', ":2:", "needs a name"),
        (
            '[[servers]]\nname = "a"\nspec = "a"\nout = "o"\n\n'
            '[[servers]]\nname = "a"\nspec = "b"\nout = "p"\n',
            ":6:",
            "used twice (first at line 1)",
        ),
        ("servers = []\n", ":1:", "no servers"),
        ('title = "x"\n', ":1:", "unknown key 'title'"),
    ],
)
def test_errors_name_the_file_and_line(tmp_path: Path, text: str, where: str, message: str) -> None:
    config = tmp_path / "mockc.toml"
    config.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    rendered = caught.value.render(excerpt=False)
    assert f"{config}{where}" in rendered
    assert message in rendered


def test_find_config_looks_up_to_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) is None
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(deep) is None
    (tmp_path / "pyproject.toml").write_text("[tool.mockc]\nservers = []\n")
    assert find_config(deep) == tmp_path / "pyproject.toml"
    (tmp_path / "a" / "mockc.toml").write_text("")
    assert find_config(deep) == tmp_path / "a" / "mockc.toml"


def test_init_finds_wsdls_that_serve_ports_not_the_abstract_ones_they_import(
    tmp_path: Path,
) -> None:
    shutil.copytree(ROOT / "tests" / "corpus" / "wsdl" / "onvif", tmp_path / "onvif")
    specs = find_specs([tmp_path])
    assert [spec.name for spec in specs] == ["devicemgmt.wsdl", "events.wsdl", "ptz.wsdl"]
    # bw-2.wsdl and rw-2.wsdl (WS-Notification port types) are imported by events.wsdl


def test_init_finds_specs_and_names_servers(tmp_path: Path) -> None:
    (tmp_path / "api" / "billing").mkdir(parents=True)
    shutil.copy(PETSTORE, tmp_path / "api" / "petstore.yaml")
    shutil.copy(PETSTORE, tmp_path / "api" / "billing" / "openapi.yaml")
    (tmp_path / "api" / "common.yaml").write_text("components: {}\n")
    (tmp_path / "out" / "x" / ".mockc").mkdir(parents=True)
    shutil.copy(PETSTORE, tmp_path / "out" / "x" / "contract-like.yaml")
    (tmp_path / ".hidden").mkdir()
    shutil.copy(PETSTORE, tmp_path / ".hidden" / "openapi.yaml")
    specs = find_specs([tmp_path])
    assert specs == [
        tmp_path / "api" / "billing" / "openapi.yaml",
        tmp_path / "api" / "petstore.yaml",
    ]
    text = starter_config(specs, tmp_path)
    config = tmp_path / "mockc.toml"
    config.write_text(text)
    servers = load_config(config).servers
    assert [(s.name, s.out.relative_to(tmp_path).as_posix()) for s in servers] == [
        ("billing", "mock-servers/billing"),
        ("petstore", "mock-servers/petstore"),
    ]
