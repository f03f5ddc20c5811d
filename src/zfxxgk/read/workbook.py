"""An .xlsx package -> the cells of the spec, located through the template's map or by labels.

A template made by this project carries a hidden ``_zfxxgk`` sheet with its spec and full cell map;
defined names are a second source. Any other workbook is read by matching the official labels
(``labels.py``). Either way the result is a :class:`Return`: raw cell contents by cell id, with the
formula text of every cell that holds one, so nothing downstream trusts a stored formula result.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from xlsxwriter.utility import xl_rowcol_to_cell

from ..contract import (
    AGENCY_CELL,
    KEY_AGENCY,
    KEY_AGENCY_CODE,
    KEY_SPEC_HASH,
    KEY_SPEC_ID,
    KEY_SPEC_VERSION,
    KEY_YEAR,
    defined_name,
    is_map_header,
    parse_map,
)
from ..findings import Finding, make
from ..messages import text
from ..normalize import typed_unit, unit_factor
from ..spec import INFO_SHEET, META_SHEET, Spec, SpecError, available_specs, load_spec
from .choice import SHEET_YEAR, best_matches
from .labels import SheetText, TableMatch
from .package import Grid, Package, SheetXml, a1_to_rc, value_at
from .structure import Layout, locate_cells, with_totals

log = logging.getLogger(__name__)


class CellRead(NamedTuple):
    """Where a cell of the spec is in the file and what it holds (a tuple: thousands are made per second)."""

    cell_id: str
    sheet: str
    a1: str
    raw: Any  # the value as stored ('' when empty; a formula's stored result, '' if none)
    formula: str | None = None  # formula text, when the cell holds a formula
    error: str | None = None  # an error value such as '#DIV/0!'
    scale: Decimal | None = None  # the number read is multiplied by this (a column stated in 元 where 万元 is due)


@dataclass
class Part:
    """Tables read with one spec (several parts only when a hand-made workbook mixes formats)."""

    spec: Spec
    tables: list[str]
    match: dict[str, TableMatch] = field(default_factory=dict)


def record_match(parts: dict[str, Part], spec: Spec, table_id: str, match: TableMatch) -> None:
    """File a matched table under the part of its spec (one part per spec)."""
    part = parts.setdefault(spec.id, Part(spec, []))
    part.tables.append(table_id)
    part.match[table_id] = match


@dataclass
class Return:
    """A returned workbook as read: where each cell of the spec is and what it holds."""

    source: str  # "template" or "labels"
    parts: list[Part]
    cells: dict[str, CellRead]
    package: Package | None = None
    year: int | None = None
    agency: str = ""
    agency_code: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    cell_map: dict[str, tuple[str, str]] = field(default_factory=dict)  # the template's map: id -> (sheet, A1)
    moved: dict[str, tuple[str, str]] = field(default_factory=dict)  # cells read elsewhere than the map says
    unread: frozenset[str] = frozenset()  # cells lost with a deleted row or column, and the totals over them
    findings: list[Finding] = field(default_factory=list)
    structure_protected: bool = True
    sheet_protection: dict[str, bool] = field(default_factory=dict)
    layout: Layout | None = None  # shared by returns of one template read with every cell where it was written

    @property
    def spec(self) -> Spec:
        """What the report as a whole is read as: the spec of the part holding the table its prose quotes first.

        (Table 三 in the national formats; the first part when the spec quotes no table.)
        """
        for part in self.parts:
            quoted = [c for n in part.spec.narrative for e in n.exprs for c in e.cells()]
            if quoted and part.spec.cells[quoted[0]].table in part.tables:
                return part.spec
        return self.parts[0].spec

    @property
    def application(self) -> str:
        """The application that last saved the file (read only when asked for)."""
        return self.package.application if self.package else ""

    def locate(self, cell_id: str) -> tuple[str, str] | None:
        c = self.cells.get(cell_id)
        return (c.sheet, c.a1) if c else None


def read_workbook(pkg: Package, spec_hint: str | None = None, lang: str = "zh") -> Return:
    """Read a package with the template's map if it has one, else by labels. Raises PackageError."""
    if pkg.sheet(META_SHEET) is not None:
        ret = _read_template(pkg, lang, spec_hint)
        if ret.parts:
            return ret
        by_labels = _read_by_labels(pkg, spec_hint, lang)
        by_labels.findings[:0] = ret.findings  # why the template's own map could not be used
        return by_labels
    return _read_by_labels(pkg, spec_hint, lang)


def read_meta(pkg: Package) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """The metadata sheet: key/value head and cell map (cell id -> (sheet, A1)). The map is shared: do not change it."""
    head: dict[str, str] = {}
    grid = pkg.grid(META_SHEET)
    for n, row in enumerate(grid):
        key = str(row[0]) if row and row[0] is not None else ""
        if is_map_header(key):
            return head, parse_map(tuple(str(r[0]) for r in grid[n + 1 :] if r and r[0]))
        if key:
            head[key] = str(row[1]) if len(row) > 1 and row[1] is not None else ""
    return head, {}


