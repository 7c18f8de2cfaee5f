"""Who wrote an op, provably: Ed25519 keys, per-device hash chains, signed chain heads.

Each device's ops, in the order a bundle's change log holds them ((hlc, op) within the
device), form a hash chain: h0 is 32 zero bytes and h(n) = SHA-256(h(n-1) + line n),
where line n is the op's canonical JSON line exactly as changes.ndjson carries it. A
signature binds (inspection, device, author, count, head): one signature per device
per bundle covers every op of that device, and anyone relaying the ops cannot change,
drop or reorder one without the head changing. The signatures travel in the bundle's
`signatures.json` member; this module writes and reads it. Pure functions: no store.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from fieldwork.core.errors import BundleError

FORMAT = "fieldwork-signatures"
VERSION = 1
GENESIS = bytes(32)
_sha256 = hashlib.sha256
_HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX128 = re.compile(r"[0-9a-f]{128}")
CHAIN_KEYS = frozenset(("device", "author", "count", "head", "key", "signature"))
FORMS_KEYS = frozenset(("author", "sha256", "key", "signature"))


# --------------------------------------------------------------------------- keys


def new_private_key() -> str:
    """A fresh Ed25519 private key as 64 hex digits (kept in the file's meta table)."""
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    raw = Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )
    return raw.hex()


def public_of(private_hex: str) -> str:
    """The public half of a private key, as 64 hex digits (what a member row holds)."""
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_hex))
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def is_public_key(text: Any) -> bool:
    return isinstance(text, str) and _HEX64.fullmatch(text) is not None


def sign(private_hex: str, message: bytes) -> str:
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_hex))
    return key.sign(message).hex()


def verifies(public_hex: str, message: bytes, signature_hex: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        key.verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError):
        return False
    return True


# ------------------------------------------------------------------------- chains


def chain_statement(inspection: str, device: str, author: str, count: int, head: str) -> bytes:
    """The bytes a chain signature covers."""
    return f"fieldwork chain v1\n{inspection}\n{device}\n{author}\n{count}\n{head}\n".encode()


def forms_statement(inspection: str, author: str, digest: str) -> bytes:
    """The bytes a forms signature covers (`digest`: forms_digest of the bundle's forms)."""
    return f"fieldwork forms v1\n{inspection}\n{author}\n{digest}\n".encode()


