"""Where everything goes in a template workbook: the pure part of template generation.

A :class:`WorkbookPlan` places every cell id, live check cell and status line of a spec on its
sheet. The writer (``template.py``) only renders a plan; ``zfxxgk spec cells`` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from xlsxwriter.utility import xl_rowcol_to_cell

from ..contract import Pos, defined_name, range_ref, rectangles
from ..messages import text
from ..spec import (
    INFO_SHEET,
    INFO_TABLE,
    TEXT_SHEET,
    TEXT_TABLE,
    InfoField,
    RuleInstance,
    Section,
    Spec,
    Table,
)
from ..spec.layout import Layout, table_layout

TITLE_ROW = 0
STATUS_ROW = 1
TABLE_TOP = 3


@dataclass(frozen=True)
class CheckSpot:
    instance: RuleInstance
    pos: Pos


@dataclass(frozen=True)
class Label:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str


@dataclass
class TableSheet:
    table: Table
    layout: Layout
    checks: list[CheckSpot] = field(default_factory=list)
    check_labels: list[Label] = field(default_factory=list)
    width: int = 0  # columns used, checks included
    height: int = 0  # rows used, checks included

    @property
    def name(self) -> str:
        return self.table.sheet

    @property
    def status(self) -> Pos:
        return (self.name, STATUS_ROW, 0)

    def pos(self, cell_id: str) -> Pos:
        r, c = self.layout.positions[cell_id]
        return (self.name, TABLE_TOP + r, c)


@dataclass(frozen=True)
class FormRow:
    """A row of the 文字部分 or 填报说明 sheet."""

    row: int
    label: str
    hint: str = ""
    title_cell: str | None = None  # editable heading
    heading: str | None = None  # fixed heading shown when not editable
    value_cell: str | None = None


@dataclass
class WorkbookPlan:
    spec: Spec
    tables: list[TableSheet]
    text_rows: list[FormRow]
    info_rows: list[FormRow]
    positions: dict[str, Pos]
    info_facts: list[tuple[int, InfoField]] = field(default_factory=list)  # fixed rows of the 填报说明 sheet
    notes_top: int = 0  # first row of the instructions on the 填报说明 sheet

    def address(self, cell_id: str) -> str:
        """The A1 address of a cell id on its sheet (without the sheet name)."""
        _, r, c = self.positions[cell_id]
        return str(xl_rowcol_to_cell(r, c))

    def input_rects(self, table_id: str) -> list[str]:
        sheet = self.spec.tables[table_id].sheet
        cells = [self.positions[c] for c in self.spec.tables[table_id].cells if not self.spec.cells[c].computed]
        return [range_ref(r, sheet) for r in rectangles(cells)]


TEXT_VALUE_COL = 2
TEXT_TITLE_COL = 1
INFO_VALUE_COL = 1


@cache
def workbook_plan(spec: Spec) -> WorkbookPlan:
    """Place every cell of the spec. Cached: a spec is immutable."""
    positions: dict[str, Pos] = {}
    sheets = []
    for table in spec.grid_tables:
        ts = _table_sheet(spec, table)
        for cell_id in table.cells:
            positions[cell_id] = ts.pos(cell_id)
        sheets.append(ts)
    text_rows = _text_rows(spec)
    for fr in text_rows:
        if fr.title_cell:
            positions[fr.title_cell] = (TEXT_SHEET, fr.row, TEXT_TITLE_COL)
        if fr.value_cell:
            positions[fr.value_cell] = (TEXT_SHEET, fr.row, TEXT_VALUE_COL)
    info_rows, facts = _info_rows(spec)
    for fr in info_rows:
        assert fr.value_cell
        positions[fr.value_cell] = (INFO_SHEET, fr.row, INFO_VALUE_COL)
    missing = set(spec.cells) - set(positions)
    assert not missing, f"cells without a place: {sorted(missing)}"
    notes_top = max(fr.row for fr in info_rows) + 3
    return WorkbookPlan(spec, sheets, text_rows, info_rows, positions, facts, notes_top)


def _info_rows(spec: Spec) -> tuple[list[FormRow], list[tuple[int, InfoField]]]:
    """The agency's name on row 2, the spec's facts under it, then the agency's contact."""
    inputs = [spec.cells[c] for c in spec.tables[INFO_TABLE].cells]
    agency, contacts = inputs[0], inputs[1:]
    rows = [FormRow(2, agency.row_label, text("template.agency-hint"), value_cell=agency.id)]
    facts = [(3 + k, f) for k, f in enumerate(spec.info_fields)]
    r = 3 + len(facts)
    rows += [FormRow(r + k, c.row_label, "", value_cell=c.id) for k, c in enumerate(contacts)]
    return rows, facts


