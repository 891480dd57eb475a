"""Merging user-editable Python (``handlers.py``: one hook function per
operation) with libcst, three ways, on the user's own syntax tree.

The user's file is the starting point and everything in it stays where it is
— imports, helpers, comments, formatting — except:

- a hook whose signature or docstring the spec changed gets the new one (the
  spec wins those; a user edit it overrides is reported as a conflict, with
  the old text in the report);
- a hook body the user never edited follows a changed template; a body the
  user edited is kept, always (code is never replaced, ``--theirs`` or not);
- a new operation gets its stub, next to the hook that precedes it in the
  generated file;
- the hook of an operation that left the spec stays, flagged by a comment
  (``# mockc: orphaned: …``); ``--prune`` deletes flagged hooks that hold no
  code of the user's (a bare ``return None``), never one that does;
- a hook the user deleted stays deleted;
- an import the generated file gained is added; the module docstring follows
  the spec while the user has not edited it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from ..errors import Diagnostic
from .documents import MergeError
from .python_files import ORPHAN_MARK
from .report import Entry, Kind

__all__ = ["merge_trees"]


@dataclass(frozen=True, kw_only=True)
class _Parsed:
    module: cst.Module
    functions: dict[str, cst.FunctionDef]

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)


def merge_trees(
    *, path: str, base: str | None, ours: str, theirs: str, prune: bool, shown_as: str
) -> tuple[str, list[Entry]]:
    """The merged text of ``path`` and what happened to each hook."""
    mine = _parse(ours, shown_as or path, what="your file")
    new = _parse(theirs, path, what="the generated file")
    old = _parse(base, path, what="the merge base") if base is not None else None
    merger = _Merger(path=path, old=old, mine=mine, new=new, prune=prune)
    return merger.merge(), merger.entries


class _Merger:
    def __init__(
        self, *, path: str, old: _Parsed | None, mine: _Parsed, new: _Parsed, prune: bool
    ) -> None:
        self.path = path
        self.old = old
        self.mine = mine
        self.new = new
        self.prune = prune
        self.entries: list[Entry] = []

    def merge(self) -> str:
        old_hooks = self.old.functions if self.old else {}
        body: list[cst.BaseStatement] = []
        for statement in self.mine.module.body:
            if not isinstance(statement, cst.FunctionDef):
                body.append(statement)
                continue
            name = statement.name.value
            if name in self.new.functions:
                body.append(self._merge_hook(name, statement, old_hooks.get(name)))
            elif name in old_hooks or _is_flagged(statement):
                kept = self._orphan(name, statement, newly=name in old_hooks)
                if kept is not None:
                    body.append(kept)
            else:
                body.append(statement)
        body = self._add_new_hooks(body, old_hooks)
        body = self._add_imports(body)
        body = self._module_docstring(body)
        return self.mine.module.with_changes(body=body).code

    # -- hooks -------------------------------------------------------------

    def _merge_hook(
        self, name: str, mine: cst.FunctionDef, old: cst.FunctionDef | None
    ) -> cst.FunctionDef:
        new = self.new.functions[name]
        merged = mine
        if _is_flagged(mine):
            merged = _unflag(merged)
            self._entry(Kind.UPDATED, name, "operation is back in the spec; no longer orphaned")
        # Signature: parameters, return annotation, async, decorators.
        parts = (
            ("signature", _signature(self.mine, mine), _signature(self.new, new)),
            ("decorators", _decorators(self.mine, mine), _decorators(self.new, new)),
        )
        for label, ours, theirs in parts:
            before = None if old is None or self.old is None else _part(self.old, old, label)
            if ours == theirs or theirs == before:
                if before is not None and ours != before:
                    self._entry(Kind.KEPT_USER_EDIT, name, f"your {label}", changes=False)
                continue
            if label == "signature":
                merged = merged.with_changes(
                    params=new.params, returns=new.returns, asynchronous=new.asynchronous
                )
            else:
                merged = merged.with_changes(decorators=new.decorators)
            if before is not None and ours != before:
                self._entry(
                    Kind.CONFLICT,
                    name,
                    f"you and the spec both changed the {label}; it follows the spec "
                    f"(yours was: {ours})",
                )
            else:
                self._entry(Kind.UPDATED, name, f"{label} follows the spec")
        merged = self._merge_docstring(name, merged, mine, new, old)
        return self._merge_body(name, merged, mine, new, old)

    def _merge_docstring(
        self,
        name: str,
        merged: cst.FunctionDef,
        mine: cst.FunctionDef,
        new: cst.FunctionDef,
        old: cst.FunctionDef | None,
    ) -> cst.FunctionDef:
        ours = _docstring_code(self.mine, mine)
        theirs = _docstring_code(self.new, new)
        before = _docstring_code(self.old, old) if old is not None and self.old else None
        if ours == theirs:
            return merged
        if old is not None and theirs == before:
            self._entry(Kind.KEPT_USER_EDIT, name, "your docstring", changes=False)
            return merged
        if not isinstance(merged.body, cst.IndentedBlock):
            self._entry(
                Kind.CONFLICT,
                name,
                "the spec changed the docstring, but this hook is a one-line function; left as is",
                changes=False,
            )
            return merged
        statements = list(merged.body.body)
        docstring = _docstring(new)
        if _docstring(merged) is not None:
            statements = statements[1:]
        if docstring is not None:
            statements.insert(0, docstring)
        merged = merged.with_changes(body=merged.body.with_changes(body=statements))
        if old is not None and ours != before:
            self._entry(
                Kind.CONFLICT,
                name,
                "you and the spec both changed the docstring; it follows the spec "
                f"(yours was: {_one_line(ours or '(none)')})",
            )
        else:
            self._entry(Kind.UPDATED, name, "docstring follows the spec")
        return merged

    def _merge_body(
        self,
        name: str,
        merged: cst.FunctionDef,
        mine: cst.FunctionDef,
        new: cst.FunctionDef,
        old: cst.FunctionDef | None,
    ) -> cst.FunctionDef:
        ours = _body_code(self.mine, mine)
        theirs = _body_code(self.new, new)
        if old is None or self.old is None:
            if ours != theirs:
                self._entry(Kind.KEPT_USER_EDIT, name, "your code (no merge base)", changes=False)
            return merged
        before = _body_code(self.old, old)
        if ours == before and theirs != before and isinstance(merged.body, cst.IndentedBlock):
            assert isinstance(new.body, cst.IndentedBlock)
            head = [merged.body.body[0]] if _docstring(merged) is not None else []
            tail = list(new.body.body[1:] if _docstring(new) is not None else new.body.body)
            self._entry(Kind.UPDATED, name, "body follows the new template")
            return merged.with_changes(body=merged.body.with_changes(body=head + tail))
        if ours != before:
            if theirs != before:
                self._entry(
                    Kind.CONFLICT,
                    name,
                    "the generated body changed too; your code kept (code is never replaced)",
                    changes=False,
                )
            else:
                self._entry(Kind.KEPT_USER_EDIT, name, "your code", changes=False)
        return merged

    def _orphan(self, name: str, mine: cst.FunctionDef, *, newly: bool) -> cst.FunctionDef | None:
        if self.prune:
            if _is_stub(self.mine, mine):
                self._entry(Kind.PRUNED, name, "operation left the spec; the stub held no code")
                return None
            self._entry(
                Kind.ORPHANED,
                name,
                "operation left the spec; not pruned because it holds your code "
                "(delete it by hand)",
                changes=False,
            )
            return mine if _is_flagged(mine) else _flag(mine, name)
        if _is_flagged(mine):
            self._entry(
                Kind.ORPHANED,
                name,
                "operation is no longer in the spec; hook kept, never called (--prune removes "
                "it while it holds no code of yours)",
                changes=False,
            )
            return mine
        self._entry(
            Kind.ORPHANED,
            name,
            "operation left the spec; hook kept and flagged, never called (--prune removes "
            "it while it holds no code of yours)",
        )
        return _flag(mine, name)

    def _add_new_hooks(
        self, body: list[cst.BaseStatement], old_hooks: dict[str, cst.FunctionDef]
    ) -> list[cst.BaseStatement]:
        order = list(self.new.functions)
        present = {s.name.value for s in body if isinstance(s, cst.FunctionDef)}
        for index, name in enumerate(order):
            if name in present:
                continue
            if name in old_hooks:
                self._entry(
                    Kind.KEPT_USER_EDIT,
                    name,
                    "you deleted this hook; it stays deleted",
                    changes=False,
                )
                continue
            body.insert(_position(body, order, index), self.new.functions[name])
            present.add(name)
            self._entry(Kind.ADDED, name, "new operation: hook stub added")
        return body

    # -- module level --------------------------------------------------------

    def _add_imports(self, body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
        known = {_statement_code(self.mine, s) for s in body if _is_import(s)}
        if self.old is not None:
            known |= {_statement_code(self.old, s) for s in self.old.module.body if _is_import(s)}
        last = max((i for i, s in enumerate(body) if _is_import(s)), default=None)
        if last is None:
            last = 0 if body and _is_docstring_statement(body[0]) else -1
        for statement in self.new.module.body:
            if _is_import(statement) and _statement_code(self.new, statement) not in known:
                last += 1
                body.insert(last, statement)
                self.entries.append(
                    Entry(
                        file=self.path,
                        kind=Kind.ADDED,
                        field="imports",
                        detail=_one_line(_statement_code(self.new, statement)),
                    )
                )
        return body

    def _module_docstring(self, body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
        if self.old is None:
            return body
        ours = body[0] if body and _is_docstring_statement(body[0]) else None
        theirs = self.new.module.body[0] if self.new.module.body else None
        before = self.old.module.body[0] if self.old.module.body else None
        if ours is None or theirs is None or before is None:
            return body
        if not (_is_docstring_statement(theirs) and _is_docstring_statement(before)):
            return body
        ours_code = _statement_code(self.mine, ours)
        theirs_code = _statement_code(self.new, theirs)
        before_code = _statement_code(self.old, before)
        if ours_code == before_code and theirs_code != before_code:
            assert isinstance(theirs, cst.SimpleStatementLine)
            assert isinstance(ours, cst.SimpleStatementLine)
            body[0] = theirs.with_changes(leading_lines=ours.leading_lines)
            self.entries.append(
                Entry(
                    file=self.path,
                    kind=Kind.UPDATED,
                    field="module docstring",
                    detail="follows the spec",
                )
            )
        elif ours_code != before_code and theirs_code != before_code:
            self.entries.append(
                Entry(
                    file=self.path,
                    kind=Kind.CONFLICT,
                    field="module docstring",
                    detail="you and the spec both changed it; yours kept",
                    changes_file=False,
                )
            )
        return body

    def _entry(self, kind: Kind, name: str, detail: str, *, changes: bool = True) -> None:
        self.entries.append(
            Entry(
                file=self.path,
                kind=kind,
                id=name,
                field=f"hook {name}",
                detail=detail,
                changes_file=changes,
            )
        )


# -- helpers -----------------------------------------------------------------


def _parse(text: str, path: str, *, what: str) -> _Parsed:
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        found = re.match(r"(?:parser error: )?error at (\d+):(\d+): ", exc.message)
        line, column = (int(found[1]), int(found[2])) if found else (exc.raw_line, None)
        reason = exc.message[found.end() :] if found else exc.message
        raise MergeError(
            Diagnostic(
                file=path,
                line=line,
                column=column,
                message=f"{what} is not valid Python ({reason}); mockc merges new hooks "
                "into it only once it parses — fix it and generate again",
            )
        ) from None
    functions = {s.name.value: s for s in module.body if isinstance(s, cst.FunctionDef)}
    return _Parsed(module=module, functions=functions)


def _signature(parsed: _Parsed, function: cst.FunctionDef) -> str:
    params = parsed.code(function.params)
    returns = parsed.code(function.returns.annotation) if function.returns else ""
    prefix = "async " if function.asynchronous else ""
    return f"{prefix}{function.name.value}({params})" + (f" -> {returns}" if returns else "")


def _decorators(parsed: _Parsed, function: cst.FunctionDef) -> str:
    return " ".join("@" + parsed.code(d.decorator) for d in function.decorators)


def _part(parsed: _Parsed, function: cst.FunctionDef, label: str) -> str:
    return _signature(parsed, function) if label == "signature" else _decorators(parsed, function)


def _docstring(function: cst.FunctionDef) -> cst.SimpleStatementLine | None:
    body = function.body
    if not isinstance(body, cst.IndentedBlock) or not body.body:
        return None
    first = body.body[0]
    return first if _is_docstring_statement(first) else None  # type: ignore[return-value]


def _docstring_code(parsed: _Parsed | None, function: cst.FunctionDef | None) -> str | None:
    if parsed is None or function is None:
        return None
    statement = _docstring(function)
    return _statement_code(parsed, statement) if statement is not None else None


def _body_code(parsed: _Parsed, function: cst.FunctionDef) -> str:
    body = function.body
    if not isinstance(body, cst.IndentedBlock):
        return parsed.code(body)
    rest = body.body[1:] if _docstring(function) is not None else body.body
    return parsed.code(body.with_changes(body=rest))


def _is_stub(parsed: _Parsed, function: cst.FunctionDef) -> bool:
    """A body with no code of the user's: ``return None``, ``return``, ``pass`` or ``...``."""
    code = _body_code(parsed, function)
    if "#" in code:
        return False
    return " ".join(code.split()) in {"return None", "return", "pass", "..."}


