"""The SOAP adapter: a WSDL's ports served over SOAP 1.1 and 1.2 (ASGI on ``runtime/web``)."""
