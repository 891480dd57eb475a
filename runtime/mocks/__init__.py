"""User mocks: one file per mock under ``mocks/``, scenarios under ``scenarios/NAME/``.

A :class:`MockRegistry` loads them, indexes them by operation and answers
requests before the spec fallback (it is an engine ``Responder``); its admin
operations create, replace and delete mock files and switch scenarios live.
:func:`validate_mock_folder` checks a folder for ``mockc validate``. The format
is ``docs/mocks.md``; its JSON Schema is :data:`MOCK_SCHEMA`.
"""

from .definition import MockDefinition, MockDocument, load_mock_document
from .folder import validate_mock_folder
from .problems import MockError, MockProblem
from .registry import UNMATCHED_POLICIES, MockRegistry
from .schema import MOCK_SCHEMA

__all__ = [
    "MOCK_SCHEMA",
    "UNMATCHED_POLICIES",
    "MockDefinition",
    "MockDocument",
    "MockError",
    "MockProblem",
    "MockRegistry",
    "load_mock_document",
    "validate_mock_folder",
]
