"""The one evaluator of linear forms: spreadsheet semantics and checker semantics, and where they agree."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import grid_inputs
from zfxxgk.spec import LinearForm, Spec, Term
from zfxxgk.spec.evaluate import CHECKER, SHEET, compare, computed_values, linear_value


def _form(*terms: tuple[Term, int], const: str = "0") -> LinearForm:
    return LinearForm(tuple(terms), Decimal(const))


A, B, P = Term("a"), Term("b"), Term("a", prev=True)


def test_sum_skips_text_booleans_and_blanks_in_a_spreadsheet() -> None:
    cells = {"a": "12件", "b": 5}
    assert linear_value(_form((A, 1), (B, 1)), cells.get, SHEET) == 5.0
    assert linear_value(_form((A, 1), (B, 1)), {"a": True, "b": None}.get, SHEET) == 0.0
    assert linear_value(_form((A, 1), (B, -2), const="1.5"), {"a": 3, "b": 1}.get, SHEET) == 2.5


def test_the_checker_is_exact_and_counts_a_blank_as_0() -> None:
    assert linear_value(_form((A, 1), (B, 1)), {"a": Decimal("0.1"), "b": Decimal("0.2")}.get, CHECKER) == Decimal(
        "0.3"
    )
    assert linear_value(_form((A, 1), (B, 1)), {"a": None, "b": 4}.get, CHECKER) == 4
    assert 0.1 + 0.2 != 0.3  # why the checker does not use floats


def test_a_figure_quoted_in_prose_needs_every_cell_filled() -> None:
    form = _form((A, 1), (B, 1))
    assert linear_value(form, {"a": 3}.get, CHECKER, blank_as_zero=False) is None
    assert linear_value(form, {"a": 3, "b": 0}.get, CHECKER, blank_as_zero=False) == 3


def test_a_missing_value_of_last_year_leaves_the_form_without_value() -> None:
    form = _form((A, 1), (P, -1))
    now = {"a": 7}.get
    assert linear_value(form, now, CHECKER) is None  # no previous report given
    assert linear_value(form, now, CHECKER, {}.get) is None  # the cell is not in it
    assert linear_value(form, now, CHECKER, {"a": 3}.get) == 4


@pytest.mark.parametrize(
    ("lhs", "op", "rhs", "tolerance", "holds"),
    [
        (5, "=", 5, "0", True),
        (5, "=", 6, "0", False),
        (5, "=", 6, "1", True),
        (5, "<=", 6, "0", True),
        (7, "<=", 6, "0", False),
        (7, "<=", 6, "1", True),
        (6, ">=", 7, "0", False),
        (6, ">=", 7, "1", True),
        (5, "<", 6, "0", True),
        (6, "<", 6, "0", False),
        (6, "<", 5, "2", True),
        (7, ">", 6, "0", True),
        (6, ">", 6, "0", False),
        (5, ">", 6, "2", True),
    ],
)
def test_comparisons_and_tolerance_under_both_semantics(
    lhs: int, op: str, rhs: int, tolerance: str, holds: bool
) -> None:
    tol = Decimal(tolerance)
    assert compare(float(lhs), op, float(rhs), tol, SHEET) is holds
    assert compare(Decimal(lhs), op, Decimal(rhs), tol, CHECKER) is holds


def test_a_spreadsheet_absorbs_floating_point_noise_the_checker_does_not_see() -> None:
    assert compare(0.1 + 0.2, "=", 0.3, Decimal(0), SHEET)
    assert not compare(Decimal("0.3000001"), "=", Decimal("0.3"), Decimal(0), CHECKER)
    assert compare(Decimal("0.3000001"), "=", Decimal("0.3"), Decimal("0.000001"), CHECKER)


def test_typed_over_totals_keep_their_value_and_feed_the_totals_above(spec21: Spec) -> None:
    inputs: dict[str, object] = {c.id: 1 for c in grid_inputs(spec21)}
    pairs = [
        (lower, upper)
        for upper in spec21.computed_order
        for lower in spec21.cells[upper].formula.cells()  # type: ignore[union-attr]
        if spec21.cells[lower].computed
    ]
    lower, upper = pairs[0]  # a total that a total above it adds up
    plain_sheet = computed_values(spec21, inputs)
    plain_checker = computed_values(spec21, inputs, None, CHECKER)
    sheet = computed_values(spec21, inputs, {lower: 1000})
    checker = computed_values(spec21, inputs, {lower: 1000}, CHECKER)
    assert sheet[lower] == 1000 and checker[lower] == 1000
    assert sheet[upper] == plain_sheet[upper] + 1000 - plain_sheet[lower]
    assert checker[upper] == plain_checker[upper] + 1000 - plain_checker[lower]
    text_sheet = computed_values(spec21, inputs, {lower: "很多"})
    text_checker = computed_values(spec21, inputs, {lower: None}, CHECKER)
    assert text_sheet[lower] == 0 and text_checker[lower] == 0
    assert text_sheet[upper] == float(text_checker[upper])


@st.composite
def numeric_inputs(draw: st.DrawFn, spec: Spec) -> dict[str, int | Decimal]:
    out: dict[str, int | Decimal] = {}
    for cell in grid_inputs(spec):
        if cell.domain.kind == "integer":
            out[cell.id] = draw(st.integers(-10_000, 10_000))
        else:
            out[cell.id] = draw(st.decimals(min_value=0, max_value=99_999, places=2, allow_nan=False))
    return out


@settings(max_examples=40)
@given(data=st.data())
def test_both_semantics_agree_on_numeric_inputs(spec21: Spec, data: st.DataObject) -> None:
    inputs = data.draw(numeric_inputs(spec21))
    sheet = computed_values(spec21, {k: float(v) for k, v in inputs.items()})
    checker = computed_values(spec21, inputs, None, CHECKER)
    assert sheet.keys() == checker.keys() and sheet
    for cell_id, exact in checker.items():
        assert abs(sheet[cell_id] - float(exact)) < 1e-6, cell_id
    values = {**inputs, **checker}
    floats = {k: float(v) for k, v in values.items()}
    for rule in spec21.rules:
        for inst in rule.instances:
            if inst.uses_prev:
                continue
            exact_l = linear_value(inst.check.lhs, values.get, CHECKER)
            exact_r = linear_value(inst.check.rhs, values.get, CHECKER)
            assert exact_l is not None and exact_r is not None
            in_sheet = compare(
                linear_value(inst.check.lhs, floats.get),
                inst.check.op,
                linear_value(inst.check.rhs, floats.get),
                rule.tolerance,
            )
            assert in_sheet == compare(exact_l, inst.check.op, exact_r, rule.tolerance, CHECKER), inst.key
