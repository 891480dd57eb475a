"""The request journal, its analysis, and Prometheus metrics, for every protocol.

An adapter builds one :class:`Entry` per request through its
:class:`EntryBuilder` (which applies the journal's detail and redaction
settings) and hands it to :meth:`Journal.record` (constant time, no I/O); a
writer thread stores entries in SQLite off the request path. The admin API searches and analyses the
journal. :class:`Metrics` keeps the Prometheus counters behind ``/metrics``.

    journal = open_journal(Path("journal.db"))   # open_journal(None): disabled
    journal.record(Entry(time.time(), 1.2, "http", "GET", "/pets/1", "getPet",
                         "200", "example"))
    journal.search(status="5xx", limit=20)
    journal.close()                              # before the process exits
"""

from .builder import REDACTED, EntryBuilder
from .entry import BODY_LIMIT, Entry
from .errors import JournalError
from .journal import DISABLED, Journal, open_journal
from .metrics import DURATION_BUCKETS, Metrics

__all__ = [
    "BODY_LIMIT",
    "DISABLED",
    "DURATION_BUCKETS",
    "Entry",
    "EntryBuilder",
    "Journal",
    "JournalError",
    "Metrics",
    "REDACTED",
    "open_journal",
]
