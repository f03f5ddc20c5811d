"""Workbooks written as markdown tables in a test's source (pyxform's habit), made into real .xlsx files.

    | 二、主动公开政府信息情况 | <            | <            |
    | 信息内容                 | 本年制发件数 | 本年废止件数 |
    | 规章                     | 2            | '0           |

Each ``|``-separated cell is one spreadsheet cell, from A1 on: an empty cell stays empty; ``<``
merges the cell with its left neighbour and ``^`` with the one above (a merged range is kept only
when it is a rectangle); a plain integer or decimal is written as a number; anything else, or text
after a leading ``'`` (as in Excel), is written as text. A separator line such as ``|---|---|`` is
skipped, so a table may have a markdown header line. Surrounding whitespace and indentation are
ignored. Sheets named in ``hidden`` are written hidden (Excel's 隐藏工作表).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from zfxxgk.check.file import CheckResult, check_file

LEFT, UP = "<", "^"
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_SEPARATOR = re.compile(r"\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?")


def rows(table: str) -> list[list[str]]:
    """The cell texts of a markdown table, row by row (separator lines left out)."""
    out = []
    for line in table.strip().splitlines():
        line = line.strip()
        if not line or _SEPARATOR.fullmatch(line):
            continue
        if not (line.startswith("|") and line.endswith("|")):
            raise ValueError(f"not a table row: {line!r}")
        out.append([cell.strip() for cell in line[1:-1].split("|")])
    return out


def value(text: str) -> int | Decimal | str | None:
    """What a cell's text stands for: nothing, a number, or text."""
    if text == "":
        return None
    if text.startswith("'"):
        return text[1:]
    if _NUMBER.fullmatch(text):
        return Decimal(text) if "." in text else int(text)
    return text


def unmerged(table: str) -> str:
    """The same table without merged cells: each ``<`` and ``^`` becomes an empty cell (as many agencies type)."""
    return re.sub(r"\|\s*[<^]\s*(?=\|)", "| ", table)


def merges(grid: list[list[str]]) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """Each anchor cell (row, column) with the range it spans (r0, c0, r1, c1), zero-based."""
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, line in enumerate(grid):
        for c, text in enumerate(line):
            if text == LEFT and (r, c - 1) in owner:
                owner[(r, c)] = owner[(r, c - 1)]
            elif text == UP and (r - 1, c) in owner:
                owner[(r, c)] = owner[(r - 1, c)]
            elif text in (LEFT, UP):
                raise ValueError(f"{text!r} at row {r + 1}, column {c + 1} has no neighbour to merge with")
            else:
                owner[(r, c)] = (r, c)
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for cell, anchor in owner.items():
        spans.setdefault(anchor, []).append(cell)
    out = {}
    for anchor, cells in spans.items():
        if len(cells) == 1:
            continue
        r0, r1 = min(r for r, _ in cells), max(r for r, _ in cells)
        c0, c1 = min(c for _, c in cells), max(c for _, c in cells)
        if len(cells) != (r1 - r0 + 1) * (c1 - c0 + 1):
            raise ValueError(f"the cells merged with row {anchor[0] + 1}, column {anchor[1] + 1} are not a rectangle")
        out[anchor] = (r0, c0, r1, c1)
    return out


def write_workbook(path: Path, sheets: Mapping[str, str], hidden: Collection[str] = ()) -> Path:
    """Write one sheet per markdown table (sheet name -> table) with openpyxl, those in ``hidden``
    hidden; return the path."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, table in sheets.items():
        ws = wb.create_sheet(name)
        if name in hidden:
            ws.sheet_state = "hidden"
        grid = rows(table)
        for r, line in enumerate(grid):
            for c, text in enumerate(line):
                v = value(text) if text not in (LEFT, UP) else None
                if v is not None:
                    cell = ws.cell(row=r + 1, column=c + 1, value=v)
                    if isinstance(v, str):
                        cell.data_type = "s"  # text, even when it looks like a formula
        for r0, c0, r1, c1 in merges(grid).values():
            ws.merge_cells(f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1 + 1)}{r1 + 1}")
    wb.save(path)
    return path


def check_tables(
    folder: Path, sheets: str | Mapping[str, str], hidden: Collection[str] = (), **options: object
) -> CheckResult:
    """Write the table(s) as a workbook in ``folder`` (sheets in ``hidden`` hidden) and check it
    (``options`` go to ``check_file``)."""
    book = {"Sheet1": sheets} if isinstance(sheets, str) else sheets
    return check_file(write_workbook(folder / "own.xlsx", book, hidden), **options)  # type: ignore[arg-type]
