"""The expression language of mocks: conditions, actions and templates.

One grammar serves conditions (``request.query.limit > 10``) and templates
(``"Hello {{ request.body.name }}"``). Text is compiled once, when mocks load,
into closures; evaluation reads only the request, the state store and fake
data, never attributes of Python objects, and is bounded in size and time.
``docs/mocks.md`` ("The expression language") describes the language.
"""

from .errors import ExpressionError, Origin, RenderLimitError
from .expression import Expression, compile_condition, compile_expression
from .fake import FAKE_NAMES, FakeProvider
from .limits import MAX_EXPRESSION_LENGTH, MAX_VALUE_BYTES
from .scope import Scope
from .templates import Template, TextTemplate, compile_template, compile_text_template

__all__ = [
    "FAKE_NAMES",
    "MAX_EXPRESSION_LENGTH",
    "MAX_VALUE_BYTES",
    "Expression",
    "ExpressionError",
    "FakeProvider",
    "Origin",
    "RenderLimitError",
    "Scope",
    "Template",
    "TextTemplate",
    "compile_condition",
    "compile_expression",
    "compile_template",
    "compile_text_template",
]
