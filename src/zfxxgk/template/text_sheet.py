"""Write the 文字部分 sheet: one row per prose section of the report and per extra field."""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from ..messages import text
from ..spec import TEXT_SHEET
from .cells import protect, validation, write_value
from .formats import Formats
from .formulas import is_blank
from .plan import TEXT_TITLE_COL, TEXT_VALUE_COL, FormRow, WorkbookPlan

TITLE_MAX = 100  # characters of an editable heading
_HEADS = (
    ("template.text-col-section", 22),
    ("template.text-col-title", 26),
    ("template.text-col-body", 80),
    ("template.text-col-hint", 36),
)


def _title_validation() -> dict[str, object]:
    return {
        "validate": "length",
        "criteria": "<=",
        "value": TITLE_MAX,
        "ignore_blank": True,
        "input_title": text("template.title-input-title"),
        "input_message": text("template.title-prompt"),
        "error_title": text("template.error-title"),
        "error_message": text("template.title-too-long", max=TITLE_MAX),
    }


def write_text_sheet(
    wb: Any, fmt: Formats, plan: WorkbookPlan, values: dict[str, object], password: str | None
) -> None:
    """The sheet of the report's text, protected."""
    ws = wb.add_worksheet(TEXT_SHEET)
    ws.hide_gridlines(2)
    ws.merge_range(0, 0, 0, 3, text("template.text-title"), fmt.title)
    for c, (key, width) in enumerate(_HEADS):
        ws.set_column(c, c, width)
        ws.write_string(1, c, text(key), fmt.head)
    for fr in plan.text_rows:
        ws.write_string(fr.row, 0, fr.label, fmt.label)
        _write_title(ws, fmt, plan, fr, values)
        if fr.value_cell:
            cell = plan.spec.cells[fr.value_cell]
            write_value(ws, fr.row, TEXT_VALUE_COL, values.get(fr.value_cell), fmt.input(cell.domain))
            ws.data_validation(
                fr.row,
                TEXT_VALUE_COL,
                fr.row,
                TEXT_VALUE_COL,
                validation(cell.domain, xl_rowcol_to_cell(fr.row, TEXT_VALUE_COL)),
            )
            ws.set_row(fr.row, 96 if cell.domain.kind == "text" else 32)
        ws.write_string(fr.row, 3, fr.hint, fmt.note)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    protect(ws, password)


def _write_title(ws: Any, fmt: Formats, plan: WorkbookPlan, fr: FormRow, values: dict[str, object]) -> None:
    """An editable heading (the spec's heading until changed), or the fixed heading."""
    if not fr.title_cell:
        ws.write_string(fr.row, TEXT_TITLE_COL, fr.heading or "", fmt.fixed)
        return
    spec = plan.spec
    cell = spec.cells[fr.title_cell]
    section = next(s for s in spec.all_sections() if s.title_cell == fr.title_cell)
    title = values.get(fr.title_cell)
    write_value(ws, fr.row, TEXT_TITLE_COL, section.heading if is_blank(title) else title, fmt.input(cell.domain))
    ws.data_validation(fr.row, TEXT_TITLE_COL, fr.row, TEXT_TITLE_COL, _title_validation())
