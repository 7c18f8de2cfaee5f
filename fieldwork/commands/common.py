"""What every subcommand shares: getting the passphrase and opening the store."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from fieldwork.core.errors import NeedsUpgrade, PassphraseRequired, UserError
from fieldwork.core.storage.db import is_plaintext
from fieldwork.core.storage.store import Store

PASSPHRASE_ENV = "FIELDWORK_PASSPHRASE"


def ask_passphrase(prompt: str, env: str = PASSPHRASE_ENV, *, confirm: bool = False) -> str:
    """From the environment, or a prompt on a terminal; never waits without a terminal."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise PassphraseRequired(f"Set {env} or run this on a terminal to give the passphrase.")
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != value:
        raise UserError("The two passphrases differ: nothing was created.")
    if not value:
        raise UserError("The passphrase cannot be empty.")
    return value


def passphrase_for(path: Path) -> str | None:
    if not path.exists():
        raise UserError(f"No such inspection file: {path}")
    if path.is_dir():
        raise UserError(f"{path} is a folder, not an inspection file.")
    if is_plaintext(path):
        return None
    return ask_passphrase(f"Passphrase for {path.name}: ")


def open_store(path: str | Path, *, readonly: bool = False, check: bool = True) -> Store:
    """Open an inspection file. A file made by an older release that a reading command
    opens is upgraded first (as any other command would, a copy kept beside it), so the
    report, ratings and exports of an older file keep working. A laptop clock that looks
    far wrong is noted on stderr."""
    path = Path(path)
    passphrase = passphrase_for(path)
    try:
        store = Store.open(path, passphrase, readonly=readonly, check=check)
    except NeedsUpgrade:
        Store.open(path, passphrase, check=check).close()
        sys.stderr.write(f"Upgraded {path.name} to this release's file layout.\n")
        store = Store.open(path, passphrase, readonly=True, check=False)
    warning = store.audit.clock_warning()
    if warning:
        sys.stderr.write(f"fieldwork: note: {warning}\n")
    return store


def out(line: str) -> None:
    print(line, flush=True)
