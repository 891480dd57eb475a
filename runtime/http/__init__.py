"""HTTP adapter of the runtime: ASGI app, routing, parameters, validation."""
