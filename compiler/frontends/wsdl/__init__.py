"""WSDL 1.1 front end: a WSDL (and the local files it imports) → an IR Api.

zeep reads the WSDL and its schemas (:mod:`.reading`, with XML safety);
:mod:`.operations` turns SOAP ports into operations with a ``SoapBinding``;
:mod:`.schemas` turns XSD into JSON Schema with the IR's XML vocabulary.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic, SpecError

from .facets import read_facts
from .operations import build_operations, source_files
from .reading import operation_places, read_document
from .schemas import using_facets

__all__ = ["load"]


def load(
    path: Path, *, allow_remote_refs: bool = False, warnings: list[Diagnostic] | None = None
) -> ir.Api:
    """The Api of the WSDL at ``path``."""
    warnings = warnings if warnings is not None else []
    file = str(path)
    document, loaded = read_document(path, allow_remote_refs=allow_remote_refs)
    facets, substitutes = read_facts(path)
    with using_facets(
        facets,
        _substitutes(document, substitutes),
        elements=list(document.types.elements),
        warnings=warnings,
    ):
        operations = build_operations(document, file, operation_places(path), warnings)
    if not operations:
        raise SpecError(Diagnostic(file=file, message="the WSDL declares no SOAP operation"))
    services = list(document.services)
    name = services[0] if services else path.stem
    return ir.Api(
        name=name,
        title=name,
        spec_format="wsdl-1.1",
        sources=source_files(path, loaded),
        operations=tuple(operations),
    )


def _substitutes(document: Any, names: dict[str, str]) -> dict[str, Any]:
    """zeep's element of each substitute name (those zeep knows)."""
    found: dict[str, Any] = {}
    for head, member in names.items():
        try:
            found[head] = document.types.get_element(member)
        except (LookupError, ValueError, AttributeError):
            continue
    return found
