"""Write the 填报说明 sheet: the agency, the spec's facts, the agency's contact and the spec's instructions."""

from __future__ import annotations

from typing import Any

from ..messages import text
from ..roster import Agency
from ..spec import INFO_SHEET, Spec
from .cells import protect, write_value
from .formats import Formats, excel_width
from .plan import INFO_VALUE_COL, FormRow, WorkbookPlan


def write_info(
    wb: Any,
    fmt: Formats,
    plan: WorkbookPlan,
    year: int,
    agency: Agency,
    values: dict[str, object],
    password: str | None,
    notice: str = "",
) -> None:
    """The first sheet a filler sees, active and protected; ``notice`` on the row above the instructions."""
    spec = plan.spec
    ws = wb.add_worksheet(INFO_SHEET)
    ws.hide_gridlines(2)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 60)
    ws.merge_range(0, 0, 0, 1, form_title(spec, year), fmt.title)
    fields = fact_fields(spec, year, agency)
    for r, fact in plan.info_facts:
        shown = fact.value.format_map(fields)
        ws.write_string(r, 0, fact.label, fmt.label)
        ws.write_string(r, 1, shown, fmt.fixed)
        ws.set_row(r, 15 * max(1, -(-int(excel_width(shown)) // 60)))  # room for a long spec name
    for fr in plan.info_rows:
        _write_input(ws, fmt, plan, fr, values)
    if notice:
        ws.merge_range(plan.notes_top - 2, 0, plan.notes_top - 2, 1, notice, fmt.notice)
        ws.set_row(plan.notes_top - 2, 15 * max(2, -(-int(excel_width(notice)) // 80)))
    _write_instructions(ws, fmt, spec, plan.notes_top)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.activate()
    protect(ws, password)


def form_title(spec: Spec, year: int) -> str:
    """The title of the return form (the 填报说明 sheet's title, the workbook's subject)."""
    return spec.form_title.format(year=year)


def fact_fields(spec: Spec, year: int, agency: Agency) -> dict[str, object]:
    """What the placeholders of the spec's facts name."""
    return {
        "agency": agency.name,
        "agency_code": agency.code,
        "year": year,
        "spec_name": spec.name,
        "spec_id": spec.id,
        "spec_version": spec.version,
    }


def _write_input(ws: Any, fmt: Formats, plan: WorkbookPlan, fr: FormRow, values: dict[str, object]) -> None:
    assert fr.value_cell
    cell = plan.spec.cells[fr.value_cell]
    ws.write_string(fr.row, 0, fr.label, fmt.label)
    write_value(ws, fr.row, INFO_VALUE_COL, values.get(fr.value_cell), fmt.input(cell.domain))
    ws.data_validation(
        fr.row,
        INFO_VALUE_COL,
        fr.row,
        INFO_VALUE_COL,
        {
            "validate": "length",
            "criteria": "<=",
            "value": 200,
            "input_title": text("template.input-title"),
            "input_message": fr.hint or text("template.info-prompt", label=fr.label),
            "error_title": text("template.error-title"),
            "error_message": text("template.info-too-long"),
            "ignore_blank": True,
        },
    )


def _write_instructions(ws: Any, fmt: Formats, spec: Spec, top: int) -> None:
    """The heading, then the spec's instruction lines, numbered."""
    ws.write_string(top, 0, text("template.instructions-heading"), fmt.status)
    for k, line in enumerate(spec.instructions, start=1):
        ws.write_string(top + k, 0, f"{k}. {line.zh}", fmt.note)
        ws.merge_range(top + k, 0, top + k, 1, f"{k}. {line.zh}", fmt.note)
        ws.set_row(top + k, 30)
