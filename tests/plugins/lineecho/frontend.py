"""The line-echo spec format: a tiny text file of commands.

    # lineecho 1
    name: echo
    title: Line echo
    GREET greet: hello, world
    GET /status status: up

The first line names the format. ``key: value`` lines name the API. A line
``COMMAND id: answer`` declares a command of the line protocol (a client
sends ``COMMAND [argument]`` on one line, the mock answers one line); a line
``GET /path id: answer`` declares an HTTP operation, so one spec can feed two
targets (the line-echo target and the HTTP target).
"""

from __future__ import annotations

import re
from pathlib import Path

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic, SpecError

PROTOCOL = "lineecho"
FORMAT_LINE = "# lineecho 1"
SNIFF = re.compile(r"\A\s*# lineecho\b")
_HEADER = re.compile(r"(name|title|version):\s*(.*)")
_COMMAND = re.compile(r"([A-Z][A-Z0-9_]*)\s+([A-Za-z_]\w*):\s*(.*)")
_HTTP = re.compile(r"GET\s+(/\S*)\s+([A-Za-z_]\w*):\s*(.*)")


def load(path: Path, *, warnings: list[Diagnostic] | None = None) -> ir.Api:
    """The Api of a line-echo spec; a line that is none of the above is a located error."""
    file = str(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != FORMAT_LINE:
        raise SpecError(
            Diagnostic(file=file, line=1, message=f"the first line must be {FORMAT_LINE!r}")
        )
    names = {"name": path.stem, "title": "", "version": ""}
    operations: list[ir.Operation] = []
    for number, text in enumerate(lines[1:], start=2):
        line = text.strip()
        if not line or line.startswith("#"):
            continue
        source = ir.Source(file=file, line=number, column=1)
        if match := _HTTP.fullmatch(line):
            binding: ir.Binding = ir.HttpBinding(method="GET", path=match[1])
            operations.append(
                _operation(match[2], binding, "200", "application/json", match[3], source)
            )
        elif match := _COMMAND.fullmatch(line):
            binding = ir.ChannelBinding(protocol=PROTOCOL, channel=match[1], action="receive")
            operations.append(_operation(match[2], binding, "ok", "text/plain", match[3], source))
        elif match := _HEADER.fullmatch(line):
            names[match[1]] = match[2].strip()
        else:
            raise SpecError(
                Diagnostic(
                    file=file,
                    line=number,
                    column=1,
                    message="expected 'COMMAND id: answer', 'GET /path id: answer' or 'key: value'",
                )
            )
    return ir.Api(
        name=names["name"],
        title=names["title"],
        version=names["version"],
        spec_format="lineecho-1",
        sources=(file,),
        operations=tuple(operations),
    )


def _operation(
    operation_id: str,
    binding: ir.Binding,
    key: str,
    media_type: str,
    answer: str,
    source: ir.Source,
) -> ir.Operation:
    content = ir.Content(
        media_type=media_type,
        schema=ir.freeze({"type": "string"}),
        examples=(ir.Example(name="default", value=answer),),
    )
    return ir.Operation(
        id=operation_id,
        binding=binding,
        input=ir.Message(
            contents=(ir.Content(media_type="text/plain", schema=ir.freeze({"type": "string"})),)
        ),
        outputs=(ir.Output(key=key, message=ir.Message(contents=(content,))),),
        source=source,
    )
