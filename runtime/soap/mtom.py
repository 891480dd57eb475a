"""MTOM/XOP requests: ``multipart/related; type="application/xop+xml"``.

The root part (the one ``start`` names, else the first) is the envelope;
every ``xop:Include`` in it is replaced by its attachment's bytes as base64
text, so the envelope reads, matches and validates as if it had been sent
inline (the XOP infoset). Parts are split on the boundary by hand (their
headers are a few lines); a part sent ``Content-Transfer-Encoding: base64``
is decoded.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

from .safety import UnsafeXml, parse_xml

__all__ = ["XOP_INCLUDE", "XopError", "is_xop", "read_xop"]

XOP_INCLUDE = "{http://www.w3.org/2004/08/xop/include}Include"
MAX_PARTS = 1000
"""Parts read from one request (the body size limit applies too)."""


class XopError(UnsafeXml):
    """The multipart request cannot be read (a Client/Sender fault)."""


@dataclass(frozen=True, slots=True)
class Part:
    headers: dict[str, str]
    content: bytes

    @property
    def content_id(self) -> str:
        return self.headers.get("content-id", "").strip().strip("<>")


def is_xop(content_type: str) -> bool:
    lowered = content_type.lower()
    return lowered.startswith("multipart/related") and "application/xop+xml" in lowered


def parameters(content_type: str) -> dict[str, str]:
    """A content type's parameters by lower-cased name (quotes removed;
    ``;`` inside quotes kept)."""
    found: dict[str, str] = {}
    for item in _split(content_type)[1:]:
        name, _, value = item.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1].replace('\\"', '"')
        found[name.strip().lower()] = value
    return found


def _split(text: str) -> list[str]:
    items: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


def read_xop(raw: bytes, content_type: str) -> tuple[etree._Element, str]:
    """The root part's envelope with every ``xop:Include`` resolved, and the
    SOAP content type it stands for (the root part's ``type`` parameter, else
    ``start-info``, with the ``action`` of either)."""
    options = parameters(content_type)
    boundary = options.get("boundary")
    if not boundary:
        raise XopError("multipart/related request without a boundary")
    parts = _parts(raw, boundary.encode("latin-1"))
    start = options.get("start", "").strip().strip("<>")
    root = next((part for part in parts if start and part.content_id == start), None)
    if root is None and start:
        raise XopError(f"multipart/related: no part has the start Content-ID <{start}>")
    root = root or parts[0]
    envelope = parse_xml(root.content)
    attachments = {part.content_id: part for part in parts if part is not root}
    for include in list(envelope.iter(XOP_INCLUDE)):
        _resolve(include, attachments)
    soap_type = (
        parameters(root.headers.get("content-type", "")).get("type")
        or options.get("start-info")
        or "text/xml"
    )
    if options.get("action") and "action=" not in soap_type:
        soap_type += f'; action="{options["action"]}"'
    return envelope, soap_type


def _resolve(include: etree._Element, attachments: dict[str, Part]) -> None:
    href = include.get("href", "")
    if not href.startswith("cid:"):
        raise XopError(f"xop:Include href {href!r} is not a cid: URL")
    part = attachments.get(unquote(href[4:]))
    if part is None:
        raise XopError(f"xop:Include href {href!r} names no attachment of the request")
    parent = include.getparent()
    if parent is None:
        raise XopError("xop:Include is the envelope itself")
    if len(parent) != 1 or (parent.text or "").strip():
        raise XopError(f"xop:Include in {parent.tag} is not the element's only content")
    parent.remove(include)
    parent.text = base64.b64encode(part.content).decode("ascii")


def _parts(raw: bytes, boundary: bytes) -> list[Part]:
    delimiter = b"--" + boundary
    pieces = raw.split(delimiter)
    if len(pieces) < 3:
        raise XopError("multipart/related request without parts")
    found: list[Part] = []
    for piece in pieces[1:]:
        if piece.startswith(b"--"):  # the close delimiter: the epilogue follows
            return found
        if len(found) >= MAX_PARTS:
            raise XopError(f"multipart/related request with more than {MAX_PARTS} parts")
        found.append(_part(piece))
    raise XopError("multipart/related request without its closing boundary")


def _part(piece: bytes) -> Part:
    piece = piece.removeprefix(b"\r\n").removeprefix(b"\n")
    head, separator, content = piece.partition(b"\r\n\r\n")
    if not separator:
        head, separator, content = piece.partition(b"\n\n")
    if not separator:
        raise XopError("multipart/related part without a blank line after its headers")
    content = content.removesuffix(b"\r\n").removesuffix(b"\n")
    headers: dict[str, str] = {}
    for line in head.decode("latin-1").splitlines():
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    if headers.get("content-transfer-encoding", "").lower() == "base64":
        try:
            content = base64.b64decode(content, validate=False)
        except binascii.Error as exc:
            raise XopError(f"multipart/related part with bad base64: {exc}") from None
    return Part(headers, content)
