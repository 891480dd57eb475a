"""Back ends: one package per target protocol."""
