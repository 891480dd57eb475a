"""models.py's schema types, written by datamodel-code-generator at generation
time (never imported by a generated server).

The generator is run in this process through its Python API with every option
that decides the output spelled out, so that a new default of the generator
cannot change models.py unnoticed: TypedDicts, Python 3.11 syntax, its own
formatter (no black or isort run), no timestamp, our header, and an
``untrusted_input`` parse that reads no file and no URL.

A schema the generator refuses (named by its error, or else found by halving
the schemas) is replaced by ``{}`` (any value) and reported as a warning
located where the schema comes from; the rest is generated again.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import ir
from ..errors import Diagnostic
from .document import ModelsDocument

__all__ = ["SchemaTypes", "generate_schema_types"]

MAX_ATTEMPTS = 8
"""How many refused schemas are replaced, one at a time, before every schema
is typed ``Any``."""

EXTRA_IMPORTS = ("typing.Any", "typing.Protocol", "collections.abc.Mapping")
"""What the hook types appended to the generator's output use."""

_DEFS_IN_MESSAGE = re.compile(r"#/\$defs/([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True, kw_only=True)
class SchemaTypes:
    code: str
    """The generated module (header and imports included)."""
    defined: frozenset[str]
    """The top-level names it defines."""
    diagnostics: tuple[Diagnostic, ...]


def generate_schema_types(document: ModelsDocument, *, header: str, spec_file: str) -> SchemaTypes:
    """The types of ``document``'s ``$defs``; ``spec_file`` locates a failure
    that names no schema."""
    defs: dict[str, Any] = dict(document.schema["$defs"])
    diagnostics: list[Diagnostic] = []
    for _ in range(MAX_ATTEMPTS):
        try:
            code = _run(defs, header)
        except Exception as exc:  # the generator's errors have no common base
            culprit = _culprit(exc, defs) or _bisect(defs, header)
            if culprit is None:
                diagnostics.append(
                    _warning(f"models.py: every schema typed Any: {_reason(exc)}", spec_file, None)
                )
                break
            diagnostics.append(
                _located(
                    f"models.py: {culprit} typed Any: {_reason(exc)}", document.sources.get(culprit)
                )
            )
            defs[culprit] = {}
            continue
        return SchemaTypes(code=code, defined=_defined(code), diagnostics=tuple(diagnostics))
    else:
        diagnostics.append(
            _warning(
                f"models.py: every schema typed Any: the type generator refused more than "
                f"{MAX_ATTEMPTS} of them",
                spec_file,
                None,
            )
        )
    code = _any_module(header, tuple(defs))
    return SchemaTypes(code=code, defined=_defined(code), diagnostics=tuple(diagnostics))


def _run(defs: dict[str, Any], header: str) -> str:
    if not defs:
        return _any_module(header, ())
    # Imported here: the generator takes a second to import, and only
    # ``--models`` needs it.
    from datamodel_code_generator import (
        DataModelType,
        InputFileType,
        PythonVersion,
        generate,
    )
    from datamodel_code_generator.enums import NamingStrategy
    from datamodel_code_generator.format import Formatter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = generate(
            {"$defs": defs},
            input_file_type=InputFileType.JsonSchema,
            output_model_type=DataModelType.TypingTypedDict,
            target_python_version=PythonVersion.PY_311,
            formatters=[Formatter.BUILTIN],
            naming_strategy=NamingStrategy.DefinitionsFirst,
            skip_root_model=True,
            use_closed_typed_dict=False,
            disable_timestamp=True,
            custom_file_header=header,
            additional_imports=list(EXTRA_IMPORTS),
            untrusted_input=True,
            allow_remote_refs=False,
        )
    if not isinstance(result, str):
        raise ValueError("the generator wrote more than one module")
    return result if result.endswith("\n") else result + "\n"


def _bisect(defs: dict[str, Any], header: str) -> str | None:
    """The one schema the generator refuses even alone, found by halving the
    schemas (a reference to a schema left out is typed Any by the generator,
    so halves generate on their own); None when no half fails alone."""
    suspects = [name for name, schema in defs.items() if schema != {}]
    while len(suspects) > 1:
        half = len(suspects) // 2
        for part in (suspects[:half], suspects[half:]):
            if _fails({name: defs[name] for name in part}, header):
                suspects = part
                break
        else:
            return None
    return suspects[0] if suspects and _fails({suspects[0]: defs[suspects[0]]}, header) else None


def _fails(defs: dict[str, Any], header: str) -> bool:
    try:
        _run(defs, header)
    except Exception:
        return True
    return False


def _any_module(header: str, names: Sequence[str]) -> str:
    """models.py without the generator: every schema is any value."""
    lines = [header, "", "from __future__ import annotations", ""]
    lines.append("from collections.abc import Mapping")
    lines.append("from typing import Any, NotRequired, Protocol, TypeAlias, TypedDict")
    lines.extend(f"\n\n{name}: TypeAlias = Any" for name in names)
    return "\n".join(lines) + "\n"


def _culprit(exc: Exception, defs: dict[str, Any]) -> str | None:
    """The ``$defs`` entry an error of the generator names, if it names one."""
    paths = getattr(exc, "path", None)
    texts = [str(part) for part in paths] if isinstance(paths, list) else []
    texts.append(str(exc))
    for text in texts:
        for name in _DEFS_IN_MESSAGE.findall(text):
            if name in defs and defs[name] != {}:
                return str(name)
    return None


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    return f"the type generator refused it ({first})"


def _located(message: str, source: ir.Source | None) -> Diagnostic:
    if source is None:
        return Diagnostic(message=message, level="warning", code="models")
    return Diagnostic(
        message=message,
        file=source.file,
        pointer=source.pointer or None,
        line=source.line,
        column=source.column,
        level="warning",
        code="models",
    )


def _warning(message: str, file: str, pointer: str | None) -> Diagnostic:
    return Diagnostic(message=message, file=file, pointer=pointer, level="warning", code="models")


def _defined(code: str) -> frozenset[str]:
    names: set[str] = set()
    for node in ast.parse(code).body:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return frozenset(names)
