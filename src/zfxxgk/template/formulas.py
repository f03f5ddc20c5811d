"""The template's own spreadsheet formulas: live checks and the status line, and the results stored with them.

A total's formula text is part of the contract with the reader (:mod:`zfxxgk.contract`); the values
stored with every formula are computed by :mod:`zfxxgk.spec.evaluate` under spreadsheet semantics.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..spec.evaluate import SHEET, compare

log = logging.getLogger(__name__)

OK_TEXT = "正确"
BAD_TEXT = "错误"


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