def _is_docstring_statement(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def _is_import(statement: cst.CSTNode) -> bool:
    """An import statement, or an ``if TYPE_CHECKING:`` block of imports only
    (how typed hook stubs import models.py)."""
    if isinstance(statement, cst.If):
        return (
            statement.orelse is None
            and isinstance(statement.test, cst.Name)
            and statement.test.value == "TYPE_CHECKING"
            and isinstance(statement.body, cst.IndentedBlock)
            and all(_is_import(line) for line in statement.body.body)
        )
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(item, cst.Import | cst.ImportFrom) for item in statement.body
    )


def _statement_code(parsed: _Parsed, statement: cst.CSTNode) -> str:
    if isinstance(statement, cst.SimpleStatementLine | cst.FunctionDef | cst.If):
        statement = statement.with_changes(leading_lines=())
    return parsed.code(statement).strip()


def _is_flagged(function: cst.FunctionDef) -> bool:
    return any(
        line.comment is not None and line.comment.value.startswith(ORPHAN_MARK)
        for line in function.leading_lines
    )


def _flag(function: cst.FunctionDef, name: str) -> cst.FunctionDef:
    comment = cst.EmptyLine(
        comment=cst.Comment(
            f"{ORPHAN_MARK} operation {name} is no longer in the spec; this hook is never called"
        )
    )
    return function.with_changes(leading_lines=(*function.leading_lines, comment))


def _unflag(function: cst.FunctionDef) -> cst.FunctionDef:
    lines = tuple(
        line
        for line in function.leading_lines
        if line.comment is None or not line.comment.value.startswith(ORPHAN_MARK)
    )
    return function.with_changes(leading_lines=lines)


def _position(body: Sequence[cst.BaseStatement], order: list[str], index: int) -> int:
    """Where a new hook goes: after the hook that precedes it in the generated
    file, else before the one that follows it, else at the end."""
    where = {s.name.value: i for i, s in enumerate(body) if isinstance(s, cst.FunctionDef)}
    for name in reversed(order[:index]):
        if name in where:
            return where[name] + 1
    for name in order[index + 1 :]:
        if name in where:
            return where[name]
    return len(body)


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
