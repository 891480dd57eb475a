"""``python -m mockc.compiler.cli``: the ``mockc`` command."""

from . import main

main()
