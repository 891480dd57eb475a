"""The deployment files under deploy/, checked without Docker or a cluster:
the Kubernetes manifests against the API schemas of kubernetes-validate
(pinned, offline, strict: unknown fields are errors), the compose file parsed
and its references followed, every mockc command line in them parsed by the
real CLI, and the image's files enough to build the package."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import kubernetes_validate
import pytest
import yaml

from mockc.compiler.cli import main as mockc_cli

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
KUBERNETES_VERSION = "1.32.0"
MANIFESTS = sorted(KUBERNETES.glob("*.yaml"))


def documents(path: Path) -> list[dict[str, Any]]:
    return [document for document in yaml.safe_load_all(path.read_text()) if document]


def all_resources() -> list[dict[str, Any]]:
    return [resource for path in MANIFESTS for resource in documents(path)]


def parse_mockc(arguments: list[str]) -> dict[str, Any]:
    """The parameters the real ``mockc`` CLI reads from ``arguments`` (nothing run);
    click.UsageError when it would refuse them."""
    context = click.Context(mockc_cli, info_name="mockc")
    name, command, rest = mockc_cli.resolve_command(context, list(arguments))
    assert command is not None, arguments
    return dict(command.make_context(name, rest, parent=context).params)


def shell_mockc_commands(script: str) -> list[list[str]]:
    """The ``mockc …`` command lines of a ``sh -c`` script (split on ``&&``)."""
    found = []
    for part in script.split("&&"):
        words = part.split()
        if words and words[0] == "mockc":
            found.append(words[1:])
    return found


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda path: path.name)
def test_each_manifest_validates_strictly(path: Path) -> None:
    for resource in documents(path):
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


def test_the_validator_refuses_what_is_wrong() -> None:
    deployment = next(r for r in all_resources() if r["kind"] == "Deployment")
    broken = yaml.safe_load(yaml.safe_dump(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["paht"] = "/"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)
    del broken["spec"]["selector"]
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=False)


def test_services_select_pods_and_probes_ask_health() -> None:
    resources = all_resources()
    workloads = {
        r["metadata"]["name"]: r for r in resources if r["kind"] in ("Deployment", "StatefulSet")
    }
    services = [r for r in resources if r["kind"] == "Service"]
    assert {"mockc-orchestrator", "mockc-pets", "mockc-redis", "mockc-postgres"} <= set(workloads)
    for service in services:
        labels = [w["spec"]["template"]["metadata"]["labels"] for w in workloads.values()]
        selector = service["spec"]["selector"]
        assert any(selector.items() <= label.items() for label in labels), service["metadata"]
    for workload in workloads.values():
        spec = workload["spec"]
        assert (
            spec["selector"]["matchLabels"].items()
            <= spec["template"]["metadata"]["labels"].items()
        )
        for container in spec["template"]["spec"]["containers"]:
            assert "readinessProbe" in container and "livenessProbe" in container
            if container["image"].startswith("mockc:"):
                for probe in ("readinessProbe", "livenessProbe"):
                    assert container[probe]["httpGet"]["path"] == "/health"
    assert workloads["mockc-pets"]["spec"]["replicas"] >= 2
    assert workloads["mockc-orchestrator"]["spec"]["replicas"] == 1


def test_the_manifests_ship_no_secret_and_take_passwords_from_secrets() -> None:
    resources = all_resources()
    assert not [r for r in resources if r["kind"] == "Secret"]
    text = "\n".join(path.read_text() for path in MANIFESTS)
    assert not re.search(r"(?i)password\s*:\s*\S", text.replace("key: password", ""))
    assert "mk_" not in text and "mki_" not in text.replace("mki_…", "")


def test_the_mockc_command_lines_of_the_manifests_parse() -> None:
    parsed = 0
    for resource in all_resources():
        if resource["kind"] not in ("Deployment", "StatefulSet"):
            continue
        for container in resource["spec"]["template"]["spec"]["containers"]:
            if not container["image"].startswith("mockc:"):
                continue
            if container.get("command") == ["sh", "-c"]:
                lines = shell_mockc_commands(container["args"][0])
            else:
                lines = [container["args"]]
            for line in lines:
                parse_mockc(line)
                parsed += 1
    assert parsed == 2
    with pytest.raises(click.UsageError):
        parse_mockc(["orchestrator", "--no-such-option"])


def compose() -> dict[str, Any]:
    document = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert isinstance(document, dict)
    return document


def test_the_compose_file_holds_together() -> None:
    document = compose()
    services = document["services"]
    assert set(services) == {"postgres", "redis", "orchestrator", "pets"}
    declared_volumes = set(document.get("volumes", {}))
    for name, service in services.items():
        assert "image" in service or "build" in service, name
        assert "healthcheck" in service, name
        for dependency, condition in service.get("depends_on", {}).items():
            assert dependency in services, (name, dependency)
            assert condition == {"condition": "service_healthy"}
        for volume in service.get("volumes", []):
            source = re.sub(r":(ro|rw)$", "", volume).rsplit(":", 1)[0]
            if source.startswith(("/", ".", "$")):
                default = re.fullmatch(r"\$\{\w+:-([^}]+)\}", source)
                path = default.group(1) if default else source
                assert (DEPLOY / path).resolve().is_file(), (name, volume)
            else:
                assert source in declared_volumes, (name, volume)
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), (name, port)  # loopback unless you choose
    build = services["orchestrator"]["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    assert services["pets"]["image"] == services["orchestrator"]["image"]


def test_compose_takes_secrets_from_the_environment_only() -> None:
    services = compose()["services"]
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?"
    )
    assert services["orchestrator"]["environment"]["PGPASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    pets = services["pets"]["environment"]
    assert pets["MOCKC_SYNC_TOKEN"].startswith("${MOCKC_SYNC_TOKEN:?")
    assert pets["MOCKC_SYNC_FROM"] == "http://orchestrator:8888"
    assert pets["MOCKC_STATE"].startswith("redis://redis:")


def test_the_mockc_command_lines_of_compose_parse() -> None:
    services = compose()["services"]
    orchestrator = parse_mockc(services["orchestrator"]["command"])
    assert orchestrator["db"].startswith("postgresql://mockc@postgres:")
    assert (orchestrator["host"], orchestrator["servers_host"]) == ("0.0.0.0", "0.0.0.0")
    [generate] = shell_mockc_commands(services["pets"]["command"][0])
    assert parse_mockc(generate)["link_runtime"] is True
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    command = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert command is not None
    parse_mockc(yaml.safe_load(command.group(1)))


def test_the_files_the_image_copies_build_the_package(tmp_path: Path) -> None:
    context = tmp_path / "context"
    context.mkdir()
    copied = re.findall(r"^COPY (.+) \S+$", (DEPLOY / "Dockerfile").read_text(), re.MULTILINE)
    for line in copied:
        for name in line.split():
            source = ROOT / name
            target = context / name
            if source.is_dir():
                subprocess.run(["cp", "-r", str(source), str(target)], check=True)
            else:
                target.write_bytes(source.read_bytes())
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path / "wheel"),
            str(context),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = (tmp_path / "wheel").glob("mockc-*.whl")
    listing = subprocess.run(
        [sys.executable, "-m", "zipfile", "-l", str(wheel)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "mockc/runtime/ui/assets/index.html" in listing
    assert "mockc/compiler/orchestrator/app.py" in listing
