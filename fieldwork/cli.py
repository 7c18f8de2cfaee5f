"""The `fieldwork` command line and entry point.

No Qt import here: only `fieldwork` with no subcommand (or `gui`) imports the app,
lazily. Each subcommand prints one line on stderr and exits 1 on a user error,
2 on a usage error.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from fieldwork import __version__
from fieldwork.core.errors import FieldworkError
from fieldwork.core.storage.db import DriverError, translate

COMMAND_MODULES = (
    "fieldwork.commands.inspection",
    "fieldwork.commands.report",
    "fieldwork.commands.bundle",
    "fieldwork.commands.team",
    "fieldwork.commands.forms",
    "fieldwork.commands.method",
    "fieldwork.commands.moderation",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        sys.stderr.write(f"{self.prog}: usage error: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="fieldwork", description="Offline case assessments for inspectors.")
    parser.add_argument("--version", action="version", version=f"fieldwork {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    gui = sub.add_parser("gui", help="open the desktop app")
    gui.add_argument("file", nargs="?")
    gui.set_defaults(func=_gui)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _gui(args: argparse.Namespace) -> int:
    from fieldwork.app import run  # Qt is imported only here

    return run(getattr(args, "file", None))


def describe_os_error(exc: OSError) -> str:
    """One line for a failed read or write, saying what to do about it."""
    where = f" ({exc.filename})" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return f"The disk is full{where}: nothing was written. Free some space and try again."
    if exc.errno == errno.EROFS:
        return f"That place is read-only{where}: choose a folder you can write to."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"Permission denied{where}: choose a folder you can write to."
    return f"{exc.strerror or exc}{where}"


# The flag that supplies what a core error says is missing (FieldworkError.needs).
FLAGS = {
    "reason": "--reason TEXT",
    "justification": "--justification TEXT",
    "identity": "--identity KEY_FILE",
    "plain": "--plain alone, or drop it",
    "name": "--name NAME",
    "confirm": "--confirm",
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func = getattr(args, "func", _gui)
    try:
        return int(func(args) or 0)
    except FieldworkError as exc:
        flag = FLAGS.get(exc.needs or "")
        sys.stderr.write(f"fieldwork: error: {exc}" + (f" (use {flag})" if flag else "") + "\n")
        return 1
    except DriverError as exc:  # a storage failure not caught closer to it
        sys.stderr.write(f"fieldwork: error: {translate(exc)}\n")
        return 1
    except OSError as exc:
        sys.stderr.write(f"fieldwork: error: {describe_os_error(exc)}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("fieldwork: interrupted\n")
        return 130
