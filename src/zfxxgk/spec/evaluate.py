"""The one evaluator of the spec's linear forms, under either of two semantics.

``SHEET`` is what Excel and LibreOffice compute from the cells as they are: floating point, and ``SUM``
over references skips text, booleans and blanks (the template writes every total as ``SUM``). The
writer stores these results in the template and the checker uses them to tell a stale stored result.

``CHECKER`` is what the rules mean: exact arithmetic (``int`` and ``Decimal``) on values already
coerced from what was typed ("12件" is 12); a blank counts as 0, and a value of last year's report
that is missing makes the form have no value.

Under both, a total whose formula was replaced by a constant ("typed over") keeps that constant, and
the totals built on it use it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final, Literal, overload

from .compiled import Spec
from .expr import LinearForm

log = logging.getLogger(__name__)

Semantics = Literal["sheet", "checker"]
SHEET: Final = "sheet"
CHECKER: Final = "checker"
Number = int | Decimal
Lookup = Callable[[str], object]  # cell id -> what the cell holds

_HOLDS: dict[str, Callable[[Any, Any], bool]] = {  # (difference, tolerance) -> holds
    "=": lambda diff, tol: abs(diff) <= tol,
    "<=": lambda diff, tol: diff <= tol,
    ">=": lambda diff, tol: diff >= -tol,
    "<": lambda diff, tol: diff < tol,
    ">": lambda diff, tol: diff > -tol,
}


def sheet_number(value: object) -> float:
    """What SUM() takes from a referenced cell: numbers count, text, booleans and blanks do not."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return 0.0
    return float(value)


def exact_number(value: object) -> Number | None:
    """A coerced value as an exact number; None for anything that is not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return Decimal(repr(value)) if isinstance(value, float) else value


@overload
def linear_value(
    form: LinearForm,
    current: Lookup,
    semantics: Literal["sheet"] = ...,
    previous: Lookup | None = ...,
    *,
    blank_as_zero: bool = ...,
) -> float: ...
@overload
def linear_value(
    form: LinearForm,
    current: Lookup,
    semantics: Literal["checker"],
    previous: Lookup | None = ...,
    *,
    blank_as_zero: bool = ...,
) -> Decimal | None: ...
def linear_value(
    form: LinearForm,
    current: Lookup,
    semantics: Semantics = SHEET,
    previous: Lookup | None = None,
    *,
    blank_as_zero: bool = True,
) -> float | Decimal | None:
    """The value of a form over this year's cells (``current``) and last year's (``previous``).

    Under ``CHECKER`` the result is None when a term of last year has no value (or no
    ``previous`` is given), and, with ``blank_as_zero=False``, when a cell of this year has none
    (a figure quoted in prose is compared only with tables that were read and filled in); under
    ``SHEET`` last year does not exist and every term is a cell.
    """
    if semantics == SHEET:
        total = float(form.const)
        for term, coef in form.terms:
            total += coef * sheet_number(current(term.cell))
        return total

    exact: Number = form.const if form.const else 0  # integers stay integers until the end
    for term, coef in form.terms:  # the one hot loop of a check: kept free of calls for int cells
        if term.prev:
            if previous is None:
                return None
            value = previous(term.cell)
        else:
            value = current(term.cell)
        if type(value) is not int and type(value) is not Decimal:  # not bool, which is an int
            value = exact_number(value)
            if value is None:
                if term.prev or not blank_as_zero:
                    return None
                continue  # a blank counts as 0
        exact += coef * value  # int and Decimal mix exactly; no float ever enters
    return Decimal(exact)


def compare(
    lhs: float | Decimal, op: str, rhs: float | Decimal, tolerance: Decimal, semantics: Semantics = SHEET
) -> bool:
    """Whether ``lhs op rhs`` holds within ``tolerance``.

    ``SHEET`` rounds the difference to 6 decimals, as the template's check formulas do to absorb
    floating-point noise; ``CHECKER`` compares exactly.
    """
    if semantics == SHEET:
        return _HOLDS[op](round(float(lhs) - float(rhs), 6), float(tolerance))
    return _HOLDS[op](Decimal(lhs) - Decimal(rhs), tolerance)


@overload
def computed_values(
    spec: Spec,
    inputs: Mapping[str, object],
    typed_over: Mapping[str, object] | None = ...,
    semantics: Literal["sheet"] = ...,
) -> dict[str, float]: ...
@overload
def computed_values(
    spec: Spec, inputs: Mapping[str, object], typed_over: Mapping[str, object] | None, semantics: Literal["checker"]
) -> dict[str, Decimal]: ...
def computed_values(
    spec: Spec,
    inputs: Mapping[str, object],
    typed_over: Mapping[str, object] | None = None,
    semantics: Semantics = SHEET,
) -> dict[str, float] | dict[str, Decimal]:
    """Every computed cell's value from the input cells' contents, dependencies first.

    ``typed_over`` gives totals whose formula was replaced by a constant: they keep that constant
    (``SHEET``: as SUM would read it; ``CHECKER``: a blank or text as 0).
    """
    values: dict[str, object] = dict(inputs)
    out: dict[str, float | Decimal] = {}
    for cell_id in spec.computed_order:
        if typed_over is not None and cell_id in typed_over:
            typed = typed_over[cell_id]
            values[cell_id] = typed
            out[cell_id] = sheet_number(typed) if semantics == SHEET else Decimal(exact_number(typed) or 0)
            continue
        form = spec.cells[cell_id].formula
        assert form is not None
        result = linear_value(form, values.get, semantics)
        assert result is not None  # no total refers to last year
        out[cell_id] = values[cell_id] = result
    return out  # type: ignore[return-value]
