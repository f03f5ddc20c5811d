"""What every sheet of 汇总.xlsx shares: cell formats, sheet names, print setup and writing a row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ...messages import text
from ..model import status_labels

SHEET_KEYS = ("status", "findings", "summary", "detail", "charts")
STATUS_COLORS = {
    "ok": "#C6EFCE",
    "warnings": "#FFEB9C",
    "errors": "#FFC7CE",
    "unreadable": "#FFC7CE",
    "missing": "#D9D9D9",
    "duplicate": "#DDEBF7",
    "outsider": "#DDEBF7",
}


@dataclass(frozen=True)
class Words:
    """The language a summary workbook is written in, and its sheet names in that language."""

    lang: str

    def sheet(self, key: str) -> str:
        return text(f"county.sheet-{key}", self.lang)

    def __call__(self, key: str, **fields: object) -> str:
        """The text of a ``county.*`` catalogue key in this language."""
        return text(key, self.lang, **fields)

    def status(self, key: str) -> str:
        return status_labels(self.lang)[key]

    def yes_no(self, flag: bool) -> str:
        return self("county.included-yes" if flag else "county.included-no")


class Formats:
    def __init__(self, wb: Any, lang: str) -> None:
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
        self.title = wb.add_format({**base, "bold": True, "font_size": 14})
        self.note = wb.add_format({**base, "font_color": "#444444"})
        self.head = wb.add_format(
            {**base, "bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True, "align": "center"}
        )
        self.text = wb.add_format({**base, "text_wrap": False})
        self.wrap = wb.add_format({**base, "text_wrap": True, "valign": "top"})
        self.cell = wb.add_format({**base, "border": 1, "text_wrap": True, "align": "center"})
        self.rowhead = wb.add_format({**base, "border": 1, "text_wrap": True, "bg_color": "#F2F2F2"})
        self.number = wb.add_format({**base, "border": 1, "align": "center"})
        self.total = wb.add_format({**base, "border": 1, "align": "center", "bold": True, "bg_color": "#E2EFDA"})
        labels = status_labels(lang)
        self.status = {labels[k]: wb.add_format({"bg_color": v}) for k, v in STATUS_COLORS.items()}  # by label


def print_setup(ws: Any, words: Words, landscape: bool = False, repeat: tuple[int, int] | None = None) -> None:
    """A4, fit to the page width, header rows repeated: every sheet prints as a clerk expects."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    if repeat:
        ws.repeat_rows(*repeat)
    ws.set_footer(words("county.footer"))


def write_row(ws: Any, r: int, values: list[object], cell_format: Any) -> None:
    """One row of texts (always as strings, never formulas) and numbers; blanks are skipped."""
    write_cells(ws, r, [(c, v) for c, v in enumerate(values) if v is not None and v != ""], cell_format)


def write_cells(ws: Any, r: int, cells: Sequence[tuple[int, object]], cell_format: Any = None) -> None:
    """(column, value) cells of one row: texts as strings (never formulas), numbers as numbers (a Decimal as a float)."""
    for c, v in cells:
        if isinstance(v, str):
            ws.write_string(r, c, v, cell_format)
        else:
            ws.write_number(r, c, float(v) if isinstance(v, Decimal) else v, cell_format)


def heads(ws: Any, fmt: Formats, row: int, titles: list[str], widths: Sequence[float]) -> None:
    """A row of column headings with their widths."""
    for c, (h, w) in enumerate(zip(titles, widths, strict=True)):
        ws.write_string(row, c, h, fmt.head)
        ws.set_column(c, c, w)
