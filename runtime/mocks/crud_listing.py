"""Paging and filtering a crud ``list`` by the query parameters its operation declares.

Paging parameters are recognised by name: ``limit``/``offset`` (also ``skip``,
``start``), ``page``/``per_page`` (``page_size``, ``pageSize``, ``size``…;
pages count from 1 unless the parameter's minimum is 0) and cursors
(``cursor``, ``after``, ``starting_after``, ``page_token``…: the records after
the one whose id it names). A limit the client leaves out is the parameter's
declared default. Every other declared parameter named like a record property
filters by equality (a list value: any of them; a list property: containing
the value); a plural parameter (``tags``) filters its singular property
(``tag``) too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["ListQuery"]

_LIMITS = frozenset(
    {"limit", "per_page", "perpage", "page_size", "pagesize", "size", "max_results"}
    | {"maxresults", "top", "count"}
)
_OFFSETS = frozenset({"offset", "skip", "start"})
_PAGES = frozenset({"page", "page_number", "pagenumber"})
_CURSORS = frozenset(
    {"cursor", "after", "starting_after", "startingafter", "page_token", "pagetoken"}
    | {"next_token", "nexttoken", "continuation_token", "continuationtoken"}
)


def _role(name: str) -> str | None:
    lowered = name.lower()
    for role, names in (
        ("limit", _LIMITS),
        ("offset", _OFFSETS),
        ("page", _PAGES),
        ("cursor", _CURSORS),
    ):
        if lowered in names:
            return role
    return None


class ListQuery:
    """How one list operation pages and filters, from its declared parameters."""

    __slots__ = ("filters", "first_page", "limit_default", "roles")

    def __init__(self, declared: Sequence[tuple[str, Any]], properties: Mapping[str, Any]) -> None:
        self.roles: dict[str, str] = {}
        self.filters: dict[str, str] = {}
        self.limit_default: int | None = None
        self.first_page = 1
        for name, schema in declared:
            role = _role(name)
            if role is not None and role not in self.roles.values():
                self.roles[name] = role
                if isinstance(schema, Mapping):
                    default = schema.get("default")
                    if role == "limit" and isinstance(default, int) and _is_count(default):
                        self.limit_default = default
                    if role == "page" and schema.get("minimum") == 0:
                        self.first_page = 0
                continue
            if name in properties:
                self.filters[name] = name
            elif name.endswith("s") and name[:-1] in properties:
                self.filters[name] = name[:-1]

    @property
    def is_empty(self) -> bool:
        return not self.roles and not self.filters

    def apply(self, records: list[Any], query: Mapping[str, Any], id_field: str) -> list[Any]:
        """The records ``query`` asks for, in stored order."""
        for name, field in self.filters.items():
            if name in query:
                wanted = query[name]
                records = [r for r in records if _matches(r, field, wanted)]
        given = {role: query.get(name) for name, role in self.roles.items() if name in query}
        cursor = given.get("cursor")
        if cursor is not None:
            ids = [
                str(record.get(id_field)) if isinstance(record, dict) else None
                for record in records
            ]
            position = ids.index(str(cursor)) + 1 if str(cursor) in ids else len(records)
            records = records[position:]
        limit = _count(given.get("limit"), self.limit_default)
        offset = _count(given.get("offset"), 0) or 0
        page = _count(given.get("page"), None)
        if page is not None and limit is not None:
            offset += max(0, page - self.first_page) * limit
        records = records[offset:]
        return records if limit is None else records[:limit]


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _count(value: Any, default: int | None) -> int | None:
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return int(value) if _is_count(value) else default


def _matches(record: Any, field: str, wanted: Any) -> bool:
    if not isinstance(record, dict) or field not in record:
        return False
    value = record[field]
    options = wanted if isinstance(wanted, list) else [wanted]
    if isinstance(value, list):
        return any(_same(item, option) for item in value for option in options)
    return any(_same(value, option) for option in options)


def _same(stored: Any, given: Any) -> bool:
    return _text(stored) == _text(given)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
