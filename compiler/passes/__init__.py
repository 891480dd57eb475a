"""Passes over the IR, run in the order of ``PASSES``."""
