"""An MCP config read into the IR: one operation per tool, resource, resource
template and prompt, each with an ``McpBinding``.

Operation ids are the primitive and the name (``tool_read_file``,
``resource_readme``, ``prompt_review``); the name pass makes them identifiers.
What an operation answers when no mock does is its ``result`` output:

- a tool: its ``outputSchema`` (``application/json``, answered as
  ``structuredContent`` plus a text rendering; an object ``result`` its
  example), else its ``result`` text
  (``text/plain``); an ``isError`` output (text) for error results; a
  ``content`` output (content blocks: images, sounds, embedded resources);
  ``sampling`` and ``elicitation`` outputs, the requests a mock's step makes
  of the client;
- a resource: its text, or its base64 ``blob`` (schema ``contentEncoding: base64``);
- a resource template: its text, with ``{variable}`` parameters (location ``path``);
- a prompt: its messages (``application/json``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic, SpecError

from ..documents import DocumentStore, Location
from .content import CONTENT_BLOCKS, ELICITATION_REQUEST, PROMPT_MESSAGES, SAMPLING_REQUEST
from .definitions import NamedSchemas
from .validation import check_config, not_a_config

__all__ = ["SPEC_FORMAT", "load"]

SPEC_FORMAT = "mcp-config-1"
TEXT = "text/plain"
JSON = "application/json"
_TEMPLATE_EXPRESSION = re.compile(r"\{([^}]*)\}")
_VARIABLE_NAME = re.compile(r"[A-Za-z0-9_]+")
_STRING = {"type": "string"}
LISTED_AS_GIVEN = ("execution", "annotations", "size", "icons", "_meta")
"""Fields of tools, resources, templates and prompts listed as the config
gives them (which of them an entry may have, the config's schema says);
a tool's ``annotations`` are read (its hints), the others' are not."""


def load(path: Path, *, warnings: list[Diagnostic] | None = None) -> ir.Api:
    """The Api of the MCP config at ``path``; SpecError (located) when it breaks
    the schema ``docs/mcp-config.schema.json``."""
    store = DocumentStore()
    root = store.load_entry(path)
    data = store.data(root.doc)
    if not isinstance(data, dict):
        raise not_a_config(root.doc, "an MCP config is a mapping with a top-level 'mcp' key")
    check_config(store, root, data)
    _check_unique_names(store, root, data)
    reader = _Reader(store, root)
    operations = [
        *(reader.tool(index, tool) for index, tool in enumerate(data.get("tools", []))),
        *(
            reader.resource(index, resource)
            for index, resource in enumerate(data.get("resources", []))
        ),
        *(
            reader.template(index, template)
            for index, template in enumerate(data.get("resourceTemplates", []))
        ),
        *(reader.prompt(index, prompt) for index, prompt in enumerate(data.get("prompts", []))),
    ]
    server = data.get("server", {})
    return ir.Api(
        name=server.get("name") or path.name.split(".")[0],
        title=server.get("title", ""),
        version=server.get("version", ""),
        description=server.get("instructions", ""),
        spec_format=SPEC_FORMAT,
        sources=store.sources,
        operations=tuple(operations),
        schemas=reader.schemas.named(),
    )


def _check_unique_names(store: DocumentStore, root: Location, data: dict[str, Any]) -> None:
    """Two tools (or resources, or prompts) of one name, or two resources of one URI."""
    problems = []
    for section, key in (
        ("tools", "name"),
        ("prompts", "name"),
        ("resources", "uri"),
        ("resourceTemplates", "uriTemplate"),
    ):
        seen: set[str] = set()
        for index, item in enumerate(data.get(section, [])):
            if item[key] in seen:
                problems.append(
                    store.diagnostic(
                        root.child(section, index, key),
                        f"{key} {item[key]!r} is declared twice in {section}",
                    )
                )
            seen.add(item[key])
    if problems:
        raise SpecError(problems)


class _Reader:
    def __init__(self, store: DocumentStore, root: Location) -> None:
        self.store = store
        self.root = root
        self.schemas = NamedSchemas()

    def _source(self, *segments: str | int) -> ir.Source:
        location = self.root.child(*segments)
        line, column = self.store.position(location)
        return ir.Source(file=location.doc, pointer=location.pointer, line=line, column=column)

    def tool(self, index: int, tool: dict[str, Any]) -> ir.Operation:
        source = self._source("tools", index)
        output_schema = self.schemas.hoisted(tool.get("outputSchema"), source)
        if output_schema is not None:
            recorded = tool.get("result")
            result = ir.Content(
                media_type=JSON,
                schema=ir.freeze(output_schema),
                examples=(ir.Example(name="default", value=ir.freeze(recorded)),)
                if isinstance(recorded, dict)
                else (),
            )
        else:
            examples = (
                (ir.Example(name="default", value=tool["result"]),) if "result" in tool else ()
            )
            result = ir.Content(media_type=TEXT, schema=ir.freeze(_STRING), examples=examples)
        hints = tool.get("annotations")
        annotations = (
            ir.McpToolAnnotations(
                title=hints.get("title", ""),
                read_only=hints.get("readOnlyHint"),
                destructive=hints.get("destructiveHint"),
                idempotent=hints.get("idempotentHint"),
                open_world=hints.get("openWorldHint"),
            )
            if hints is not None
            else None
        )
        input_schema = self.schemas.hoisted(tool.get("inputSchema") or {"type": "object"}, source)
        return ir.Operation(
            id=f"tool_{tool['name']}",
            input=ir.Message(
                required=True,
                contents=(ir.Content(media_type=JSON, schema=ir.freeze(input_schema)),),
            ),
            outputs=(
                ir.Output(key="result", message=ir.Message(contents=(result,)), source=source),
                ir.Output(
                    key="isError",
                    is_error=True,
                    message=ir.Message(
                        contents=(ir.Content(media_type=TEXT, schema=ir.freeze(_STRING)),)
                    ),
                ),
                *_json_outputs(
                    content=CONTENT_BLOCKS,
                    sampling=SAMPLING_REQUEST,
                    elicitation=ELICITATION_REQUEST,
                ),
            ),
            binding=ir.McpBinding(
                primitive="tool",
                name=tool["name"],
                title=tool.get("title", ""),
                annotations=annotations,
                listed=_listed(tool, besides=("annotations",)),
            ),
            description=tool.get("description", ""),
            source=source,
        )

    def resource(self, index: int, resource: dict[str, Any]) -> ir.Operation:
        source = self._source("resources", index)
        mime_type = resource.get("mimeType", "")
        if "blob" in resource:
            schema: dict[str, Any] = {"type": "string", "contentEncoding": "base64"}
            value = resource["blob"]
        else:
            schema, value = dict(_STRING), resource["text"]
        content = ir.Content(
            media_type=mime_type or ("application/octet-stream" if "blob" in resource else TEXT),
            schema=ir.freeze(schema),
            examples=(ir.Example(name="default", value=value),),
        )
        return ir.Operation(
            id=f"resource_{resource['name']}",
            outputs=(ir.Output(key="result", message=ir.Message(contents=(content,))),),
            binding=ir.McpBinding(
                primitive="resource",
                name=resource["name"],
                title=resource.get("title", ""),
                uri_template=resource["uri"],
                mime_type=mime_type,
                listed=_listed(resource),
            ),
            description=resource.get("description", ""),
            source=source,
        )

    def template(self, index: int, template: dict[str, Any]) -> ir.Operation:
        source = self._source("resourceTemplates", index)
        uri_template = template["uriTemplate"]
        names = dict.fromkeys(self._variables(index, uri_template))
        variables = template.get("variables", {})
        mime_type = template.get("mimeType", "")
        examples = (
            (ir.Example(name="default", value=template["text"]),) if "text" in template else ()
        )
        content = ir.Content(
            media_type=mime_type or TEXT, schema=ir.freeze(_STRING), examples=examples
        )
        return ir.Operation(
            id=f"resource_{template['name']}",
            outputs=(ir.Output(key="result", message=ir.Message(contents=(content,))),),
            binding=ir.McpBinding(
                primitive="resource",
                name=template["name"],
                title=template.get("title", ""),
                uri_template=uri_template,
                parameters=tuple(
                    ir.Parameter(
                        name=name,
                        location=ir.ParameterLocation.PATH,
                        schema=ir.freeze(_offered(variables.get(name, {}))),
                        required=True,
                        description=variables.get(name, {}).get("description", ""),
                    )
                    for name in names
                ),
                mime_type=mime_type,
                listed=_listed(template),
            ),
            description=template.get("description", ""),
            source=source,
        )

    def _variables(self, index: int, uri_template: str) -> list[str]:
        """The variables of a level-1 RFC 6570 template (``{id}``); operators
        and lists (``{+path}``, ``{a,b}``) are not supported yet."""
        names = []
        for expression in _TEMPLATE_EXPRESSION.findall(uri_template):
            if not _VARIABLE_NAME.fullmatch(expression):
                location = self.root.child("resourceTemplates", index, "uriTemplate")
                raise SpecError(
                    self.store.diagnostic(
                        location,
                        f"{{{expression}}}: RFC 6570 operators and lists are not supported "
                        "yet in a URI template (compiler/frontends/mcp/reading.py reads "
                        "simple {name} variables only)",
                    )
                )
            names.append(expression)
        return names

    def prompt(self, index: int, prompt: dict[str, Any]) -> ir.Operation:
        source = self._source("prompts", index)
        arguments = tuple(
            ir.McpPromptArgument(
                name=argument["name"],
                description=argument.get("description", ""),
                required=argument.get("required", False),
                title=argument.get("title", ""),
            )
            for argument in prompt.get("arguments", [])
        )
        messages = prompt.get("messages", [])
        content = ir.Content(
            media_type=JSON,
            schema=ir.freeze(PROMPT_MESSAGES),
            examples=(ir.Example(name="default", value=ir.freeze(messages)),),
        )
        properties = {
            argument["name"]: _offered(argument) for argument in prompt.get("arguments", [])
        }
        required = [argument.name for argument in arguments if argument.required]
        return ir.Operation(
            id=f"prompt_{prompt['name']}",
            input=ir.Message(
                required=True,
                contents=(
                    ir.Content(
                        media_type=JSON,
                        schema=ir.freeze(
                            {"type": "object", "properties": properties, "required": required}
                        ),
                    ),
                ),
            ),
            outputs=(ir.Output(key="result", message=ir.Message(contents=(content,))),),
            binding=ir.McpBinding(
                primitive="prompt",
                name=prompt["name"],
                title=prompt.get("title", ""),
                arguments=arguments,
                listed=_listed(prompt),
            ),
            description=prompt.get("description", ""),
            source=source,
        )


def _json_outputs(**schemas: dict[str, Any]) -> tuple[ir.Output, ...]:
    """A tool's outputs answered as JSON: ``content`` (its result as content
    blocks), and the steps that ask the client, ``sampling`` and ``elicitation``."""
    return tuple(
        ir.Output(
            key=key,
            message=ir.Message(contents=(ir.Content(media_type=JSON, schema=ir.freeze(schema)),)),
        )
        for key, schema in schemas.items()
    )


def _listed(entry: dict[str, Any], besides: tuple[str, ...] = ()) -> ir.JsonValue:
    """The entry's fields that are listed as given (:data:`LISTED_AS_GIVEN`)."""
    given = {key: entry[key] for key in LISTED_AS_GIVEN if key in entry and key not in besides}
    return ir.freeze(given) if given else None


def _offered(declared: dict[str, Any]) -> dict[str, Any]:
    """A string's schema with the ``enum`` and ``examples`` declared for it (the
    values completion/complete offers)."""
    schema: dict[str, Any] = dict(_STRING)
    for keyword in ("enum", "examples"):
        if keyword in declared:
            schema[keyword] = list(declared[keyword])
    return schema
