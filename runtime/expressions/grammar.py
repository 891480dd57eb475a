"""The grammar of the expression language, and parsing with plain-words errors.

The LALR parser is built once per process, on first use. Before parsing, the
text's length and bracket nesting are checked against their bounds, so that no
input can make parsing or compiling slow or deeply recursive.

Precedence, loosest first: ``or``; ``and``; ``not``; comparisons (``== != < <=
> >= =~ in``, ``not in``; not chained); ``+ -``; ``* / %``; filters ``|``;
unary ``- +``; member access, indexing and calls.
"""

from __future__ import annotations

import threading
from typing import Any

from lark import Lark, Tree
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)

from .errors import ExpressionError, Origin
from .limits import MAX_EXPRESSION_LENGTH, MAX_NESTING

__all__ = ["ALIAS_PATTERN", "GRAMMAR", "parse"]

ALIAS_PATTERN = (
    r"\$\.[A-Za-z_]\w*"
    r"(?:\.[A-Za-z_]\w*(?:-[A-Za-z_]\w*)*|\[\d+\]|\[\"[^\"\\\n]*\"\]|\['[^'\\\n]*'\])*"
)
"""A Mockarty alias: ``$.root`` then ``.name`` (hyphens allowed between words),
``[0]`` or ``["key"]`` segments."""

GRAMMAR = (
    r"""
?start: or_test

?or_test: and_test
        | or_test "or" and_test                -> or_
?and_test: not_test
        | and_test "and" not_test              -> and_
?not_test: "not" not_test                      -> not_
        | comparison
?comparison: sum
        | sum comp_op sum                      -> compare
!comp_op: "==" | "!=" | "<" | "<=" | ">" | ">=" | "=~" | "in" | "not" "in"
?sum: product
    | sum "+" product                          -> add
    | sum "-" product                          -> sub
?product: filtered
    | product "*" filtered                     -> mul
    | product "/" filtered                     -> div
    | product "%" filtered                     -> mod
?filtered: unary
    | filtered "|" NAME                        -> filter
    | filtered "|" NAME "(" [args] ")"         -> filter
?unary: "-" unary                              -> neg
    | "+" unary                                -> pos
    | postfix
?postfix: atom
    | postfix "." NAME                         -> member
    | postfix "[" or_test "]"                  -> index
    | postfix "." NAME "(" [args] ")"          -> method
?atom: NAME                                    -> name
    | NAME "(" [args] ")"                      -> call
    | ALIAS                                    -> alias
    | INT                                      -> integer
    | FLOAT                                    -> floating
    | STRING                                   -> string
    | "true"                                   -> true
    | "false"                                  -> false
    | "null"                                   -> null
    | "[" [args] "]"                           -> list
    | "{" [pairs] "}"                          -> object
    | "(" or_test ")"
args: or_test ("," or_test)* [","]
pairs: pair ("," pair)* [","]
pair: (STRING | NAME) ":" or_test

NAME: /[A-Za-z_][A-Za-z0-9_]*/
ALIAS: /"""
    + ALIAS_PATTERN
    + r"""/
FLOAT.2: /[0-9]+\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+/
INT: /[0-9]+/
STRING: /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/
%ignore /\s+/
"""
)

_VALUES = frozenset({"NAME", "ALIAS", "INT", "FLOAT", "STRING"})
_STARTERS = _VALUES | {"TRUE", "FALSE", "NULL", "LPAR", "LSQB", "LBRACE", "MINUS", "PLUS", "NOT"}
_CLOSERS = {"(": ("RPAR", "')'"), "[": ("RSQB", "']'"), "{": ("RBRACE", "'}'")}
_SEPARATORS = frozenset({"RPAR", "RSQB", "RBRACE", "COMMA", "COLON"})
_WORDS = {"NAME": "a name", "ALIAS": "an alias", "INT": "a number", "FLOAT": "a number"}
_WORDS["STRING"] = "a string"

_parser: list[Lark] = []
_parser_lock = threading.Lock()


def _lark() -> Lark:
    if not _parser:
        with _parser_lock:
            if not _parser:
                _parser.append(Lark(GRAMMAR, parser="lalr", propagate_positions=True))
    return _parser[0]


def parse(text: str, origin: Origin) -> Tree[Any]:
    """The parse tree of expression ``text``; ExpressionError (with the position in
    the file) when it is too long, nests too deeply or is not valid."""
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError.at(
            f"the expression is {len(text)} characters long; the limit is {MAX_EXPRESSION_LENGTH}",
            origin,
            text,
            0,
        )
    _open_brackets(text, len(text), origin)
    try:
        return _lark().parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, text, origin) from None


def _open_brackets(text: str, end: int, origin: Origin | None = None) -> list[str]:
    """The brackets still open at offset ``end``, outside string literals. With an
    ``origin``, raises ExpressionError where the nesting exceeds MAX_NESTING."""
    stack: list[str] = []
    quote = ""
    index = 0
    while index < end:
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote or char == "\n":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([{":
            stack.append(char)
            if origin is not None and len(stack) > MAX_NESTING:
                raise ExpressionError.at(
                    f"brackets nest more than {MAX_NESTING} deep", origin, text, index
                )
        elif char in ")]}" and stack:
            stack.pop()
        index += 1
    return stack


def _syntax_error(exc: UnexpectedInput, text: str, origin: Origin) -> ExpressionError:
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        expected = set(exc.expected)
        if token.type == "$END":
            offset = len(text)
            found = "end of the expression"
        else:
            offset = token.start_pos if token.start_pos is not None else 0
            found = _describe_token(token.type, str(token))
    elif isinstance(exc, UnexpectedCharacters):
        offset = exc.pos_in_stream or 0
        found = f"character {text[offset]!r}" if offset < len(text) else "end of the expression"
        expected = set(exc.allowed or ())
    else:
        offset = len(text)
        found = "end of the expression"
        expected = set(exc.expected or ()) if isinstance(exc, UnexpectedEOF) else set()
    wanted = _describe_expected(expected, _open_brackets(text, offset))
    message = f"unexpected {found}" + (f"; expected {wanted}" if wanted else "")
    return ExpressionError.at(message, origin, text, offset)


def _describe_token(kind: str, value: str) -> str:
    if kind == "NAME":
        return f"name {value!r}"
    if kind in ("INT", "FLOAT"):
        return f"number {value}"
    if kind == "STRING":
        return f"string {value}"
    if kind == "ALIAS":
        return f"alias {value}"
    return f"{value!r}"


def _describe_expected(expected: set[str], open_brackets: list[str]) -> str:
    parts: list[str] = []
    if expected & (_VALUES - {"NAME"}):
        parts.append("a value")
        expected -= _STARTERS
    elif "NAME" in expected:
        parts.append("a name")
        expected.discard("NAME")
    if open_brackets:
        closer, shown = _CLOSERS[open_brackets[-1]]
        if closer in expected:
            parts.append(shown)
        if "COMMA" in expected and open_brackets[-1] in "[{(":
            parts.append("','")
        if "COLON" in expected:
            parts.append("':'")
    operators = sorted(expected - _SEPARATORS - {"$END"})
    if len(operators) == 1:
        parts.append(_terminal_text(operators[0]))
    elif operators:
        parts.append("an operator")
    if not open_brackets and ("$END" in expected or len(operators) > 1):
        parts.append("the end of the expression")
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def _terminal_text(name: str) -> str:
    if name in _WORDS:
        return _WORDS[name]
    for terminal in _lark().terminals:
        if terminal.name == name:
            return repr(terminal.pattern.value)
    return name.lower()
