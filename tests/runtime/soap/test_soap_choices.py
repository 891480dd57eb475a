"""Several ``xsd:choice``s in one type (choices.wsdl, written for this test:
two required choices in a sequence, a choice nested in a branch, an optional
choice): each seed's fake data takes one option of every choice, the seeds
take every branch in turn, every answer is valid XSD (xmlschema and
libxml2), the generated mocks of several seeds answer through a server, and
suds reads the answers whatever the branches (zeep reads those whose
sequence branches it expects, see docs/soap.md)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
import zeep
from suds.client import Client as SudsClient

from mockc.compiler import ir
from mockc.compiler.frontends.wsdl import load
from mockc.runtime.fake import FakeData
from mockc.runtime.soap.validation import LibxmlSchemas, XmlschemaSchemas
from mockc.runtime.soap.xml_values import write_element
from tests.support.servers import ServerProcess

from .soap_kit import MOCKC

WSDL = Path(__file__).with_name("choices.wsdl")
CHOICES: tuple[tuple[frozenset[str], ...], ...] = (
    (frozenset({"pickup"}), frozenset({"street", "city"})),
    (frozenset({"express"}), frozenset({"days", "rail"}), frozenset({"days", "sea"})),
    (frozenset({"insured"}), frozenset({"uninsuredReason"}), frozenset()),
)
"""The options of each choice of ``Shipment``: 2 × 3 × 3 combinations."""
OPTIONAL_NAMES = frozenset({"insured", "uninsuredReason"})


def _shipment_schema() -> dict[str, Any]:
    [operation] = load(WSDL).operations
    schema: dict[str, Any] = ir.thaw(operation.outputs[0].message.contents[0].schema)
    return schema


def _options(shipment: dict[str, Any]) -> tuple[frozenset[str], ...]:
    """The option of each choice that ``shipment`` holds (exactly one each)."""
    picked = []
    for options in CHOICES:
        held = [option for option in options if option and option <= shipment.keys()]
        if not held:
            assert not (OPTIONAL_NAMES & shipment.keys()) and frozenset() in options, shipment
            held = [frozenset()]
        assert len(held) == 1, shipment
        picked.append(held[0])
    names = set().union(*(option for options in CHOICES for option in options))
    assert names & shipment.keys() == set().union(*picked), shipment  # no stray branch
    return tuple(picked)


def test_every_choice_of_the_type_lists_its_branches() -> None:
    shipment = _shipment_schema()["properties"]["shipment"]
    assert shipment["x-order"] == [
        "id", "pickup", "street", "city", "weight", "express", "days", "rail", "sea",
        "insured", "uninsuredReason", "note",
    ]  # fmt: skip
    assert shipment["required"] == ["id", "weight", "note"]
    combinations = {frozenset(option["required"]) for option in shipment["anyOf"]}
    assert len(shipment["anyOf"]) == len(combinations) == 18
    for option in shipment["anyOf"]:
        assert set(option["properties"]) == set(option["required"])


def test_seeds_take_every_branch_and_every_answer_is_valid_xsd() -> None:
    schema = _shipment_schema()
    xmlschema_check = XmlschemaSchemas.load(WSDL)
    libxml_check = LibxmlSchemas.load(WSDL)
    seen: set[tuple[frozenset[str], ...]] = set()
    for seed in range(18):
        value = FakeData({}, seed=seed).generate(schema, key="Shipping_Track/TrackResponse")
        assert value == FakeData({}, seed=seed).generate(schema, key="Shipping_Track/TrackResponse")
        seen.add(_options(value["shipment"]))
        element = write_element(None, schema, value)
        assert xmlschema_check.problems(element) == [], (seed, value)
        assert libxml_check.problems(element) == [], (seed, value)
    assert len(seen) == 18  # every combination, so every branch of every choice


def _generate(out: Path, seed: int) -> dict[str, Any]:
    done = subprocess.run(
        [str(MOCKC), "generate", str(WSDL), "-o", str(out), "-q", "--seed", str(seed)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    mock = yaml.safe_load((out / "mocks" / "Shipping_Track.yaml").read_text("utf-8"))
    body: dict[str, Any] = mock["response"]["body"]
    return body


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, list[Any]]]:
    """A server answering the generated mocks of seeds 0-3 (a mock each,
    matched on the requested id)."""
    root = tmp_path_factory.mktemp("choices")
    bodies = [_generate(root / f"seed{seed}", seed) for seed in range(4)]
    out = root / "seed0"
    for seed, body in enumerate(bodies):
        mock = {
            "id": f"seed{seed}",
            "operation": "Shipping_Track",
            "priority": 10,
            "match": {"when": f"request.body.Track.id == 'seed{seed}'"},
            "response": {"status": "TrackResponse", "body": body},
        }
        (out / "mocks" / f"seed{seed}.yaml").write_text(yaml.safe_dump(mock), encoding="utf-8")
    with ServerProcess([sys.executable, "server.py"], out) as process:
        yield process, bodies


def test_generated_mocks_of_several_seeds_answer_valid_xsd_read_by_suds(
    served: tuple[ServerProcess, list[Any]],
) -> None:
    server, bodies = served
    assert len({_options(body["shipment"]) for body in bodies}) == 4
    client = SudsClient(f"{server.url}/ship?wsdl", cache=None)
    for seed, body in enumerate(bodies):
        answer = httpx.post(
            server.url + "/ship",
            content=b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
            b'<Track xmlns="urn:ship"><id>seed%d</id></Track></s:Body></s:Envelope>' % seed,
            headers={"content-type": "text/xml", "soapaction": '"urn:ship/Track"'},
        )
        assert answer.status_code == 200, answer.text
        assert "x-mockc-answer-problem" not in answer.headers, answer.headers
        read = client.service.Track(id=f"seed{seed}")
        shipment = body["shipment"]
        held = {name for name in shipment if getattr(read, name, None) is not None}
        assert held == set(shipment), (seed, shipment, read)
        assert read.note == shipment["note"]


def test_zeep_reads_the_answer_taking_the_sequence_branches(
    served: tuple[ServerProcess, list[Any]],
) -> None:
    """zeep 4.3 parses a choice holding a sequence by that sequence (docs/soap.md)."""
    server, bodies = served
    client = zeep.Client(f"{server.url}/ship?wsdl")
    [(seed, shipment)] = [
        (seed, body["shipment"])
        for seed, body in enumerate(bodies)
        if {"street", "days"} <= body["shipment"].keys()
    ]
    read = client.service.Track(id=f"seed{seed}")
    assert (read.street, read.city, read.days, read.note) == (
        shipment["street"], shipment["city"], shipment["days"], shipment["note"],
    )  # fmt: skip
    assert read.pickup is None and read.express is None
