"""A required ``xsd:choice`` (payments.wsdl, written for this test: a card,
an IBAN with its BIC, or a voucher): generated fake data holds one branch,
picked from the branches' names (the same each time, here not the first),
every branch can be answered by a mock, and the answers are valid XSD that
zeep and suds read."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
import zeep
from suds.client import Client as SudsClient

from tests.support.servers import ServerProcess

from .soap_kit import generate

WSDL = Path(__file__).with_name("payments.wsdl")
BRANCHES = ({"card"}, {"iban", "bic"}, {"voucher"})
CARD = """\
id: card
operation: Payments_Pay
priority: 10
match:
  when: request.body.Pay.amount == 1
response:
  status: PayResponse
  body: {id: p1, card: "4111", note: by card}
"""
TWO_BRANCHES = """\
id: two-branches
operation: Payments_Pay
priority: 10
match:
  when: request.body.Pay.amount == 2
response:
  status: PayResponse
  body: {id: p2, card: "4111", voucher: 7, note: both}
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(WSDL, tmp_path_factory.mktemp("payments"))


@pytest.fixture(scope="module")
def server(generated: Path) -> Iterator[ServerProcess]:
    (generated / "mocks" / "card.yaml").write_text(CARD, encoding="utf-8")
    (generated / "mocks" / "two-branches.yaml").write_text(TWO_BRANCHES, encoding="utf-8")
    with ServerProcess([sys.executable, "server.py"], generated) as process:
        yield process


def _body(generated: Path) -> dict[str, object]:
    document = yaml.safe_load((generated / "mocks" / "Payments_Pay.yaml").read_text("utf-8"))
    body: dict[str, object] = document["response"]["body"]
    return body


def test_the_generated_mock_holds_one_branch_not_always_the_first(
    generated: Path, tmp_path: Path
) -> None:
    body = _body(generated)
    chosen = [branch for branch in BRANCHES if branch <= body.keys()]
    assert chosen == [{"iban", "bic"}], body
    assert not ({"card", "voucher"} & body.keys())
    again = generate(WSDL, tmp_path / "again")
    assert _body(again) == body  # deterministic


def _last(server: ServerProcess) -> dict[str, object]:
    entry: dict[str, object] = httpx.get(
        server.url + "/__mockc/journal", params={"limit": 1}
    ).json()["entries"][0]
    return entry


def _problem(entry: dict[str, object]) -> str | None:
    response = entry["response"]
    assert isinstance(response, dict)
    return (response.get("headers") or {}).get("x-mockc-answer-problem")


def _pay(server: ServerProcess, amount: int) -> httpx.Response:
    return httpx.post(
        server.url + "/pay",
        content=b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        b'<Pay xmlns="urn:pay"><amount>%d</amount></Pay></s:Body></s:Envelope>' % amount,
        headers={"content-type": "text/xml", "soapaction": '"urn:pay/Pay"'},
    )


def test_each_branch_answers_valid_xsd(server: ServerProcess) -> None:
    """zeep reads the generated (IBAN) answer; it refuses the card branch of
    this choice, valid as it is (zeep 4.3 parses a choice holding a sequence
    only by that sequence), so that one is checked by the schemas alone."""
    client = zeep.Client(f"{server.url}/pay?wsdl")
    generated = client.service.Pay(amount=5)
    assert generated.iban and generated.bic and generated.card is None
    assert _problem(_last(server)) is None
    card = _pay(server, 1)
    assert card.status_code == 200
    assert b"<ns0:id>p1</ns0:id><ns0:card>4111</ns0:card><ns0:note>" in card.content
    assert "x-mockc-answer-problem" not in card.headers


def test_an_answer_holding_two_branches_is_reported(server: ServerProcess) -> None:
    answer = _pay(server, 2)
    assert answer.status_code == 200
    problem = answer.headers["x-mockc-answer-problem"]
    assert "/PayResponse/voucher" in problem and "not expected" in problem


def test_suds_reads_each_branch(server: ServerProcess) -> None:
    client = SudsClient(f"{server.url}/pay?wsdl", cache=None)
    generated = client.service.Pay(amount=5)
    assert generated.iban and generated.bic and not hasattr(generated, "card")
    card = client.service.Pay(amount=1)
    assert (card.id, card.card, card.note) == ("p1", "4111", "by card")
    assert not hasattr(card, "iban")
