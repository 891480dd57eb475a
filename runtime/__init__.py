"""The runtime every generated server links: engine, fake data, validation,
protocol adapters. It imports nothing from the compiler or the targets, and
uses relative imports only, so it can be vendored under any package name."""

__version__ = "0.1.0"