def _text_rows(spec: Spec) -> list[FormRow]:
    rows: list[FormRow] = []
    r = 2

    def add(section: Section, depth: int) -> None:
        nonlocal r
        if section.kind == "prose":
            rows.append(
                FormRow(
                    r,
                    (text("template.indent") * depth) + section.label,
                    section.hint,
                    title_cell=section.title_cell if section.editable_heading else None,
                    heading=None if section.editable_heading else section.heading,
                    value_cell=section.body_cell,
                )
            )
            r += 1
        for child in section.children:
            add(child, depth + 1)

    for top in spec.sections:
        add(top, 0)
    r += 1
    for fid in spec.field_ids:
        cell = spec.cells[f"{TEXT_TABLE}.{fid}.value"]
        unit = text("template.unit-note", unit=cell.domain.unit) if cell.domain.unit else ""
        rows.append(FormRow(r, cell.row_label, unit, value_cell=cell.id))
        r += 1
    return rows


def _table_sheet(spec: Spec, table: Table) -> TableSheet:
    layout = table_layout(table)
    ts = TableSheet(table, layout)
    pos = layout.positions
    below = layout.height + 1  # one empty row between the table and the checks
    right = layout.width
    for rule in spec.rules:
        if rule.severity != "error":  # the status line counts 勾稽错误: warnings are for the checker to raise
            continue
        insts = [i for i in rule.instances if not i.uses_prev and i.when is None and all(c in pos for c in i.cells)]
        if not insts or len(insts) != len(rule.instances):
            continue
        anchors = [pos[i.check.lhs.terms[0][0].cell] for i in insts]
        title = text("template.check-title", rule=rule.id, name=rule.name)
        if len({c for _, c in anchors}) == len(anchors):  # one per column: a row below the table
            if layout.label_cols:
                ts.check_labels.append(Label(TABLE_TOP + below, 0, 1, layout.label_cols, title))
            else:
                ts.check_labels.append(Label(TABLE_TOP + below, 0, 1, layout.width, title))
                below += 1
            for inst, (_, c) in zip(insts, anchors, strict=True):
                ts.checks.append(CheckSpot(inst, (table.sheet, TABLE_TOP + below, c)))
            below += 1
        elif len({r for r, _ in anchors}) == len(anchors):  # one per row: a column to the right
            h0, h1 = layout.header_rows
            ts.check_labels.append(Label(TABLE_TOP + h0, right, h1 - h0 + 1, 1, title))
            for inst, (r, _) in zip(insts, anchors, strict=True):
                ts.checks.append(CheckSpot(inst, (table.sheet, TABLE_TOP + r, right)))
            right += 1
        else:  # anything else: one labelled row per instance
            for inst in insts:
                ts.check_labels.append(
                    Label(TABLE_TOP + below, 0, 1, max(layout.label_cols, 1), text("template.check-instance", title=title, instance=inst.key))
                )
                ts.checks.append(CheckSpot(inst, (table.sheet, TABLE_TOP + below, max(layout.label_cols, 1))))
                below += 1
    ts.width = max(right, layout.width)
    ts.height = TABLE_TOP + below
    return ts


def cell_map(plan: WorkbookPlan) -> list[dict[str, str]]:
    """The full cell map, one record per cell id, as ``zfxxgk spec cells`` prints it."""
    out = []
    for cell_id, cell in plan.spec.cells.items():
        sheet, _, _ = plan.positions[cell_id]
        out.append(
            {
                "id": cell_id,
                "table": cell.table,
                "row": cell.row_label,
                "column": cell.column_label,
                "role": cell.role,
                "domain": cell.domain.id,
                "sheet": sheet,
                "address": plan.address(cell_id),
                "name": defined_name(cell_id),
            }
        )
    return out
