"""Pre-flight checks of a dropped file, before any parser sees it: what it really is, and whether it is
within the configured bounds.

A shared folder receives whatever people put there, so the file's bytes (never its name) decide what it
is, and the zip's central directory decides whether unpacking it is safe: `zipfile` never inflates a
member past the size the directory declares, so checking declared sizes bounds memory and time. Every
refusal carries a stable code and a Thai explanation of what to do.
"""
from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path
from typing import Iterator, Literal

import olefile

from service.settings import Limits

Format = Literal["xlsx", "xls", "ods"]
CONVERTIBLE: frozenset[str] = frozenset({"xls", "ods"})
MB = 1024 * 1024

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_BIFF_BOF, _BIFF_FILEPASS, _BIFF_EOF = 0x0809, 0x002F, 0x000A
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?\"")
_STRING_ITEM = re.compile(rb"<(?:\w+:)?si\b")
_MARKUP = re.compile(rb"<[^>]*>")
_CHUNK = 1 << 20
_TAIL = 512  # bytes kept between chunks, so that no element is cut in two
_SAVE_AS_XLSX = ("ให้เปิดไฟล์ใน Excel แล้วเลือก บันทึกเป็น \"Excel Workbook (.xlsx)\" "
                 "โดยใช้แบบฟอร์มมาตรฐาน แล้ววางไฟล์ลงในโฟลเดอร์ inbox อีกครั้ง")
NOT_READABLE = "ไฟล์นี้ไม่ใช่ไฟล์ Excel ที่อ่านได้ (.xlsx หรือ .xlsm) " + _SAVE_AS_XLSX


class NotAWorkbook(Exception):
    """The file cannot be read as a workbook; `code` and Thai `message` go to the receipt."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _refuse(what: str) -> NotAWorkbook:
    return NotAWorkbook("not_a_workbook", f"{what} {_SAVE_AS_XLSX}")


def _too_large(what: str, bound: str, value: str) -> NotAWorkbook:
    return NotAWorkbook("too_large", f"{what} เกินขีดจำกัดของระบบ ({bound} = {value}) "
                        "ให้ลบแผ่นงาน รูปภาพ หรือแถวที่ไม่ใช้ออก หรือแยกข้อมูลเป็นหลายไฟล์ "
                        "หากจำเป็นต้องใช้ไฟล์ขนาดนี้ ให้ติดต่อผู้ดูแลระบบ")


def _encrypted() -> NotAWorkbook:
    return NotAWorkbook("encrypted_workbook", "ไฟล์นี้ตั้งรหัสผ่านไว้ ระบบจึงเปิดอ่านไม่ได้ ให้เปิดไฟล์ใน Excel "
                        "แล้วเอารหัสผ่านออก (แฟ้ม > ข้อมูล > ป้องกันเวิร์กบุ๊ก > เข้ารหัสด้วยรหัสผ่าน "
                        "แล้วลบรหัสผ่านให้ว่าง) บันทึก แล้ววางไฟล์ลงในโฟลเดอร์ inbox อีกครั้ง")


def inspect_file(path: Path, limits: Limits) -> Format:
    """What the file is by its content; raises NotAWorkbook (not_a_workbook, encrypted_workbook,
    too_large) for anything that must not reach a parser."""
    size = path.stat().st_size
    if size > limits.max_file_mb * MB:
        raise _too_large(f"ไฟล์มีขนาด {size / MB:,.1f} MB", "max_file_mb", f"{limits.max_file_mb:g} MB")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_CFB):
        return _compound(path)
    if head.startswith(b"PK"):
        return _zip(path, size, limits)
    if head.startswith(b"%PDF"):
        raise _refuse("ไฟล์นี้เป็นไฟล์ PDF (แม้ชื่อไฟล์อาจลงท้ายด้วย .xlsx) ระบบอ่านข้อมูลจาก PDF ไม่ได้")
    if not head:
        raise _refuse("ไฟล์นี้ว่างเปล่า (ขนาด 0 ไบต์) อาจคัดลอกไม่สำเร็จ")
    raise _refuse("ไฟล์นี้ไม่ใช่ไฟล์ Excel (อาจเป็นไฟล์ชนิดอื่นที่เปลี่ยนชื่อเป็น .xlsx หรือไฟล์ข้อความ)")


def _compound(path: Path) -> Format:
    """OLE2/CFB: an encrypted Office 2007+ file, or Excel 97–2003 (.xls), or something else (Word .doc)."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage"):
                raise _encrypted()
            stream = "Workbook" if ole.exists("Workbook") else "Book" if ole.exists("Book") else None
            if stream is None:
                raise _refuse("ไฟล์นี้เป็นเอกสาร Office ชนิดอื่น (เช่น Word .doc) ไม่ใช่ไฟล์ Excel")
            if _biff_encrypted(ole.openstream(stream).read()):
                raise _encrypted()
    except (OSError, ValueError, struct.error) as exc:   # olefile's errors for a broken container
        raise _refuse("ไฟล์นี้เสียหรือบันทึกไม่สมบูรณ์") from exc
    return "xls"


