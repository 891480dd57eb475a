"""Smart merge on regeneration: the user's files, three ways.

base = what mockc generated last time (kept under ``OUT/.mockc/base/``),
ours = the user's files now, theirs = this generation.

- :mod:`.fields` — one mock document, field by field;
- :mod:`.mocks` — the ``mocks/`` folder, mocks matched by id;
- :mod:`.python_files` — user-editable Python (``handlers.py``): :mod:`.handlers`
  merges it with libcst, imported only when a merge of Python happens;
- :mod:`.documents` — mock files read and written keeping the user's layout;
- :mod:`.conflicts` — conflicts left open, recorded until resolved;
- :mod:`.resolve` — resolving them later (``mockc merge --theirs/--ours``);
- :mod:`.report` — the merge report;
- :mod:`.state` — the merge state a folder keeps under ``.mockc/``;
- :mod:`.plan` — one generation planned in memory, file by file;
- :mod:`.files` — the folder's files read and written (atomically);
- :mod:`.output` — ``write_output``: state read, plan made, files written.

:mod:`.output` drives the others; it is imported from there (not from this
package), so that resolving conflicts loads no generator.
"""

from .conflicts import CONFLICTS_FILE, Conflict, dump_conflicts, load_conflicts
from .documents import MOCK_SUFFIXES, MergeError, MockFile, load_mock
from .fields import MISSING, FieldEvent, merge_document, same
from .mocks import MockMerge, MockMergeOptions, merge_mocks
from .python_files import ORPHAN_MARK, merge_python
from .report import LISTED, Entry, Kind, MergeReport, field_path

__all__ = [
    "CONFLICTS_FILE",
    "LISTED",
    "MISSING",
    "MOCK_SUFFIXES",
    "ORPHAN_MARK",
    "Conflict",
    "Entry",
    "FieldEvent",
    "Kind",
    "MergeError",
    "MergeReport",
    "MockFile",
    "MockMerge",
    "MockMergeOptions",
    "dump_conflicts",
    "field_path",
    "load_conflicts",
    "load_mock",
    "merge_document",
    "merge_mocks",
    "merge_python",
    "same",
]
