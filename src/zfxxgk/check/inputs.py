"""Reading the stated values of a return: each cell coerced to its domain, every problem a finding."""

from __future__ import annotations

import logging
from decimal import Decimal

from ..findings import Finding, make
from ..read.values import Issue, Number, Value, coerce, plain_number
from ..read.workbook import Part, Return
from ..spec import Cell

log = logging.getLogger(__name__)


def numbers(values: dict[str, Value]) -> dict[str, Number | None]:
    """The values that are not text (numbers and blanks)."""
    return {k: v for k, v in values.items() if not isinstance(v, str)}


def value_finding(issue: Issue, cell: Cell, where: tuple[str, str], raw: object, lang: str) -> Finding:
    """A value problem of a cell, located and labelled."""
    row_label, column_label = cell.labels(lang)
    return make(
        issue.code,
        lang,
        sheet=where[0],
        cell=where[1],
        cell_id=cell.id,
        row_label=row_label,
        column_label=column_label,
        actual=raw if raw != "" else None,
        expected=issue.expected,
        detail=issue.detail_en if lang == "en" and issue.detail_en else issue.detail,
        cells=(f"{where[0]}!{where[1]}",),
    )


def read_value(ret: Return, cell: Cell, lang: str, out: list[Finding]) -> Value:
    """The stated value of an input cell; its problems are added to ``out``."""
    read = ret.cells[cell.id]
    where = (read.sheet, read.a1)
    raw = read.raw
    if read.formula is not None and not cell.computed:
        if raw in ("", None) and not read.error:
            out.append(value_finding(Issue("input-formula-unreadable", read.formula), cell, where, raw, lang))
            return None
        out.append(value_finding(Issue("input-formula", read.formula), cell, where, raw, lang))
    value, issues = coerce(raw, cell.domain, read.error)
    if read.scale is not None and isinstance(value, int | Decimal):  # a column stated in another unit
        value = plain_number(Decimal(value) * read.scale)
    for issue in issues:
        shown = read.error if issue.code == "error-value" else raw
        out.append(value_finding(issue, cell, where, shown, lang))
    return value


def template_inputs(ret: Return, part: Part, lang: str, out: list[Finding]) -> dict[str, Value]:
    """The stated values of a template's input cells (totals are read by :mod:`.tampering`)."""
    return {
        cell.id: read_value(ret, cell, lang, out)
        for cell in part.spec.cells.values()
        if cell.id in ret.cells and not cell.computed
    }


def label_values(ret: Return, part: Part, lang: str, out: list[Finding]) -> dict[str, Value]:
    """The stated values of the tables found by their labels (totals included, as typed)."""
    stated: dict[str, Value] = {}
    for table_id in part.tables:
        for cell_id in part.spec.tables[table_id].cells:
            if cell_id in ret.cells:
                stated[cell_id] = read_value(ret, part.spec.cells[cell_id], lang, out)
    return stated
