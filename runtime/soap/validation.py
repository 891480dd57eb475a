"""Checking request and answer XML against the WSDL's schemas (with ``xmlschema``).

The schemas are the WSDL's own (inline ``types`` and the files they import),
read once at start-up from the copy beside the contract: no DTD, no entity,
no file outside that folder and nothing from the network. An element is
checked when the schemas declare it globally (document/literal bodies,
header elements, fault details); the wrapper of an rpc/literal body is not
a schema element and is not checked.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from lxml import etree

from ..exceptions import RuntimeFailure

__all__ = ["MAX_PROBLEMS", "SchemaLoadError", "WsdlSchemas"]

MAX_PROBLEMS = 3
"""Problems named per element (the first few say enough)."""


class SchemaLoadError(RuntimeFailure):
    """The WSDL's schemas could not be read (the server then does not check XML)."""


class WsdlSchemas:
    """The XSD components of one WSDL, for checking elements."""

    def __init__(self, schema: Any) -> None:
        self._schema = schema
        self._elements = schema.maps.elements

    @classmethod
    def load(cls, wsdl: Path) -> WsdlSchemas:
        """The schemas of the WSDL at ``wsdl`` (files it imports must lie
        under its folder)."""
        try:
            from xmlschema import XMLSchema10
            from xmlschema.extras.wsdl import Wsdl11Document

            class _Unchecked(XMLSchema10):
                """Schemas built without checking them against XSD's own schema
                (the WSDL was read at generation; that check is 5/6 of the time)."""

                def __init__(self, *args: Any, **kwargs: Any) -> None:
                    kwargs.setdefault("validation", "skip")
                    super().__init__(*args, **kwargs)

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                document = Wsdl11Document(  # type: ignore[no-untyped-call]
                    str(wsdl.resolve()),
                    cls=_Unchecked,
                    allow="sandbox",
                    defuse="always",
                    validation="skip",
                )
                schema = document.schema
                schema.build()
        except Exception as exc:  # xmlschema raises many kinds; all mean "cannot read"
            raise SchemaLoadError(
                f"{wsdl.name}: schemas not read ({exc}); XML is not checked"
            ) from None
        return cls(schema)

    @property
    def schema(self) -> Any:
        """xmlschema's schema (every component of the WSDL's schemas)."""
        return self._schema

    def declares(self, element: etree._Element) -> bool:
        return str(element.tag) in self._elements

    def problems(self, element: etree._Element) -> list[str]:
        """What is wrong with ``element`` (at most :data:`MAX_PROBLEMS`); []
        when it is valid or the schemas do not declare it."""
        if not self.declares(element):
            return []
        from xmlschema import XMLResource

        found: list[str] = []
        resource = XMLResource(element, allow="none", defuse="always")
        for error in self._schema.iter_errors(resource, use_location_hints=False):
            found.append(f"{error.path or etree.QName(element).localname}: {error.reason}")
            if len(found) >= MAX_PROBLEMS:
                break
        return found