def _biff_encrypted(data: bytes) -> bool:
    """A FILEPASS record in the globals substream (MS-XLS 2.4.117) means the .xls has a password.

    Hand-written rather than msoffcrypto-tool's `is_encrypted`: it is a scan of a few record headers,
    and that library would bring `cryptography` into the service only for this question."""
    offset = 0
    while offset + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, offset)
        if offset == 0 and kind != _BIFF_BOF:
            return False
        if kind == _BIFF_FILEPASS:
            return True
        if kind == _BIFF_EOF:
            return False
        offset += 4 + size
    return False


def _zip(path: Path, size: int, limits: Limits) -> Format:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_bomb(members, size, limits)
            names = {m.filename for m in members}
            if "mimetype" in names:
                with archive.open("mimetype") as fh:
                    mime = fh.read(100)
                if mime.strip() == _ODS_MIME:
                    return "ods"
                raise _refuse("ไฟล์นี้เป็นเอกสาร OpenDocument ชนิดอื่น (ไม่ใช่ตารางคำนวณ .ods)")
            if "xl/workbook.xml" in names:
                _check_parts(archive, names, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise _refuse("ไฟล์นี้เสียหรือบันทึกไม่สมบูรณ์ (อ่านโครงสร้างไฟล์ไม่ได้)") from exc
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise _refuse("ไฟล์นี้เป็น Excel Binary Workbook (.xlsb) ซึ่งระบบไม่รองรับ")
    if "word/document.xml" in names:
        raise _refuse("ไฟล์นี้เป็นเอกสาร Word (.docx) ไม่ใช่ไฟล์ Excel")
    raise _refuse("ไฟล์นี้เป็นไฟล์ zip ที่ไม่ใช่ไฟล์ Excel")


def _check_bomb(members: list[zipfile.ZipInfo], size: int, limits: Limits) -> None:
    """Declared sizes against max_uncompressed_mb and max_compression_ratio (a decompression bomb)."""
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_uncompressed_mb * MB:
        raise _too_large(f"ข้อมูลในไฟล์เมื่อแตกออกมีขนาด {unpacked / MB:,.0f} MB", "max_uncompressed_mb",
                         f"{limits.max_uncompressed_mb:g} MB")
    if unpacked > limits.max_compression_ratio * max(size, 1):
        raise _too_large(f"ไฟล์ถูกบีบอัดไว้ถึง {unpacked / max(size, 1):,.0f} เท่า (ลักษณะของ zip bomb)",
                         "max_compression_ratio", f"{limits.max_compression_ratio:g}")


def _chunks(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """A member's bytes in overlapping chunks (the declared sizes were checked, so this is bounded)."""
    tail = b""
    with archive.open(name) as fh:
        while block := fh.read(_CHUNK):
            yield tail + block
            tail = block[-_TAIL:]


def _column(letters: bytes) -> int:
    number = 0
    for c in letters:
        number = number * 26 + c - 64
    return number


def _check_parts(archive: zipfile.ZipFile, names: set[str], limits: Limits) -> None:
    """Merged ranges per sheet and the shared-string table, counted in the raw XML before any parser runs:
    a full load (the annotated copy) builds one object per merged cell and per string, so a 7.8 KB file
    with `F20:XFD1048576` or a table of millions of strings would take gigabytes."""
    for name in sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")):
        ranges, cells, seen = 0, 0, set()
        for chunk in _chunks(archive, name):
            for m in _MERGE.finditer(chunk):
                if m.group(0) in seen:  # the overlap between chunks repeats a few matches
                    continue
                seen.add(m.group(0))
                ranges += 1
                if m[3]:
                    cells += (abs(_column(m[3]) - _column(m[1])) + 1) * (abs(int(m[4]) - int(m[2])) + 1)
            if ranges > limits.max_merged_ranges:
                raise _too_large(f"แผ่นงานมีช่วงเซลล์ที่ผสานไว้มากกว่า {limits.max_merged_ranges:,} ช่วง",
                                 "max_merged_ranges", f"{limits.max_merged_ranges:,}")
            if cells > limits.max_merged_cells:
                raise _too_large(f"แผ่นงานมีเซลล์ที่ผสานไว้ {cells:,} เซลล์", "max_merged_cells",
                                 f"{limits.max_merged_cells:,}")
    if "xl/sharedStrings.xml" in names:
        _check_strings(archive, limits)


def _check_strings(archive: zipfile.ZipFile, limits: Limits) -> None:
    count = chars = 0
    carry = b""
    with archive.open("xl/sharedStrings.xml") as fh:
        while block := fh.read(_CHUNK):
            data = carry + block
            cut = data.rfind(b"<")  # an element may continue in the next block: keep it for then
            carry, data = (data[cut:], data[:cut]) if cut >= 0 and data.find(b">", cut) < 0 else (b"", data)
            count += len(_STRING_ITEM.findall(data))
            chars += len(_MARKUP.sub(b"", data).decode("utf-8", "ignore"))
            if count > limits.max_shared_strings:
                raise _too_large(f"ไฟล์มีข้อความไม่ซ้ำกันมากกว่า {limits.max_shared_strings:,} รายการ",
                                 "max_shared_strings", f"{limits.max_shared_strings:,}")
            if chars > limits.max_shared_string_chars:
                raise _too_large(f"ข้อความในไฟล์ยาวรวมกันมากกว่า {limits.max_shared_string_chars:,} ตัวอักษร",
                                 "max_shared_string_chars", f"{limits.max_shared_string_chars:,}")
