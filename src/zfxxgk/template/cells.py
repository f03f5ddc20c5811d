"""Writing single cells of a template: values as typed, data validations, sheet protection."""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from ..contract import rectangles
from ..messages import text
from ..spec import Domain
from .formulas import is_blank
from .plan import WorkbookPlan


def protect(ws: Any, password: str | None) -> None:
    """Lock the sheet; Tab moves between the unlocked (input) cells only."""
    ws.protect(
        password or "",
        {"select_locked_cells": False, "select_unlocked_cells": True, "format_columns": False, "format_rows": False},
    )


def write_value(ws: Any, r: int, c: int, value: object, cell_format: Any) -> None:
    """User and roster text is always written as a string, never as a formula."""
    if is_blank(value):
        ws.write_blank(r, c, None, cell_format)
    elif isinstance(value, str):
        ws.write_string(r, c, value, cell_format)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, cell_format)
    else:
        ws.write_number(r, c, float(value) if not isinstance(value, int) else value, cell_format)  # type: ignore[arg-type]


def cell_range(rect: tuple[str, int, int, int, int]) -> str:
    """A rectangle (sheet, r0, c0, r1, c1) as an A1 range on its sheet."""
    _, r0, c0, r1, c1 = rect
    ref = xl_rowcol_to_cell(r0, c0)
    return ref if (r0, c0) == (r1, c1) else f"{ref}:{xl_rowcol_to_cell(r1, c1)}"


def validation(domain: Domain, top_left: str) -> dict[str, Any]:
    """The data validation of a cell (or range starting at ``top_left``) of ``domain``."""
    common: dict[str, Any] = {
        "input_title": text("template.input-title"),
        "input_message": domain.prompt_zh,
        "error_title": text("template.error-title"),
        "error_message": domain.error_zh,
        "error_type": "stop",
        "ignore_blank": True,
    }
    if domain.kind == "text":
        return {**common, "validate": "length", "criteria": "<=", "value": domain.max_length or 32767}
    if domain.kind == "integer":
        return {**common, **_integer_bounds(domain)}
    conds = [f"ISNUMBER({top_left})"]
    if domain.min is not None:
        conds.append(f"{top_left}>={domain.min}")
    if domain.max is not None:
        conds.append(f"{top_left}<={domain.max}")
    if domain.decimals is not None:
        conds.append(f"ROUND({top_left},{domain.decimals})={top_left}")
    return {**common, "validate": "custom", "value": f"=AND({','.join(conds)})"}


def _integer_bounds(domain: Domain) -> dict[str, Any]:
    if domain.min is not None and domain.max is not None:
        return {"validate": "integer", "criteria": "between", "minimum": int(domain.min), "maximum": int(domain.max)}
    if domain.min is not None:
        return {"validate": "integer", "criteria": ">=", "value": int(domain.min)}
    if domain.max is not None:
        return {"validate": "integer", "criteria": "<=", "value": int(domain.max)}
    return {"validate": "integer", "criteria": "between", "minimum": -(10**12), "maximum": 10**12}


def write_validations(ws: Any, plan: WorkbookPlan, table_id: str) -> None:
    """One validation per rectangle of input cells of a domain in a table."""
    spec = plan.spec
    by_domain: dict[str, list[tuple[str, int, int]]] = {}
    for cell_id in spec.tables[table_id].cells:
        cell = spec.cells[cell_id]
        if not cell.computed:
            by_domain.setdefault(cell.domain.id, []).append(plan.positions[cell_id])
    for domain_id, positions in by_domain.items():
        for rect in rectangles(positions):
            _, r0, c0, r1, c1 = rect
            ws.data_validation(r0, c0, r1, c1, validation(spec.domains[domain_id], xl_rowcol_to_cell(r0, c0)))
