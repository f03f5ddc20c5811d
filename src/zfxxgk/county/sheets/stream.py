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

from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name
from xlsxwriter.worksheet import CellStringTuple

STYLE = "\x00"  # where a number cell's style goes (no written XML has a NUL)
MAX_FAST_TEXT = 16_000  # characters; longer texts may need XlsxWriter's truncation (32,767 UTF-16 units)


class RowWriter:
    """Write rows of (column, value) cells to one worksheet; texts as strings, numbers as numbers."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.fast = bool(getattr(ws, "constant_memory", False)) and hasattr(ws, "_write_single_row")
        self._opens: list[str] = []  # column -> '<c r="AB' (a number cell's start, before its row number)
        self._plain: list[bool] = []  # column -> it has no column format (a cell without a format has no style)
        self._formats_seen = -1  # len(ws.col_info) when _plain was made

    def _columns(self, last: int) -> None:
        """Know columns up to ``last`` (and anew when a column's format was set since)."""
        if len(self.ws.col_info) != self._formats_seen:
            self._formats_seen, self._plain = len(self.ws.col_info), []
        while len(self._opens) <= last:
            self._opens.append(f'<c r="{xl_col_to_name(len(self._opens))}')
        while len(self._plain) <= last:
            info = self.ws.col_info.get(len(self._plain))
            self._plain.append(info is None or info.column_format is None)

    def write(self, r: int, cells: Sequence[tuple[int, str | int | float | Decimal]], cell_format: Any = None) -> None:
        """One row: ``cells`` in column order, each a text or a number (a Decimal written as a float)."""
        if not cells:
            return
        ws = self.ws
        if not self._usual(r):
            self._slow(r, cells, cell_format)
            return
        if r > ws.previous_row:
            ws._write_single_row(r)  # the row before, first: formats are numbered in the order cells use them
        parts = self._cells(r, cells, cell_format is not None)
        if parts is None:
            self._slow(r, cells, cell_format)
            return
        ws._check_dimensions(r, cells[0][0])
        ws._check_dimensions(r, cells[-1][0])
        ws._write_row(r, None, ws.row_info.get(r))
        style = f' s="{cell_format._get_xf_index()}"' if cell_format is not None else ""
        out: list[str] = []
        for (col, v), part in zip(cells, parts, strict=True):
            if part is None:  # a rich string: XlsxWriter's own writer
                if out:
                    ws.fh.write("".join(out).replace(STYLE, style))
                    out = []
                ws._write_cell(r, col, CellStringTuple(v, cell_format))
            else:
                out.append(part)
        out.append("</row>")
        ws.fh.write("".join(out).replace(STYLE, style))

    def _usual(self, r: int) -> bool:
        """Whether the row can be written at once: a streamed sheet, a new row without formats or comments."""
        ws = self.ws
        if not self.fast or r < ws.previous_row or r >= ws.xls_rowmax or r in ws.row_info or r in ws.comments:
            return False
        return not (r == ws.previous_row and ws.table.get(r))  # else cells of it were written the ordinary way

    def _cells(self, r: int, cells: Sequence[tuple[int, object]], formatted: bool) -> list[str | None] | None:
        """Each cell's XML with :data:`STYLE` for its style (None for what reads as a rich string), or None
        when a cell needs the ordinary way. The style is filled in later: a format is numbered when first used."""
        self._columns(cells[-1][0])
        opens, plain, row_ref = self._opens, self._plain, str(r + 1)
        parts: list[str | None] = []
        ws, cell = self.ws, f'{row_ref}"{STYLE}'
        for col, v in cells:
            if not formatted and not plain[col]:
                return None  # the cell takes its column's format
            if v.__class__ is str:
                if len(v) > MAX_FAST_TEXT:
                    return None
                text = ws._escape_control_characters(v)
                if text.startswith("<r>") and text.endswith("</r>"):
                    parts.append(None)  # what reads as a rich string: XlsxWriter's own writer
                    continue
                space = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
                parts.append(f'{opens[col]}{cell} t="inlineStr"><is><t{space}>{ws._escape_data(text)}</t></is></c>')
                continue
            if v.__class__ is not int and not math.isfinite(v):  # type: ignore[arg-type]
                return None
            number = float(v) if v.__class__ is Decimal else v
            parts.append(f"{opens[col]}{cell}><v>{number:.16G}</v></c>")
        return parts

    def _slow(self, r: int, cells: Sequence[tuple[int, object]], cell_format: Any) -> None:
        for col, v in cells:
            if isinstance(v, str):
                self.ws.write_string(r, col, v, cell_format)
            else:
                self.ws.write_number(r, col, float(v) if isinstance(v, Decimal) else v, cell_format)
