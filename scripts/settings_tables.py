"""The README's settings tables, rendered from the table in runtime/settings/table.py.

    python scripts/settings_tables.py           # exit 1 if README.md differs
    python scripts/settings_tables.py --write   # rewrite the tables in README.md

Each table sits between ``<!-- settings:NAME -->`` and ``<!-- /settings:NAME -->``:
``common`` lists the settings every protocol honours; ``http``, ``graphql`` and
``grpc`` those of one protocol beyond them (a test keeps them equal to the code).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mockc.runtime.settings import EVERY_PROTOCOL, PROTOCOL_NAMES, SETTINGS, Setting

README = Path(__file__).resolve().parent.parent / "README.md"
TABLES = ("common", "http", "graphql", "grpc")
_BLOCK = re.compile(r"(<!-- settings:(\w+) -->\n)(.*?)(<!-- /settings:\2 -->)", re.DOTALL)


def _code(text: str | None) -> str:
    return f"`{text}`" if text else ""


def _row(setting: Setting, protocol: str | None) -> str:
    default = setting.shown_default
    if default is None:
        default = _code(setting.default_for(protocol) if protocol else setting.default)
    cells = [_code(setting.env), _code(setting.flag), default, setting.meaning]
    if protocol is not None:
        others = sorted(setting.protocols - {protocol})
        cells.append(", ".join(PROTOCOL_NAMES[name] for name in others) or "—")
    return "| " + " | ".join(cells) + " |"


def render(table: str) -> str:
    """The Markdown of one table (``common`` or a protocol's name)."""
    if table == "common":
        header = "| variable | flag | default | meaning |\n|---|---|---|---|\n"
        chosen = [s for s in SETTINGS if s.protocols == EVERY_PROTOCOL]
        return header + "".join(_row(s, None) + "\n" for s in chosen)
    header = "| variable | flag | default | meaning | also on |\n|---|---|---|---|---|\n"
    chosen = [s for s in SETTINGS if table in s.protocols and s.protocols != EVERY_PROTOCOL]
    return header + "".join(_row(s, table) + "\n" for s in chosen)


def rendered_readme(text: str) -> str:
    """``text`` with every settings table replaced by its rendering."""
    found = {match.group(2) for match in _BLOCK.finditer(text)}
    missing = set(TABLES) - found
    if missing:
        raise ValueError(f"README.md has no settings table {', '.join(sorted(missing))}")
    return _BLOCK.sub(lambda m: m.group(1) + render(m.group(2)) + m.group(4), text)


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    wanted = rendered_readme(text)
    if "--write" in argv:
        README.write_text(wanted, encoding="utf-8")
        return 0
    if wanted != text:
        print(
            "README.md: settings tables differ from runtime/settings/table.py; run "
            "python scripts/settings_tables.py --write",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
