"""Prometheus metrics: what is observed is what the exposition text says."""

from __future__ import annotations

import threading

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from mockc.runtime.journal import DURATION_BUCKETS, Metrics

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(metrics: Metrics) -> tuple[Samples, dict[str, str]]:
    """Every sample by (name, labels), and every family's type, parsed back."""
    text, content_type = metrics.render()
    assert content_type == "text/plain; version=0.0.4; charset=utf-8"
    samples: Samples = {}
    types: dict[str, str] = {}
    for family in text_string_to_metric_families(text.decode("utf-8")):
        types[family.name] = family.type
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples, types


def labels(**values: str) -> frozenset[tuple[str, str]]:
    return frozenset(values.items())


def test_observed_requests_are_rendered() -> None:
    metrics = Metrics()
    metrics.observe("getPet", "200", 0.0004, True)
    metrics.observe("getPet", "200", 0.003, False)
    metrics.observe("getPet", "404", 0.02, None)
    metrics.observe(None, "404", 7.5, None)
    metrics.set_active_mocks(3)
    samples, types = scrape(metrics)

    assert types == {
        "mockc_requests": "counter",
        "mockc_request_duration_seconds": "histogram",
        "mockc_requests_matched": "counter",
        "mockc_requests_unmatched": "counter",
        "mockc_active_mocks": "gauge",
        "mockc_messages": "counter",
    }
    http = {"protocol": "http"}
    assert samples[("mockc_requests_total", labels(**http, operation="getPet", status="200"))] == 2
    assert samples[("mockc_requests_total", labels(**http, operation="getPet", status="404"))] == 1
    assert samples[("mockc_requests_total", labels(**http, operation="", status="404"))] == 1
    assert samples[("mockc_requests_matched_total", labels(**http, operation="getPet"))] == 1
    assert samples[("mockc_requests_unmatched_total", labels(**http, operation="getPet"))] == 1
    assert samples[("mockc_active_mocks", labels(**http))] == 3

    def bucket(operation: str, le: str) -> float:
        return samples[
            ("mockc_request_duration_seconds_bucket", labels(**http, operation=operation, le=le))
        ]

    assert bucket("getPet", "0.0005") == 1
    assert bucket("getPet", "0.0025") == 1
    assert bucket("getPet", "0.005") == 2
    assert bucket("getPet", "0.025") == 3
    assert bucket("getPet", "+Inf") == 3
    assert bucket("", "5.0") == 0
    assert bucket("", "+Inf") == 1
    count = samples[("mockc_request_duration_seconds_count", labels(**http, operation="getPet"))]
    total = samples[("mockc_request_duration_seconds_sum", labels(**http, operation="getPet"))]
    assert count == 3
    assert total == pytest.approx(0.0234)


def test_buckets_span_half_a_millisecond_to_five_seconds() -> None:
    metrics = Metrics()
    metrics.observe("op", "OK", 0.001, None)
    samples, _ = scrape(metrics)
    bounds = sorted(
        float(dict(key[1])["le"])
        for key in samples
        if key[0] == "mockc_request_duration_seconds_bucket"
    )
    assert bounds == [*DURATION_BUCKETS, float("inf")]
    assert (bounds[0], bounds[-2]) == (0.0005, 5.0)


def test_a_bucket_bound_is_inclusive() -> None:
    metrics = Metrics("grpc")
    metrics.observe("pkg.Svc/Get", "OK", 0.001, None)
    samples, _ = scrape(metrics)
    key = labels(protocol="grpc", operation="pkg.Svc/Get", le="0.001")
    assert samples[("mockc_request_duration_seconds_bucket", key)] == 1


def test_label_values_are_escaped() -> None:
    metrics = Metrics()
    metrics.observe('odd"op\\name\n', "200", 0.01, None)
    samples, _ = scrape(metrics)
    key = labels(protocol="http", operation='odd"op\\name\n', status="200")
    assert samples[("mockc_requests_total", key)] == 1


def test_a_fresh_registry_has_every_family_and_no_request_samples() -> None:
    samples, types = scrape(Metrics())
    assert len(types) == 6
    assert list(samples) == [("mockc_active_mocks", labels(protocol="http"))]


def test_each_instance_has_its_own_registry() -> None:
    first, second = Metrics(), Metrics()
    first.observe("op", "200", 0.01, True)
    assert first.registry is not second.registry
    assert first.registry is not REGISTRY
    assert list(scrape(second)[0]) == [("mockc_active_mocks", labels(protocol="http"))]
    assert REGISTRY.get_sample_value("mockc_requests_total") is None


def test_observe_from_many_threads_counts_every_request() -> None:
    metrics = Metrics()

    def work() -> None:
        for _ in range(5000):
            metrics.observe("op", "200", 0.001, True)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    samples, _ = scrape(metrics)
    key = labels(protocol="http", operation="op", status="200")
    assert samples[("mockc_requests_total", key)] == 20_000
    assert (
        samples[("mockc_requests_matched_total", labels(protocol="http", operation="op"))] == 20_000
    )
