"""What a sheet's XML says that calamine does not: formulas, error values, protection, and where content lies.

One reading of the XML serves all of these, with lxml (no entities resolved, nothing fetched): the
whole tree for parts up to :data:`TREE_LIMIT`, a stream of rows (each freed once read) above it, so a
sheet of a million rows costs time, not memory. Cells without an ``r`` attribute take the column after
the previous cell and rows without one the row after the previous row, as Excel reads them. Only the
``<f>`` children of the cells of ``sheetData`` are formulas (conditional formats and data validations
in ``extLst`` hold ``xm:f`` elements too, which are not cells).

Content far outside any table (:data:`MAX_ROWS`, :data:`MAX_COLS`) is counted, not read: calamine
builds a dense range over a sheet's used area, and one stray cell at XFD1048576 would make that range
17 billion cells. :func:`trimmed` writes the sheet without those cells for calamine to read.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass, field
from typing import IO

from lxml import etree
from lxml.etree import _Element as Element

from .package_errors import PackageError
from .refs import a1_to_rc, rc_to_a1

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
MAX_ROWS = 5000  # a return's tables fill well under a hundred rows; hand-made sheets a few hundred
MAX_COLS = 200  # column GR
TREE_LIMIT = 4 * 1024 * 1024  # bytes of sheet XML parsed as one tree; larger sheets are streamed
_ROW, _CELL, _F, _V = f"{NS}row", f"{NS}c", f"{NS}f", f"{NS}v"
_PARSE_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "collect_ids": False,  # no xml:id index: nothing looks elements up by id
}
_PARSER = etree.XMLParser(**_PARSE_OPTIONS)
_M = {"m": NS[1:-1]}
_REFS = etree.XPath("/m:worksheet/m:sheetData/m:row/m:c/@r", namespaces=_M, smart_strings=False)
_CELLS = etree.XPath("count(/m:worksheet/m:sheetData/m:row/m:c)", namespaces=_M)
_PLAIN = re.compile(r"(?:[A-Z](?:[1-9][0-9]{0,2}|[1-4][0-9]{3})\0)*")  # A1..Z4999, all within range, NUL after each
_FORMULAS = etree.XPath("/m:worksheet/m:sheetData/m:row/m:c/m:f[1]", namespaces=_M)
_ERRORS = etree.XPath("/m:worksheet/m:sheetData/m:row/m:c[@t='e']", namespaces=_M)
# An error cell has t="e" (the value written literally or as a character reference): a part in an
# ASCII-compatible encoding without this pattern holds none, and the XPath over every cell is skipped.
_MAY_HOLD_ERRORS = re.compile(rb"""t\s*=\s*["']\s*[e&]""")
_PROTECTED = etree.XPath("boolean(/m:worksheet/m:sheetProtection[@sheet='1' or @sheet='true'])", namespaces=_M)


@dataclass
class SheetXml:
    formulas: dict[str, str] = field(default_factory=dict)  # A1 -> formula text ("" for shared children)
    errors: dict[str, str] = field(default_factory=dict)  # A1 -> error value such as #DIV/0!
    protected: bool = False
    outside: int = 0  # cells with content beyond MAX_ROWS x MAX_COLS, not read
    farthest: str = ""  # the farthest such cell (last row, then last column), A1


def parse(data: bytes, part: str) -> Element:
    """Parse one XML part (already screened for DTDs); a DTD found anyway is refused."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PackageError("file-corrupt", f"{part}: XML {exc}") from exc
    if root.getroottree().docinfo.internalDTD is not None:  # never expanded (resolve_entities=False)
        raise PackageError("file-unsafe-xml", f"{part}: DTD")
    return root


def read_sheet(source: bytes | IO[bytes], part: str) -> SheetXml:
    """Formulas, errors, protection and out-of-range content of one sheet's XML."""
    if isinstance(source, bytes) and len(source) <= TREE_LIMIT:
        skeleton = _skeleton(source)
        if skeleton is not None and (known := _SKELETONS.get(skeleton)) is not None:
            return SheetXml(dict(known.formulas), {}, known.protected, known.outside, known.farthest)
        root = parse(source, part)
        found = _addressed(root, source)
        if found is None:
            found = _read_rows(root, part)
        if skeleton is not None:
            _SKELETONS[skeleton] = SheetXml(dict(found.formulas), {}, found.protected, found.outside, found.farthest)
            while len(_SKELETONS) > MAX_SKELETONS:
                with contextlib.suppress(KeyError, RuntimeError, StopIteration):  # another thread evicted it
                    del _SKELETONS[next(iter(_SKELETONS))]
        return found
    return _read_rows(source, part)


