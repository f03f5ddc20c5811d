"""An extracted report -> a :class:`~zfxxgk.read.workbook.Return`, exactly as a hand-made workbook is read.

Grids (HTML, Word, PDF tables) go through the label reader (:func:`zfxxgk.read.choice.best_matches`);
text layers through :mod:`.textlayer`. Cells that could not be read with certainty are left out of
the return and named in ``unverifiable``; the prose becomes the text cells of the sections found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from xlsxwriter.utility import xl_rowcol_to_cell

from ..findings import Finding, make
from ..messages import text
from ..normalize import name_key
from ..read.choice import best_matches
from ..read.labels import SheetText, TableMatch
from ..read.workbook import CellRead, Part, Return, candidate_specs, label_findings, record_match
from ..spec import Spec
from .extract import Extracted
from .prose import sections, title_facts
from .textlayer import RowRead, TextTable, best_tables

AGENCY_LABEL = "{agency}"  # how a spec names a header that prints the agency's own name


@dataclass
class Read:
    ret: Return
    unverifiable: set[str] = field(default_factory=set)
    prose: dict[str, str] = field(default_factory=dict)  # text cell id -> section text


def read_extracted(ex: Extracted, spec_hint: str | None, lang: str) -> Read:
    """The return of a published report: tables by labels (grids) or by digit runs (text layers)."""
    specs = candidate_specs(spec_hint)
    year, agency = title_facts(ex.title, ex.prose)
    read = _from_grids(ex, specs, agency, lang) if ex.grids else _from_text(ex, specs, lang)
    if not read.ret.parts:
        return read
    read.ret.year, read.ret.agency = year, agency
    for found in sections(read.ret.spec, ex.prose):
        cell = found.section.body_cell
        read.prose[cell] = found.body
        where = text("audit.prose", lang) + ":" + (found.section.heading or "")
        read.ret.cells[cell] = CellRead(cell, where, text("audit.text-at", lang, n=found.start + 1), found.body)
    return read


def _not_found(ex: Extracted, lang: str) -> Read:
    names = text("common.list-separator", lang).join(g.name for g in ex.grids) or text("read.no-sheets", lang)
    finding = make("tables-not-found", lang, detail=text("read.sheets-searched", lang, names=names))
    return Read(Return("labels", [], {}, findings=[finding]))


def _from_grids(ex: Extracted, specs: list[Spec], agency: str, lang: str) -> Read:
    sheets = [SheetText(g.name, _agency_named(g.rows, agency)) for g in ex.grids]
    grids = {g.name: g for g in ex.grids}
    matches = best_matches(specs, sheets)
    if not matches:
        return _not_found(ex, lang)
    parts: dict[str, Part] = {}
    cells: dict[str, CellRead] = {}
    findings: list[Finding] = []
    for m in sorted(matches.values(), key=lambda match: match.table.id):
        record_match(parts, m.spec, m.table.id, m)
        rows = grids[m.sheet].rows
        for cell_id, (r, c) in m.cells.items():
            raw = rows[r][c] if r < len(rows) and c < len(rows[r]) else ""
            cells[cell_id] = CellRead(cell_id, m.sheet, _address(r, c), raw)
        findings += label_findings(m, lang)
        how = text("audit.how-grid", lang)
        findings.append(_extracted(m.spec, m.table.number, m.sheet, how, lang))
    return Read(Return("labels", list(parts.values()), cells, findings=findings, sheet_protection={}))


def _agency_named(rows: list[list[object]], agency: str) -> list[list[object]]:
    """The grid with a header that is the agency's own name read as the spec's ``{agency}`` label (a local table)."""
    if not agency:
        return rows
    key = name_key(agency)
    return [[AGENCY_LABEL if isinstance(v, str) and _name_key(v) == key else v for v in row] for row in rows]


_address = lru_cache(maxsize=1 << 14)(xl_rowcol_to_cell)  # "B7" for (6, 1): the same few hundred over and over
_name_key = lru_cache(maxsize=1 << 14)(name_key)  # the texts of a table, as compared with the agency's name


def _extracted(spec: Spec, number: str, where: str, how: str, lang: str) -> Finding:
    detail = text("audit.extracted", lang, number=number, spec=spec.id, where=where, how=how)
    return make("audit-extracted", lang, sheet=where, detail=detail)


def _from_text(ex: Extracted, specs: list[Spec], lang: str) -> Read:
    tables = best_tables(specs, ex.prose)
    if not tables:
        return _not_found(ex, lang)
    parts: dict[str, Part] = {}
    read = Read(Return("labels", [], {}, findings=[], sheet_protection={}))
    for tt in sorted(tables.values(), key=lambda t: t.table.id):
        sheet = text("audit.text-table", lang, number=tt.table.number)
        match = _text_match(tt, sheet)
        record_match(parts, tt.spec, tt.table.id, match)
        for row in tt.rows:
            _text_row(tt.spec, row, sheet, read, lang)
        read.ret.findings.append(_extracted(tt.spec, tt.table.number, sheet, text("audit.how-digits", lang), lang))
        read.ret.findings += label_findings(match, lang)  # the rows not found
    read.ret.parts = list(parts.values())
    return read


def _text_match(tt: TextTable, sheet: str) -> TableMatch:
    """The rows found, as a label match (so the format checks see which printed labels were there)."""
    m = TableMatch(tt.spec, tt.table, sheet, rows_found=tt.rows_found, rows_total=tt.rows_total)
    for r, row in enumerate(tt.rows):
        for c, cell_id in enumerate(row.cells):
            m.cells[cell_id] = (r, c)
    found = {row.cells[0].split(".")[1] for row in tt.rows if row.cells}
    m.missing = [("row", label) for row_id, (label, _) in tt.table.row_labels.items() if row_id not in found]
    return m


def _text_row(spec: Spec, row: RowRead, sheet: str, read: Read, lang: str) -> None:
    """The cells of one printed row: read, blank, or unverifiable (with the finding that says why)."""
    where = text("audit.text-at", lang, n=row.offset + 1)
    if row.printed:
        read.ret.findings.append(
            make("label-misprint", lang, sheet=sheet, cell=where, actual=row.printed, expected=row.label)
        )
    if row.blank:
        for cell_id in row.cells:
            read.ret.cells[cell_id] = CellRead(cell_id, sheet, where, "")
        return
    cell = spec.cells[row.cells[0]]
    row_label = cell.labels(lang)[0]
    if row.values is None:
        read.unverifiable.update(row.cells)
        detail = str(row.readings) if row.readings else "0"
        read.ret.findings.append(
            make(
                "extraction-ambiguous",
                lang,
                sheet=sheet,
                cell=where,
                cell_id=cell.id,
                row_label=row_label,
                actual=row.digits,
                expected=len(row.cells),
                detail=text("audit.readings", lang, n=detail),
            )
        )
        return
    for cell_id, value in zip(row.cells, row.values, strict=True):
        read.ret.cells[cell_id] = CellRead(cell_id, sheet, where, value)
