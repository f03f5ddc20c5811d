"""Write a statistical table's sheet: title, merged headers, input and total cells, live checks, status line."""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from ..contract import linear_formula, rectangles
from ..messages import text
from ..normalize import with_agency
from ..roster import Agency
from ..spec.evaluate import linear_value
from .cells import cell_range, protect, write_validations, write_value
from .formats import Formats, excel_width
from .formulas import (
    BAD_TEXT,
    OK_TEXT,
    as_stored,
    check_formula,
    check_value,
    is_blank,
    status_formula,
    status_value,
)
from .plan import STATUS_ROW, TABLE_TOP, TITLE_ROW, TableSheet, WorkbookPlan


def write_table_sheet(
    wb: Any,
    fmt: Formats,
    plan: WorkbookPlan,
    ts: TableSheet,
    values: dict[str, object],
    year: int,
    agency: Agency,
    password: str | None,
) -> None:
    """The sheet of one grid table, protected."""
    table = ts.table
    ws = wb.add_worksheet(table.sheet)
    ws.hide_gridlines(2)
    ws.merge_range(
        TITLE_ROW, 0, TITLE_ROW, ts.width - 1, with_agency(text("template.table-heading", number=table.number, title=table.title), agency.name), fmt.title
    )
    ws.set_row(TITLE_ROW, 24)
    widths = _column_widths(ws, ts)
    _write_headers(ws, fmt, ts, widths, agency)
    _write_cells(ws, fmt, plan, ts, values)
    write_validations(ws, plan, table.id)
    check_rects, bad = _write_checks(ws, fmt, plan, ts, values)
    _write_status(ws, fmt, plan, ts, values, check_rects, bad, year, agency)
    _print_setup(ws, ts)
    protect(ws, password)


def _column_widths(ws: Any, ts: TableSheet) -> list[float]:
    """Column widths from the labels they must show; narrow columns for groups written vertically."""
    layout = ts.layout
    widths = [0.0] * ts.width
    for item in layout.items:
        if item.kind == "data" or item.colspan != 1 or item.kind == "caption":
            continue
        need = excel_width(item.text) if item.rowspan == 1 else 5.0
        widths[item.col] = max(widths[item.col], min(need, 36.0 if item.kind == "rowhead" else 10.0))
    for c in range(ts.width):
        ws.set_column(c, c, max(widths[c], 8.0) if c < layout.width else 11.0)
    return widths


