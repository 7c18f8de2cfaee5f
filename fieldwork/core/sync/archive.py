"""The zip layer of a sync bundle: deterministic writing and hostile reading.

Writing is done by hand rather than with `zipfile`, because the manifest comes first
yet names the SHA-256 of `changes.ndjson`, which is only known once the change log has
been streamed; here each member is deflated (and hashed) before any header is written.
Every header field is fixed (time 1980-01-01 00:00, mode 0644, DEFLATE level 1), so the
same members give the same bytes.

Reading trusts nothing: member names come from a short allowlist, links, folders,
encrypted or oddly compressed members and duplicates are refused, sizes are capped
before and while reading, and an expansion ratio cap stops zip bombs.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from fieldwork.core.errors import BundleError

MANIFEST = "manifest.json"
CHANGES = "changes.ndjson"
SUMS = "SHA256SUMS"
SIGNATURES = "signatures.json"  # signed chain heads (signing.py); absent from 0.1.0 bundles
FORM_RE = re.compile(r"^forms/([a-z0-9][a-z0-9_-]{0,63})\.yaml$")
METHOD_RE = re.compile(r"^methods/([a-z0-9][a-z0-9-]{0,63})\.yaml$")

LEVEL = 1  # fast, and the NDJSON of ids still shrinks about 6 to 1
MAX_MEMBERS = 64
MAX_RATIO = 100  # expansion cap per member and overall, against zip bombs
MAX_SMALL = 1 << 20  # manifest, SHA256SUMS, each form
MAX_OP_BYTES = 4 << 20  # one line of changes.ndjson
PER_OP_BYTES = 16 << 10  # what the manifest's op count may need, on average, per op
MAX_ZIP32 = 0xFFFFFFFF

_DOS_TIME = 0  # 00:00:00
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_VERSION = 20
_MADE_BY = (3 << 8) | _VERSION  # Unix, so the mode below is read
_MODE = (stat.S_IFREG | 0o644) << 16
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")


@dataclass
class Deflated:
    """One member deflated in memory: its compressed chunks, CRC, size and SHA-256."""

    chunks: list[bytes] = field(default_factory=list)
    crc: int = 0
    size: int = 0
    compressed: int = 0
    sha256: str = ""


class Deflater:
    """Deflate a member in pieces, hashing the plain bytes on the way."""

    def __init__(self) -> None:
        self._z = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, 9)
        self._sha = hashlib.sha256()
        self.result = Deflated()

    def write(self, data: bytes) -> None:
        r = self.result
        r.crc = zlib.crc32(data, r.crc)
        r.size += len(data)
        self._sha.update(data)
        out = self._z.compress(data)
        if out:
            r.chunks.append(out)
            r.compressed += len(out)

    def finish(self) -> Deflated:
        r = self.result
        tail = self._z.flush()
        r.chunks.append(tail)
        r.compressed += len(tail)
        r.sha256 = self._sha.hexdigest()
        return r


def deflate(data: bytes) -> Deflated:
    d = Deflater()
    d.write(data)
    return d.finish()


def write_zip(out: BinaryIO, members: Iterable[tuple[str, Deflated]]) -> None:
    """Write the members, in the order given, as a zip with fixed headers."""
    central = []
    offset = 0
    for name, m in members:
        raw = name.encode("ascii")
        if m.size > MAX_ZIP32 or m.compressed > MAX_ZIP32 or offset > MAX_ZIP32:
            raise BundleError("The change log is too big for one bundle (over 4 GB).")
        out.write(
            _LOCAL.pack(
                0x04034B50,
                _VERSION,
                0,
                zipfile.ZIP_DEFLATED,
                _DOS_TIME,
                _DOS_DATE,
                m.crc,
                m.compressed,
                m.size,
                len(raw),
                0,
            )  # fmt: skip
        )
        out.write(raw)
        for chunk in m.chunks:
            out.write(chunk)
        central.append(
            _CENTRAL.pack(
                0x02014B50,
                _MADE_BY,
                _VERSION,
                0,
                zipfile.ZIP_DEFLATED,
                _DOS_TIME,
                _DOS_DATE,
                m.crc,
                m.compressed,
                m.size,
                len(raw),
                0,
                0,
                0,
                0,
                _MODE,
                offset,
            )  # fmt: skip
            + raw
        )
        offset += _LOCAL.size + len(raw) + m.compressed
    directory = b"".join(central)
    out.write(directory)
    out.write(_END.pack(0x06054B50, 0, 0, len(central), len(central), len(directory), offset, 0))


# ------------------------------------------------------------------ reading


# Everything zipfile and zlib raise on a malformed archive (found by fuzzing: an
# unsupported "zip file version" raises NotImplementedError, an encrypted member
# RuntimeError, a short header struct.error).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    struct.error,
    KeyError,
    IndexError,
    OverflowError,
)


def _check_name(name: str) -> None:
    shown = name if len(name) <= 60 else name[:57] + "..."
    if "\\" in name:
        raise BundleError(f"Refused: the bundle has a member with a backslash ({shown!r}).")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise BundleError(f"Refused: the bundle has a member with an absolute path ({shown!r}).")
    if ".." in name.split("/"):
        raise BundleError(
            f"Refused: the bundle has a member leading out of its folder ({shown!r})."
        )
    if name.endswith("/"):
        raise BundleError(f"Refused: the bundle has a folder member ({shown!r}).")
    if name not in (MANIFEST, CHANGES, SUMS, SIGNATURES) and not (
        FORM_RE.match(name) or METHOD_RE.match(name)
    ):
        raise BundleError(f"Refused: the bundle has an unexpected member {shown!r}.")


class BundleZip:
    """A bundle's zip opened for reading, its member list already checked."""

    def __init__(self, source: BinaryIO | bytes, size: int) -> None:
        stream = io.BytesIO(source) if isinstance(source, bytes) else source
        head = stream.read(4)
        stream.seek(0)
        try:
            self.zf = zipfile.ZipFile(stream)
        except ZIP_ERRORS as exc:
            if head == b"PK\x03\x04":
                raise BundleError(
                    "The bundle is truncated or damaged (its zip is incomplete)."
                ) from exc
            raise BundleError("This is not a Fieldwork bundle (not a zip file).") from exc
        infos = self.zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise BundleError(f"Refused: the bundle has too many members ({len(infos)}).")
        names = [i.filename for i in infos]
        for info in infos:
            _check_name(info.filename)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode) or (mode and not stat.S_ISREG(mode)):
                raise BundleError(f"Refused: the bundle member {info.filename!r} is a link.")
            if info.flag_bits & 0x1:
                raise BundleError(f"Refused: the bundle member {info.filename!r} is encrypted.")
            if info.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
                raise BundleError(
                    f"Refused: the bundle member {info.filename!r} is compressed oddly."
                )
            if info.file_size > MAX_RATIO * max(info.compress_size, 1) + 1024:
                raise BundleError(
                    f"Refused: the bundle member {info.filename!r} expands over "
                    f"{MAX_RATIO} to 1 (a zip bomb)."
                )
        if len(set(names)) != len(names):
            dup = next(n for n in names if names.count(n) > 1)
            raise BundleError(f"Refused: the bundle has the member {dup!r} twice.")
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos)
        if total > MAX_RATIO * max(packed, 1) + 4096 or packed > size:
            raise BundleError(f"Refused: the bundle expands over {MAX_RATIO} to 1 (a zip bomb).")
        self.infos = {i.filename: i for i in infos}

    def names(self) -> list[str]:
        return list(self.infos)

    def _open(self, name: str, cap: int, what: str) -> BinaryIO:
        info = self.infos.get(name)
        if info is None:
            raise BundleError(f"The bundle has no {name} ({what}).")
        if info.file_size > cap:
            raise BundleError(f"Refused: {name} in the bundle is bigger than it can need.")
        try:
            return self.zf.open(info)  # type: ignore[return-value]
        except ZIP_ERRORS as exc:
            raise BundleError(f"The bundle is damaged: cannot read {name} ({exc}).") from exc

    def read(self, name: str, what: str, cap: int = MAX_SMALL) -> tuple[bytes, str]:
        """A small member's bytes and SHA-256, reading no more than `cap`."""
        with self._open(name, cap, what) as f:
            data = _guarded(lambda: f.read(cap + 1), name)
        if len(data) > cap:
            raise BundleError(f"Refused: {name} in the bundle is bigger than it can need.")
        return data, hashlib.sha256(data).hexdigest()

    def lines(self, name: str, cap: int, digest: dict[str, str]) -> Iterator[bytes]:
        """Stream a member's lines (split on b"\\n" only), capped in total and per line.

        When the member is used up its SHA-256 and size are left in `digest`.
        """
        sha = hashlib.sha256()
        size = 0
        rest = b""
        with self._open(name, cap, "the change log") as f:
            while True:
                chunk = _guarded(lambda: f.read(1 << 20), name)
                if not chunk:
                    break
                size += len(chunk)
                if size > cap:
                    raise BundleError(f"Refused: {name} in the bundle is bigger than it can need.")
                sha.update(chunk)
                parts = (rest + chunk).split(b"\n")
                rest = parts.pop()
                if len(rest) > MAX_OP_BYTES:
                    raise BundleError(f"Refused: a line of {name} is too long.")
                yield from parts
        if rest:
            raise BundleError(f"The bundle's {name} does not end with a newline (truncated?).")
        digest["sha256"] = sha.hexdigest()
        digest["size"] = str(size)


def _guarded(read: object, name: str) -> bytes:
    try:
        return read()  # type: ignore[operator, no-any-return]
    except ZIP_ERRORS as exc:
        raise BundleError(f"The bundle is damaged: {name} cannot be read ({exc}).") from exc
