"""The floor of the SOAP benchmark: a minimal hand-written responder for the
calculator's Add, in the same stack as a generated server.

Same transport (an ASGI app served by granian's embedded server, one worker,
no lifespan) and the least a SOAP responder does with a request: the body
read and parsed by lxml with the generated server's safe parser settings,
the operation checked from SOAPAction and the body element, and a constant
answer envelope (its bytes built once, at start-up) sent back. No mocks, no
schema checks, no journal, no metrics.

    python bench/soap_floor_app.py PORT
"""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import Any

from lxml import etree

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
TEMPURI = "http://tempuri.org/"
PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_blank_text=True,
)
"""The settings of a generated server's request parser (runtime/soap/safety.py)."""


def _answer() -> bytes:
    """The answer envelope: what the generated server's mock of Add answers."""
    envelope = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"soap": SOAP})
    body = etree.SubElement(envelope, f"{{{SOAP}}}Body")
    response = etree.SubElement(body, f"{{{TEMPURI}}}AddResponse", nsmap={None: TEMPURI})
    etree.SubElement(response, f"{{{TEMPURI}}}AddResult").text = "32"
    answer: bytes = etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
    return answer


ANSWER = _answer()
ADD = f"{{{SOAP}}}Body/{{{TEMPURI}}}Add"


class FloorApp:
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        if scope["path"] == "/health":
            await self._send(send, 200, b"application/json", b'{"status":"ok"}')
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        headers = dict(scope["headers"])
        action = headers.get(b"soapaction", b"").strip(b'"')
        envelope = etree.fromstring(b"".join(chunks), PARSER)
        if action != b"http://tempuri.org/Add" or envelope.find(ADD) is None:
            await self._send(send, 500, b"text/xml", b"<fault/>")
            return
        await self._send(send, 200, b"text/xml; charset=utf-8", ANSWER)

    async def _send(self, send: Any, status: int, media_type: bytes, body: bytes) -> None:
        headers = [(b"content-type", media_type), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def serve(port: int) -> None:
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server.embed import Server

    server = Server(
        FloorApp(),
        address="127.0.0.1",
        port=port,
        interface=Interfaces.ASGINL,
        log_level=LogLevels("error"),
    )
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, server.stop)
    await server.serve()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1])))
