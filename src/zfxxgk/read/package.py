"""Reading an .xlsx package: sheet list, defined names, protection, formulas and values.

Values come from python-calamine (fast; it reads stored results of formulas). What calamine does
not expose -- which cells hold formulas, their text, sheet and workbook protection, defined names --
comes from the package's XML, parsed only after every part has been screened for DTDs (see :class:`Package`).
Files that openpyxl opens (``--annotate``) are protected by defusedxml, which openpyxl uses when it
is installed.
"""

from __future__ import annotations

import html
import io
import logging
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from lxml import etree
from lxml.etree import _Element as Element
from python_calamine import CalamineWorkbook

from .intake import bilingual

log = logging.getLogger(__name__)

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
APP_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
_APP_FIELD = re.compile(r"<(?:\w+:)?(Application|AppVersion)>([^<]*)</")
_F_ELEMENT = re.compile(rb"<(?:\w+:)?f(?=[\s>/])([^>]*?)(?:/>|>([^<]*)</(?:\w+:)?f>)")
_ERROR_TYPE = re.compile(rb"\st\s*=\s*[\"']e[\"']")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</")
_R_ATTR = re.compile(rb"\sr\s*=\s*[\"']([A-Z]{1,3}[0-9]+)[\"']")
_PROTECTION = re.compile(rb"<(?:\w+:)?sheetProtection\b([^>]*)>")
_SHEET_ATTR = re.compile(rb"\ssheet\s*=\s*[\"'](1|true)[\"']")
SMALL_PART = 256 * 1024
_ROOT_START = re.compile(rb"<[A-Za-z_]")  # the first element's start tag ends the prolog
_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?\bref\s*=\s*[\"']([A-Z]{1,3}[0-9]+):([A-Z]{1,3}[0-9]+)[\"']")

Grid = list[list[Any]]


