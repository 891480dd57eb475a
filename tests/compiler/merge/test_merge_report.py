"""The merge report: entries, text and JSON."""

from __future__ import annotations

import json

from mockc.compiler.merge import Entry, Kind, MergeReport, field_path


def test_field_paths_quote_what_is_not_a_plain_key() -> None:
    assert field_path(("response", "body", "name")) == "response.body.name"
    assert field_path(("match", "body", "items[0].sku")) == 'match.body["items[0].sku"]'
    assert field_path(("responses", 200)) == "responses[200]"
    assert field_path(("headers", "x-tenant")) == "headers.x-tenant"


def test_text_lists_user_files_and_summarises_generated_ones() -> None:
    report = MergeReport(out="out")
    report.add(Entry(file="mocks/a.yaml", kind=Kind.CONFLICT, field="response.status", detail="d"))
    for name in ("a.py", "b.py", "c.py", "d.py", "e.py"):
        report.add(Entry(file=name, kind=Kind.UPDATED, detail="regenerated", generated=True))
    lines = report.render()
    assert lines[0] == "conflict        mocks/a.yaml [response.status]: d"
    assert lines[1] == "updated         5 generated files: a.py, b.py, c.py, d.py and 1 more"
    assert len(report.render(verbose=True)) == 6


def test_json_has_every_entry_and_counts() -> None:
    report = MergeReport(out="out", changed_files=["mocks/a.yaml"])
    report.add(Entry(file="mocks/a.yaml", kind=Kind.ADDED, id="a", detail="new operation"))
    data = json.loads(json.dumps(report.to_json()))
    assert data["changed"] is True
    assert data["counts"]["added"] == 1 and data["counts"]["conflict"] == 0
    assert data["entries"] == [
        {"file": "mocks/a.yaml", "kind": "added", "id": "a", "detail": "new operation"}
    ]
    assert set(data["counts"]) == {
        "added",
        "updated",
        "kept-user-edit",
        "conflict",
        "orphaned",
        "pruned",
        "removed",
    }
