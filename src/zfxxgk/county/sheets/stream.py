"""Rows of a streamed sheet written straight to its XML: the same bytes XlsxWriter writes, far fewer calls.

明细 has ~214 cells a row and a province 200,000 rows; through ``write_number`` each cell costs a decorator,
dimension checks, a cell tuple and a generic XML writer (about 5 µs). In ``constant_memory`` mode
XlsxWriter writes a row to the sheet's temporary file as soon as the next one starts, so a whole row
can be written at once instead: the row is flushed, the dimensions are updated once, the ``<row>`` tag
and text cells come from XlsxWriter's own writers (escaping, in-line strings) and each number cell is
one formatted string, as ``XMLwriter._xml_number_element`` writes it. Where anything is unusual (not a
streamed sheet, a formatted row or column, a comment, a number that is not finite, a very long text)
the row goes through the ordinary ``write_*`` calls. ``tests/test_county_stream.py`` compares both
ways byte for byte, so an XlsxWriter that changes its internals fails a test rather than a workbook.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellStringTuple

MAX_FAST_TEXT = 16_000  # characters; longer texts may need XlsxWriter's truncation (32,767 UTF-16 units)


class RowWriter:
    """Write rows of (column, value) cells to one worksheet; texts as strings, numbers as numbers."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.fast = bool(getattr(ws, "constant_memory", False)) and hasattr(ws, "_write_single_row")
        self._letters: list[str] = []
        self._plain: dict[int, bool] = {}  # column -> no column format (a cell without a format has no style)

    def letter(self, col: int) -> str:
        while len(self._letters) <= col:
            self._letters.append(xl_col_to_name(len(self._letters)))
        return self._letters[col]

    def _column_plain(self, col: int) -> bool:
        plain = self._plain.get(col)
        if plain is None:
            info = self.ws.col_info.get(col)
            plain = self._plain[col] = info is None or info.column_format is None
        return plain

    def write(self, r: int, cells: Sequence[tuple[int, str | int | float | Decimal]], cell_format: Any = None) -> None:
        """One row: ``cells`` in column order, each a text or a number (a Decimal written as a float)."""
        if not cells:
            return
        if not self._can(r, cells, cell_format):
            self._slow(r, cells, cell_format)
            return
        ws = self.ws
        if r > ws.previous_row:
            ws._write_single_row(r)
        ws._check_dimensions(r, cells[0][0])
        ws._check_dimensions(r, cells[-1][0])
        ws._write_row(r, None, ws.row_info.get(r))
        style = f' s="{cell_format._get_xf_index()}"' if cell_format is not None else ""
        row_ref, letter = str(r + 1), self.letter
        parts: list[str] = []
        for col, v in cells:
            if isinstance(v, str):
                if parts:
                    ws.fh.write("".join(parts))
                    parts = []
                ws._write_cell(r, col, CellStringTuple(v, cell_format))
            else:
                parts.append(f'<c r="{letter(col)}{row_ref}"{style}><v>{float(v) if isinstance(v, Decimal) else v:.16G}</v></c>')
        parts.append("</row>")
        ws.fh.write("".join(parts))

    def _can(self, r: int, cells: Sequence[tuple[int, object]], cell_format: Any) -> bool:
        ws = self.ws
        if not self.fast or r < ws.previous_row or r in ws.row_info or r in ws.comments:
            return False
        if r == ws.previous_row and ws.table.get(r):
            return False  # cells of this row already written the ordinary way
        for col, v in cells:
            if isinstance(v, str):
                if len(v) > MAX_FAST_TEXT:
                    return False
            elif not math.isfinite(v) or (cell_format is None and not self._column_plain(col)):  # type: ignore[arg-type]
                return False
        return True

    def _slow(self, r: int, cells: Sequence[tuple[int, object]], cell_format: Any) -> None:
        for col, v in cells:
            if isinstance(v, str):
                self.ws.write_string(r, col, v, cell_format)
            else:
                self.ws.write_number(r, col, float(v) if isinstance(v, Decimal) else v, cell_format)
