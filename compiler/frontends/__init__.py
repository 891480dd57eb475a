"""Front ends: one per input format, each ``load(paths, options) -> ir.Api``."""