# The sheets of the returns of one template differ only in the stored values of their cells: the text
# of their <v> elements. A sheet's XML with that text taken out (its skeleton) decides everything
# read_sheet tells -- formulas, protection, where content lies -- when no text taken out can be part of
# what is told or of what makes the XML well formed:
# - only texts of plain ASCII letters, digits and ._+- are taken out (numbers, shared-string indexes,
#   booleans), which are well formed wherever they stand;
# - a sheet that may hold an error cell is never looked up (an error value is the text of a <v>);
# - nor one with a comment or CDATA section ("<!"), in which "<v>" is text, not an element;
# - nor one with markup inside a formula (a <v> there would be formula text, as lxml reads it): the last
#   "<" before each "</f>" must be that <f>'s own start tag (no attribute value holds a "<"), and a
#   sheet with a prefixed "</x:f>" is not looked up at all.
_VALUE = re.compile(rb"<v>[\w.+\-]*</v>")
_F_START = re.compile(rb"<f[\s>]")
_SKELETONS: dict[bytes, SheetXml] = {}  # skeleton -> what the sheet was read as, oldest first
MAX_SKELETONS = 32  # the sheets of a few templates


def _skeleton(data: bytes) -> bytes | None:
    """The sheet's XML without its cells' stored values, or None when it may not be looked up by it."""
    if may_hold_errors(data) or b"<!" in data or b":f>" in data or _markup_in_formula(data):
        return None
    return _VALUE.sub(b"<v></v>", data)


def _markup_in_formula(data: bytes) -> bool:
    """Whether any <f> holds markup: the last "<" before one of its "</f>" is not its start tag."""
    end = data.find(b"</f>")
    while end != -1:
        if not _F_START.match(data, data.rfind(b"<", 0, end)):
            return True
        end = data.find(b"</f>", end + 4)
    return False


def _read_rows(source: Element | bytes | IO[bytes], part: str) -> SheetXml:
    out = SheetXml()
    _walk(_rows(source, part, out), out)
    return out


def _addressed(root: Element, data: bytes) -> SheetXml | None:
    """The sheet read with XPath when every cell has a plain ``r`` within columns A:Z and MAX_ROWS (as
    templates are written and saved), several times faster than walking each cell; else None.
    (A1..Z4999 is within MAX_ROWS x MAX_COLS, so nothing is out of range.)"""
    refs = _REFS(root)
    if len(refs) != _CELLS(root) or not _PLAIN.fullmatch("\0".join(refs) + "\0"):  # no r holds a NUL (not XML)
        return None
    out = SheetXml(protected=bool(_PROTECTED(root)))
    # Every r is now known to be a plain A1 (what _normal would return): taken as it is.
    formulas = out.formulas
    for f in _FORMULAS(root):
        formulas[f.getparent().get("r")] = (f.text or "") if len(f) == 0 else "".join(f.itertext())
    for cell in _ERRORS(root) if may_hold_errors(data) else ():
        out.errors[cell.get("r")] = cell.findtext(_V) or "#ERROR"
    return out


def may_hold_errors(data: bytes) -> bool:
    """False only when the sheet's bytes surely hold no error cell (ASCII markup without a ``t`` of ``e``)."""
    return b"\x00" in data[:4] or _MAY_HOLD_ERRORS.search(data) is not None  # UTF-16/32: not screened here


def _normal(ref: str) -> str | None:
    """A cell's ``r`` as plain A1 ('$b$2' -> 'B2'), None if it is not a cell address."""
    try:
        rr, c = a1_to_rc(ref)
    except ValueError:
        return None
    return rc_to_a1(rr, c) if rr >= 0 and c >= 0 else None


