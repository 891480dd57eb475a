"""The HTTP adapter: OpenAPI operations served over ASGI (parameters, bodies,
content negotiation, validation); the web toolkit it shares lives in ``runtime/web``."""
