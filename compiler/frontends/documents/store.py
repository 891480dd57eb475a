"""``DocumentStore``: every document of one spec, parsed once and on first use,
and ``$ref`` followed across them.

Data is parsed with the fast path (``json.loads`` for ``.json``, libyaml for
YAML); line and column are computed only when a diagnostic must be reported,
by composing the YAML node tree of the file once and walking it by JSON
pointer. Other files are read lazily, when a ``$ref`` first reaches them.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ...errors import Diagnostic, RefError, SpecError
from .json_positions import json_offset
from .limits import (
    MAX_DOCUMENT_DEPTH,
    DocumentLimitError,
    alias_problem,
    has_anchors,
    json_depth,
    quick_json,
    too_deep,
)
from .pointers import Location, escape_segment, split_pointer
from .yaml_loading import DocumentLoader, PositionLoader, child_node

__all__ = ["REMOTE_REF_HINT", "DocumentStore"]

REMOTE_REF_HINT = "remote reference not fetched; pass --allow-remote-refs"
FETCH_TIMEOUT_SECONDS = 10.0
MAX_REF_HOPS = 64


def _is_remote(ref: str) -> bool:
    return ref.startswith(("http://", "https://"))


class DocumentStore:
    """Every document of one spec, parsed once and on first use."""

    def __init__(self, *, allow_remote_refs: bool = False) -> None:
        self.allow_remote_refs = allow_remote_refs
        self._data: dict[str, Any] = {}
        self._texts: dict[str, str] = {}
        self._nodes: dict[str, yaml.Node | None] = {}
        self._entry: str | None = None

    # --- reading ----------------------------------------------------------------

    def load_entry(self, path: Path) -> Location:
        """Read the entry document; its location is the root of the spec."""
        doc = os.path.normpath(str(path))
        self._entry = doc
        self._read(doc, referrer=None)
        return Location(doc)

    @property
    def sources(self) -> tuple[str, ...]:
        """The entry document, then every other document read, sorted."""
        others = sorted(doc for doc in self._data if doc != self._entry)
        return ((self._entry,) if self._entry else ()) + tuple(others)

    def data(self, doc: str) -> Any:
        return self._data[doc]

    def _read(self, doc: str, *, referrer: Location | None) -> Any:
        if doc in self._data:
            return self._data[doc]
        text = self._fetch_text(doc, referrer)
        if not text.strip():
            raise SpecError(Diagnostic(file=doc, pointer="", message="document is empty"))
        data = self._parse(doc, text)
        if _is_remote(doc):
            self._texts[doc] = text
        self._data[doc] = data
        return data

    def _fetch_text(self, doc: str, referrer: Location | None) -> str:
        if _is_remote(doc):
            try:
                with urllib.request.urlopen(doc, timeout=FETCH_TIMEOUT_SECONDS) as response:
                    return bytes(response.read()).decode("utf-8", errors="replace")
            except (OSError, ValueError) as error:
                raise self._ref_error(referrer, f"cannot fetch {doc}: {error}") from None
        try:
            if "\0" in doc:
                raise ValueError("the path holds a NUL character")
            return Path(doc).read_text(encoding="utf-8-sig")
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            if referrer is None:
                raise SpecError(
                    Diagnostic(file=doc, message=f"cannot read file: {reason}")
                ) from None
            raise self._ref_error(referrer, f"cannot read {doc}: {reason}") from None

    def _parse(self, doc: str, text: str) -> Any:
        if doc.lower().endswith(".json"):
            quick = quick_json(text, MAX_DOCUMENT_DEPTH)
            if quick is not None:
                return quick[0]
            if json_depth(text) > MAX_DOCUMENT_DEPTH:
                raise SpecError(Diagnostic(file=doc, message=f"invalid JSON: {too_deep()}"))
            try:
                data = json.loads(text)
            except json.JSONDecodeError as error:
                raise SpecError(
                    Diagnostic(
                        file=doc,
                        line=error.lineno,
                        column=error.colno,
                        message=f"invalid JSON: {error.msg}",
                    )
                ) from None
            except (ValueError, RecursionError) as error:
                raise SpecError(Diagnostic(file=doc, message=f"invalid JSON: {error}")) from None
            where = lone_surrogate_at(data) if _SURROGATE_ESCAPE.search(text) else None
            if where is not None:
                raise SpecError(
                    Diagnostic(
                        file=doc,
                        pointer=where,
                        message="invalid JSON: a lone UTF-16 surrogate (an unpaired "
                        "\\uD800-\\uDFFF escape) is not Unicode text",
                    )
                )
            return data
        try:
            data = yaml.load(text, Loader=DocumentLoader)  # noqa: S506 - a safe loader
        except DocumentLimitError as error:
            line, column = error.position or (None, None)
            raise SpecError(
                Diagnostic(file=doc, line=line, column=column, message=f"invalid YAML: {error}")
            ) from None
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            problem = " ".join(part for part in (error.context, error.problem) if part)
            raise SpecError(
                Diagnostic(
                    file=doc,
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                    message=f"invalid YAML: {problem or error}",
                )
            ) from None
        except (yaml.YAMLError, ValueError, TypeError, RecursionError) as error:
            raise SpecError(Diagnostic(file=doc, message=f"invalid YAML: {error}")) from None
        if has_anchors(text):
            found = alias_problem(data)
            if found is not None:
                path, message = found
                pointer = "".join(f"/{escape_segment(str(part))}" for part in path)
                raise SpecError(self.diagnostic(Location(doc, pointer), message))
        return data

    # --- pointers and references --------------------------------------------------

    def value(self, location: Location) -> Any:
        """The value at ``location``; KeyError when nothing is there."""
        value = self._data[location.doc]
        for segment in split_pointer(location.pointer):
            value = _step(value, segment)
        return value

    def exists(self, location: Location) -> bool:
        try:
            self.value(location)
        except KeyError:
            return False
        return True

    def target(self, ref: Any, at: Location) -> Location:
        """Where ``ref`` (the value of a ``$ref`` found at ``at``) points, with its
        document read. Raises :class:`RefError` located at ``at``."""
        if not isinstance(ref, str):
            raise self._ref_error(at, f"$ref must be a string, not {type(ref).__name__}")
        address, _, fragment = ref.partition("#")
        fragment = urllib.parse.unquote(fragment)
        if fragment and not fragment.startswith("/"):
            raise self._ref_error(at, f"unsupported $ref {ref!r}: only JSON pointer fragments")
        doc = self._document_of(address, at) if address else at.doc
        if doc != at.doc or doc not in self._data:
            self._read(doc, referrer=at)
        location = Location(doc, fragment)
        try:
            self.value(location)
        except KeyError as missing:
            raise self._ref_error(
                at, f"$ref {ref!r} points to nothing: no {missing.args[0]!r} in {doc}"
            ) from None
        return location

    def _document_of(self, address: str, at: Location) -> str:
        if _is_remote(address) or _is_remote(at.doc):
            url = urllib.parse.urljoin(at.doc, address) if _is_remote(at.doc) else address
            if not self.allow_remote_refs:
                raise self._ref_error(at, f"{REMOTE_REF_HINT}: {url}")
            return url
        if address.startswith("file://"):
            return os.path.normpath(urllib.parse.unquote(urllib.parse.urlparse(address).path))
        relative = urllib.parse.unquote(address)
        return os.path.normpath(os.path.join(os.path.dirname(at.doc), relative))

    def follow(self, value: Any, at: Location) -> tuple[Any, Location]:
        """Follow ``$ref`` objects from ``value`` (found at ``at``) to a value that
        is not a reference; returns it and its location."""
        seen = {at}
        while isinstance(value, Mapping) and "$ref" in value:
            ref_at = at.child("$ref")
            at = self.target(value["$ref"], ref_at)
            if at in seen or len(seen) > MAX_REF_HOPS:
                raise self._ref_error(ref_at, f"circular $ref {value['$ref']!r}")
            seen.add(at)
            value = self.value(at)
        return value, at

    def _ref_error(self, at: Location | None, message: str) -> RefError:
        if at is None:
            return RefError(Diagnostic(message=message))
        return RefError(self.diagnostic(at, message))

    # --- positions ------------------------------------------------------------------

    def position(self, location: Location) -> tuple[int | None, int | None]:
        """1-based line and column of ``location`` (of its key, for a member of a
        mapping), or of the deepest existing node on its way; (None, None) when
        the document cannot be composed."""
        if location.doc.lower().endswith(".json"):
            text = self._text(location.doc)
            if text is not None:
                offset = json_offset(text, split_pointer(location.pointer))
                if offset is not None:
                    line = text.count("\n", 0, offset) + 1
                    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
        node = self._node(location.doc)
        if node is None:
            return None, None
        mark = node.start_mark
        for segment in split_pointer(location.pointer):
            found = child_node(node, segment)
            if found is None:
                break
            key_node, node = found
            mark = (key_node or node).start_mark
        return mark.line + 1, mark.column + 1

    def diagnostic(self, location: Location, message: str, *, level: str = "error") -> Diagnostic:
        line, column = self.position(location)
        return Diagnostic(
            file=location.doc,
            pointer=location.pointer,
            line=line,
            column=column,
            message=message,
            level=level,
        )

    def _text(self, doc: str) -> str | None:
        if doc not in self._texts:
            try:
                self._texts[doc] = Path(doc).read_text(encoding="utf-8-sig")
            except (OSError, ValueError):
                return None
        return self._texts[doc]

    def _node(self, doc: str) -> yaml.Node | None:
        if doc not in self._nodes:
            text = self._text(doc)
            try:
                self._nodes[doc] = (
                    None if text is None else yaml.compose(text, Loader=PositionLoader)
                )
            except (yaml.YAMLError, ValueError, RecursionError):
                self._nodes[doc] = None
        return self._nodes[doc]


def _step(value: Any, segment: str) -> Any:
    if isinstance(value, Mapping):
        if segment in value:
            return value[segment]
    elif isinstance(value, list) and segment.isdigit() and int(segment) < len(value):
        return value[int(segment)]
    raise KeyError(segment)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""What a JSON text holding a lone surrogate must contain (paired ones too)."""


def lone_surrogate_at(data: Any, pointer: str = "") -> str | None:
    """The JSON pointer of the first key or string in ``data`` holding a lone
    UTF-16 surrogate (no UTF-8 form); None when there is none."""
    if isinstance(data, str):
        return None if _encodable(data) else pointer or "/"
    if isinstance(data, Mapping):
        for key, value in data.items():
            here = f"{pointer}/{escape_segment(str(key))}"
            if isinstance(key, str) and not _encodable(key):
                return here
            found = lone_surrogate_at(value, here)
            if found is not None:
                return found
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found = lone_surrogate_at(item, f"{pointer}/{index}")
            if found is not None:
                return found
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
