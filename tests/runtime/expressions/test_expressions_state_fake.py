"""State functions over a real MemoryStore, counters, fake data and the
Mockarty aliases."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest

from mockc.runtime.engine import Request
from mockc.runtime.expressions import (
    FAKE_NAMES,
    ExpressionError,
    FakeProvider,
    Origin,
    Scope,
    compile_expression,
)
from mockc.runtime.state import MemoryStore

ORIGIN = Origin("mocks/orders.yaml", 2, 5)
ORDER = Request(
    "createOrder",
    path={"orderId": 12},
    query={"dryRun": False, "page": 2},
    headers={"x-request-id": "r-1", "x-tenant": "acme"},
    cookies={"session": "s-9"},
    body={"customer": {"name": "Ann", "emails": ["a@x.io"]}, "lines": [{"sku": "A-1"}]},
)


def run(text: str, scope: Scope) -> Any:
    return compile_expression(text, ORIGIN).evaluate(scope)


# -- state ---------------------------------------------------------------------


def test_put_stores_and_returns_the_value_get_reads_it_back() -> None:
    store = MemoryStore()
    scope = Scope(ORDER, store)
    assert run('state.put("last-order", request.body)', scope) == ORDER.body
    assert store.get("last-order") == ORDER.body
    assert run('state.get("last-order").customer.name', scope) == "Ann"
    assert run('state.get("absent")', scope) is None
    assert run('state.get("absent", 5)', scope) == 5
    assert run('state.get("absent", request.path.orderId)', scope) == 12


def test_state_members_and_indexes_read_keys() -> None:
    store = MemoryStore()
    store.put("greeting", {"text": "hi"})
    store.put("x-y", 3)
    scope = Scope(ORDER, store)
    assert run("state.greeting.text", scope) == "hi"
    assert run('state["x-y"]', scope) == 3
    assert run("$.state.greeting.text", scope) == "hi"
    assert run("state.missing", scope) is None


def test_incr_counts_from_zero_and_takes_a_step() -> None:
    store = MemoryStore()
    scope = Scope(ORDER, store)
    assert run('state.incr("orders")', scope) == 1
    assert run('state.incr("orders")', scope) == 2
    assert run('state.incr("orders", 10)', scope) == 12
    assert run('state.incr("orders", -2)', scope) == 10
    assert run('state.incr("orders", "ten")', scope) is None
    assert run('state.incr("orders", true)', scope) is None
    assert store.get("orders") == 10


def test_delete_and_has() -> None:
    store = MemoryStore()
    store.put("k", None)
    scope = Scope(ORDER, store)
    assert run('state.has("k")', scope) is True
    assert run('state.delete("k")', scope) is True
    assert run('state.has("k")', scope) is False
    assert run('state.delete("k")', scope) is False


def test_keys_must_be_text_or_numbers() -> None:
    store = MemoryStore()
    scope = Scope(ORDER, store)
    assert run("state.put(7, 'seven')", scope) == "seven"
    assert store.get("7") == "seven"
    assert run("state.put([1], 'x')", scope) is None
    assert run("state.get({})", scope) is None
    assert run("state.has(null)", scope) is False


def test_without_a_store_reads_are_empty_and_writes_are_ignored() -> None:
    scope = Scope(ORDER)
    assert run('state.put("k", 1)', scope) == 1
    assert run('state.get("k")', scope) is None
    assert run('state.get("k", "fallback")', scope) == "fallback"
    assert run('state.incr("k")', scope) is None
    assert run('state.has("k")', scope) is False
    assert run('state.delete("k")', scope) is False


def test_actions_in_sequence_share_state() -> None:
    store = MemoryStore()
    actions = [compile_expression(text, ORIGIN) for text in ('state.incr("n")', 'state.incr("n")')]
    for action in actions:
        action.evaluate(Scope(ORDER, store))
    assert run('state.get("n") * 10', Scope(ORDER, store)) == 20


def test_counter_uses_the_store_when_there_is_one() -> None:
    store = MemoryStore()
    scope = Scope(ORDER, store)
    assert [run('counter("ids")', scope) for _ in range(3)] == [1, 2, 3]
    assert store.get("counter:ids") == 3
    assert run('counter("other")', scope) == 1
    assert run("counter(5)", scope) == 1
    assert store.get("counter:5") == 1


# -- fake data -----------------------------------------------------------------


REQUIRED_FAKE_NAMES = [
    "first_name",
    "last_name",
    "name",
    "email",
    "phone_number",
    "city",
    "country",
    "street_address",
    "postcode",
    "company",
    "job",
    "uuid",
    "word",
    "sentence",
    "paragraph",
    "url",
    "ipv4",
    "user_name",
    "date",
    "date_time",
    "iso8601",
    "color_name",
    "credit_card_number",
    "iban",
    "currency_code",
    "language_code",
    "latitude",
    "longitude",
    "boolean",
    "random_int",
]


def test_the_fake_table_is_sorted_and_has_the_documented_names() -> None:
    assert list(FAKE_NAMES) == sorted(FAKE_NAMES)
    assert set(REQUIRED_FAKE_NAMES) <= set(FAKE_NAMES)


@pytest.mark.parametrize("name", FAKE_NAMES)
def test_every_fake_name_gives_json_data(name: str) -> None:
    result = run(f"fake.{name}", Scope(ORDER, fake=FakeProvider(3)))
    assert result is not None
    json.dumps(result, allow_nan=False)


def test_fake_values_have_their_types_and_formats() -> None:
    scope = Scope(ORDER, fake=FakeProvider(5))
    assert isinstance(run("fake.latitude", scope), float)
    assert isinstance(run("fake.boolean", scope), bool)
    assert isinstance(run("fake.random_int", scope), int)
    assert re.fullmatch(r"[0-9a-f-]{36}", run("fake.uuid", scope))
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", run("fake.date", scope))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", run("fake.date_time", scope))
    assert "@" in run("fake.email", scope)
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", run("fake.ipv4", scope))


def _sequence(seed: int) -> list[Any]:
    scope = Scope(ORDER, fake=FakeProvider(seed))
    return [run(f"fake.{name}", scope) for name in FAKE_NAMES for _ in range(2)]


def test_fake_data_is_deterministic_per_seed() -> None:
    assert _sequence(11) == _sequence(11)
    assert _sequence(11) != _sequence(12)


def test_providers_with_the_same_seed_do_not_share_their_sequence() -> None:
    one, two = FakeProvider(1), FakeProvider(1)
    first = [one.generate("first_name") for _ in range(5)]
    assert [two.generate("first_name") for _ in range(5)] == first


def test_a_scope_without_a_provider_still_has_fake_data() -> None:
    assert isinstance(run("fake.first_name", Scope(ORDER)), str)


def test_providers_are_cheap_until_used() -> None:
    started = time.process_time()  # CPU time: a busy machine does not stretch it
    providers = [FakeProvider(seed) for seed in range(2000)]
    assert time.process_time() - started < 0.5
    assert providers[0].locale == "en_US"
    assert providers[1999].seed == 1999


def test_other_locales() -> None:
    scope = Scope(ORDER, fake=FakeProvider(0, locale="de_DE"))
    assert isinstance(run("fake.city", scope), str)


def test_an_unknown_fake_name_is_a_compile_error_with_a_suggestion() -> None:
    with pytest.raises(ExpressionError) as caught:
        compile_expression("fake.frist_name", ORIGIN)
    assert "did you mean fake.first_name?" in caught.value.message
    with pytest.raises(ExpressionError):
        compile_expression("fake.seed", ORIGIN)
    with pytest.raises(ExpressionError):
        compile_expression("fake", ORIGIN)
    with pytest.raises(ExpressionError):
        compile_expression("fake['first_name']" + " + fake[request.query.x]", ORIGIN)


def test_fake_names_fold_to_distinct_keys() -> None:
    assert len({name.replace("_", "") for name in FAKE_NAMES}) == len(FAKE_NAMES)


# -- Mockarty aliases ----------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "equivalent"),
    [
        ("$.pathParam.orderId", "request.path.orderId"),
        ("$.queryParam.page", "request.query.page"),
        ("$.header.x-request-id", 'request.headers["x-request-id"]'),
        ("$.headers.X-Tenant", 'request.headers["x-tenant"]'),
        ("$.cookie.session", "request.cookies.session"),
        ("$.cookies.session", "request.cookies.session"),
        ("$.body.customer.name", "request.body.customer.name"),
        ("$.body.customer.emails[0]", "request.body.customer.emails[0]"),
        ('$.body["customer"]["name"]', "request.body.customer.name"),
        ("$.body.lines[0].sku", "request.body.lines[0].sku"),
        ("$.body.lines[request.query.page - 2].sku", "request.body.lines[0].sku"),
        ("$.body", "request.body"),
        ("$.pathParam", "request.path"),
        ("$.queryParam.dryRun == false", "true"),
        ("$.pathParam.orderId + 1", "13"),
        ("$.pathParam.orderId-1", "11"),
    ],
)
def test_aliases_read_the_request(alias: str, equivalent: str) -> None:
    scope = Scope(ORDER)
    assert run(alias, scope) == run(equivalent, scope)


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("FirstName", "first_name"),
        ("LastName", "last_name"),
        ("Email", "email"),
        ("PhoneNumber", "phone_number"),
        ("UUID", "uuid"),
        ("IPv4", "ipv4"),
        ("UserName", "user_name"),
        ("first_name", "first_name"),
    ],
)
def test_fake_aliases_map_camel_case_to_the_table(alias: str, name: str) -> None:
    by_alias = run(f"$.fake.{alias}", Scope(ORDER, fake=FakeProvider(9)))
    by_name = run(f"fake.{name}", Scope(ORDER, fake=FakeProvider(9)))
    assert by_alias == by_name


def test_an_unknown_alias_root_is_a_compile_error() -> None:
    with pytest.raises(ExpressionError) as caught:
        compile_expression("$.bdy.name", ORIGIN)
    assert "unknown alias root '$.bdy'" in caught.value.message
    assert (caught.value.line, caught.value.column) == (2, 7)
