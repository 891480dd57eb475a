"""Loading YAML/JSON documents and resolving ``$ref`` across files, for the
front ends whose formats are JSON-shaped (OpenAPI, AsyncAPI, JSON Schema).

- :mod:`.store` — ``DocumentStore``: every document of a spec, parsed once,
  ``$ref`` followed across files (remote ones only when allowed);
- :mod:`.pointers` — JSON pointers and ``Location``, a place in a document;
- :mod:`.yaml_loading` — YAML read as JSON data, and its node tree walked for positions;
- :mod:`.json_positions` — where a pointer's place starts in JSON text;
- :mod:`.problems` — ``Problems``: errors and warnings, located when reported.
"""

from .json_positions import json_offset
from .pointers import Location, escape_segment, split_pointer
from .problems import Problems
from .store import REMOTE_REF_HINT, DocumentStore

__all__ = [
    "REMOTE_REF_HINT",
    "DocumentStore",
    "Location",
    "Problems",
    "escape_segment",
    "json_offset",
    "split_pointer",
]
