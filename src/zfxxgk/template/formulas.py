"""Spreadsheet formulas from linear forms, and their values computed the way a spreadsheet does.

Every formula the project writes is built here, so that the text written into a workbook and the
result stored with it come from one place. Semantics follow Excel and LibreOffice: ``SUM`` over
references ignores text, booleans and blanks, which is why even ``a + b`` is written ``SUM(a,b)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from xlsxwriter.utility import xl_rowcol_to_cell

from ..spec import LinearForm, Spec

Pos = tuple[str, int, int]  # sheet, zero-based row, zero-based column
OK_TEXT = "正确"
BAD_TEXT = "错误"


def quote_sheet(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def rectangles(positions: Iterable[Pos]) -> list[tuple[str, int, int, int, int]]:
    """Compress cell positions into rectangles (sheet, r0, c0, r1, c1), in reading order."""
    runs: list[tuple[str, int, int, int]] = []  # sheet, row, first column, last column
    for sheet, r, c in sorted(set(positions)):
        if runs and runs[-1][:2] == (sheet, r) and runs[-1][3] == c - 1:
            runs[-1] = (sheet, r, runs[-1][2], c)
        else:
            runs.append((sheet, r, c, c))
    rects: list[tuple[str, int, int, int, int]] = []
    for sheet, r, c0, c1 in runs:
        for k, (s, r0, rc0, r1, rc1) in enumerate(rects):
            if (s, rc0, rc1, r1) == (sheet, c0, c1, r - 1):
                rects[k] = (s, r0, rc0, r, rc1)
                break
        else:
            rects.append((sheet, r, c0, r, c1))
    return rects


def range_ref(rect: tuple[str, int, int, int, int], home: str, absolute: bool = False) -> str:
    sheet, r0, c0, r1, c1 = rect
    ref = xl_rowcol_to_cell(r0, c0, absolute, absolute)
    if (r0, c0) != (r1, c1):
        ref += ":" + xl_rowcol_to_cell(r1, c1, absolute, absolute)
    return ref if sheet == home else f"{quote_sheet(sheet)}!{ref}"


def cell_ref(pos: Pos, home: str | None = None, absolute: bool = False) -> str:
    return range_ref((pos[0], pos[1], pos[2], pos[1], pos[2]), home or "", absolute)


def _sum_of(positions: Sequence[Pos], home: str) -> str:
    if len(set(positions)) < len(positions):  # a coefficient above 1: keep every repetition
        return "SUM(" + ",".join(cell_ref(p, home) for p in positions) + ")"
    return "SUM(" + ",".join(range_ref(r, home) for r in rectangles(positions)) + ")"


def linear_formula(form: LinearForm, where: Callable[[str], Pos], home: str) -> str:
    """A formula body (no leading '=') for a linear form; positive terms first."""
    plus = [where(t.cell) for t, c in form.terms for _ in range(abs(c)) if c > 0]
    minus = [where(t.cell) for t, c in form.terms for _ in range(abs(c)) if c < 0]
    parts = []
    if plus or not minus:
        parts.append(_sum_of(plus, home) if plus else "0")
    if minus:
        parts.append("-" + _sum_of(minus, home))
    if form.const:
        parts.append(("+" if form.const > 0 else "-") + str(abs(form.const)))
    return "".join(parts)


def check_formula(lhs: str, op: str, rhs: str, tolerance: Decimal) -> str:
    """``=IF(<comparison>,"正确","错误")`` with differences rounded to absorb floating-point noise."""
    diff = f"ROUND({lhs}-({rhs}),6)"
    tol = str(tolerance)
    cond = {
        "=": f"ABS({diff})<={tol}",
        "<=": f"{diff}<={tol}",
        ">=": f"{diff}>=-{tol}",
        "<": f"{diff}<{tol}",
        ">": f"{diff}>-{tol}",
    }[op]
    return f'=IF({cond},"{OK_TEXT}","{BAD_TEXT}")'


# --------------------------------------------------------------------------- spreadsheet semantics


def sheet_number(value: object) -> float:
    """What SUM() takes from a referenced cell: numbers count, text, booleans and blanks do not."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return 0.0
    return float(value)


def linear_value(form: LinearForm, value_of: Callable[[str], object]) -> float:
    total = float(form.const)
    for term, coef in form.terms:
        total += coef * sheet_number(value_of(term.cell))
    return total


def check_value(lhs: float, op: str, rhs: float, tolerance: Decimal) -> str:
    diff = round(lhs - rhs, 6)
    tol = float(tolerance)
    ok = {
        "=": abs(diff) <= tol,
        "<=": diff <= tol,
        ">=": diff >= -tol,
        "<": diff < tol,
        ">": diff > -tol,
    }[op]
    return OK_TEXT if ok else BAD_TEXT


def computed_values(
    spec: Spec, inputs: Mapping[str, object], typed_over: Mapping[str, object] | None = None
) -> dict[str, float]:
    """Every computed cell's value as a spreadsheet shows it, for the given input cell contents.

    ``typed_over`` gives totals whose formula was replaced by a constant: they keep that constant.
    """
    values: dict[str, object] = dict(inputs)
    out: dict[str, float] = {}
    for cell_id in spec.computed_order:
        if typed_over and cell_id in typed_over:
            out[cell_id] = sheet_number(typed_over[cell_id])
            values[cell_id] = typed_over[cell_id]
            continue
        form = spec.cells[cell_id].formula
        assert form is not None
        out[cell_id] = values[cell_id] = linear_value(form, values.get)
    return out


def is_blank(value: object) -> bool:
    """COUNTBLANK semantics: empty cells and empty strings."""
    return value is None or value == ""


def as_stored(value: float) -> int | float:
    """A numeric result as it is stored: integral values as int."""
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True)
class StatusTexts:
    """The one-line status at the top of a table sheet."""

    errors: tuple[str, str] = ("有", "处勾稽错误，请按红色“错误”提示核对")
    blanks: tuple[str, str] = ("还有", "个格子未填写（没有的请填0，不要留空）")
    done: str = "已全部填写，勾稽关系正确"


STATUS = StatusTexts()


def status_formula(check_rects: Sequence[str], input_rects: Sequence[str]) -> str:
    bad = "+".join(f'COUNTIF({r},"{BAD_TEXT}")' for r in check_rects) or "0"
    blank = "+".join(f"COUNTBLANK({r})" for r in input_rects) or "0"
    e0, e1 = STATUS.errors
    b0, b1 = STATUS.blanks
    return f'=IF(({bad})>0,"{e0}"&({bad})&"{e1}",IF(({blank})>0,"{b0}"&({blank})&"{b1}","{STATUS.done}"))'


def status_value(bad: int, blank: int) -> str:
    if bad:
        return f"{STATUS.errors[0]}{bad}{STATUS.errors[1]}"
    if blank:
        return f"{STATUS.blanks[0]}{blank}{STATUS.blanks[1]}"
    return STATUS.done
