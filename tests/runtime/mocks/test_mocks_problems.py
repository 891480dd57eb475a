"""Every kind of problem, at its exact file:line:column; hostile files stay harmless."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from mock_kit import OPERATIONS, Server, ask

from mockc.runtime.mocks import MockProblem, load_mock_document, validate_mock_folder

PROBLEMS = [
    # (file name, content, expected rendered problems)
    (
        "syntax.yaml",
        "operation: showPetById\nmatch: [\n",
        ["3:1: invalid YAML: did not find expected node content (while parsing a flow node)"],
    ),
    (
        "schema.yaml",
        "operation: showPetById\npriority: high\nrespnse: {}\n",
        [
            "1:1: the mock needs one of 'response', 'responses', 'crud' or 'source'",
            "2:11: priority must be an integer, found text 'high'",
            "3:1: unknown key 'respnse'; did you mean 'response'?",
        ],
    ),
    (
        "values.yaml",
        "operation: showPetById\nresponse:\n  status: 700\n  delay: {min: 5}\n"
        "  fault: {kind: boom}\n",
        [
            "3:11: response.status must be at most 599, found 700",
            "4:10: response.delay: 'max' is missing",
            "5:17: response.fault.kind must be one of error, empty, reset, malformed, "
            "duplicate, gone, found text 'boom'",
        ],
    ),
    (
        "forms.yaml",
        "operation: showPetById\nresponse: {status: true, delay: fast, headers: {a: [1]}}\n",
        [
            "2:20: response.status must be an HTTP status (100-599) or a status name, found true",
            "2:33: response.delay must be milliseconds or a {min, max} range, found text 'fast'",
            "2:52: response.headers.a must be text or a number or true or false, found a list",
        ],
    ),
    (
        "operator.yaml",
        'operation: showPetById\nmatch:\n  query: {status: {eq: 1}}\n  when: "request.query.("\n'
        "response: {}\n",
        [
            "3:20: unknown key 'eq' in match.query.status; expected one of contains, equals, "
            "exists, gt, gte, in, lt, lte, matches, not",
            "4:24: unexpected '('; expected a name",
        ],
    ),
    (
        "exclusive.yaml",
        "operation: showPetById\nresponse: {body: 1, text: a}\nresponses: [{}]\nsequence: x\n",
        [
            "1:1: 'response' and 'responses' exclude each other; keep one",
            "2:11: response: 'body' and 'text' exclude each other; keep one",
            "4:11: sequence must be one of cycle, once-each, random, found text 'x'",
        ],
    ),
    (
        "then-templates.yaml",
        "operation: showPetById\nresponse: {}\nthen:\n"
        "  - {emit: listPets, params: {petId: '{{ request.path.( }}'}}\n"
        "  - {emit: listPets, body: {name: '{{ request.body. }}'}}\n",
        [
            "4:55: unexpected '('; expected a name",
            "5:53: unexpected end of the expression; expected a name",
        ],
    ),
    (
        "sequence.yaml",
        "operation: showPetById\nsequence: random\nresponse: {}\n",
        ["2:1: 'sequence' needs 'responses'"],
    ),
    (
        "bad-id.yaml",
        "id: ../etc/passwd\noperation: showPetById\nresponse: {}\n",
        [
            "1:5: id text '../etc/passwd' is not valid: letters, digits, '_', '-' and '.', at "
            "most 128 characters, not starting with '.' or '-' and not ending with '.'"
        ],
    ),
    (
        "bad name.yaml",
        "operation: showPetById\nresponse: {}\n",
        [
            "1:1: the file name 'bad name' is not a valid mock id (letters, digits, '_', '-', "
            "'.'); rename the file or set id"
        ],
    ),
    (
        "unknown.yaml",
        "operation: showPetByld\nresponse: {}\n",
        ["1:12: unknown operation 'showPetByld'; did you mean 'showPetById'?"],
    ),
    (
        "status.yaml",
        "operation: showPetById\nresponse: {status: 418}\n",
        ["2:20: warning: operation 'showPetById' declares no response 418 (declared: 200, 404)"],
    ),
    (
        "template.yaml",
        "operation: showPetById\nresponse:\n  headers: {X-A: 'v {{ request.( }}'}\n"
        '  body:\n    name: "{{ nope( }}"\n',
        [
            "3:32: unexpected '('; expected a name",
            "5:21: unexpected end of the expression; expected a value or ')'",
        ],
    ),
    (
        "block.yaml",
        "operation: showPetById\nresponse:\n  text: |\n    line one\n    {{ request.( }}\n",
        ["5:16: unexpected '('; expected a name"],
    ),
    (
        "actions.yaml",
        "operation: showPetById\nactions:\n  - state.incr('a')\n  - 'state.('\nresponse: {}\n",
        ["4:12: unexpected '('; expected a name"],
    ),
    (
        "patterns.yaml",
        'operation: showPetById\nmatch:\n  body: {"a..b": 1, "x": {matches: "(unclosed"}}\n'
        "response: {}\n",
        [
            "3:13: invalid body path 'a..b': expected a key before '.'",
            "3:46: invalid regular expression: missing )",
        ],
    ),
    (
        "json.json",
        '{\n  "operation": "showPetById",\n  "response": {"body": {"a": "{{ nope( }}"}}\n}\n',
        ["3:40: unexpected end of the expression; expected a value or ')'"],
    ),
    (
        "bad.json",
        '{"operation": "showPetById",}',
        ["1:29: invalid JSON: Expecting property name enclosed in double quotes"],
    ),
    (
        "semantics.yaml",
        "operation: showPetById\nresponses:\n  - {delay: {min: 9, max: 1}, fault: {kind: reset, "
        "status: 500}, weight: 0}\nsequence: random\n",
        [
            "3:13: delay: min (9) exceeds max",
            "3:52: fault: status applies to kind error, not reset",
            "3:3: every weight is 0; none can be chosen",
        ],
    ),
    (
        "list.yaml",
        "- operation: showPetById\n",
        ["1:1: a mock is a mapping (operation, match, response, …), not a list"],
    ),
    (
        "empty.yaml",
        "# nothing here\n",
        ["1:1: the file is empty; a mock needs at least an operation"],
    ),
    ("null.yaml", "---\n...\n", ["1:1: the file is empty; a mock needs an operation"]),
    (
        "twice.yaml",
        "operation: showPetById\nresponse: {}\n---\noperation: listPets\n",
        ["3:1: a mock file holds one document; a second one starts here"],
    ),
    (
        "duplicate-key.yaml",
        "operation: showPetById\nresponse: {}\noperation: listPets\n",
        ["3:1: the key 'operation' appears twice in this mapping"],
    ),
    (
        "tags.yaml",
        "operation: showPetById\nresponse: {body: !!binary aGVsbG8=}\n",
        ["2:18: the tag !!binary is not supported"],
    ),
    (
        "infinity.yaml",
        "operation: showPetById\nresponse: {body: .inf}\n",
        ["2:18: .inf is not a JSON number"],
    ),
    # JSON files find their positions only when a problem asks: each still at its place.
    (
        "duplicate-key.json",
        '{\n  "operation": "showPetById",\n  "response": {},\n  "operation": "listPets"\n}\n',
        ["4:3: the key 'operation' appears twice in this mapping"],
    ),
    (
        "nested-duplicate.json",
        '{"operation": "showPetById",\n "response": {"body": {"a": 1, "b": {"c": 2, "c": 3}}}}',
        ["2:46: the key 'c' appears twice in this mapping"],
    ),
    (
        "schema.json",
        '{\n  "operation": "showPetById",\n  "priority": "high",\n'
        '  "response": {"status": 700, "delay": {"min": 5}}\n}\n',
        [
            "3:15: priority must be an integer, found text 'high'",
            "4:26: response.status must be at most 599, found 700",
            "4:40: response.delay: 'max' is missing",
        ],
    ),
    (
        "colon-in-strings.json",
        '{"operation": "showPetById", "description": "a: b \\" c: d",\n'
        ' "response": {"status": 700}}\n',
        ["2:25: response.status must be at most 599, found 700"],
    ),
    (
        "unknown-operation.json",
        '{\n  "id": "x",\n  "operation": "showPetByld",\n  "response": {}\n}\n',
        ["3:17: unknown operation 'showPetByld'; did you mean 'showPetById'?"],
    ),
    (
        "undeclared-status.json",
        '{\n  "operation": "showPetById",\n  "response": {"status": 201}\n}\n',
        ["3:26: warning: operation 'showPetById' declares no response 201 (declared: 200, 404)"],
    ),
    (
        "header-expression.json",
        '{"operation": "showPetById",\n'
        ' "response": {"headers": {"X-A": "fine", "X-B": "{{ ( }}"}}}\n',
        ["2:55: unexpected end of the expression; expected a value"],
    ),
    (
        "header-value.json",
        '{"operation": "showPetById",\n "response": {"headers": {"X-A": "a\\u0001b"}}}\n',
        [
            "2:35: the value of header 'X-A' holds the control character U+0001; header "
            "values cannot hold NUL, CR, LF or other controls"
        ],
    ),
    (
        "text-expression.json",
        '{"operation": "showPetById",\n "response": {"text": "plain: {{ request.( }}"}}\n',
        ["2:42: unexpected '('; expected a name"],
    ),
]


@pytest.mark.parametrize(("name", "content", "expected"), PROBLEMS, ids=[p[0] for p in PROBLEMS])
def test_problem_positions(tmp_path: Path, name: str, content: str, expected: list[str]) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    document = load_mock_document(path, file=f"mocks/{name}", operations=OPERATIONS)
    rendered = [problem.render() for problem in document.problems]
    assert sorted(rendered) == sorted(f"mocks/{name}:{line}" for line in expected)


def test_validate_a_folder_reports_every_problem_sorted(tmp_path: Path) -> None:
    folder = tmp_path / "mocks"
    (folder / "nested").mkdir(parents=True)
    (folder / "b.yaml").write_text("id: same\noperation: x\nresponse: {}\n")
    (folder / "nested" / "a.yaml").write_text("id: same\noperation: y\nresponse: {}\n")
    (folder / "c.yml").write_text("operation: z\nresponse: {status: 7}\n")
    (folder / ".hidden.yaml").write_text("not: [valid")
    (folder / "notes.txt").write_text("ignored")
    problems = validate_mock_folder(folder)
    assert [problem.render() for problem in problems] == [
        f"{folder.as_posix()}/c.yml:2:20: response.status must be at least 100, found 7",
        f"{folder.as_posix()}/nested/a.yaml:1:5: duplicate id 'same': "
        f"{folder.as_posix()}/b.yaml has it too",
    ]
    with_operations = validate_mock_folder(folder, {"x": OPERATIONS["listPets"]})
    assert {problem.message for problem in with_operations} >= {
        "unknown operation 'y' (mockc inspect SPEC lists them)",
        "unknown operation 'z' (mockc inspect SPEC lists them)",
    }
    missing = validate_mock_folder(tmp_path / "nope")
    assert [problem.render() for problem in missing] == [
        f"{(tmp_path / 'nope').as_posix()}: no such folder"
    ]


def test_duplicate_ids_of_json_mocks_point_at_the_id(tmp_path: Path) -> None:
    folder = tmp_path / "mocks"
    (folder / "nested").mkdir(parents=True)
    (folder / "b.json").write_text('{"id": "same", "operation": "x", "response": {}}')
    (folder / "nested" / "a.json").write_text(
        '{\n  "operation": "y",\n    "id": "same",\n  "response": {}\n}'
    )
    assert [problem.render() for problem in validate_mock_folder(folder)] == [
        f"{folder.as_posix()}/nested/a.json:3:12: duplicate id 'same': "
        f"{folder.as_posix()}/b.json has it too"
    ]


def test_problem_rendering() -> None:
    assert MockProblem("f.yaml", 3, 7, "bad").render() == "f.yaml:3:7: bad"
    assert MockProblem("f.yaml", 0, 0, "too big").render() == "f.yaml: too big"
    assert MockProblem("f.yaml", 1, 1, "hm", "warning").render() == "f.yaml:1:1: warning: hm"


HOSTILE = {
    "bomb.yaml": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n",
    "deep.yaml": "operation: x\nresponse: {body: " + "[" * 100_000 + "]" * 100_000 + "}\n",
    "deep-block.yaml": "operation: x\nbody:\n" + "".join("  " * i + "- \n" for i in range(200)),
    "deep.json": "[" * 100_000 + "]" * 100_000,
    "huge.yaml": "operation: x\nresponse: {body: '" + "x" * (1 << 20) + "'}\n",
    "binary.yaml": bytes(range(256)) * 64,
    "utf16.yaml": "operation: x\n".encode("utf-16"),
    "nul.yaml": b"operation: x\x00\n",
    "control.yaml": "operation: \x07\n",
    "python.yaml": "operation: !!python/object/apply:os.system ['touch /tmp/mockc-pwned']\n",
    "scalar.yaml": "just text",
    "big-int.yaml": "operation: x\npriority: " + "9" * 5000 + "\n",
    "many-keys.yaml": "".join(f"k{i}: {i}\n" for i in range(40_000)),
}

EXPECTED_HOSTILE = {
    "bomb.yaml": ":2:8: aliases (*name) are not allowed in mock files; write the value out",
    "deep.yaml": ":2:80: the document is nested more than 64 levels deep",
    "deep.json": ": the document is nested more than 64 levels deep",
    "huge.yaml": ": the file is larger than 1 MiB, the limit for a mock file",
    "binary.yaml": ":2:118: the file is not UTF-8 text (byte 0x80 cannot be decoded)",
    "utf16.yaml": ":1:1: the file is not UTF-8 text (byte 0xff cannot be decoded)",
    "nul.yaml": ":1:13: the file holds NUL characters; is it a binary file?",
    "control.yaml": ":1:12: invalid YAML: the character U+0007 is not allowed",
    "python.yaml": ":1:12: the tag !!python/object/apply:os.system is not supported",
    "scalar.yaml": ":1:1: a mock is a mapping (operation, match, response, …), not a single value",
    "big-int.yaml": ":2:11: '999999999999999999999999999999999999999…' cannot be read as !!int: "
    "Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; "
    "use sys.set_int_max_str_digits() to increase the limit",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_give_one_clean_problem(tmp_path: Path, name: str) -> None:
    content = HOSTILE[name]
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    started = time.perf_counter()
    document = load_mock_document(path, file=name)
    # A guard against hangs and blow-ups (seconds, not a speed target: that is bench/'s).
    assert time.perf_counter() - started < 10
    assert document.definition is None
    assert document.problems
    rendered = [problem.render() for problem in document.problems]
    if name in EXPECTED_HOSTILE:
        assert rendered[0] == name + EXPECTED_HOSTILE[name]
    assert not Path("/tmp/mockc-pwned").exists()


def test_a_server_serves_the_good_files_and_reports_the_bad(server: Server) -> None:
    server.mock("good.yaml", "operation: listPets\nresponse: {body: [1]}\n")
    server.mock("broken.yaml", "operation: listPets\npriority: 9\nmatch: [\n")
    server.mock("unknown.yaml", "operation: nope\nresponse: {}\n")
    registry = server.registry()
    assert [problem.render() for problem in registry.problems()] == [
        "mocks/broken.yaml:4:1: invalid YAML: did not find expected node content "
        "(while parsing a flow node)",
        "mocks/unknown.yaml:1:12: unknown operation 'nope' (mockc inspect SPEC lists them)",
    ]
    reply = ask(registry, "listPets")
    assert reply is not None and reply.source == "mock:good"
    listed = {mock["id"]: mock for mock in registry.list_mocks()}
    assert listed["broken"]["problems"][0].startswith("mocks/broken.yaml:4:1:")
    assert listed["broken"]["served"] is False
