"""Request validation of bodies that are not Unicode text."""

from mockc.runtime.validation import OperationValidator

OPERATION = {
    "id": "create",
    "binding": {"kind": "http", "method": "POST", "path": "/", "parameters": []},
    "input": {
        "required": True,
        "contents": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"a": {"type": "integer"}, "b": {"type": "object"}},
                    "additionalProperties": False,
                }
            }
        },
    },
}


def test_a_lone_surrogate_is_a_violation_naming_its_place() -> None:
    validator = OperationValidator(OPERATION, {})
    assert validator.check_body("application/json", {"a": "\ud800"}) == [
        {
            "in": "body",
            "pointer": "/a",
            "message": "holds a lone surrogate (an escape like \\ud800 without its pair): "
            "not Unicode text",
        }
    ]
    found = validator.check_body("application/json", {"\udfff": 1})
    assert [violation["pointer"] for violation in found] == ["/\\udfff"]


def test_valid_and_invalid_bodies_are_unchanged() -> None:
    validator = OperationValidator(OPERATION, {})
    assert validator.check_body("application/json", {"a": 1}) == []
    assert validator.check_body("application/json", {"a": "x"})[0]["pointer"] == "/a"
