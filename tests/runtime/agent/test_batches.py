"""Batches, claims and leases on a clock the test moves."""

from __future__ import annotations

import threading

import pytest

from mockc.runtime.agent import Answer, Batches, ClaimExpired, NoSuchBatch, WrongClaimToken


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, ms: float) -> None:
        self.now += ms / 1000.0


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def batches(clock: Clock) -> Batches:
    tokens = iter(f"token-{n}" for n in range(1, 1000))
    return Batches(window_ms=50, clock=clock, token=lambda: next(tokens))


def _submit(batches: Batches, run: str = "default", operation: str = "getPet") -> object:
    return batches.submit(run, operation, {"operation": operation})


def test_requests_within_the_window_form_one_batch(batches: Batches, clock: Clock) -> None:
    _submit(batches)
    clock.advance(30)
    _submit(batches)
    clock.advance(30)  # the first batch's window has closed: a new batch
    _submit(batches)
    rows = batches.runs()
    assert rows == [
        {"run_id": "default", "pending_batches": 2, "claimed_batches": 0, "waiting_requests": 3}
    ]


def test_a_batch_is_claimed_once_its_window_has_closed(batches: Batches, clock: Clock) -> None:
    _submit(batches)
    assert batches.claim(None, 1000) is None
    clock.advance(50)
    claimed = batches.claim(None, 1000)
    assert claimed is not None
    assert claimed["claim_token"] == "token-1"
    assert claimed["lease_expires_at"] == "2027-01-15T08:00:01.050Z"
    assert [request["request_id"] for request in claimed["requests"]] == ["r1"]
    assert batches.claim(None, 1000) is None  # nothing else is pending


def test_runs_never_share_a_batch(batches: Batches, clock: Clock) -> None:
    _submit(batches, "run-a")
    _submit(batches, "run-b")
    clock.advance(60)
    assert batches.claim("run-c", 1000) is None
    claimed_b = batches.claim("run-b", 1000)
    assert claimed_b is not None and claimed_b["run_id"] == "run-b"
    assert len(claimed_b["requests"]) == 1
    claimed_a = batches.claim(None, 1000)
    assert claimed_a is not None and claimed_a["run_id"] == "run-a"


def test_an_expired_lease_requeues_and_retires_the_token(batches: Batches, clock: Clock) -> None:
    pending = _submit(batches)
    clock.advance(60)
    first = batches.claim(None, 200)
    assert first is not None
    clock.advance(198)
    assert batches.get(first["batch_id"])["state"] == "claimed"
    clock.advance(3)
    assert batches.get(first["batch_id"])["state"] == "pending"
    with pytest.raises(ClaimExpired):
        batches.claimed(first["batch_id"], first["claim_token"])
    _submit(batches)  # a new request does not join the re-queued batch
    second = batches.claim(None, 1000)
    assert second is not None and second["batch_id"] == first["batch_id"]
    assert len(second["requests"]) == 1
    with pytest.raises(ClaimExpired):
        batches.answer(first["batch_id"], first["claim_token"], {})
    with pytest.raises(WrongClaimToken):
        batches.answer(first["batch_id"], "made-up", {})
    with pytest.raises(WrongClaimToken):
        batches.answer(first["batch_id"], None, {})
    with pytest.raises(NoSuchBatch):
        batches.answer("b404", second["claim_token"], {})
    answered = batches.answer(second["batch_id"], second["claim_token"], {"r1": Answer("200", 1)})
    assert answered == 1
    assert pending.future.result(timeout=0) == Answer("200", 1)  # type: ignore[attr-defined]
    assert batches.get(second["batch_id"])["state"] == "answered"


def test_release_requeues_at_once(batches: Batches, clock: Clock) -> None:
    _submit(batches)
    clock.advance(60)
    claimed = batches.claim(None, 60_000)
    assert claimed is not None
    assert batches.release(claimed["batch_id"], claimed["claim_token"]) == "pending"
    with pytest.raises(ClaimExpired):
        batches.release(claimed["batch_id"], claimed["claim_token"])
    again = batches.claim(None, 60_000)
    assert again is not None and again["claim_token"] == "token-2"


def test_a_batch_whose_requests_all_timed_out_expires(batches: Batches, clock: Clock) -> None:
    first = batches.submit("default", "getPet", {})
    second = batches.submit("default", "getPet", {})
    clock.advance(60)
    claimed = batches.claim(None, 60_000)
    assert claimed is not None
    assert batches.abandon(first) is True
    assert [r["request_id"] for r in batches.get(claimed["batch_id"])["requests"]] == ["r2"]
    assert batches.abandon(second) is True
    assert batches.get(claimed["batch_id"])["state"] == "expired"
    with pytest.raises(ClaimExpired) as raised:
        batches.claimed(claimed["batch_id"], claimed["claim_token"])
    assert raised.value.extra == {"state": "expired"}
    assert batches.runs() == []


def test_an_answered_request_is_not_abandoned(batches: Batches, clock: Clock) -> None:
    pending = batches.submit("default", "getPet", {})
    clock.advance(60)
    claimed = batches.claim(None, 60_000)
    assert claimed is not None
    batches.answer(claimed["batch_id"], claimed["claim_token"], {"r1": Answer("200", "x")})
    assert batches.abandon(pending) is False
    assert pending.future.result(timeout=0).body == "x"


def test_racing_claimers_get_one_claim(clock: Clock) -> None:
    batches = Batches(window_ms=0, clock=clock)
    batches.submit("default", "getPet", {})
    gate = threading.Barrier(16)
    won: list[object] = []

    def claim() -> None:
        gate.wait()
        won.append(batches.claim(None, 1000))

    threads = [threading.Thread(target=claim) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(result is not None for result in won) == 1
