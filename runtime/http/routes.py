"""One operation as the HTTP app serves it: decoders and validator, prepared at
start-up, and the reading of a request's parameters and body into a Request."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..contract import OperationSpec, http_binding
from ..engine import Request
from ..validation import OperationValidator
from ..web.problems import Problem
from .bodies import BodyDecoder
from .params import MISSING, ParamDecoder, ParamError, parse_cookies

__all__ = ["Route"]


class Route:
    """Everything the app needs to serve one operation, prepared at start-up."""

    __slots__ = (
        "body",
        "cookie",
        "header",
        "id",
        "locations",
        "path",
        "query",
        "validator",
    )

    def __init__(self, spec: OperationSpec, defs: Mapping[str, Any], json_max_depth: int) -> None:
        self.id = spec["id"]
        binding = http_binding(spec)
        decoders = [ParamDecoder.compile(param, defs) for param in binding["parameters"]]
        self.path = tuple(d for d in decoders if d.location == "path")
        self.query = tuple(d for d in decoders if d.location == "query")
        self.header = tuple(d for d in decoders if d.location == "header")
        self.cookie = tuple(d for d in decoders if d.location == "cookie")
        self.locations = tuple(sorted({d.location for d in decoders}))
        body = spec["input"]
        self.body = BodyDecoder(body, defs, json_max_depth=json_max_depth) if body else None
        self.validator = OperationValidator(spec, defs)

    def decode_params(
        self,
        path_params: dict[str, str],
        query: dict[str, list[str]],
        headers: dict[str, Any],
        request: Request,
        *,
        validate: bool,
    ) -> None:
        """Decode the parameters of every location into ``request`` (and the typed
        header values into ``headers``); a Problem (400) lists every violation."""
        values: dict[str, dict[str, Any]] = {location: {} for location in self.locations}
        errors: list[dict[str, str]] = []
        if self.path:
            try:
                values["path"] = {
                    decoder.name: decoder.read_text(path_params[decoder.name])
                    for decoder in self.path
                }
            except (ParamError, KeyError):
                for decoder in self.path:
                    text = path_params.get(decoder.name)
                    if text is not None:
                        _decode_into(values["path"], decoder, decoder.read_text, text, errors)
        if query:
            request.query = {name: items[0] for name, items in query.items()}
            for decoder in self.query:
                _decode_into(values["query"], decoder, decoder.from_query, query, errors)
        for decoder in self.header:
            text = headers.get(decoder.name.lower())
            if text is not None:
                _decode_into(values["header"], decoder, decoder.read_text, text, errors)
        if self.cookie or "cookie" in headers:
            cookies = parse_cookies(headers.get("cookie", ""))
            request.cookies = dict(cookies)
            for decoder in self.cookie:
                text = cookies.get(decoder.name)
                if text is not None:
                    _decode_into(values["cookie"], decoder, decoder.read_text, text, errors)
        if validate:
            if errors:
                errors += [
                    e
                    for e in self.validator.check_params(values)
                    if e["name"] not in {known["name"] for known in errors}
                ]
            elif values:
                errors = self.validator.check_params(values)
            if errors:
                raise Problem.invalid(400, errors)
        if "path" in values:
            request.path = values["path"]
        if "query" in values:
            request.query.update(values["query"])
        for name, value in values.get("header", {}).items():
            headers[name.lower()] = value
        request.cookies.update(values.get("cookie", {}))

    def decode_body(
        self, raw: bytes, content_type: str | None, request: Request, *, validate: bool
    ) -> None:
        """Decode the body into ``request``; a Problem (4xx) when it cannot be
        read, or (``validate``) breaks its schema."""
        assert self.body is not None
        request.raw_body = raw
        if not validate:
            try:
                decoded = self.body.decode(content_type, raw)
            except Problem:
                return
        else:
            decoded = self.body.decode(content_type, raw)
            if decoded.validate and decoded.declared is not None:
                violations = self.validator.check_body(decoded.declared, decoded.data)
                if violations:
                    raise Problem.invalid(422, violations)
        request.body = decoded.data
        request.media_type = decoded.media_type


def _decode_into(
    target: dict[str, Any],
    decoder: ParamDecoder,
    read: Callable[[Any], Any],
    source: Any,
    errors: list[dict[str, str]],
) -> None:
    try:
        value = read(source)
    except ParamError as exc:
        errors.append(
            {
                "in": decoder.location,
                "name": decoder.name,
                "pointer": f"/{decoder.name}",
                "message": str(exc),
            }
        )
        return
    if value is not MISSING:
        target[decoder.name] = value
