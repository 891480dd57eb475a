"""What a generated MCP server lists, read from its contract: the tools,
resources, resource templates and prompts as the SDK's types, and the
operation that answers a tool name, a resource URI or a prompt name."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import mcp_types as types

from ..contract import Contract, OperationSpec, mcp_binding
from .schemas import LISTED_BUDGET, self_contained

__all__ = ["Catalog", "McpOperation"]

_VARIABLE = re.compile(r"\{([A-Za-z0-9_]+)\}")
Listed = TypeVar("Listed", types.Tool, types.Resource, types.ResourceTemplate, types.Prompt)


@dataclass(frozen=True, slots=True)
class McpOperation:
    """One tool, resource (or resource template) or prompt of the contract."""

    id: str
    primitive: str
    name: str
    binding: dict[str, Any]
    result_media_type: str
    """The media type of its ``result`` output (``application/json`` for a
    tool with an ``outputSchema``, ``text/plain`` for a text tool)."""
    result_schema: Any
    uri_pattern: re.Pattern[str] | None = None
    """Resource templates: the URIs it answers, its variables as named groups."""

    @property
    def blob(self) -> bool:
        return isinstance(self.result_schema, dict) and (
            self.result_schema.get("contentEncoding") == "base64"
        )


class Catalog:
    def __init__(self, contract: Contract) -> None:
        self.tools: dict[str, McpOperation] = {}
        self.resources: dict[str, McpOperation] = {}
        self.templates: list[McpOperation] = []
        self.prompts: dict[str, McpOperation] = {}
        self._specs: dict[str, OperationSpec] = {}
        self._defs: dict[str, Any] = dict(contract.get("defs") or {})
        self._tools: list[types.Tool] | None = None
        for spec in contract["operations"]:
            binding: dict[str, Any] = dict(mcp_binding(spec))
            self._specs[spec["id"]] = spec
            media_type, schema = _result(spec)
            primitive = binding["primitive"]
            operation = McpOperation(
                id=spec["id"],
                primitive=primitive,
                name=binding["name"],
                binding=binding,
                result_media_type=media_type,
                result_schema=schema,
                uri_pattern=_uri_pattern(binding["uri_template"])
                if primitive == "resource" and binding["variables"]
                else None,
            )
            if primitive == "tool":
                self.tools[operation.name] = operation
            elif primitive == "prompt":
                self.prompts[operation.name] = operation
            elif operation.uri_pattern is not None:
                self.templates.append(operation)
            else:
                self.resources[binding["uri_template"]] = operation

    def resource_for(self, uri: str) -> tuple[McpOperation, dict[str, str]] | None:
        """The resource answering ``uri`` and the values of its template's variables."""
        if uri in self.resources:
            return self.resources[uri], {}
        for template in self.templates:
            assert template.uri_pattern is not None
            match = template.uri_pattern.fullmatch(uri)
            if match:
                return template, match.groupdict()
        return None

    # -- the SDK's list results --------------------------------------------

    def input_schema(self, tool: McpOperation, *, budget: int | None = None) -> Any:
        """The tool's ``inputSchema`` (``{"type": "object"}`` when it declares none),
        self-contained (within ``budget``: :func:`.schemas.self_contained`)."""
        input_spec = self._specs[tool.id]["input"]
        schema = next(iter(input_spec["contents"].values()))["schema"] if input_spec else {}
        return self_contained(schema or {"type": "object"}, self._defs, budget=budget)

    def tool_list(self) -> list[types.Tool]:
        """Every tool as listed (made once: the contract does not change)."""
        if self._tools is None:
            self._tools = self._tool_list()
        return self._tools

    def _tool_list(self) -> list[types.Tool]:
        tools = []
        for tool in self.tools.values():
            binding = tool.binding
            annotations = binding.get("annotations")
            tools.append(
                _with_listed(
                    binding,
                    types.Tool(
                        name=tool.name,
                        title=binding["title"] or None,
                        description=binding["description"] or None,
                        input_schema=self.input_schema(tool, budget=LISTED_BUDGET),
                        output_schema=self_contained(
                            tool.result_schema, self._defs, budget=LISTED_BUDGET
                        )
                        if tool.result_media_type == "application/json"
                        else None,
                        annotations=types.ToolAnnotations.model_validate(annotations)
                        if annotations is not None
                        else None,
                    ),
                )
            )
        return tools

    def resource_list(self) -> list[types.Resource]:
        return [
            _with_listed(
                resource.binding,
                types.Resource(
                    uri=uri,
                    name=resource.name,
                    title=resource.binding["title"] or None,
                    description=resource.binding["description"] or None,
                    mime_type=resource.binding["mime_type"] or None,
                ),
            )
            for uri, resource in self.resources.items()
        ]

    def template_list(self) -> list[types.ResourceTemplate]:
        return [
            _with_listed(
                template.binding,
                types.ResourceTemplate(
                    uri_template=template.binding["uri_template"],
                    name=template.name,
                    title=template.binding["title"] or None,
                    description=template.binding["description"] or None,
                    mime_type=template.binding["mime_type"] or None,
                ),
            )
            for template in self.templates
        ]

    def prompt_list(self) -> list[types.Prompt]:
        return [
            _with_listed(
                prompt.binding,
                types.Prompt(
                    name=prompt.name,
                    title=prompt.binding["title"] or None,
                    description=prompt.binding["description"] or None,
                    arguments=[
                        types.PromptArgument(
                            name=argument["name"],
                            title=argument["title"] or None,
                            description=argument["description"] or None,
                            required=argument["required"],
                        )
                        for argument in prompt.binding["arguments"]
                    ]
                    or None,  # listed without arguments, as servers list a prompt that has none
                ),
            )
            for prompt in self.prompts.values()
        ]


def _with_listed(binding: Mapping[str, Any], entry: Listed) -> Listed:
    """``entry`` with the fields the config lists as given (``execution``,
    ``icons``, ``_meta``, a resource's ``annotations`` and ``size``)."""
    listed = binding.get("listed")
    if not listed:
        return entry
    return type(entry).model_validate(
        {**entry.model_dump(by_alias=True, exclude_none=True), **listed}
    )


def _result(spec: OperationSpec) -> tuple[str, Any]:
    for output in spec["outputs"]:
        if output["key"] == "result":
            for media_type, content in output["contents"].items():
                return media_type, content.get("schema")
    return "text/plain", {"type": "string"}


def _uri_pattern(template: str) -> re.Pattern[str]:
    """A level-1 RFC 6570 template (``notes://notes/{id}``) as a pattern; each
    variable matches one path segment."""
    parts: list[str] = []
    position = 0
    for match in _VARIABLE.finditer(template):
        parts.append(re.escape(template[position : match.start()]))
        parts.append(f"(?P<{match[1]}>[^/?#]+)")
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts))
