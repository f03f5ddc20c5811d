"""A file handed to the tool -> what it really is, checked for safety before anything parses it.

Files are identified by their first bytes and, for zip and OLE containers, by what they hold, never
by their name: an ``.xls`` renamed ``.xlsx`` is still an ``.xls``. Zip archives are checked for entry
count, uncompressed size and compression ratio before any XML is read (neither openpyxl nor calamine
caps decompression).
"""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import olefile

from ..findings import Finding, make
from ..messages import text

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 5000
MAX_ENTRY_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 300 * 1024 * 1024
MAX_RATIO = 100  # Apache POI's default: refuse entries inflating more than 100:1 ...
RATIO_FLOOR = 1024 * 1024  # ... once they are larger than this

XLSX, XLSM = "xlsx", "xlsm"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Intake:
    """The outcome of taking a file in: ``data`` is set only when it is a workbook we may read."""

    path: str
    kind: str  # xlsx, xlsm, or what the file turned out to be
    size: int = 0
    sha256: str = ""
    data: bytes | None = None
    finding: Finding | None = None  # why it cannot be read (or, for xlsm, a warning)

    @property
    def readable(self) -> bool:
        return self.data is not None


def take(path: str | Path, lang: str = "zh", data: bytes | None = None) -> Intake:
    """Identify a file by content; ``data`` may be given for files that came out of a zip archive."""
    name = str(path)
    if data is None:
        opened = file_bytes(path, lang)
        if isinstance(opened, Intake):
            return opened
        data = opened
    intake = Intake(name, "unknown", size=len(data), sha256=hashlib.sha256(data).hexdigest())
    if not data:
        intake.kind, intake.finding = "empty", make("file-empty", lang)
    elif data.startswith(OLE_MAGIC):
        intake.kind, intake.finding = _ole(data, name, lang)
    elif data.startswith(b"PK"):
        intake.kind, intake.finding = _zip(data, lang)
        if intake.kind in (XLSX, XLSM):
            intake.data = data
    else:
        intake.kind, intake.finding = _other(data, lang)
    return intake


def file_bytes(
    path: str | Path, lang: str, limit: int = MAX_FILE_BYTES, too_large: str = "file-too-large"
) -> bytes | Intake:
    """A file's bytes, or an :class:`Intake` saying why there are none: missing, a folder, larger than
    ``limit`` (finding ``too_large``) or unreadable (permissions, I/O errors)."""
    name, p = str(path), Path(path)
    try:
        if not p.exists():
            return Intake(name, "missing", finding=make("file-missing", lang))
        if p.is_dir():
            folder = text("read.folder", lang)
            return Intake(name, "folder", finding=make("file-unreadable", lang, detail=folder))
        size = p.stat().st_size
        if size > limit:
            detail = f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{size} B"
            return Intake(name, "too-large", size=size, finding=make(too_large, lang, detail=detail))
        return p.read_bytes()
    except OSError as exc:
        return Intake(name, "unreadable", finding=make("file-unreadable", lang, detail=exc.strerror or str(exc)))


def _ole(data: bytes, name: str, lang: str) -> tuple[str, Finding]:
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
        streams = {"/".join(s) for s in ole.listdir(streams=True, storages=True)}
        ole.close()
    except Exception as exc:  # olefile raises several types for damaged containers
        return "corrupt", make("file-corrupt", lang, detail=f"OLE: {exc}")
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        return "encrypted", make("file-encrypted", lang)
    if name.lower().endswith((".et", ".ett")):
        return "et", make("file-et", lang)
    if "Workbook" in streams or "Book" in streams:
        return "xls", make("file-xls", lang)
    if "WordDocument" in streams:
        return "doc", make("file-ole", lang, detail="Word 97-2003 .doc")
    if "PowerPoint Document" in streams:
        return "ppt", make("file-ole", lang, detail="PowerPoint 97-2003 .ppt")
    return "ole", make("file-ole", lang, detail="OLE")


