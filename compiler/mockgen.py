"""Where generated mocks go; mock generation itself is the pass
:mod:`mockc.compiler.passes.mockgen` (this name stays for the modules that
only need the folder's name)."""

from .passes.mockgen import MOCKS_DIR

__all__ = ["MOCKS_DIR"]
