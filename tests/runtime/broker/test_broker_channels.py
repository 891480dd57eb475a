"""Broker channels: subscription patterns, parameters of concrete addresses,
and the runtime expressions that find a correlation id or reply address."""

from __future__ import annotations

from mockc.runtime.broker.channels import BrokerChannel, BrokerReply
from mockc.runtime.broker.exceptions import BrokerLost, BrokerUnavailable
from mockc.runtime.exceptions import RuntimeFailure
from mockc.runtime.message_expressions import resolve_expression

MEASURED = "smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured"


def _channel(address: str) -> BrokerChannel:
    return BrokerChannel(operation="op", action="receive", address=address)


def test_a_parameterised_address_subscribes_with_wildcards() -> None:
    channel = _channel(MEASURED)
    assert channel.parameters == ("streetlightId",)
    assert channel.pattern() == "smartylighting/streetlights/1/0/event/+/lighting/measured"
    assert channel.pattern("*").count("*") == 1


def test_the_parameters_of_a_concrete_address() -> None:
    channel = _channel(MEASURED)
    concrete = MEASURED.replace("{streetlightId}", "lamp-7")
    assert channel.params_of(concrete) == {"streetlightId": "lamp-7"}
    assert channel.params_of("smartylighting/other") is None
    assert channel.address_with({"streetlightId": "9"}) == MEASURED.replace("{streetlightId}", "9")
    repeated = _channel("a/{x}/b/{x}")
    assert repeated.params_of("a/1/b/1") == {"x": "1"}
    assert repeated.params_of("a/1/b/2") is None
    assert _channel("plain/topic").params_of("plain/topic") == {}


def test_a_channel_from_its_contract_binding() -> None:
    channel = BrokerChannel.from_spec(
        "askLamp",
        {
            "kind": "channel",
            "channel": "lamps/{id}/ask",
            "action": "receive",
            "options": {"qos": 2},
            "reply": {"channel": "lamps/{id}/answer", "operation": ""},
        },
    )
    assert channel.consumes and channel.options["qos"] == 2
    assert channel.reply == BrokerReply(channel="lamps/{id}/answer")


def test_runtime_expressions_point_into_headers_and_payloads() -> None:
    headers = {"requestid": "r-1"}
    payload = {"meta": {"replyTo": "back/here"}, "list": ["a", "b"]}
    assert resolve_expression("$message.header#/requestId", headers, payload) == "r-1"
    assert resolve_expression("$message.payload#/meta/replyTo", headers, payload) == "back/here"
    assert resolve_expression("$message.payload#/list/1", headers, payload) == "b"
    assert resolve_expression("$message.payload#/missing", headers, payload) == ""
    assert resolve_expression("$message.payload#/meta", headers, payload) == ""
    assert resolve_expression("nonsense", headers, None) == ""


def test_connection_errors_are_runtime_failures() -> None:
    assert issubclass(BrokerUnavailable, RuntimeFailure)
    assert issubclass(BrokerLost, RuntimeFailure)
    assert BrokerUnavailable("refused").reason == "refused"
