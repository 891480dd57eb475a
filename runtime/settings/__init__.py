"""Every setting of a generated server, for every protocol, in one table.

Each :class:`Setting` declares its environment variable, its flag, its
default, what it means and which protocols honour it (:data:`SETTINGS`).
:func:`read_settings` reads them for one protocol, environment first and
flags over it, and refuses at start-up (one line on stderr, exit code 2) a
bad value, or a setting the protocol does not honour: nothing is silently
ignored. The README's settings tables are rendered from this table
(``scripts/settings_tables.py``) and a test keeps them equal.

A protocol's ``server.py`` builds its settings object, a subclass of
:class:`ServerSettings`, from the values :func:`read_settings` returns:
:func:`server_fields` gives the fields every server shares (host, port, log
level and :class:`CoreSettings`), the protocol reads its own. To add a setting, declare it in
:data:`SETTINGS` and read its value in the ``server.py`` of each protocol it
names; for a protocol to honour an existing one, add the protocol to its
``protocols`` and read it there (then run ``scripts/settings_tables.py
--write``).

The package: :mod:`.values` (readers of values), :mod:`.setting` (one
setting), :mod:`.table` (:data:`SETTINGS`), :mod:`.reading` (flags and
environment), :mod:`.core` (the shared settings objects).
"""

from .core import CoreSettings, ServerSettings, core_settings, server_fields
from .reading import EXIT_BAD_SETTINGS, read_settings
from .setting import EVERY_PROTOCOL, PROTOCOL_NAMES, Setting
from .table import DATA_DIR, JOURNAL_DETAILS, LOG_LEVELS, SETTINGS, UNMATCHED_POLICIES, settings_of
from .values import ALWAYS_REDACTED, flag_value, non_negative, parse_delay, redacted_headers

__all__ = [
    "ALWAYS_REDACTED",
    "DATA_DIR",
    "EVERY_PROTOCOL",
    "EXIT_BAD_SETTINGS",
    "JOURNAL_DETAILS",
    "LOG_LEVELS",
    "PROTOCOL_NAMES",
    "SETTINGS",
    "UNMATCHED_POLICIES",
    "CoreSettings",
    "ServerSettings",
    "Setting",
    "core_settings",
    "flag_value",
    "non_negative",
    "parse_delay",
    "read_settings",
    "redacted_headers",
    "server_fields",
    "settings_of",
]
