"""Deterministic fake data generated from JSON Schema: ``FakeData``."""

from .generator import FakeData

__all__ = ["FakeData"]