class PackageError(Exception):
    """The package cannot be read; ``code`` is a findings catalogue code."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class SheetInfo:
    name: str
    part: str  # zip member, e.g. xl/worksheets/sheet3.xml
    state: str  # visible, hidden, veryHidden


@dataclass
class SheetXml:
    formulas: dict[str, str] = field(default_factory=dict)  # A1 -> formula text ("" for shared children)
    errors: dict[str, str] = field(default_factory=dict)  # A1 -> error value such as #DIV/0!
    protected: bool = False


@lru_cache(maxsize=4096)
def a1_to_rc(a1: str) -> tuple[int, int]:
    """'C5' -> (4, 2), zero-based."""
    m = _CELL.match(a1.upper())
    if not m:
        raise ValueError(f"not a cell address: {a1}")
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


_M = {"m": NS[1:-1]}
_FORMULAS = etree.XPath("/m:worksheet/m:sheetData/m:row/m:c/m:f", namespaces=_M)
_ERRORS = etree.XPath("/m:worksheet/m:sheetData/m:row/m:c[@t='e']", namespaces=_M)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _parse(data: bytes, part: str) -> Element:
    """Parse one XML part (already screened for DTDs by :class:`Package`).

    The parser resolves no entities and fetches nothing. lxml is used because checking is
    read-bound: it parses a template's parts in 0.7 ms where ElementTree takes 1.1 ms and
    defusedxml's pure-Python parser 2.5 ms (measured here).
    """
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PackageError("file-corrupt", f"{part}: XML {exc}") from exc


class Package:
    """An opened .xlsx (already checked by :mod:`zfxxgk.intake`)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as exc:
            raise PackageError("file-corrupt", str(exc)) from exc
        self._grids: dict[str, Grid] = {}
        self._xml: dict[str, SheetXml] = {}
        self._parts: dict[str, bytes] = {}
        # OOXML never needs a DTD, so refusing <!DOCTYPE/<!ENTITY in every XML part, before anything
        # (calamine included) parses one, closes every entity attack (billion laughs, external
        # entities): stricter than defusedxml's default policy, and the parsers can stay fast.
        for info in self.zip.infolist():
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            # Small parts are read whole (and kept: most are parsed later); large ones only to their root.
            head = self._read(info.filename) if info.file_size <= SMALL_PART else self._prolog(info)
            root = _ROOT_START.search(head)
            if b"<!DOCTYPE" in head[: root.start() if root else None]:
                raise PackageError("file-unsafe-xml", f"{info.filename}: DTD")
        root = _parse(self._read("xl/workbook.xml"), "xl/workbook.xml")
        rels = self._rels("xl/_rels/workbook.xml.rels", "xl")
        self.sheets: list[SheetInfo] = []
        sheets_el = root.find(f"{NS}sheets")
        for el in sheets_el if sheets_el is not None else []:
            rid = el.get(f"{REL_NS}id", "")
            self.sheets.append(SheetInfo(el.get("name", ""), rels.get(rid, ""), el.get("state", "visible")))
        # LibreOffice 7.4 writes a bare <workbookProtection/> for a structure-protected workbook (measured),
        # so a missing lockStructure attribute counts as locked; openpyxl writes lockStructure="0" when unlocked.
        prot = root.find(f"{NS}workbookProtection")
        self.structure_protected = prot is not None and prot.get("lockStructure", "1") in ("1", "true")
        self._names_el = root.find(f"{NS}definedNames")

    @cached_property
    def defined_names(self) -> dict[str, tuple[str, str]]:
        """Workbook-level names that point at one cell: name -> (sheet, A1)."""
        out: dict[str, tuple[str, str]] = {}
        for el in self._names_el if self._names_el is not None else []:
            target = (el.text or "").strip()
            if "!" in target and el.get("localSheetId") is None:
                sheet, ref = target.rsplit("!", 1)
                if sheet.startswith("'") and sheet.endswith("'"):
                    sheet = sheet[1:-1].replace("''", "'")
                if _CELL.match(ref):
                    out[el.get("name", "")] = (sheet, ref.replace("$", ""))
        return out

    def _prolog(self, info: zipfile.ZipInfo) -> bytes:
        """A part's bytes up to its root element: the only place a DTD (and so an entity) can be."""
        head = b""
        try:
            with self.zip.open(info) as fh:
                while chunk := fh.read(2048):
                    head += chunk
                    if _ROOT_START.search(head):
                        break
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as exc:
            raise PackageError("file-corrupt", f"{info.filename}: {exc}") from exc
        m = _ROOT_START.search(head)
        return head[: m.start()] if m else head

    def _read(self, part: str) -> bytes:
        if part in self._parts:
            return self._parts[part]
        try:
            body = self._parts[part] = self.zip.read(part)
        except KeyError as exc:
            raise PackageError("file-corrupt", bilingual("read.missing-part", part=part)) from exc
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as exc:  # CRC errors, truncation
            raise PackageError("file-corrupt", f"{part}: {exc}") from exc
        return body

    def _rels(self, part: str, base: str) -> dict[str, str]:
        if part not in self.zip.namelist():
            return {}
        out = {}
        for el in _parse(self._read(part), part):
            target = el.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"{base}/{target}")
            out[el.get("Id", "")] = path
        return out

    @cached_property
    def application(self) -> str:
        """Application and version that last saved the file (docProps/app.xml), e.g. 'Microsoft Excel 16.0300'."""
        if "docProps/app.xml" not in self.zip.namelist():
            return ""
        data = self._read("docProps/app.xml")
        # Two short text elements at the top of the part: read them without parsing the long part lists.
        found = {m.group(1): m.group(2).strip() for m in _APP_FIELD.finditer(data.decode("utf-8", "replace")[:4096])}
        return f"{found.get('Application', '')} {found.get('AppVersion', '')}".strip()

    def sheet(self, name: str) -> SheetInfo | None:
        return next((s for s in self.sheets if s.name == name), None)

    @cached_property
    def _calamine(self) -> Any:
        try:
            return CalamineWorkbook.from_filelike(io.BytesIO(self.data))
        except Exception as exc:  # calamine raises its own error types for damaged packages
            raise PackageError("file-corrupt", f"{type(exc).__name__}: {exc}") from exc

    def grid(self, name: str) -> Grid:
        """Cell values of a sheet from A1 (stored results for formulas; '' for empty cells)."""
        if name not in self._grids:
            try:
                sheet = self._calamine.get_sheet_by_name(name)
                self._grids[name] = sheet.to_python(skip_empty_area=False)
            except PackageError:
                raise
            except Exception as exc:
                raise PackageError("file-corrupt", f"{name}: {type(exc).__name__}: {exc}") from exc
        return self._grids[name]

    def xml(self, name: str) -> SheetXml:
        """Formulas and protection of a sheet, from its XML."""
        if name not in self._xml:
            info = self.sheet(name)
            out = SheetXml()
            if info and info.part:
                data = self._read(info.part)
                out = _scan(data) or self._parse_sheet(data, info.part)
            self._xml[name] = out
        return self._xml[name]

    def merges(self, name: str) -> list[tuple[int, int, int, int]]:
        """The merged ranges of a sheet as (r0, c0, r1, c1), zero-based, from its ``<mergeCells>``.

        Read from the bytes: ``<mergeCell>`` elements hold nothing but their ``ref`` attribute.
        """
        info = self.sheet(name)
        if info is None or not info.part:
            return []
        out = []
        for m in _MERGE.finditer(self._read(info.part)):
            (r0, c0), (r1, c1) = a1_to_rc(m.group(1).decode("ascii")), a1_to_rc(m.group(2).decode("ascii"))
            out.append((min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)))
        return out

    @staticmethod
    def _parse_sheet(data: bytes, part: str) -> SheetXml:
        root = _parse(data, part)
        out = SheetXml()
        prot = root.find(f"{NS}sheetProtection")
        out.protected = prot is not None and prot.get("sheet") in ("1", "true")
        for f in _FORMULAS(root):
            out.formulas[f.getparent().get("r", "")] = f.text or ""
        for c in _ERRORS(root):
            out.errors[c.get("r", "")] = c.findtext(f"{NS}v") or "#ERROR"
        return out


