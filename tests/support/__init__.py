"""Helpers shared by test folders (starting servers, free ports)."""