def _zip(data: bytes, lang: str) -> tuple[str, Finding | None]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return "corrupt", make("file-corrupt", lang, detail=_zip_error(exc, lang))
    risk = inflation_risk(infos) or next(
        (f"{i.filename}: {i.file_size} bytes" for i in infos if i.file_size > MAX_ENTRY_BYTES), None
    )
    if risk:
        return "too-large", make("file-too-large", lang, detail=risk)
    names = {i.filename for i in infos}
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        if "xl/workbook.bin" in names:
            return "xlsb", make("file-other", lang, detail=text("read.xlsb", lang))
        if "xl/vbaProject.bin" in names:
            return XLSM, make("file-macros", lang)
        return XLSX, None
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return "corrupt", make("file-corrupt", lang, detail=text("read.no-workbook-part", lang))
    if "mimetype" in names:
        try:
            mime = zf.read("mimetype")[:100].decode("ascii", "replace")
        except Exception:  # a damaged entry still tells us it is not a workbook
            mime = ""
        if "spreadsheet" in mime:
            return "ods", make("file-ods", lang)
        return "odf", make("file-other", lang, detail=f"OpenDocument {mime}")
    if "word/document.xml" in names:
        return "docx", make("file-docx", lang)
    if any(n.startswith("ppt/") for n in names):
        return "pptx", make("file-other", lang, detail="PowerPoint .pptx")
    return "zip", make("file-zip", lang)


def inflation_risk(infos: list[zipfile.ZipInfo]) -> str | None:
    """Why unpacking these zip entries is unsafe (too many, too large in all, or inflating too much), if it is."""
    if len(infos) > MAX_ENTRIES:
        return bilingual("read.zip-entries", n=len(infos))
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            return f"{info.filename}: {info.file_size // max(info.compress_size, 1)}:1"
    total = sum(i.file_size for i in infos)
    return f"{total} bytes" if total > MAX_TOTAL_BYTES else None


def bilingual(key: str, **fields: Any) -> str:
    """A catalogue text in Chinese and English ("… / …"), for details made before a language applies."""
    return f"{text(key, 'zh', **fields)} / {text(key, 'en', **fields)}"


def _zip_error(exc: BaseException, lang: str) -> str:
    said = str(exc)
    if "File is not a zip file" in said or "Truncated" in said or "End-of-central-directory" in said:
        return text("read.truncated-zip", lang)
    return said


_SIGNATURES = (  # leading bytes, the file's kind, what it is shown as (a catalogue key, or the name itself)
    (b"%PDF", "PDF", ""),
    (b"\x89PNG", "PNG", "read.image"),
    (b"\xff\xd8\xff", "JPEG", "read.image"),
    (b"GIF8", "GIF", "read.image"),
    (b"{\\rtf", "RTF", ""),
    (b"Rar!", "RAR", "read.archive"),
    (b"7z\xbc\xaf", "7z", "read.archive"),
    (b"\x1f\x8b", "gzip", ""),
)


def _other(data: bytes, lang: str) -> tuple[str, Finding]:
    for magic, kind, key in _SIGNATURES:
        if data.startswith(magic):
            label = text(key, lang, kind=kind) if key else kind
            return kind.lower(), make("file-other", lang, detail=label)
    head = data[:4096]
    decoded = None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        decoded = head.decode("utf-16", "replace")
    elif b"\x00" not in head:
        for encoding in ("utf-8", "gb18030"):
            try:
                decoded = head.decode(encoding)
                break
            except UnicodeDecodeError as exc:
                if exc.start >= len(head) - 4:  # a character cut off by the 4096-byte window
                    decoded = head[: exc.start].decode(encoding)
                    break
    if decoded is None or sum(ch < " " and ch not in "\r\n\t" for ch in decoded) > len(decoded) // 20:
        return "binary", make("file-other", lang, detail=text("read.binary", lang))
    lowered = decoded.lstrip().lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in lowered:
        return "xml-spreadsheet", make("file-text", lang, detail=text("read.xml-spreadsheet", lang))
    if lowered.startswith(("<html", "<!doctype html", "<table")) or "<html" in lowered[:500]:
        return "html", make("file-text", lang, detail=text("read.html", lang))
    if lowered.startswith("<?xml") or lowered.startswith("<"):
        return "xml", make("file-text", lang, detail="XML")
    first = decoded.splitlines()[0] if decoded.splitlines() else ""
    if "," in first or "\t" in first:
        return "csv", make("file-text", lang, detail=text("read.csv", lang))
    return "text", make("file-text", lang, detail=text("read.plain-text", lang))
