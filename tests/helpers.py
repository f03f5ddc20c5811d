"""Test helpers: value strategies per domain, filling and reading workbooks with the real libraries."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import strategies as st

from zfxxgk.plan import workbook_plan
from zfxxgk.read import read_meta
from zfxxgk.spec import Cell, Spec
from zfxxgk.xlsx import Package


def grid_inputs(spec: Spec) -> list[Cell]:
    return [c for c in spec.input_cells if c.table in spec.tables and spec.tables[c.table].kind == "grid"]


def valid_value(cell: Cell) -> st.SearchStrategy[Any]:
    d = cell.domain
    if d.kind == "integer":
        return st.integers(int(d.min) if d.min is not None else -500, 500)
    if d.kind == "decimal":
        return st.decimals(min_value=0, max_value=9999, places=d.decimals or 0).map(lambda x: float(x))
    return st.text(max_size=30)


def hostile_value(cell: Cell) -> st.SearchStrategy[Any]:
    """Values a person or a paste can put into a cell despite validation."""
    return st.one_of(
        valid_value(cell),
        st.none(),
        st.integers(-50, -1),
        st.floats(0.01, 99.99).map(lambda x: round(x, 3)),
        st.sampled_from(["12件", "无", "-", "/", "—", "１２", "1,200", " 7 ", "abc", "=1+1"]),
    )


def fill_strategy(spec: Spec, hostile: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    cells = grid_inputs(spec)
    make = hostile_value if hostile else valid_value
    return st.fixed_dictionaries({c.id: make(c) for c in cells})


def fill_with_openpyxl(template: Path, values: Mapping[str, Any], out: Path) -> None:
    """Type values into a template as a script would (openpyxl keeps formulas, drops stored results)."""
    _, spec_positions = read_meta(Package(template.read_bytes()))
    wb = openpyxl.load_workbook(template)
    for cell_id, value in values.items():
        sheet, addr = spec_positions[cell_id]
        cell = wb[sheet][addr]
        if isinstance(value, str):
            cell.value = value
            cell.data_type = "s"  # never a formula, even "=1+1"
        else:
            cell.value = value
    wb.save(out)


def stored_values(path: Path, spec: Spec) -> dict[str, Any]:
    """Stored (cached) value of every cell id, by the spec's plan."""
    plan = workbook_plan(spec)
    wb = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for cell_id, (sheet, r, c) in plan.positions.items():
        out[cell_id] = wb[sheet].cell(row=r + 1, column=c + 1).value
    return out


def as_decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, str):
        return None
    return Decimal(str(value))
