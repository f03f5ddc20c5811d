"""The template's own spreadsheet formulas: live checks and the status line, and the results stored with them.

A total's formula text is part of the contract with the reader (:mod:`zfxxgk.contract`); the values
stored with every formula are computed by :mod:`zfxxgk.spec.evaluate` under spreadsheet semantics.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from decimal import Decimal

from ..messages import text
from ..spec.evaluate import SHEET, compare

log = logging.getLogger(__name__)

OK_TEXT = text("sheet.check-ok")  # what a live check cell shows
BAD_TEXT = text("sheet.check-bad")


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


def check_value(lhs: float, op: str, rhs: float, tolerance: Decimal) -> str:
    """What a check formula of :func:`check_formula` shows for these values (spreadsheet semantics)."""
    return OK_TEXT if compare(lhs, op, rhs, tolerance, SHEET) else BAD_TEXT


def is_blank(value: object) -> bool:
    """COUNTBLANK semantics: empty cells and empty strings."""
    return value is None or value == ""


def as_stored(value: float) -> int | float:
    """A numeric result as it is stored: integral values as int."""
    return int(value) if float(value).is_integer() else value


def _halves(key: str) -> tuple[str, str]:
    """A status text split where its count goes."""
    before, _, after = text(key).partition("{n}")
    return before, after


def status_formula(check_rects: Sequence[str], input_rects: Sequence[str]) -> str:
    """The status line's formula: errors first, then blank inputs, else done."""
    bad = "+".join(f'COUNTIF({r},"{BAD_TEXT}")' for r in check_rects) or "0"
    blank = "+".join(f"COUNTBLANK({r})" for r in input_rects) or "0"
    e0, e1 = _halves("sheet.status-errors")
    b0, b1 = _halves("sheet.status-blanks")
    done = text("sheet.status-done")
    return f'=IF(({bad})>0,"{e0}"&({bad})&"{e1}",IF(({blank})>0,"{b0}"&({blank})&"{b1}","{done}"))'


def status_value(bad: int, blank: int) -> str:
    """What the status line's formula shows for these counts."""
    if bad:
        return text("sheet.status-errors", n=bad)
    if blank:
        return text("sheet.status-blanks", n=blank)
    return text("sheet.status-done")
