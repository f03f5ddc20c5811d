"""明细: one row per readable return, one column per numeric cell of the county spec."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from ...contract import quote_sheet
from ...spec import Spec
from ..model import County, Row
from ..store import Number
from .common import Formats, Words, write_cells

FIRST_ROW = 2  # zero-based: two header rows above (labels, then cell ids)
FIXED = ("no", "agency", "file", "status", "included")
INCLUDE_COL = FIXED.index("included")


def detail_columns(spec: Spec) -> list[str]:
    """Numeric cell ids, in spec order: one column each in 明细."""
    return [c.id for c in spec.cells.values() if c.domain.numeric]


def column_of(columns: list[str]) -> dict[str, int]:
    """Cell id -> its column in 明细."""
    return {cell_id: len(FIXED) + k for k, cell_id in enumerate(columns)}


def write_detail_head(ws: Any, fmt: Formats, words: Words, spec: Spec, columns: list[str]) -> None:
    """The two header rows: labels (表三·行·列), then the cell ids a formula or a program can rely on."""
    for c, key in enumerate(FIXED):
        ws.write_string(0, c, words(f"county.head-{key}"), fmt.head)
        ws.write_string(1, c, "", fmt.head)
    for k, cell_id in enumerate(columns, start=len(FIXED)):
        cell = spec.cells[cell_id]
        table = spec.tables[cell.table]
        prefix = words("county.detail-table", number=table.number) if table.number else ""
        row_label, column_label = cell.labels(words.lang)
        ws.write_string(0, k, f"{prefix}{row_label}·{column_label}", fmt.head)
        ws.write_string(1, k, cell_id, fmt.head)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 2, 24)
    ws.set_column(3, 4, 9)
    ws.set_column(len(FIXED), len(FIXED) + len(columns) - 1, 12)
    ws.set_row(0, 60)
    ws.freeze_panes(FIRST_ROW, 2)


class DetailRows:
    """明细's rows: ~214 cells a row, up to :data:`~..workbook.DETAIL_LIMIT` rows, streamed by XlsxWriter."""

    def __init__(self, ws: Any, words: Words, county: County, columns: list[str]) -> None:
        self.ws = ws
        self.words = words
        self.county = county
        self.columns = [(k, cell_id, county.spec.cells[cell_id].table) for k, cell_id in enumerate(columns, len(FIXED))]
        self._summed: dict[tuple[tuple[str, str], ...], frozenset[str]] = {}  # a return's tables -> those summed

    def write(self, n: int, row: Row, values: dict[str, Number | None]) -> int:
        """The ``n``-th row of 明细 (from 1): agency, file, status, 纳入汇总, then the figures; returns its row.

        A table not summed for this return (a local variant's) is left blank, as 汇总表 does not count it.
        """
        r = FIRST_ROW + n - 1
        o = row.outcome
        assert o is not None
        key = tuple(o.tables.items())
        summed = self._summed.get(key)
        if summed is None:
            tables = {t for _, _, t in self.columns}
            summed = self._summed[key] = frozenset(t for t in tables if self.county.summable(o, t))
        words = self.words
        cells: list[tuple[int, Any]] = [
            (0, n), (1, row.agency), (2, o.name), (3, words.status(row.status)), (INCLUDE_COL, words.yes_no(row.included)),
        ]  # fmt: skip
        get = values.get
        for k, cell_id, table in self.columns:
            v = get(cell_id)
            if v is not None and table in summed:
                cells.append((k, v))
        write_cells(self.ws, r, cells)
        return r


def write_detail_pointer(
    ws: Any, fmt: Formats, words: Words, count: int, limit: int, results: Path | None
) -> None:
    """明细 past its limit: a note saying where each return's figures are (the columnar results)."""
    ws.write_string(0, 0, words("county.detail-too-many", count=count, limit=limit), fmt.title)
    from ..results import CELLS  # pyarrow, only when this sheet is a pointer

    where = str(results / CELLS) if results else ""
    ws.write_string(1, 0, words("county.detail-see-results", path=where), fmt.note)
    ws.set_column(0, 0, 120)


def sumifs(words: Words, column: int, n_rows: int) -> str:
    """The formula summing a 明细 column over the included rows."""
    col = xl_col_to_name(column)
    inc = xl_col_to_name(INCLUDE_COL)
    first, last = FIRST_ROW + 1, FIRST_ROW + max(n_rows, 1)
    sheet = quote_sheet(words.sheet("detail"))
    yes = words.yes_no(True)
    return f'=SUMIFS({sheet}!${col}${first}:${col}${last},{sheet}!${inc}${first}:${inc}${last},"{yes}")'
