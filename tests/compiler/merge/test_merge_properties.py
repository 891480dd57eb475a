"""Property: whatever the spec change and whatever the user edits, regeneration
keeps every user edit, brings every new operation, is deterministic, and a
second regeneration changes nothing.

Real specs go through the real compiler into real folders; hypothesis draws the
operations, the spec change (operations added, removed, moved; example fields
changed, added, dropped) and the user's edits (mock fields, statuses,
conditions, headers, comments, own mocks, deleted mocks, hook bodies, helpers).
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from mockc.compiler.driver import GenerateOptions, generate

OPS = ("opA", "opB", "opC", "opD", "opE", "opF")
KEYS = ("name", "tag", "size")
VALUES = st.one_of(st.integers(-5, 5), st.sampled_from(["x", "y", "z", ""]), st.booleans())
OPTIONS = GenerateOptions(link_runtime=True)
_YAML = YAML()  # users edit with a round-trip tool: their comments stay


def _spec(ops: dict[str, dict[str, Any]]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for op, shape in ops.items():
        paths[f"/r/{op}/v{shape['version']}"] = {
            "get": {
                "operationId": op,
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"type": "object"},
                                "example": shape["body"],
                            }
                        },
                    }
                },
            }
        }
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}


@st.composite
def _scenario(draw: st.DrawFn) -> dict[str, Any]:
    first = draw(st.lists(st.sampled_from(OPS), min_size=1, max_size=4, unique=True))
    ops = {
        op: {"version": 1, "body": draw(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=3))}
        for op in first
    }
    changed = json.loads(json.dumps(ops))
    for _ in range(draw(st.integers(0, 8))):
        action = draw(st.sampled_from(["add", "remove", "move", "field", "field", "drop"]))
        absent = [op for op in OPS if op not in changed]
        present = list(changed)
        if action == "add" and absent:
            op = draw(st.sampled_from(absent))
            changed[op] = {"version": 1, "body": {"name": draw(VALUES)}}
        elif action == "remove" and len(present) > 1:
            del changed[draw(st.sampled_from(present))]
        elif action == "move" and present:
            changed[draw(st.sampled_from(present))]["version"] += 1
        elif action == "field" and present:
            op = draw(st.sampled_from(present))
            changed[op]["body"][draw(st.sampled_from(KEYS))] = draw(VALUES)
        elif action == "drop" and present:
            op = draw(st.sampled_from(present))
            changed[op]["body"].pop(draw(st.sampled_from(KEYS)), None)
    edits = draw(
        st.lists(
            st.tuples(
                st.sampled_from(
                    [
                        "set",
                        "status",
                        "match",
                        "header",
                        "comment",
                        "own",
                        "delete",
                        "hook",
                        "helper",
                    ]
                ),
                st.sampled_from(first),
                st.sampled_from(KEYS),
            ),
            max_size=8,
        )
    )
    return {"before": ops, "after": changed, "edits": edits}


class _Expected:
    def __init__(self) -> None:
        self.fields: dict[tuple[str, tuple[str, ...]], Any] = {}
        self.texts: dict[str, list[str]] = {}  # file → snippets it must contain
        self.own: dict[str, dict[str, Any]] = {}
        self.deleted: set[str] = set()


def _edit(out: Path, edits: list[tuple[str, str, str]]) -> _Expected:
    expected = _Expected()
    for number, (kind, op, key) in enumerate(edits):
        mock = out / "mocks" / f"{op}.yaml"
        marker = f"user-{number}"
        if kind == "own":
            data = {
                "id": marker,
                "operation": op,
                "response": {"status": 200, "body": {"n": number}},
            }
            (out / "mocks" / f"{marker}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
            expected.own[marker] = data
            continue
        if kind in ("hook", "helper"):
            handlers = out / "handlers.py"
            text = handlers.read_text()
            if kind == "helper":
                snippet = f"def helper_{number}():\n    return {number}\n"
                handlers.write_text(text + "\n\n" + snippet)
            else:
                start = text.index(f"def {op}(request):")
                at = text.index("    return\n", start)
                snippet = f"    x = {marker!r}  # {marker}\n"
                handlers.write_text(text[:at] + snippet + text[at:])
            expected.texts.setdefault("handlers.py", []).append(snippet)
            continue
        if op in expected.deleted:
            continue
        if kind == "delete":
            mock.unlink()
            expected.deleted.add(op)
            expected.fields = {k: v for k, v in expected.fields.items() if k[0] != op}
            expected.texts.pop(op, None)
            continue
        if kind == "comment":
            mock.write_text(f"# {marker}\n" + mock.read_text())
            expected.texts.setdefault(op, []).append(f"# {marker}\n")
            continue
        if kind == "eol":  # a comment at the end of a body field's line
            lines = mock.read_text().splitlines(True)
            for index, line in enumerate(lines):
                if line.startswith(f"    {key}:") and "#" not in line:
                    lines[index] = line.rstrip("\n") + f"  # {marker}\n"
                    expected.texts.setdefault(op, []).append(f"# {marker}\n")
                    break
            mock.write_text("".join(lines))
            continue
        data = _YAML.load(mock.read_text())
        if kind == "set":
            path: tuple[str, ...] = ("response", "body", key)
            value: Any = marker
        elif kind == "status":
            path, value = ("response", "status"), 200 + number + 1
        elif kind == "match":
            path, value = ("match",), {"query": {"q": marker}}
        else:
            path, value = ("response", "headers"), {"X-User": marker}
        node = data
        for part in path[:-1]:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        node[path[-1]] = value
        expected.fields[(op, path)] = value
        stream = io.StringIO()
        _YAML.dump(data, stream)
        mock.write_text(stream.getvalue())
    return expected


def _tree(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _mocks_by_id(out: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    found = {}
    for path in sorted((out / "mocks").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        found[data["id"]] = (path, data)
    return found


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(_scenario())
@example(  # the spec drops a field the user commented on: the comment stays
    {
        "before": {"opA": {"version": 1, "body": {"name": 1, "tag": 2}}},
        "after": {"opA": {"version": 1, "body": {"name": 1}}},
        "edits": [("eol", "opA", "tag")],
    }
)
@example(  # both change one field; the spec moves the operation; a new operation
    {
        "before": {"opA": {"version": 1, "body": {"name": 1}}},
        "after": {"opA": {"version": 2, "body": {"name": 2}}, "opB": {"version": 1, "body": {}}},
        "edits": [("set", "opA", "name"), ("hook", "opA", "name"), ("comment", "opA", "name")],
    }
)
def test_regeneration_keeps_edits_adds_operations_and_is_a_deterministic_fixpoint(
    scenario: dict[str, Any],
) -> None:
    with tempfile.TemporaryDirectory(prefix="mockc-prop-") as temp:
        root = Path(temp)
        spec = root / "spec.json"
        out = root / "out"
        spec.write_text(json.dumps(_spec(scenario["before"])))
        generate([spec], out, OPTIONS)
        expected = _edit(out, scenario["edits"])
        spec.write_text(json.dumps(_spec(scenario["after"])))
        twin = root / "twin"
        shutil.copytree(out, twin)

        generate([spec], out, OPTIONS)
        generate([spec], twin, OPTIONS)
        assert _tree(out) == _tree(twin), "the merge is not deterministic"

        mocks = _mocks_by_id(out)
        for (op, path), value in expected.fields.items():
            assert op in mocks, f"the edited mock {op} was lost"
            node: Any = mocks[op][1]
            for part in path:
                node = node[part]
            assert node == value, f"{op}: the edit of {'.'.join(path)} was lost"
        for op, snippets in expected.texts.items():
            file = out / "handlers.py" if op == "handlers.py" else mocks[op][0]
            for snippet in snippets:
                assert snippet in file.read_text(), f"{snippet!r} was lost from {file.name}"
        for mock_id, data in expected.own.items():
            kept = dict(mocks[mock_id][1])
            assert kept.pop("orphaned", None) is (
                data["operation"] not in scenario["after"] or None
            )
            assert kept == data
        for op in expected.deleted:
            assert op not in mocks, f"the mock {op} the user deleted came back"
        handlers = (out / "handlers.py").read_text()
        compile(handlers, "handlers.py", "exec")
        for op in scenario["after"]:
            if op not in scenario["before"]:
                assert op in mocks, f"new operation {op} has no mock"
                assert f"def {op}(request):" in handlers, f"new operation {op} has no hook"
        for op in scenario["before"]:
            if op not in scenario["after"] and op in mocks:
                assert mocks[op][1].get("orphaned") is True

        before = _tree(out)
        _, report = generate([spec], out, OPTIONS)
        assert _tree(out) == before, "merging twice changed files"
        assert not report.merge.changed