def _template_spec(spec_id: str, spec_hint: str | None) -> Spec | None:
    """The spec a template names: a known id, or the spec file given with --spec if it has that id."""
    for ref in (spec_id, spec_hint):
        if not ref or (ref == spec_id and ("/" in ref or "\\" in ref)):
            continue
        spec = _try_load(ref)
        if spec is not None and spec.id == spec_id:
            return spec
    return None


def _try_load(ref: str) -> Spec | None:
    try:
        return load_spec(ref)
    except SpecError:
        return None


def base_specs() -> list[Spec]:
    """The formats a workbook without a map is read against (``read_by_labels`` in the spec), newest first."""
    specs = [s for s in map(_try_load, sorted(available_specs())) if s is not None and s.read_by_labels]
    return sorted(specs, key=lambda s: -s.first_year)


def _read_template(pkg: Package, lang: str, spec_hint: str | None = None) -> Return:
    head, cell_map = read_meta(pkg)
    spec_id = head.get(KEY_SPEC_ID, "")
    findings: list[Finding] = []
    spec = _template_spec(spec_id, spec_hint)
    if spec is None:
        return Return(
            "template",
            [],
            {},
            findings=[make("spec-unknown", lang, detail=spec_id or text("read.empty-spec-id", lang))],
        )
    if head.get(KEY_SPEC_VERSION) != spec.version or head.get(KEY_SPEC_HASH) != spec.hash:
        findings.append(make("spec-changed", lang, detail=f"{spec.id} {spec.version}"))
    year = int(head[KEY_YEAR]) if head.get(KEY_YEAR, "").isdigit() else None
    cells: dict[str, CellRead] = {}
    missing_sheets: set[str] = set()
    sheets = {s.name for s in pkg.sheets}
    sources: dict[str, tuple[Grid, SheetXml]] = {}
    located = locate_cells(pkg, spec, cell_map, head.get(KEY_AGENCY, ""), lang)
    findings += located.findings
    for cell_id in spec.cells:
        where = located.where.get(cell_id)
        if where is None:
            if cell_id not in located.unread:
                known = cell_map.get(cell_id) or pkg.defined_names.get(defined_name(cell_id))
                missing_sheets.add(known[0] if known else spec.tables[spec.cells[cell_id].table].sheet)
            continue
        sheet, a1 = where
        r, c = a1_to_rc(a1)
        if sheet not in sources:
            sources[sheet] = (pkg.grid(sheet), pkg.xml(sheet))
        grid, xml = sources[sheet]
        cells[cell_id] = CellRead(cell_id, sheet, a1, value_at(grid, r, c), xml.formulas.get(a1), xml.errors.get(a1))
    for sheet in sorted(missing_sheets):
        findings.append(make("sheet-missing", lang, sheet=sheet))
    protection = {s: pkg.xml(s).protected for s in {c.sheet for c in cells.values()} | {INFO_SHEET} if s in sheets}
    agency_cell = cells.get(AGENCY_CELL)
    agency = str(agency_cell.raw).strip() if agency_cell and agency_cell.raw not in ("", None) else ""
    return Return(
        source="template",
        parts=[Part(spec, [t.id for t in spec.grid_tables])],
        cells=cells,
        package=pkg,
        year=year,
        agency=agency or head.get(KEY_AGENCY, ""),
        agency_code=head.get(KEY_AGENCY_CODE, ""),
        meta=head,
        cell_map=cell_map,
        moved=located.moved,
        unread=with_totals(spec, set(located.unread)),
        findings=findings,
        structure_protected=pkg.structure_protected,
        sheet_protection=protection,
        layout=located.layout,
    )


_YEAR = re.compile(r"(20\d\d)\s*年")
_TITLE = re.compile(r"^(.{2,40}?)\s*(20\d\d)\s*年(?:度)?\s*政府信息公开")


def candidate_specs(spec_hint: str | None) -> list[Spec]:
    """The specs tables without a map are compared with: the one asked for first (if it loads), then the
    national ones, each followed by the specs it extends."""
    out: list[Spec] = []
    hinted = _try_load(spec_hint) if spec_hint else None
    for spec in ([hinted] if hinted else []) + base_specs():
        for s in [spec, *(load_spec(a) for a in spec.extends)]:
            if all(s is not c for c in out):
                out.append(s)
    return out


def _read_by_labels(pkg: Package, spec_hint: str | None, lang: str) -> Return:
    candidates = candidate_specs(spec_hint)
    sheets = [
        SheetText(s.name, pkg.grid(s.name), pkg.merges(s.name), hidden=s.state != "visible")
        for s in pkg.sheets
        if s.name != META_SHEET
    ]
    year, agency = _title_facts(sorted(sheets, key=_title_order))
    matches = best_matches(candidates, sheets, year)
    if not matches:
        names = text("common.list-separator", lang).join(s.name for s in pkg.sheets) or text("read.no-sheets", lang)
        searched = text("read.sheets-searched", lang, names=names)
        return Return("labels", [], {}, pkg, findings=[make("tables-not-found", lang, detail=searched)])
    parts: dict[str, Part] = {}
    cells: dict[str, CellRead] = {}
    findings: list[Finding] = []
    for m in sorted(matches.values(), key=lambda match: match.table.id):
        record_match(parts, m.spec, m.table.id, m)
        findings += _choice_findings(m, lang)
        grid = pkg.grid(m.sheet)
        scales = _column_units(m, grid, findings, lang)
        for cell_id, (r, c) in m.cells.items():
            raw = value_at(grid, r, c)
            cells[cell_id] = CellRead(cell_id, m.sheet, xl_rowcol_to_cell(r, c), raw, scale=scales.get(cell_id))
        findings += label_findings(m, lang)
    return Return(
        "labels", list(parts.values()), cells, pkg, year=year, agency=agency, findings=findings, sheet_protection={}
    )


