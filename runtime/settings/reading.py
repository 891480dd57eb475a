"""Reading one protocol's settings: flags over the environment over defaults,
and refusing (one line on stderr, exit code 2) a bad value or a setting the
protocol does not honour."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from .setting import PROTOCOL_NAMES, Setting
from .table import SETTINGS
from .values import flag_value

__all__ = ["EXIT_BAD_SETTINGS", "read_settings"]

EXIT_BAD_SETTINGS = 2


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors as one line (exit code 2)."""

    def error(self, message: str) -> NoReturn:
        _refuse(f"{self.prog}: {message} (see {self.prog} --help)")


def _refuse(message: str) -> NoReturn:
    print(f"mockc: {message}", file=sys.stderr, flush=True)
    raise SystemExit(EXIT_BAD_SETTINGS)


def _protocol_list(protocols: frozenset[str]) -> str:
    return ", ".join(PROTOCOL_NAMES.get(name, name) for name in sorted(protocols))


def _parser(protocol: str, description: str) -> _Parser:
    parser = _Parser(prog="server.py", description=description)
    for setting in SETTINGS:
        if setting.flag is None:
            continue
        honoured = protocol in setting.protocols
        help_text = _help(setting, protocol) if honoured else argparse.SUPPRESS
        if setting.switch:
            parser.add_argument(
                setting.flag, dest=setting.name, action="store_const", const="1", help=help_text
            )
        elif setting.parse is flag_value:
            parser.add_argument(
                setting.flag, dest=setting.name, metavar="1/0", nargs="?", const="1", help=help_text
            )
        else:
            metavar = "{" + ",".join(setting.choices) + "}" if setting.choices else "VALUE"
            parser.add_argument(setting.flag, dest=setting.name, metavar=metavar, help=help_text)
    return parser


def _help(setting: Setting, protocol: str) -> str:
    if setting.protocol_defaults or setting.shown_default is None:
        default = setting.default_for(protocol) or "none"
    else:
        default = setting.shown_default
    source = f"{setting.env}; " if setting.env else ""
    return f"{setting.meaning} ({source}default {default})".replace("`", "").replace("%", "%%")


def read_settings(
    protocol: str,
    argv: Sequence[str] | None,
    env: Mapping[str, str],
    *,
    description: str = "Serve the mock.",
) -> dict[str, Any]:
    """The values of ``protocol``'s settings (by :attr:`Setting.name`): a flag in
    ``argv`` wins over the environment variable in ``env``, which wins over the
    default. An empty environment variable counts as unset.

    A bad value, or a setting ``protocol`` does not honour given by flag or
    environment, prints one line naming it and exits with code 2.
    """
    options = _parser(protocol, description).parse_args(argv)
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        given = getattr(options, setting.name, None) if setting.flag else None
        from_env = env.get(setting.env, "") if setting.env else ""
        if protocol not in setting.protocols:
            if given is not None or from_env:
                named = setting.flag if given is not None else setting.env
                _refuse(
                    f"{named} does not apply to {PROTOCOL_NAMES.get(protocol, protocol)} "
                    f"servers (only to {_protocol_list(setting.protocols)}); unset it"
                )
            continue
        if given is not None:
            text, source = given, setting.flag
        elif from_env:
            text, source = from_env, setting.env
        else:
            text, source = setting.default_for(protocol), None
        try:
            values[setting.name] = setting.read(text)
        except ValueError:
            expected = setting.expects()
            where = f"{source}={text!r}" if source else f"default of {setting.name}"
            _refuse(f"{where} is not a valid value" + (f" ({expected})" if expected else ""))
    return values
