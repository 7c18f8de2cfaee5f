"""Reading an XLSForm workbook (.xlsx) as hostile input: sheets of plain cell values.

What a workbook holds is read, nothing more: cached values of formulas (openpyxl's
`data_only`), never an evaluation; no external links. Before openpyxl sees the file:
the old binary format (.xls, an OLE2 container, whatever the file is called) and
anything that is not a zip are refused in one line; sizes are capped (file, members,
unpacked bytes, expansion ratio) as for bundles; an XML part that declares a DTD or
entities is refused (defusedxml, which openpyxl uses when installed, refuses them
again while parsing). Only the sheets asked for are read, at most MAX_ROWS rows with
something in them and MAX_COLUMNS columns, so a sheet whose styled range runs to
column ISI costs no more than one that stops at D.
"""

from __future__ import annotations

import io
import warnings
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldwork.core.errors import FieldworkError

MAX_FILE_BYTES = 20 << 20
MAX_MEMBERS = 2000
MAX_UNPACKED = 256 << 20  # all parts together
MAX_PART = 64 << 20  # one part
MAX_RATIO = 100  # expansion cap for a part over 1 MB, against zip bombs
MAX_ROWS = 10_000  # rows with something in them, per sheet
MAX_COLUMNS = 256
PROLOG_BYTES = 64 << 10  # how much of each XML part is searched for a DTD

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class XLSFormError(FieldworkError, ValueError):
    """A refused workbook or form; str() is one line naming the file, sheet, row and column."""

    code = "xlsform"


@dataclass
class Sheet:
    """One sheet: its header (the first row with anything in it) and the rows below."""

    title: str
    header_row: int = 0
    header: list[Any] = field(default_factory=list)
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)


@dataclass
class Book:
    path: str
    sheet_titles: list[str]
    sheets: dict[str, Sheet]  # by lower-case title, only those asked for


def _fail(path: str, reason: str) -> XLSFormError:
    return XLSFormError(f"{path}: {reason}")


def sniff(path: Path, shown: str) -> bytes:
    """The file's bytes, once it looks like an .xlsx; refuse .xls and non-workbooks."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise _fail(shown, "is a folder, not an Excel workbook")
        if size > MAX_FILE_BYTES:
            raise _fail(shown, f"is larger than {MAX_FILE_BYTES >> 20} MB, too big for a form")
        data = path.read_bytes()
    except FileNotFoundError:
        raise _fail(shown, "no such file") from None
    except OSError as exc:
        raise _fail(shown, f"cannot be read: {exc.strerror or exc}") from None
    if data.startswith(OLE2_MAGIC):
        raise _fail(
            shown,
            "is in the old Excel format (.xls, or a password-protected workbook): "
            "save it from Excel as .xlsx, without a password, and import that",
        )
    if not data.startswith(ZIP_MAGIC):
        raise _fail(shown, "is not an Excel workbook (.xlsx)")
    return data


def check_parts(data: bytes, shown: str) -> None:
    """Caps on the zip's parts, and no DTD or entity declaration in any XML part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            if len(infos) > MAX_MEMBERS:
                raise _fail(shown, f"has more than {MAX_MEMBERS} parts")
            if "xl/workbook.xml" not in {i.filename for i in infos}:
                raise _fail(shown, "is a zip file but not an Excel workbook (.xlsx)")
            if sum(i.file_size for i in infos) > MAX_UNPACKED:
                raise _fail(shown, f"unpacks to more than {MAX_UNPACKED >> 20} MB")
            for info in infos:
                if info.flag_bits & 0x1:
                    raise _fail(shown, "is encrypted")
                big = info.file_size > (1 << 20)
                if info.file_size > MAX_PART or (
                    big and info.file_size > MAX_RATIO * max(1, info.compress_size)
                ):
                    raise _fail(shown, f"part {info.filename} unpacks too large")
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with z.open(info) as part:
                        _check_prolog(part.read(PROLOG_BYTES), shown, info.filename)
    except XLSFormError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError,
            RuntimeError, OSError, ValueError):  # fmt: skip
        raise _fail(shown, "is damaged: not a readable Excel workbook (.xlsx)") from None


def _check_prolog(head: bytes, shown: str, part: str) -> None:
    text = head
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore").encode("utf-8")
    if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
        raise _fail(shown, f"part {part} declares XML entities (a DTD), which are refused")


def read_book(path: str | Path, wanted: Iterable[str]) -> Book:
    """Read the sheets named in `wanted` (matched without regard to case)."""
    shown = str(path)
    data = sniff(Path(path), shown)
    check_parts(data, shown)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
            try:
                titles = list(wb.sheetnames)
                wanted_lower = {w.lower() for w in wanted}
                sheets = {}
                for ws in wb.worksheets:
                    key = ws.title.strip().lower()
                    if key in wanted_lower and key not in sheets:
                        sheets[key] = _read_sheet(ws, shown)
            finally:
                wb.close()
    except XLSFormError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a malformed part
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise _fail(shown, f"is not a readable Excel workbook (.xlsx): {reason}") from None
    return Book(shown, titles, sheets)


def _read_sheet(ws: Any, shown: str) -> Sheet:
    sheet = Sheet(ws.title)
    declared = ws.max_column or 0
    for number, values in enumerate(ws.iter_rows(max_col=MAX_COLUMNS, values_only=True), 1):
        cells = tuple(_plain(v) for v in values)
        if not any(v is not None for v in cells):
            continue
        if not sheet.header:
            sheet.header_row, sheet.header = number, list(cells)
            if declared == 0 or declared > MAX_COLUMNS:
                _check_wide_header(ws, number, shown)
            continue
        if len(sheet.rows) >= MAX_ROWS:
            raise _fail(shown, f"sheet {ws.title} has more than {MAX_ROWS:,} rows")
        sheet.rows.append((number, cells))
    return sheet


def _check_wide_header(ws: Any, number: int, shown: str) -> None:
    """A styled range may run far to the right; a header cell past the cap may not."""
    for values in ws.iter_rows(min_row=number, max_row=number, values_only=True):
        if any(_plain(v) is not None for v in values[MAX_COLUMNS:]):
            raise _fail(shown, f"sheet {ws.title} has more than {MAX_COLUMNS} columns")


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return value if value.strip() else None
    return value
