"""``mockc`` with the line-echo plug-in registered:
``python -m tests.plugins.lineecho.cli generate …``."""

from __future__ import annotations

from . import register

register()

from mockc.compiler.cli import main  # noqa: E402  (after the registration: --target lists it)

if __name__ == "__main__":
    main()
