"""The journal-entry builder every adapter uses: detail and redaction settings."""

from __future__ import annotations

from typing import Any

from mockc.runtime.journal import REDACTED, Entry, EntryBuilder
from mockc.runtime.settings import CoreSettings, redacted_headers


def _entry(builder: EntryBuilder, **fields: Any) -> Entry:
    base: dict[str, Any] = {
        "time": 1.0,
        "duration_ms": 2.0,
        "method": "GET",
        "target": "/pets/1",
        "operation": "getPet",
        "status": "200",
        "source": "fake",
    }
    return builder.entry(**{**base, **fields})


def test_credentials_are_redacted_in_requests_and_responses() -> None:
    builder = EntryBuilder("http", CoreSettings(journal_redact=redacted_headers("X-Api-Key")))
    request = {"authorization": "Bearer t", "cookie": "a=1", "x-api-key": "k", "accept": "*/*"}
    entry = _entry(
        builder,
        request_headers=request,
        response_headers={"Set-Cookie": "s=1", "Content-Type": "application/json"},
    )
    assert entry.request_headers == {
        "authorization": REDACTED,
        "cookie": REDACTED,
        "x-api-key": REDACTED,
        "accept": "*/*",
    }
    assert entry.response_headers == {"Set-Cookie": REDACTED, "Content-Type": "application/json"}
    assert request["authorization"] == "Bearer t"  # the request itself is left alone
    assert entry.protocol == "http"


def test_headers_without_credentials_are_kept_as_they_are() -> None:
    builder = EntryBuilder("grpc", CoreSettings())
    metadata = {"user-agent": "grpc-python", "x-trace": "t-1"}
    entry = _entry(builder, request_headers=metadata, response_headers={})
    assert entry.request_headers is metadata
    assert entry.response_headers == {}


def test_redaction_off_keeps_every_header() -> None:
    builder = EntryBuilder("http", CoreSettings(journal_redact=redacted_headers("off")))
    entry = _entry(builder, request_headers={"authorization": "Bearer t"})
    assert entry.request_headers == {"authorization": "Bearer t"}


def test_summary_keeps_no_headers_or_bodies() -> None:
    builder = EntryBuilder("graphql", CoreSettings(journal_detail="summary"))
    assert not builder.detailed
    entry = _entry(
        builder,
        request_headers={"authorization": "Bearer t"},
        request_body=b"{}",
        response_headers={"x": "y"},
        response_body=b"{}",
        near_miss=[{"mock": "a"}],
        protocol="graphql-ws",
        matched=False,
    )
    assert (entry.request_headers, entry.request_body) == (None, None)
    assert (entry.response_headers, entry.response_body) == (None, None)
    assert (entry.protocol, entry.matched, entry.near_miss) == (
        "graphql-ws",
        False,
        [{"mock": "a"}],
    )


def test_near_miss_reports_do_not_keep_redacted_values() -> None:
    builder = EntryBuilder("http", CoreSettings())
    near_miss = [
        {"mock": "a", "failed": "headers.Authorization == 'Bearer good' — got 'Bearer leak'"},
        {"mock": "b", "failed": "cookies.session == s1 — got 'leak-too'"},
        {"mock": "c", "failed": "headers.x-tenant == acme — got 'other'"},
        {"mock": "d", "failed": "query.tier == gold — got nothing"},
    ]
    entry = _entry(builder, near_miss=near_miss, matched=False)
    assert entry.near_miss is not None
    failed = [report["failed"] for report in entry.near_miss]
    assert failed == [
        f"headers.Authorization == 'Bearer good' — got {REDACTED}",
        f"cookies.session == s1 — got {REDACTED}",
        "headers.x-tenant == acme — got 'other'",
        "query.tier == gold — got nothing",
    ]
    assert "leak" in near_miss[0]["failed"]  # the request's own report is left alone
    off = EntryBuilder("http", CoreSettings(journal_redact=redacted_headers("off")))
    assert _entry(off, near_miss=near_miss).near_miss is near_miss


def test_binary_metadata_of_a_redacted_name_is_redacted_too() -> None:
    builder = EntryBuilder("grpc", CoreSettings(journal_redact=redacted_headers("x-token")))
    metadata = {"authorization-bin": "AAEC", "x-token-bin": "AQ==", "trace-bin": "Ag=="}
    entry = _entry(builder, request_headers=metadata)
    assert entry.request_headers == {
        "authorization-bin": REDACTED,
        "x-token-bin": REDACTED,
        "trace-bin": "Ag==",
    }
    kept = EntryBuilder("grpc", CoreSettings(journal_redact=redacted_headers("off")))
    assert _entry(kept, request_headers=metadata).request_headers == metadata
