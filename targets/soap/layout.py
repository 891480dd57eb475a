"""Where each WSDL is copied and at which path each of its ports is served.

One WSDL: its files go under ``wsdl/`` with their paths relative to it, and
each port keeps its address path. Several WSDLs served together
(``mockc generate a.wsdl b.wsdl``): each WSDL's files go under
``wsdl/<its stem>/``, and a port whose address path another WSDL already
serves is moved under ``/<stem>`` (``/hello_world_RPCLit/SoapContext/SoapPort``),
so every address answers one WSDL's ``?wsdl``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mockc.compiler import ir

__all__ = ["WSDL_FOLDER", "ServedLayout", "served_layout"]

WSDL_FOLDER = "wsdl"


@dataclass(frozen=True, slots=True)
class ServedLayout:
    files: dict[str, Path]
    """Copied name (``wsdl/...``) → source file, every WSDL's tree."""
    mains: dict[str, str]
    """Source path of each main WSDL → its copied name."""
    addresses: dict[tuple[str, str, str], str]
    """(main WSDL source, service, port) → the path the port is served at."""

    def address(self, operation: ir.Operation, binding: ir.SoapBinding) -> str:
        main = operation.source.file if operation.source is not None else ""
        return self.addresses.get((main, binding.service, binding.port), binding.address or "/")

    def wsdl_of(self, operation: ir.Operation) -> str:
        main = operation.source.file if operation.source is not None else ""
        return self.mains.get(main, next(iter(self.mains.values()), ""))


def served_layout(api: ir.Api) -> ServedLayout:
    mains = [source for source in api.sources if source in _main_files(api)]
    if not mains and api.sources:
        mains = [api.sources[0]]
    groups = _groups(api.sources, mains)
    files: dict[str, Path] = {}
    copied: dict[str, str] = {}
    stems: dict[str, str] = {}
    for main in mains:
        folder = WSDL_FOLDER if len(mains) == 1 else f"{WSDL_FOLDER}/{_stem(main, stems)}"
        root = Path(main).resolve().parent
        for source in groups[main]:
            try:
                relative = Path(source).resolve().relative_to(root)
            except ValueError:
                continue
            files[f"{folder}/{relative.as_posix()}"] = Path(source).resolve()
            if source == main:
                copied[main] = f"{folder}/{relative.as_posix()}"
    return ServedLayout(files=files, mains=copied, addresses=_addresses(api, stems))


def _main_files(api: ir.Api) -> set[str]:
    return {op.source.file for op in api.operations if op.source is not None and op.source.file}


def _groups(sources: tuple[str, ...], mains: list[str]) -> dict[str, list[str]]:
    """Each main file with the files read for it (they follow it in ``sources``)."""
    groups: dict[str, list[str]] = {main: [] for main in mains}
    current = mains[0] if mains else ""
    for source in sources:
        if source in groups:
            current = source
        if current:
            groups[current].append(source)
    return groups


def _stem(main: str, taken: dict[str, str]) -> str:
    stem = Path(main).stem or "wsdl"
    name, count = stem, 1
    while name in taken.values():
        count += 1
        name = f"{stem}_{count}"
    taken[main] = name
    return name


def _addresses(api: ir.Api, stems: dict[str, str]) -> dict[tuple[str, str, str], str]:
    """Each port's served path: its own, unless a WSDL named earlier serves it."""
    owner: dict[str, str] = {}
    found: dict[tuple[str, str, str], str] = {}
    for operation in api.operations:
        main = operation.source.file if operation.source is not None else ""
        for binding in operation.bindings:
            if not isinstance(binding, ir.SoapBinding):
                continue
            key = (main, binding.service, binding.port)
            if key in found:
                continue
            address = binding.address or "/"
            if owner.setdefault(address, main) != main:
                address = f"/{stems.get(main, 'wsdl')}{address if address != '/' else ''}"
                owner.setdefault(address, main)
            found[key] = address
    return found
