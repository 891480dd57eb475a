"""The WebSocket protocol's runtime adapter: one endpoint per channel path."""
