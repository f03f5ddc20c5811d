"""Workbooks as agencies make them by hand: the official tables, their own layout, their own typing.

Used to test label-matched reading. The layout here is deliberately not the template's: tables start
at an offset, on one sheet or several, with half-width brackets, straight quotes, unit notes and the
occasional misprint, as seen in real returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import xlsxwriter

from zfxxgk.spec import Header, Spec, Table
from zfxxgk.spec.compiled import forest_depth, forest_leaves

Relabel = Callable[[str], str]


def half_width(label: str) -> str:
    return label.replace("（", "(").replace("）", ")").replace("“", '"').replace("”", '"')


def with_units(label: str) -> str:
    return label + "（件）" if label.startswith(("一、", "二、", "四、")) else label


def misprint(label: str) -> str:
    return {"2.其他法律行政法规禁止公开": "2.其他法律行政止公开", "行政复议": "行政法复议"}.get(label, label)


def numbered_with_dun(label: str) -> str:
    return (
        label.replace("1.", "1、").replace("2.", "2、").replace("3.", "3、")
        if label[:2] in ("1.", "2.", "3.")
        else label
    )


def _columns(ws: Any, nodes: tuple[Header, ...], r: int, col: int, level: int, relabel: Relabel) -> int:
    """Write column headers depth-first; return the next free column."""
    for node in nodes:
        ws.write_string(r + level, col, relabel(node.label))
        col = _columns(ws, node.children, r, col, level + 1, relabel) if node.children else col + 1
    return col


def _rows(
    ws: Any,
    nodes: tuple[Header, ...],
    table: Table,
    leaves: list[Header],
    values: Mapping[str, Any],
    r: int,
    left: int,
    depth: int,
    level: int,
    relabel: Relabel,
) -> int:
    """Write row labels and figures; return the next free row."""
    for node in nodes:
        if depth:
            ws.write_string(r, left + level, relabel(node.label))
        if node.children:
            r = _rows(ws, node.children, table, leaves, values, r, left, depth, level + 1, relabel)
            continue
        for k, leaf in enumerate(leaves):
            v = values.get(f"{table.id}.{node.id}.{leaf.id}")
            if isinstance(v, str):
                ws.write_string(r, left + depth + k, v)
            elif v is not None:
                ws.write_number(r, left + depth + k, v)
        r += 1
    return r


def write_table(
    ws: Any, table: Table, values: Mapping[str, Any], top: int, left: int, relabel: Relabel = lambda s: s
) -> int:
    """Write one table in a plain hand-made layout at (top, left); return the next free row."""
    r = top
    ws.write_string(r, left, f"{table.number}、{table.title}")
    r += 1
    for block in table.blocks:
        depth = forest_depth(block.rows) if block.row_header else 0
        if block.caption:
            ws.write_string(r, left, relabel(block.caption))
            r += 1
        if depth and block.corner:
            ws.write_string(r, left, relabel(block.corner))
        _columns(ws, block.columns, r, left + depth, 0, relabel)
        r += forest_depth(block.columns)
        r = _rows(ws, block.rows, table, forest_leaves(block.columns), values, r, left, depth, 0, relabel)
    return r + 1


def handmade(
    path: Path,
    spec: Spec,
    values: Mapping[str, Any],
    *,
    title: str = "",
    relabel: Relabel = lambda s: s,
    one_sheet: bool = True,
    tables: tuple[str, ...] = ("t2", "t3", "t4"),
    extra_specs: Mapping[str, Spec] | None = None,
) -> None:
    """Write tables of ``spec`` (or, per table id, of ``extra_specs``) the way an agency might."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("报表")
    r = 2
    if title:
        ws.write_string(0, 1, title)
    for n, tid in enumerate(tables):
        table = (extra_specs or {}).get(tid, spec).tables[tid]
        if not one_sheet and n:
            ws = wb.add_worksheet(f"表{table.number}")
            r = 1
        r = write_table(ws, table, values, r, 1, relabel)
    wb.close()