def _write_headers(ws: Any, fmt: Formats, ts: TableSheet, widths: list[float], agency: Agency) -> None:
    layout = ts.layout
    for item in layout.items:
        r, c = TABLE_TOP + item.row, item.col
        if item.kind == "data":
            continue
        style = {"caption": fmt.caption, "corner": fmt.head, "colhead": fmt.head}.get(item.kind, fmt.rowhead)
        if item.rowspan > 1 or item.colspan > 1:
            ws.merge_range(r, c, r + item.rowspan - 1, c + item.colspan - 1, item.label(agency=agency.name), style)
        else:
            ws.write_string(r, c, item.label(agency=agency.name), style)
    # Row heights for long labels that wrap (merged cells are not auto-fitted by spreadsheets).
    for item in layout.items:
        if item.kind == "rowhead" and item.rowspan == 1 and not item.group:
            span_width = sum(max(widths[k], 8.0) for k in range(item.col, item.col + item.colspan))
            lines = max(1, -(-int(excel_width(item.text)) // max(int(span_width), 1)))
            if lines > 1:
                ws.set_row(TABLE_TOP + item.row, 14 * lines)
    corner = next((i for i in layout.items if i.kind == "corner" and i.text), None)
    if corner and corner.rowspan * 15 < 15 * 4:
        for k in range(corner.rowspan):
            ws.set_row(TABLE_TOP + corner.row + k, 28)


def _write_cells(ws: Any, fmt: Formats, plan: WorkbookPlan, ts: TableSheet, values: dict[str, object]) -> None:
    """Input cells with their values, computed cells as formulas with their stored results."""
    spec = plan.spec
    for item in ts.layout.items:
        if item.kind != "data" or item.cell_id is None:
            continue
        cell = spec.cells[item.cell_id]
        r0, c0 = TABLE_TOP + item.row, item.col
        style = fmt.computed(cell.domain) if cell.computed else fmt.input(cell.domain)
        if item.colspan > 1:
            ws.merge_range(r0, c0, r0, c0 + item.colspan - 1, "", style)
        if cell.computed:
            assert cell.formula is not None
            text = "=" + linear_formula(cell.formula, plan.positions.__getitem__, ts.table.sheet)
            ws.write_formula(r0, c0, text, style, as_stored(float(values[cell.id])))  # type: ignore[arg-type]
        else:
            write_value(ws, r0, c0, values.get(cell.id), style)


def _write_checks(
    ws: Any, fmt: Formats, plan: WorkbookPlan, ts: TableSheet, values: dict[str, object]
) -> tuple[list[str], int]:
    """The live check cells and their labels; the ranges they occupy and how many show an error."""
    for label in ts.check_labels:
        if label.rowspan > 1 or label.colspan > 1:
            r1, c1 = label.row + label.rowspan - 1, label.col + label.colspan - 1
            ws.merge_range(label.row, label.col, r1, c1, label.text, fmt.check_label)
        else:
            ws.write_string(label.row, label.col, label.text, fmt.check_label)
    where = plan.positions.__getitem__
    check_positions = []
    bad = 0
    for spot in ts.checks:
        inst = spot.instance
        lhs = linear_formula(inst.check.lhs, where, ts.table.sheet)
        rhs = linear_formula(inst.check.rhs, where, ts.table.sheet)
        result = check_value(
            linear_value(inst.check.lhs, values.get),
            inst.check.op,
            linear_value(inst.check.rhs, values.get),
            inst.rule.tolerance,
        )
        bad += result == BAD_TEXT
        _, r, c = spot.pos
        ws.write_formula(r, c, check_formula(lhs, inst.check.op, rhs, inst.rule.tolerance), fmt.check, result)
        check_positions.append(spot.pos)
    check_rects = [cell_range(rect) for rect in rectangles(check_positions)]
    for ref in check_rects:
        ws.conditional_format(ref, {"type": "cell", "criteria": "==", "value": f'"{BAD_TEXT}"', "format": fmt.bad})
        ws.conditional_format(ref, {"type": "cell", "criteria": "==", "value": f'"{OK_TEXT}"', "format": fmt.ok})
    return check_rects, bad


def _write_status(
    ws: Any,
    fmt: Formats,
    plan: WorkbookPlan,
    ts: TableSheet,
    values: dict[str, object],
    check_rects: list[str],
    bad: int,
    year: int,
    agency: Agency,
) -> None:
    """The status line above the table and the note below it."""
    spec, table = plan.spec, ts.table
    blanks = sum(is_blank(values.get(c)) for c in table.cells if not spec.cells[c].computed)
    status = status_value(bad, blanks)
    ws.merge_range(STATUS_ROW, 0, STATUS_ROW, ts.width - 1, "", fmt.status)
    ws.write_formula(STATUS_ROW, 0, status_formula(check_rects, plan.input_rects(table.id)), fmt.status, status)
    status_ref = xl_rowcol_to_cell(STATUS_ROW, 0)
    ws.conditional_format(status_ref, {"type": "text", "criteria": "containing", "value": text("sheet.mark-errors"), "format": fmt.bad})
    ws.conditional_format(status_ref, {"type": "text", "criteria": "containing", "value": text("sheet.mark-blanks"), "format": fmt.warn})
    ws.conditional_format(status_ref, {"type": "text", "criteria": "containing", "value": text("sheet.mark-done"), "format": fmt.ok})
    note_row = ts.height + 1
    ws.merge_range(
        note_row,
        0,
        note_row,
        ts.width - 1,
        text("template.table-note", agency=agency.name or text("template.this-agency"), year=year),
        fmt.note,
    )


def _print_setup(ws: Any, ts: TableSheet) -> None:
    """A4, fit to width, header rows repeated, the note row included."""
    table, layout = ts.table, ts.layout
    ws.set_paper(9)
    if table.landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 1 if ts.height <= 48 else 0)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    h0, h1 = layout.header_rows
    ws.repeat_rows(TABLE_TOP + h0, TABLE_TOP + h1)
    ws.print_area(0, 0, ts.height + 1, ts.width - 1)
    ws.set_footer(text("template.page-footer"))
    if layout.label_cols and len(table.blocks) == 1:
        ws.freeze_panes(TABLE_TOP + h1 + 1, layout.label_cols)
