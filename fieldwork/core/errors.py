"""Error types core raises. Each carries a `code` the UI can key on and a one-line message."""

from __future__ import annotations


class FieldworkError(Exception):
    """Base of every error the project raises on purpose; str() is one line for the user."""

    code = "error"

    def __init__(self, message: str, *, needs: str | None = None) -> None:
        super().__init__(" ".join(str(message).split()))
        # What the person must supply to go on ("reason", "identity", ...): the command
        # line names its flag, the app its own field; the message itself names neither.
        self.needs = needs


class UserError(FieldworkError):
    """Bad input from the person at the keyboard (a wrong value, an unknown case, ...)."""

    code = "user"


class StoreError(FieldworkError):
    code = "store"


class WrongPassphrase(StoreError):
    code = "wrong_passphrase"


class PassphraseRequired(StoreError):
    code = "passphrase_required"


class DamagedFile(StoreError):
    code = "damaged"


class NotAnInspection(StoreError):
    code = "not_inspection"


class NewerVersion(StoreError):
    code = "newer_version"


class NeedsUpgrade(StoreError):
    """A file of an older schema opened read-only: it must be opened once to upgrade."""

    code = "needs_upgrade"


class DiskFull(StoreError):
    code = "disk_full"


class ReadOnly(StoreError):
    code = "read_only"


class Busy(StoreError):
    code = "busy"


class FileInUse(Busy):
    """Another process has the inspection file open (storage/filelock.py)."""

    code = "in_use"


class WeakPassphrase(UserError):
    """A new passphrase the rule of core/passphrase.py refuses."""

    code = "weak_passphrase"


class CannotUndo(FieldworkError):
    code = "cannot_undo"


class BundleError(FieldworkError):
    """A bundle that cannot be read, verified or imported; nothing was changed."""

    code = "bundle"


class Cancelled(FieldworkError):
    """The person cancelled long work; whatever it was writing was rolled back or removed."""

    code = "cancelled"
