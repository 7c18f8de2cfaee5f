"""age encryption of sync bundles (pyrage): to recipients' public keys, or to a passphrase.

The output is standard age, so `age -d -i KEYFILE` opens any bundle made here.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pyrage
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from fieldwork.core.errors import BundleError, UserError

AGE_MAGIC = b"age-encryption.org/v1\n"
AGE_ARMOR = b"-----BEGIN AGE ENCRYPTED FILE-----"
# scrypt's work factor is 2**N and takes 2**N KiB of memory. `age` writes 18; pyrage (rage)
# calibrates to about a second, 19-20 on a 2-core laptop. An attacker's 24 would make the
# process allocate 16 GiB and abort. 21 (2 GiB) leaves a little headroom for a faster laptop.
MAX_SCRYPT_LOG_N = 21


def is_age(head: bytes) -> bool:
    return head.startswith(AGE_MAGIC) or head.lstrip().startswith(AGE_ARMOR)


def needs_passphrase(head: bytes) -> bool:
    """Whether an age file is sealed with a passphrase (an scrypt stanza) rather than keys."""
    return b"\n-> scrypt " in head[:4096]


def file_needs_passphrase(path: str | Path) -> bool:
    """Whether the bundle at `path` is sealed with a passphrase (False if it cannot be
    read: opening it then says why)."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    return is_age(head) and needs_passphrase(head)


def recipient(text: str) -> x25519.Recipient:
    try:
        return x25519.Recipient.from_str(text.strip())
    except (pyrage.RecipientError, ValueError) as exc:
        raise UserError(f"{text.strip()[:70]!r} is not an age public key (age1...).") from exc


def identity(text: str) -> x25519.Identity:
    try:
        return x25519.Identity.from_str(text.strip())
    except (pyrage.IdentityError, ValueError) as exc:
        raise UserError("That is not an age identity (AGE-SECRET-KEY-...).") from exc


def read_identity_file(path: str | Path) -> list[x25519.Identity]:
    """The identities in an age key file (the format `age-keygen` and `fieldwork keygen` write)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"Cannot read the identity file {path}: {exc}") from exc
    keys = [
        line.strip() for line in text.splitlines() if line.strip().startswith("AGE-SECRET-KEY-")
    ]
    if not keys:
        raise UserError(f"{path} holds no age identity (AGE-SECRET-KEY-...).")
    return [identity(k) for k in keys]


def new_identity_file() -> tuple[str, str]:
    """The text of a fresh age key file, and its public key."""
    ident = x25519.Identity.generate()
    public = str(ident.to_public())
    created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    return f"# created: {created}\n# public key: {public}\n{ident}\n", public


def encrypt(data: bytes, recipients: Sequence[str]) -> bytes:
    keys = list(dict.fromkeys(recipients))
    out = io.BytesIO()
    try:
        pyrage.encrypt_io(io.BytesIO(data), out, [recipient(k) for k in keys])
    except pyrage.EncryptError as exc:
        raise BundleError(f"Cannot encrypt the bundle: {exc}.") from exc
    return out.getvalue()


def encrypt_with_passphrase(data: bytes, passphrase: str) -> bytes:
    if not passphrase:
        raise UserError("The bundle passphrase cannot be empty.")
    return age_passphrase.encrypt(data, passphrase)


def scrypt_log_n(data: bytes) -> int | None:
    """The work factor (log2 N) of an age file's scrypt stanza, read before any scrypt runs.

    None when the header has no scrypt stanza. A malformed stanza is a BundleError.
    """
    head = data[:65536]
    if head.lstrip().startswith(AGE_ARMOR):
        import base64
        import binascii

        lines = head.decode("ascii", "replace").strip().splitlines()[1:]
        body = "".join(line for line in lines if not line.startswith("-----"))
        try:
            head = base64.b64decode(body[: (len(body) // 4) * 4])[:65536]
        except (binascii.Error, ValueError):
            return None
    for line in head.split(b"\n---", 1)[0].split(b"\n"):
        if line.startswith(b"-> scrypt "):
            args = line.split(b" ")[2:]
            if len(args) != 2 or not args[1].isdigit() or args[1][:1] == b"0":
                raise BundleError("The bundle's passphrase header is malformed.")
            return int(args[1][:3])
    return None


def decrypt(
    data: bytes,
    identities: Sequence[x25519.Identity],
    ask_passphrase: Callable[[], str] | None = None,
) -> bytes:
    """Open an age file with these identities, or a passphrase when it is sealed with one."""
    if needs_passphrase(data):
        if ask_passphrase is None:
            raise BundleError("This bundle is sealed with a passphrase: give the passphrase.")
        work = scrypt_log_n(data)
        if work is not None and work > MAX_SCRYPT_LOG_N:
            raise BundleError(
                f"The bundle's passphrase asks for 2^{work} units of work, far above the "
                f"2^18 that age writes: refused, it would exhaust this laptop's memory."
            )
        try:
            return age_passphrase.decrypt(data, ask_passphrase())
        except pyrage.DecryptError as exc:
            raise BundleError(
                "Cannot open the bundle: wrong passphrase, or the bundle is damaged."
            ) from exc
    if not identities:
        raise BundleError(
            "This bundle is encrypted: give the identity (age key) that opens it.",
            needs="identity",
        )
    try:
        return pyrage.decrypt(data, list(identities))
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).lower():
            raise BundleError(
                "Cannot open the bundle: it was not encrypted to this laptop's key (wrong "
                "identity), or its header is damaged."
            ) from exc
        raise BundleError("Cannot open the bundle: it is damaged (decryption failed).") from exc
