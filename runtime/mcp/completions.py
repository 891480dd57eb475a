"""``completion/complete``: the values a prompt argument or a resource template
variable takes, from its ``enum`` and ``examples`` (the contract binding's
``completions``), those starting with what the user typed first (case
ignored), at most 100 (MCP's limit) with the total."""

from __future__ import annotations

import mcp_types as types
from mcp.shared.exceptions import MCPError

from .catalog import Catalog, McpOperation
from .pages import INVALID_PARAMS

__all__ = ["MOST_VALUES", "complete"]

MOST_VALUES = 100


def complete(catalog: Catalog, params: types.CompleteRequestParams) -> types.CompleteResult:
    operation = _referenced(catalog, params.ref)
    offered = operation.binding.get("completions", {}).get(params.argument.name, [])
    typed = params.argument.value.casefold()
    starting = [value for value in offered if value.casefold().startswith(typed)]
    containing = [value for value in offered if typed in value.casefold() and value not in starting]
    values = starting + containing
    return types.CompleteResult(
        completion=types.Completion(
            values=values[:MOST_VALUES],
            total=len(values),
            has_more=len(values) > MOST_VALUES,
        )
    )


def _referenced(
    catalog: Catalog, ref: types.ResourceTemplateReference | types.PromptReference
) -> McpOperation:
    if isinstance(ref, types.PromptReference):
        prompt = catalog.prompts.get(ref.name)
        if prompt is None:
            raise MCPError(INVALID_PARAMS, f"Unknown prompt: {ref.name}")
        return prompt
    for template in catalog.templates:
        if template.binding["uri_template"] == ref.uri:
            return template
    if ref.uri in catalog.resources:
        return catalog.resources[ref.uri]
    raise MCPError(INVALID_PARAMS, f"Unknown resource template: {ref.uri}")
