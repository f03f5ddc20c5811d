"""Render a :class:`~zfxxgk.template.plan.WorkbookPlan` as a locked Excel workbook (XlsxWriter).

What the file holds, and why:

* every input cell unlocked, everything else locked, every sheet protected, Tab moving between input
  cells only (``select_locked_cells: False``);
* workbook structure protection, which XlsxWriter does not write (its maintainer declined), added by
  rewriting ``xl/workbook.xml`` in the finished package;
* every total a formula *with its correct stored result*, because LibreOffice keeps stored results on
  load and Excel's Protected View shows them without recalculating;
* a live check cell per identity instance and a status line per table sheet;
* a defined name per cell id, and the same map in the hidden ``_zfxxgk`` sheet, because it is not
  known that every application keeps defined names when it saves.

Each sheet has its module (``info_sheet``, ``table_sheet``, ``text_sheet``, ``meta_sheet``); ``formats``
holds the cell formats, ``cells`` the writing of single cells, ``package`` the post-write patch.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from ..contract import GENERATOR, defined_name, quote_sheet
from ..fileio import write_bytes_atomic
from ..messages import text
from ..roster import Agency
from ..spec import Spec
from ..spec.evaluate import computed_values
from .formats import Formats
from .formulas import is_blank
from .info_sheet import form_title, write_info
from .meta_sheet import write_meta
from .package import finish_package
from .plan import workbook_plan
from .table_sheet import write_table_sheet
from .text_sheet import write_text_sheet


def build_template(
    spec: Spec,
    year: int,
    agency: Agency | None = None,
    prefill: Mapping[str, object] | None = None,
    password: str | None = None,
    notice: str = "",
) -> bytes:
    """The template workbook for one agency (or a blank one) as .xlsx bytes.

    ``prefill`` gives values for input cells (e.g. last year's carry-over); computed cells, check
    cells and status lines store the results a spreadsheet computes for them. ``notice`` is a line
    the 填报说明 sheet shows above the instructions (what was carried from which file).
    """
    agency = agency or Agency()
    plan = workbook_plan(spec)
    inputs = _inputs(spec, agency, prefill or {})
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    wb.set_properties(
        {
            "title": spec.report_title(agency.name or text("template.agency-placeholder"), year),
            "subject": form_title(spec, year),
            "author": GENERATOR,
            "company": agency.name,
            "comments": f"{spec.id} {spec.version}",
            "created": datetime(2000, 1, 1),
        }
    )
    fmt = Formats(wb)
    values: dict[str, object] = {**inputs, **computed_values(spec, inputs)}
    write_info(wb, fmt, plan, year, agency, values, password, notice)
    for ts in plan.tables:
        write_table_sheet(wb, fmt, plan, ts, values, year, agency, password)
    write_text_sheet(wb, fmt, plan, values, password)
    write_meta(wb, plan, year, agency, password)
    for cell_id, (sheet, r, c) in plan.positions.items():
        wb.define_name(defined_name(cell_id), f"={quote_sheet(sheet)}!{xl_rowcol_to_cell(r, c, True, True)}")
    wb.close()
    return finish_package(buf.getvalue())


def write_template(
    path: str | Path,
    spec: Spec,
    year: int,
    agency: Agency | None = None,
    prefill: Mapping[str, object] | None = None,
    password: str | None = None,
    notice: str = "",
) -> None:
    """Write :func:`build_template` to ``path`` atomically."""
    write_bytes_atomic(path, build_template(spec, year, agency, prefill, password, notice))


def _inputs(spec: Spec, agency: Agency, prefill: Mapping[str, object]) -> dict[str, object]:
    unknown = [k for k in prefill if k not in spec.cells or spec.cells[k].computed]
    if unknown:
        raise ValueError(f"prefill names cells that are not input cells: {', '.join(sorted(unknown))}")
    values: dict[str, object] = {c.id: None for c in spec.input_cells}
    values.update(prefill)
    if agency.name and is_blank(values.get("info.agency.value")):
        values["info.agency.value"] = agency.name
    for key, val in (("info.contact.value", agency.contact), ("info.phone.value", agency.phone)):
        if val and is_blank(values.get(key)):
            values[key] = val
    return values
