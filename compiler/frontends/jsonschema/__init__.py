"""Normalising a spec's schema dialect to JSON Schema 2020-12.

The source dialects are Swagger 2.0 schema objects, OpenAPI 3.0 schema
objects, OpenAPI 3.1 schemas (already 2020-12) and Draft 7 (AsyncAPI 2).
Every ``$ref`` is rewritten to ``#/$defs/<Name>``: the :class:`SchemaRegistry`
gives one name to each distinct target and normalises the target once, so
cyclic schemas simply refer to themselves by name. Keyword values that are
invalid are dropped or repaired with a warning; the structure of the schema
(``allOf`` and friends) is kept as written.
"""

from .dialect import SchemaDialect
from .normaliser import SchemaNormaliser
from .registry import SchemaRegistry

__all__ = ["SchemaDialect", "SchemaNormaliser", "SchemaRegistry"]
