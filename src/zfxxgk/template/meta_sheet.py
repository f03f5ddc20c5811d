"""Write the hidden ``_zfxxgk`` sheet: the template's identity and the map of every cell id to its place."""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from ..contract import map_header, map_line, meta_rows
from ..roster import Agency
from ..spec import META_SHEET
from .cells import protect
from .plan import WorkbookPlan


def write_meta(wb: Any, plan: WorkbookPlan, year: int, agency: Agency, password: str | None) -> None:
    """The hidden, protected metadata sheet."""
    ws = wb.add_worksheet(META_SHEET)
    rows = meta_rows(plan.spec, year, agency)
    for r, (key, value) in enumerate(rows):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
    r0 = len(rows) + 1
    # The map is one cell per row (see zfxxgk.contract): a fifth of the cells of a five-column table,
    # which keeps reading the map cheap.
    ws.write_string(r0, 0, map_header())
    for k, (cell_id, cell) in enumerate(plan.spec.cells.items(), start=r0 + 1):
        sheet, r, c = plan.positions[cell_id]
        ws.write_string(k, 0, map_line(cell_id, sheet, xl_rowcol_to_cell(r, c), cell.role, cell.domain.id))
    ws.set_column(0, 0, 60)
    ws.hide()
    protect(ws, password)