def forms_digest(sums: dict[str, str]) -> str:
    """One hash over the bundle's forms: their SHA256SUMS lines, sorted by name."""
    lines = "".join(f"{sha}  {name}\n" for name, sha in sorted(sums.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


class Chain:
    """One device's chain, fed line by line. The head (and newest op) at each count in
    `marks` is kept too, to compare with a signed or stored head of that length."""

    __slots__ = ("head", "count", "authors", "marks", "seen", "newest")

    def __init__(self, marks: frozenset[int] = frozenset()) -> None:
        self.head = GENESIS
        self.count = 0
        self.authors: set[str] = set()
        self.marks = marks
        self.seen: dict[int, tuple[str, str, str]] = {}  # count -> (head, hlc, op)
        self.newest: tuple[str, ...] = ("", "")  # the newest op: (op, hlc, ...)

    def add(self, line: bytes, author: str, hlc: str, op: str) -> None:
        self.head = _sha256(self.head + line).digest()
        self.count += 1
        self.authors.add(author)
        self.newest = (op, hlc)
        if self.count in self.marks:
            self.seen[self.count] = (self.head.hex(), hlc, op)

    @property
    def last(self) -> tuple[str, str]:
        """(hlc, op) of the newest op."""
        return self.newest[1], self.newest[0]

    def at(self, count: int) -> tuple[str, str, str] | None:
        """(head, hlc, op) after `count` ops, if it was marked (or is the end)."""
        if count == self.count:
            return (self.head.hex(), *self.last)
        return self.seen.get(count)


class Chains:
    """Every device's chain in one change log, fed a line and its row at a time (the hot
    loop of an import: one hash per op, kept to a handful of operations)."""

    def __init__(self, marks: dict[str, frozenset[int]] | None = None) -> None:
        self.by_device: dict[str, Chain] = {}
        self._marks = marks or {}

    def add(self, line: bytes, row: tuple[str, ...]) -> None:
        # row: a merge.Row (op, hlc, device, author, ...)
        chain = self.by_device.get(row[2])
        if chain is None:
            chain = self.by_device[row[2]] = Chain(self._marks.get(row[2], frozenset()))
        chain.head = _sha256(chain.head + line).digest()
        chain.count += 1
        chain.authors.add(row[3])
        chain.newest = row
        if chain.marks and chain.count in chain.marks:
            chain.seen[chain.count] = (chain.head.hex(), row[1], row[0])


@dataclass(frozen=True)
class SignedHead:
    """A device's chain head, signed by a member's key."""

    device: str
    author: str
    count: int
    head: str
    key: str
    signature: str

    def valid(self, inspection: str) -> bool:
        message = chain_statement(inspection, self.device, self.author, self.count, self.head)
        return verifies(self.key, message, self.signature)

    def to_json(self) -> dict[str, Any]:
        return {
            "device": self.device,
            "author": self.author,
            "count": self.count,
            "head": self.head,
            "key": self.key,
            "signature": self.signature,
        }


def sign_head(
    private_hex: str, inspection: str, device: str, author: str, count: int, head: str
) -> SignedHead:
    message = chain_statement(inspection, device, author, count, head)
    return SignedHead(
        device, author, count, head, public_of(private_hex), sign(private_hex, message)
    )


@dataclass(frozen=True)
class FormsSignature:
    """The exporter's signature over the forms its bundle carries."""

    author: str
    sha256: str
    key: str
    signature: str

    def valid(self, inspection: str) -> bool:
        return verifies(
            self.key, forms_statement(inspection, self.author, self.sha256), self.signature
        )


@dataclass(frozen=True)
class Signatures:
    """A bundle's signatures.json: the signed head of each device it carries ops of."""

    chains: tuple[SignedHead, ...] = ()
    forms: FormsSignature | None = None

    def by_device(self) -> dict[str, SignedHead]:
        return {c.device: c for c in self.chains}

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "chains": [c.to_json() for c in sorted(self.chains, key=lambda c: c.device)],
            "forms": None
            if self.forms is None
            else {
                "author": self.forms.author,
                "sha256": self.forms.sha256,
                "key": self.forms.key,
                "signature": self.forms.signature,
            },
        }
        return (json.dumps(data, sort_keys=True, indent=1) + "\n").encode("ascii")


def parse_signatures(data: bytes) -> Signatures:
    """signatures.json, every field checked; a BundleError names what is wrong."""
    try:
        d = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise BundleError("Refused: the bundle's signatures.json is not valid JSON.") from exc
    bad = BundleError("Refused: the bundle's signatures.json is malformed.")
    if not isinstance(d, dict) or d.keys() != {"format", "version", "chains", "forms"}:
        raise bad
    if d["format"] != FORMAT or type(d["version"]) is not int:
        raise bad
    if d["version"] > VERSION:
        raise BundleError(
            "This bundle's signatures were made by a newer Fieldwork: update Fieldwork to "
            "import it."
        )
    if not isinstance(d["chains"], list):
        raise bad
    chains = []
    for c in d["chains"]:
        if not isinstance(c, dict) or c.keys() != CHAIN_KEYS:
            raise bad
        ok = (
            _is(_HEX32, c["device"])
            and _is(_HEX32, c["author"])
            and type(c["count"]) is int
            and 0 < c["count"] <= 1_000_000_000
            and _is(_HEX64, c["head"])
            and _is(_HEX64, c["key"])
            and _is(_HEX128, c["signature"])
        )
        if not ok:
            raise bad
        chains.append(SignedHead(**c))
    if len({c.device for c in chains}) != len(chains):
        raise BundleError("Refused: the bundle's signatures.json signs one device twice.")
    forms = None
    f = d["forms"]
    if f is not None:
        if not isinstance(f, dict) or f.keys() != FORMS_KEYS:
            raise bad
        if not (
            _is(_HEX32, f["author"])
            and _is(_HEX64, f["sha256"])
            and _is(_HEX64, f["key"])
            and _is(_HEX128, f["signature"])
        ):
            raise bad
        forms = FormsSignature(**f)
    return Signatures(tuple(chains), forms)


def _is(pattern: re.Pattern[str], value: Any) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


class ChainError(BundleError):
    """A device's chain that does not match what was signed: the bundle is refused, and
    what it proves (a gap, a fork, ops altered on the way) is kept as evidence."""

    code = "chain"

    def __init__(self, message: str, *, device: str, author: str | None, kind: str) -> None:
        super().__init__(message)
        self.device = device
        self.author = author
        self.kind = kind  # "gap" | "fork" | "altered" | "forged"


def check_signed(
    signatures: Signatures,
    chains: Chains,
    inspection: str,
    name: Callable[[str], str] = lambda member: member[:8],
) -> None:
    """What a bundle can prove alone: every signature is good for the key it names, and
    covers a prefix of the chain the bundle carries (no op left out, none altered), made of
    ops of the author it names. Raises ChainError naming the device."""
    for entry in signatures.chains:
        device, who = entry.device, name(entry.author)
        where = f"device {device[:8]} ({who})"
        if not entry.valid(inspection):
            raise ChainError(
                f"Refused: the signature of {where} does not verify: the bundle was forged "
                "or damaged.",
                device=device, author=entry.author, kind="forged",
            )  # fmt: skip
        chain = chains.by_device.get(device)
        carried = chain.count if chain else 0
        if chain is None or entry.count > carried:
            raise ChainError(
                f"Refused: {where} signed {entry.count} ops but the bundle carries {carried}: "
                "a gap (ops were left out on the way).",
                device=device, author=entry.author, kind="gap",
            )  # fmt: skip
        at = chain.at(entry.count)
        if at is None or at[0] != entry.head:
            raise ChainError(
                f"Refused: the ops of {where} do not match its signature: they were altered "
                "on the way.",
                device=device, author=entry.author, kind="altered",
            )  # fmt: skip
        if chain.authors != {entry.author}:
            others = sorted(chain.authors - {entry.author})
            raise ChainError(
                f"Refused: {where} signed its ops as {who}, but some claim to be "
                f"{', '.join(name(o) for o in others)}'s.",
                device=device, author=entry.author, kind="forged",
            )  # fmt: skip