def _scan(data: bytes) -> SheetXml | None:
    """Formulas, error values and protection of a sheet by scanning its bytes, or None to parse it instead.

    A sheet holds hundreds of cells but only a few formulas; finding the ``<f>`` elements and their
    cells directly is several times faster than building the whole tree, which matters when a county
    checks thousands of returns. In XML text a "<" is always a tag, so ``<f`` cannot hide in a value.
    Anything unusual (a cell without an ``r`` attribute) falls back to the parser.
    """
    out = SheetXml(protected=_protected(data))
    for m in _F_ELEMENT.finditer(data):
        ref = _cell_ref(data, m.start())
        if ref is None:
            return None
        out.formulas[ref] = html.unescape(m.group(2).decode("utf-8")) if m.group(2) else ""
    for m in _ERROR_TYPE.finditer(data):
        ref = _cell_ref(data, m.start())
        close = data.find(b"</c>", m.end())
        value = _VALUE.search(data, m.end(), close if close >= 0 else len(data))
        if ref is None or value is None:
            return None
        out.errors[ref] = html.unescape(value.group(1).decode("utf-8")) or "#ERROR"
    return out


def _cell_ref(data: bytes, pos: int) -> str | None:
    """The r attribute of the cell element that contains position ``pos``."""
    start = _last_cell_start(data, pos)
    if start < 0:
        return None
    m = _R_ATTR.search(data, start, data.find(b">", start))
    return m.group(1).decode("ascii") if m else None


def _last_cell_start(data: bytes, pos: int) -> int:
    return max(data.rfind(b"<c ", 0, pos), data.rfind(b":c ", 0, pos))


def _protected(data: bytes) -> bool:
    """Whether the sheet's <sheetProtection> element says sheet="1" (read from the bytes)."""
    m = _PROTECTION.search(data)
    return bool(m and _SHEET_ATTR.search(m.group(1)))


def value_at(grid: Grid, r: int, c: int) -> Any:
    if r < len(grid) and c < len(grid[r]):
        return grid[r][c]
    return ""
