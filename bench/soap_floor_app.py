"""The floor of the SOAP benchmark: a hand-written lxml responder for the
calculator's Add, in the same stack as a generated server.

Same transport (an ASGI app served by granian's embedded server, one worker,
no lifespan), same request handling (the body read, parsed by lxml with the
same safe parser settings, the operation found from SOAPAction, the two
numbers read from the body element) and an answer envelope built with lxml.
Only the rest differs: no mocks, no schema checks, no journal, no metrics.

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
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


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
        add = envelope.find(f"{{{SOAP}}}Body/{{{TEMPURI}}}Add")
        if action != b"http://tempuri.org/Add" or add is None:
            await self._send(send, 500, b"text/xml", b"<fault/>")
            return
        total = int(add.findtext(f"{{{TEMPURI}}}intA")) + int(add.findtext(f"{{{TEMPURI}}}intB"))
        answer = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"soap": SOAP})
        body = etree.SubElement(answer, f"{{{SOAP}}}Body")
        response = etree.SubElement(body, f"{{{TEMPURI}}}AddResponse", nsmap={None: TEMPURI})
        etree.SubElement(response, f"{{{TEMPURI}}}AddResult").text = str(total)
        content = etree.tostring(answer, xml_declaration=True, encoding="utf-8")
        await self._send(send, 200, b"text/xml; charset=utf-8", content)

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
