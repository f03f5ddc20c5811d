"""汇总表: the official tables, every figure a SUMIFS formula over 明细 with its stored result.

Written for a county (its 明细 lists agencies) and for a roll-up (its 明细 lists units): both are
:class:`Summed`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from xlsxwriter.utility import xl_rowcol_to_cell

from ...messages import text
from ...spec import TEXT_TABLE, Spec, Table
from ...spec.layout import table_layout
from ...template.formulas import as_stored
from ...textwidth import text_width
from .common import Formats, Words, print_setup
from .detail import sumifs


class Summed(Protocol):
    """What 汇总表 is written from: its spec, name, year, totals and how many it sums."""

    @property
    def spec(self) -> Spec: ...
    @property
    def name(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def totals(self) -> dict[str, Decimal]: ...
    @property
    def included(self) -> int: ...


def write_summary(
    ws: Any, fmt: Formats, words: Words, county: Summed, n_rows: int, column_of: dict[str, int] | None
) -> dict[str, str]:
    """The sheet; returns cell id -> its absolute A1 address on it (the charts refer to them).

    Without ``column_of`` (明细 not written: too many returns) the figures are numbers, not formulas.
    """
    ws.write_string(0, 0, words("county.summary-title", name=county.name, year=county.year), fmt.title)
    note = "county.summary-note" if column_of is not None else "county.summary-note-results"
    ws.write_string(1, 0, words(note, count=county.included), fmt.note)
    positions: dict[str, str] = {}
    widths = [0.0] * 20
    r = 3
    for table in county.spec.grid_tables:
        r = _table(ws, fmt, words, county, table, r, n_rows, column_of, positions, widths)
    _fields(ws, fmt, words, county, r, n_rows, column_of, positions)
    for c, w in enumerate(widths):
        ws.set_column(c, c, max(w + 2, 9))
    print_setup(ws, words, landscape=True)
    return positions


def _table(
    ws: Any,
    fmt: Formats,
    words: Words,
    county: Summed,
    table: Table,
    r: int,
    n_rows: int,
    column_of: dict[str, int] | None,
    positions: dict[str, str],
    widths: list[float],
) -> int:
    """One official table from row ``r``; returns the row after it."""
    layout = table_layout(table)
    ws.write_string(r, 0, text("template.table-heading", words.lang, number=table.number, title=table.title), fmt.title)
    r += 1
    for item in layout.items:
        rr, cc = r + item.row, item.col
        if item.kind == "data" and item.cell_id:
            value = county.totals.get(item.cell_id, Decimal(0))
            style = fmt.total if county.spec.cells[item.cell_id].computed else fmt.number
            if item.colspan > 1:
                ws.merge_range(rr, cc, rr, cc + item.colspan - 1, "", style)
            _figure(ws, rr, cc, words, column_of, item.cell_id, n_rows, style, value)
            positions[item.cell_id] = xl_rowcol_to_cell(rr, cc, True, True)
            continue
        style = fmt.rowhead if item.kind == "rowhead" else fmt.head
        label = item.label(agency=county.name)
        if item.rowspan > 1 or item.colspan > 1:
            ws.merge_range(rr, cc, rr + item.rowspan - 1, cc + item.colspan - 1, label, style)
        else:
            ws.write_string(rr, cc, label, style)
        if item.colspan == 1 and item.kind != "caption" and cc < len(widths):
            widths[cc] = max(widths[cc], min(text_width(label, wide=2), 40))
    return r + layout.height + 2


def _fields(
    ws: Any,
    fmt: Formats,
    words: Words,
    county: Summed,
    r: int,
    n_rows: int,
    column_of: dict[str, int] | None,
    positions: dict[str, str],
) -> None:
    """The numeric fields of the 文字部分 (信息处理费), under the heading the spec gives them."""
    spec = county.spec
    text_table = spec.tables.get(TEXT_TABLE)
    fields = [c for c in text_table.cells if spec.cells[c].domain.numeric] if text_table else []
    if not fields:
        return
    titles = spec.county.fields_title if spec.county else {}
    ws.write_string(r, 0, titles.get(words.lang) or titles.get("zh") or words("county.summary-fields"), fmt.title)
    for k, cell_id in enumerate(fields, start=1):
        ws.write_string(r + k, 0, spec.cells[cell_id].labels(words.lang)[0], fmt.rowhead)
        value = county.totals.get(cell_id, Decimal(0))
        _figure(ws, r + k, 1, words, column_of, cell_id, n_rows, fmt.number, value)
        positions[cell_id] = xl_rowcol_to_cell(r + k, 1, True, True)


def _figure(
    ws: Any, r: int, c: int, words: Words, column_of: dict[str, int] | None, cell_id: str, n_rows: int, style: Any,
    value: Decimal,
) -> None:  # fmt: skip
    """A total: the SUMIFS over its 明细 column with the stored result, or the number alone without 明细."""
    if column_of is None:
        ws.write_number(r, c, float(value), style)
    else:
        ws.write_formula(r, c, sumifs(words, column_of[cell_id], n_rows), style, as_stored(float(value)))