def trimmed(source: bytes | IO[bytes], part: str) -> bytes:
    """The sheet with only its cells within MAX_ROWS x MAX_COLS (each with its ``r``), and its merged ranges."""
    kept: dict[int, list[Element]] = {}
    merges: list[Element] = []
    _walk(_rows(source, part, SheetXml(), merges), SheetXml(), kept)
    root = etree.Element(f"{NS}worksheet", nsmap={None: NS[1:-1]})
    data = etree.SubElement(root, f"{NS}sheetData")
    for r in sorted(kept):
        row = etree.SubElement(data, _ROW, r=str(r + 1))
        row.extend(kept[r])
    root.extend(merges)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _rows(
    source: Element | bytes | IO[bytes], part: str, out: SheetXml, merges: list[Element] | None = None
) -> Iterator[Element]:
    """The rows of ``sheetData``; sets ``out.protected`` and collects ``mergeCells`` on the way."""
    if isinstance(source, bytes) and len(source) <= TREE_LIMIT:
        source = parse(source, part)
    if isinstance(source, etree._Element):
        root = source
        prot = root.find(f"{NS}sheetProtection")
        out.protected = prot is not None and prot.get("sheet") in ("1", "true")
        if merges is not None:
            merges.extend(deepcopy(m) for m in root.findall(f"{NS}mergeCells"))
        data = root.find(f"{NS}sheetData")
        if data is not None:
            yield from data.iterchildren(_ROW)
        return
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    tags = (_ROW, f"{NS}sheetProtection", f"{NS}mergeCells")
    try:
        for _, el in etree.iterparse(stream, events=("end",), tag=tags, **_PARSE_OPTIONS):
            parent = el.getparent()
            if el.tag == _ROW and parent is not None and parent.tag == f"{NS}sheetData":
                yield el
            elif el.tag != _ROW and parent is not None and parent.getparent() is None:
                if el.tag == f"{NS}sheetProtection":
                    out.protected = el.get("sheet") in ("1", "true")
                elif merges is not None:
                    merges.append(deepcopy(el))
            el.clear()
            while parent is not None and el.getprevious() is not None:  # free what was read
                del parent[0]
    except etree.XMLSyntaxError as exc:
        raise PackageError("file-corrupt", f"{part}: XML {exc}") from exc


def _walk(rows: Iterator[Element], out: SheetXml, kept: dict[int, list[Element]] | None = None) -> None:
    """Read the cells of ``rows`` into ``out`` (and, given ``kept``, copies of the cells in range)."""
    r = -1
    for row in rows:
        r = _index(row.get("r"), r)
        c = -1
        for cell in row.iterchildren(_CELL):
            rr, c = _position(cell.get("r"), r, c)
            a1 = rc_to_a1(rr, c)
            f = cell.find(_F)
            if f is not None:
                out.formulas[a1] = "".join(f.itertext())
            if cell.get("t") == "e":
                out.errors[a1] = cell.findtext(_V) or "#ERROR"
            if rr >= MAX_ROWS or c >= MAX_COLS:
                if cell.find("*") is not None:
                    out.outside += 1
                    if not out.farthest or (rr, c) > a1_to_rc(out.farthest):
                        out.farthest = a1
            elif kept is not None:
                copy = deepcopy(cell)
                copy.set("r", a1)
                kept.setdefault(rr, []).append(copy)


def _index(attr: str | None, previous: int) -> int:
    """A row's zero-based index: its ``r`` if valid, else the next row."""
    if attr and attr.isdigit() and 0 < int(attr) <= 1048576:
        return int(attr) - 1
    return previous + 1


def _position(attr: str | None, row: int, previous: int) -> tuple[int, int]:
    """A cell's zero-based (row, column): its ``r`` if valid, else the next column of its row."""
    if attr:
        try:
            rr, c = a1_to_rc(attr)
        except ValueError:
            pass
        else:
            if rr >= 0 and c >= 0:
                return rr, c
    return row, previous + 1
