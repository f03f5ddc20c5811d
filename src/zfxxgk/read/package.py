"""Reading an .xlsx package: sheet list, defined names, protection, formulas and values.

Values come from python-calamine (fast; it reads stored results of formulas). What calamine does
not expose -- which cells hold formulas, their text, sheet and workbook protection, defined names --
comes from the package's XML, parsed only after every part has been screened for DTDs
(:mod:`.xmlsafety`). Files that openpyxl opens (``--annotate``) are screened the same way first
(:func:`screen_bytes`), and openpyxl also uses defusedxml.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import Any

from lxml.etree import _Element as Element
from python_calamine import CalamineWorkbook

from ..findings import Finding, make
from .intake import bilingual
from .package_errors import PackageError
from .refs import CELL as _CELL
from .refs import a1_to_rc
from .sheetxml import NS, SheetXml, parse, read_sheet, trimmed
from .xmlsafety import ZIP_ERRORS, UnsafeXml, screen

__all__ = ["Grid", "Package", "PackageError", "SheetInfo", "SheetXml", "a1_to_rc", "screen_bytes", "value_at"]

log = logging.getLogger(__name__)

REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
APP_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
_APP_FIELD = re.compile(r"<(?:\w+:)?(Application|AppVersion)>([^<]*)</")
SMALL_PART = 256 * 1024
MAX_SHEET_BYTES = 8 * 1024 * 1024  # of one sheet's XML: 200,000 filled cells; a return's tables fill a few hundred

Grid = list[list[Any]]


@dataclass(frozen=True)
class SheetInfo:
    name: str
    part: str  # zip member, e.g. xl/worksheets/sheet3.xml
    state: str  # visible, hidden, veryHidden


@dataclass(frozen=True)
class WorkbookFacts:
    """What ``xl/workbook.xml`` and its relationships say: the same for every return of one template."""

    sheets: tuple[SheetInfo, ...]
    structure_protected: bool
    defined_names: Mapping[str, tuple[str, str]]  # workbook-level names of one cell: name -> (sheet, A1)


def workbook_facts(workbook: bytes, rels: bytes) -> WorkbookFacts:
    """The facts of a workbook part (cached by its bytes when small: returns of one template share them)."""
    if len(workbook) + len(rels) <= SMALL_PART:
        return _cached_facts(workbook, rels)
    return _facts(workbook, rels)


@lru_cache(maxsize=16)
def _cached_facts(workbook: bytes, rels: bytes) -> WorkbookFacts:
    return _facts(workbook, rels)


def _facts(workbook: bytes, rels_part: bytes) -> WorkbookFacts:
    root = parse(workbook, "xl/workbook.xml")
    rels = _rels(rels_part, "xl/_rels/workbook.xml.rels", "xl") if rels_part else {}
    sheets = []
    sheets_el = root.find(f"{NS}sheets")
    for el in sheets_el if sheets_el is not None else []:
        rid = el.get(f"{REL_NS}id", "")
        sheets.append(SheetInfo(el.get("name", ""), rels.get(rid, ""), el.get("state", "visible")))
    # LibreOffice 7.4 writes a bare <workbookProtection/> for a structure-protected workbook (measured),
    # so a missing lockStructure attribute counts as locked; openpyxl writes lockStructure="0" when unlocked.
    prot = root.find(f"{NS}workbookProtection")
    protected = prot is not None and prot.get("lockStructure", "1") in ("1", "true")
    return WorkbookFacts(tuple(sheets), protected, MappingProxyType(_defined_names(root.find(f"{NS}definedNames"))))


def _defined_names(names: Element | None) -> dict[str, tuple[str, str]]:
    """Workbook-level names that point at one cell: name -> (sheet, A1)."""
    out: dict[str, tuple[str, str]] = {}
    for el in names if names is not None else []:
        target = (el.text or "").strip()
        if "!" in target and el.get("localSheetId") is None:
            sheet, ref = target.rsplit("!", 1)
            if sheet.startswith("'") and sheet.endswith("'"):
                sheet = sheet[1:-1].replace("''", "'")
            if _CELL.match(ref):
                out[el.get("name", "")] = (sheet, ref.replace("$", ""))
    return out


def _rels(data: bytes, part: str, base: str) -> dict[str, str]:
    out = {}
    for el in parse(data, part):
        target = el.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"{base}/{target}")
        out[el.get("Id", "")] = path
    return out


def screen_bytes(data: bytes) -> None:
    """Raise PackageError unless ``data`` is a zip whose every part is free of DTDs (see :mod:`.xmlsafety`)."""
    try:
        screen(zipfile.ZipFile(io.BytesIO(data)), lambda _name, _body: None, SMALL_PART)
    except UnsafeXml as exc:
        raise PackageError("file-unsafe-xml", str(exc)) from exc
    except ZIP_ERRORS as exc:
        raise PackageError("file-corrupt", str(exc)) from exc


class Package:
    """An opened .xlsx (already checked by :mod:`zfxxgk.intake`)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as exc:
            raise PackageError("file-corrupt", str(exc)) from exc
        self.members = frozenset(self.zip.NameToInfo)  # the member names, asked for often
        self._grids: dict[str, Grid] = {}
        self._sheets: dict[str, Any] = {}  # calamine's, by name
        self._xml: dict[str, SheetXml] = {}
        self._parts: dict[str, bytes] = {}
        try:  # before anything, calamine included, parses a part
            screen(self.zip, self._parts.__setitem__, SMALL_PART)
        except UnsafeXml as exc:
            raise PackageError("file-unsafe-xml", str(exc)) from exc
        except ZIP_ERRORS as exc:
            raise PackageError("file-corrupt", str(exc)) from exc
        rels = "xl/_rels/workbook.xml.rels"
        facts = workbook_facts(self._read("xl/workbook.xml"), self._read(rels) if rels in self.members else b"")
        self.sheets: list[SheetInfo] = list(facts.sheets)
        self.structure_protected = facts.structure_protected
        self.defined_names = facts.defined_names

    def _read(self, part: str) -> bytes:
        if part in self._parts:
            return self._parts[part]
        try:
            body = self._parts[part] = self.zip.read(part)
        except KeyError as exc:
            raise PackageError("file-corrupt", bilingual("read.missing-part", part=part)) from exc
        except ZIP_ERRORS as exc:  # CRC errors, truncation
            raise PackageError("file-corrupt", f"{part}: {exc}") from exc
        return body

    @cached_property
    def application(self) -> str:
        """Application and version that last saved the file (docProps/app.xml), e.g. 'Microsoft Excel 16.0300'."""
        if "docProps/app.xml" not in self.members:
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
        """Cell values of a sheet from A1 (stored results for formulas; '' for empty cells).

        At most MAX_ROWS x MAX_COLS: content beyond is left out (see :meth:`notes`).
        """
        if name not in self._grids:
            try:
                self._grids[name] = self._sheet(name).to_python(skip_empty_area=False)
            except PackageError:
                raise
            except Exception as exc:
                raise PackageError("file-corrupt", f"{name}: {type(exc).__name__}: {exc}") from exc
        return self._grids[name]

    def _sheet(self, name: str) -> Any:
        """calamine's sheet (from a trimmed copy of the package when content lies far outside)."""
        if name not in self._sheets:
            book = self._calamine if not self.xml(name).outside else self._trimmed_book(name)
            self._sheets[name] = book.get_sheet_by_name(name)
        return self._sheets[name]

    def _trimmed_book(self, name: str) -> Any:
        """A copy of the package for calamine in which the sheet holds only its cells in range."""
        info = self.sheet(name)
        assert info is not None and info.part  # xml(name) found cells outside, so the sheet has a part
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for member in self.zip.infolist():
                if member.filename == info.part:
                    with self.zip.open(member) as fh:
                        dst.writestr(member.filename, trimmed(fh, member.filename))
                elif member.filename.endswith((".xml", ".rels")) and not member.filename.startswith("xl/worksheets/"):
                    dst.writestr(member.filename, self._read(member.filename))
        return CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue()))

    def xml(self, name: str) -> SheetXml:
        """Formulas, errors and protection of a sheet, from its XML."""
        if name not in self._xml:
            info = self.sheet(name)
            out = SheetXml()
            if info and info.part:
                member = self.zip.NameToInfo.get(info.part)
                if member is not None and member.file_size > MAX_SHEET_BYTES:  # no return's sheet is near this
                    raise PackageError("sheet-too-large", f"{name}: {member.file_size / 2**20:.0f} MB XML")
                if member is not None and member.file_size > SMALL_PART and info.part not in self._parts:
                    try:
                        with self.zip.open(member) as fh:
                            out = read_sheet(fh, info.part)
                    except ZIP_ERRORS as exc:
                        raise PackageError("file-corrupt", f"{info.part}: {exc}") from exc
                else:
                    out = read_sheet(self._read(info.part), info.part)
            self._xml[name] = out
        return self._xml[name]

    def merges(self, name: str) -> list[tuple[int, int, int, int]]:
        """The merged ranges of a sheet as (r0, c0, r1, c1), zero-based, as calamine reads its ``<mergeCells>``."""
        info = self.sheet(name)
        if info is None or not info.part:
            return []
        try:
            ranges = self._sheet(name).merged_cell_ranges or []
        except PackageError:
            raise
        except Exception as exc:
            raise PackageError("file-corrupt", f"{name}: {type(exc).__name__}: {exc}") from exc
        return [(min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)) for (r0, c0), (r1, c1) in ranges]

    def notes(self, lang: str) -> list[Finding]:
        """Findings about reading itself: sheets whose content far outside any table was left out."""
        return [
            make("cells-far-outside", lang, sheet=name, cell=xml.farthest, count=xml.outside, last=xml.farthest)
            for name, xml in self._xml.items()
            if xml.outside and name in self._grids
        ]


def value_at(grid: Grid, r: int, c: int) -> Any:
    if r < len(grid) and c < len(grid[r]):
        return grid[r][c]
    return ""
