"""schemathesis against the orchestrator's own OpenAPI document, authenticated with an
admin token: no 5xx, and every answer's status, content type and body as documented
(valid requests); no 5xx for invalid ones either."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.corpus import CORPUS

from .harness import Orchestrator

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 4}
FOLLOW = "GET /servers/{name}/logs"
"""Fuzzed with follow=false only: an open stream never ends."""


def _run(
    operation: Any, orch: Orchestrator, mode: GenerationMode, failures: list[str], calls: list[int]
) -> None:
    session = requests.Session()
    headers = {"authorization": f"Bearer {orch.admin_token}"}
    checks = CHECKS if mode is GenerationMode.POSITIVE else [not_a_server_error]

    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        if operation.label == FOLLOW and isinstance(case.query, dict):
            case.query["follow"] = "false"
        response = case.call(base_url=orch.url, session=session, headers=headers, timeout=60)
        calls.append(response.status_code)
        try:
            case.validate_response(response, checks=checks)
        except FailureGroup as group:
            for failure in group.exceptions:
                failures.append(
                    f"{operation.label} ({mode.value}): {failure.title}: "
                    f"{failure.message.strip()[:300]}\n    {case.as_curl_command()[:300]}"
                )

    try:
        run()
    except Unsatisfiable:
        # an operation with no parameters and no body has no invalid request to send
        assert mode is GenerationMode.NEGATIVE, operation.label
    finally:
        session.close()


def test_the_orchestrator_conforms_to_its_own_document(tmp_path: Path) -> None:
    spec = CORPUS / "openapi/oai-petstore-expanded-v3/petstore-expanded.yaml"
    with Orchestrator(tmp_path / "data") as orch:
        with orch.client(orch.admin_token) as client:
            created = client.post(
                "/servers", json={"name": "s1", "files": {"p.yaml": spec.read_text()}}
            )
            assert created.status_code == 201, created.text
            document = client.get("/openapi.json").json()
        schema = schemathesis.openapi.from_dict(document)
        failures: list[str] = []
        calls: list[int] = []
        labels = set()
        for result in schema.get_all_operations():
            assert isinstance(result, Ok), result.err()
            operation = result.ok()
            labels.add(operation.label)
            for mode in EXAMPLES:
                _run(operation, orch, mode, failures, calls)
        assert "POST /servers" in labels and "GET /servers/{name}/admin/{path}" in labels
        assert httpx.get(orch.url + "/health").status_code == 200
        assert len(calls) > 4 * len(labels), calls
        assert sum(200 <= code < 300 for code in calls) > len(labels), calls
        assert "Traceback" not in orch.log
    assert failures == [], "\n".join(failures)