def _title_order(sheet: SheetText) -> tuple[bool, int]:
    """Where a sheet's title is looked for: visible sheets first, a sheet named for an earlier year last."""
    years = [int(y) for y in SHEET_YEAR.findall(sheet.name)]
    return sheet.hidden, -(max(years) if years else 9999)


def _choice_findings(m: TableMatch, lang: str) -> list[Finding]:
    """Which sheet a table was read from, when another could have been it or when it is hidden."""
    out = []
    if m.hidden:
        out.append(make("table-hidden", lang, sheet=m.sheet, detail=m.table.number))
    if m.passed_over:
        others = text("common.list-separator", lang).join(_where(o, lang) for o in m.passed_over)
        a1 = xl_rowcol_to_cell(m.top, m.left)
        fields = {"sheet": m.sheet, "cell": a1, "detail": m.table.number, "chosen": _where(m, lang), "others": others}
        out.append(make("table-choice", lang, **fields))
    return out


def _where(m: TableMatch, lang: str) -> str:
    """Where a table was found: its sheet, and the row it starts at when the sheet holds several copies."""
    where = (
        text("read.table-at-cell", lang, sheet=m.sheet, cell=xl_rowcol_to_cell(m.top, m.left))
        if m.block
        else text("read.table-at-sheet", lang, sheet=m.sheet)
    )
    return where + text("read.table-hidden-mark", lang) if m.hidden else where


def _column_units(m: TableMatch, grid: Grid, findings: list[Finding], lang: str) -> dict[str, Decimal]:
    """The scale of each cell whose column header states another unit than the spec's; one finding a column.

    元 and 万元 convert (a cell with its own unit, "3.25万元", is read by that unit instead); other
    units cannot be converted and are flagged, the figures read as written.
    """
    scales: dict[str, Decimal] = {}
    told: set[tuple[int, int]] = set()
    for cell_id, (typed, hr, hc, header) in m.units.items():
        cell = m.spec.cells[cell_id]
        unit = cell.domain.unit
        factor = unit_factor(typed, unit)
        if not unit or factor == 1:
            continue
        r, c = m.cells[cell_id]
        raw = value_at(grid, r, c)
        if factor is not None and not (isinstance(raw, str) and typed_unit(raw, cell.domain.units)):
            scales[cell_id] = factor
        if (hr, hc) not in told:
            told.add((hr, hc))
            a1 = xl_rowcol_to_cell(hr, hc)
            where: dict[str, Any] = {"sheet": m.sheet, "cell": a1, "cells": (f"{m.sheet}!{a1}",)}
            fields: dict[str, Any] = {"typed": typed, "unit": unit, "expected": cell.column_label, "actual": header}
            if factor is not None:
                findings.append(make("column-unit-converted", lang, detail=m.table.number, **where, **fields))
            else:
                findings.append(make("column-unit-mismatch", lang, detail=m.table.number, **where, **fields))
    return scales


def label_findings(m: TableMatch, lang: str) -> list[Finding]:
    """The labels of a matched table that were not found, or found misprinted."""
    findings = []
    seen: set[tuple[str, str]] = set()
    for what, label in m.missing:
        if (what, label) not in seen:
            seen.add((what, label))
            findings.append(
                make(
                    "label-missing",
                    lang,
                    sheet=m.sheet,
                    detail=m.table.number,
                    expected=label,
                    what=text(f"read.label-{what}", "zh"),
                    what_en=text(f"read.label-{what}", "en"),
                )
            )
    for found, official, r, c in m.misprints:
        findings.append(
            make("label-misprint", lang, sheet=m.sheet, cell=xl_rowcol_to_cell(r, c), actual=found, expected=official)
        )
    return findings


def _title_facts(sheets: list[SheetText]) -> tuple[int | None, str]:
    """Year and agency from a title such as '某某局2022年政府信息公开工作年度报告'.

    The year in the title wins; without a title, the year written most often (a tie goes to the
    earlier year: a 填报日期 is later than the year reported on).
    """
    years: dict[int, int] = {}
    for sheet in sheets:
        for _, _, raw, _ in sheet.cells[:200]:
            m = _TITLE.match(raw.strip())
            if m:
                return int(m.group(2)), m.group(1).strip()
            for y in _YEAR.findall(raw):
                years[int(y)] = years.get(int(y), 0) + 1
    year = max(years, key=lambda y: (years[y], -y)) if years else None
    return year, ""
