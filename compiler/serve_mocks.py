"""The mocks of ``mockc serve SPEC``, written when the server first needs them.

Generating 1,223 mocks (fake data, each body checked against its schema) took
more than a second of the start-up of GitHub's spec, for mocks most of which
a session never asks for. The server writes each one into ``mocks/`` when its
operation is first asked for, or all of them when the admin API lists or
changes the mocks (:mod:`mockc.runtime.mocks.pending`); each file holds the
bytes ``mockc generate`` writes for it (:class:`.passes.mockgen.MockFiles`).
Warnings about a generated mock are printed when it is written.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from . import ir
from .errors import Diagnostic
from .passes.mockgen import MockFiles, MockFormat

__all__ = ["ServeMocks"]


class ServeMocks:
    """The :class:`~mockc.runtime.mocks.pending.PendingMocks` of a compiled Api."""

    def __init__(
        self,
        api: ir.Api,
        *,
        seed: int,
        mock_format: MockFormat,
        report: Callable[[Sequence[Diagnostic]], object] | None = None,
    ) -> None:
        self.api = api
        self.seed = seed
        self.mock_format = mock_format
        self.report = report
        """Called with the warnings about each mock written (when there are any)."""
        self._operations = {operation.id: operation for operation in api.operations}
        self._files: MockFiles | None = None
        self._warnings: list[Diagnostic] = []

    @property
    def operation_ids(self) -> Collection[str]:
        return self._operations.keys()

    def write(self, operation_id: str, mocks: Path) -> Path:
        """Write the mock of ``operation_id`` into ``mocks`` (the server's
        ``mocks/`` folder); its path."""
        if self._files is None:
            self._files = MockFiles(
                self.api, seed=self.seed, warnings=self._warnings, mock_format=self.mock_format
            )
        seen = len(self._warnings)
        files = self._files.files(self._operations[operation_id])
        mocks.mkdir(parents=True, exist_ok=True)
        for file in files:  # the operation's mock, then its (disabled) fault mocks
            written = mocks / file.path.split("/", 1)[1]
            written.write_bytes(file.content)
            written.chmod(0o755 if file.executable else 0o644)
        path = mocks / files[0].path.split("/", 1)[1]
        if self.report is not None and len(self._warnings) > seen:
            self.report(self._warnings[seen:])
        return path

    def write_all(self, mocks: Path) -> None:
        """Write every mock (a server that cannot take them when first needed)."""
        for operation_id in self._operations:
            self.write(operation_id, mocks)
