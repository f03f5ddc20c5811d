"""明细 and the other streamed sheets write whole rows at once: the bytes are those XlsxWriter's own calls write."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from zfxxgk.county.sheets.stream import RowWriter

ROWS: list[list[tuple[int, Any]]] = [
    [(0, 1), (1, "示范县教育局"), (2, " 前后有空格 "), (3, ""), (5, 0), (6, 12345678901234567), (7, Decimal("2.50"))],
    [(0, 2), (1, "a<b>&\"c\"\x01"), (4, True), (9, -3.25), (30, 7), (200, 1e-7)],
    [(2, "<r>not rich</r>"), (3, 4)],
]


def _write(path: Path, fast: bool, fmt_of: bool) -> bytes:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet("s")
    head = wb.add_format({"bold": True})  # numbered after the rows' format unless its row is written first
    fmt = wb.add_format({"border": 1}) if fmt_of else None
    ws.set_column(5, 8, 12)
    ws.write_string(0, 0, "head", head)
    writer = RowWriter(ws)
    for r, cells in enumerate(ROWS, start=2):
        if fast:
            assert writer._usual(r) and writer._cells(r, cells, fmt is not None)  # written at once, not cell by cell
            writer.write(r, cells, fmt)
        else:
            for c, v in cells:
                if isinstance(v, str):
                    ws.write_string(r, c, v, fmt)
                else:
                    ws.write_number(r, c, float(v) if isinstance(v, Decimal) else v, fmt)
    ws.write_string(len(ROWS) + 3, 0, "after")
    ws.autofilter(0, 0, len(ROWS) + 3, 10)
    wb.close()
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml") + z.read("xl/styles.xml")


def test_rows_written_at_once_are_the_bytes_of_cell_by_cell_writes(tmp_path: Path) -> None:
    for fmt_of in (False, True):
        fast, slow = _write(tmp_path / "fast.xlsx", True, fmt_of), _write(tmp_path / "slow.xlsx", False, fmt_of)
        assert b"<v>12345678901234567</v>" not in slow  # the number is written as Excel reads it (%.16G)
        assert fast == slow


def test_a_row_that_cannot_be_written_at_once_is_written_cell_by_cell(tmp_path: Path) -> None:
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"constant_memory": True})
    ws = wb.add_worksheet("s")
    ws.set_column(3, 3, 10, wb.add_format({"bold": True}))  # a column format: the cell inherits it
    ws.set_row(5, 30)  # a row with its own height
    writer = RowWriter(ws)

    def at_once(r: int, cells: list[tuple[int, Any]], cell_format: Any = None) -> bool:
        return writer._usual(r) and writer._cells(r, cells, cell_format is not None) is not None

    assert at_once(2, [(0, 1), (1, "a")])
    assert not at_once(2, [(3, 1)]) and not at_once(2, [(3, "a")]) and at_once(2, [(3, 1)], wb.add_format({}))
    assert not at_once(5, [(0, 1)])
    assert not at_once(2, [(0, float("nan"))]) and not at_once(2, [(0, "x" * 20_000)])
    writer.write(4, [(0, 1)])
    assert not at_once(3, [(0, 1)])  # rows before the last one written are gone in this mode
    wb.close()
