"""Tampering with a template: totals typed over or altered, stale stored results, protection removed.

A total is intact when its formula text is the one the template writes for the positions its cells
are read from (:func:`zfxxgk.contract.expected_formula`): the file's own hidden map, or where the
cells now are when rows or columns were inserted, deleted or moved; then the formula as the app
rewrote it (its ranges stretched or shrunk with the cells) is intact too. The checker never re-plans
the workbook.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..contract import Pos, expected_formula, linear_formula, norm_formula
from ..findings import Finding, make
from ..normalize import shown_number
from ..read.package import a1_to_rc
from ..read.values import Number, Value, coerce, plain_number
from ..read.workbook import CellRead, Return
from ..spec import LinearForm, Spec
from ..spec.evaluate import CHECKER, SHEET, computed_values
from .inputs import numbers

log = logging.getLogger(__name__)
EXPECTED_MEMO = "expected-formulas"  # key of the memo a template's layout keeps its totals' formulas under


class _Positions(dict[str, Pos]):
    """Cell id -> (sheet, row, column) in this file, worked out only when asked for.

    Cells read from the file come first; a cell on a missing sheet is where the file's map puts it.
    """

    def __init__(self, ret: Return) -> None:
        super().__init__()
        self.ret = ret

    def __missing__(self, cell_id: str) -> Pos:
        c = self.ret.cells.get(cell_id)
        sheet, a1 = (c.sheet, c.a1) if c else self.ret.cell_map[cell_id]
        self[cell_id] = pos = (sheet, *a1_to_rc(a1))
        return pos

    def mapped(self, cell_id: str) -> Pos:
        """Where the file's hidden map put a cell (where the template wrote it)."""
        sheet, a1 = self.ret.cell_map[cell_id]
        return (sheet, *a1_to_rc(a1))

    def moves(self) -> dict[Pos, Pos]:
        """Position written -> position now, for every cell read from the file."""
        return {self.mapped(k): self[k] for k in self.ret.cells if k in self.ret.cell_map}


@dataclass
class _Totals:
    """What the totals of one part should be, and what the spreadsheet shows (worked out when needed)."""

    ret: Return
    spec: Spec
    typed_over: dict[str, Number | None]
    proper: dict[str, Decimal]  # every total from the inputs
    totals: dict[str, Decimal]  # as the intact formulas show them (typed-over totals kept)
    positions: _Positions
    _shown: dict[str, float] = field(default_factory=dict)
    _moves: dict[Pos, Pos] | None = None

    def shown(self, cell_id: str) -> float:
        """What the spreadsheet computes from the raw cells (SUM skips text such as "12件")."""
        if not self._shown:
            raw = {k: c.raw for k, c in self.ret.cells.items() if not self.spec.cells[k].computed}
            self._shown = computed_values(self.spec, raw, {k: self.ret.cells[k].raw for k in self.typed_over}, SHEET)
        return self._shown[cell_id]

    def intact(self, cell_id: str, read: CellRead) -> tuple[bool, str]:
        """Whether a total's formula is the template's, and the formula it should be."""
        if not read.formula:  # an empty text is a shared-formula child: its text lives in another cell
            return True, ""
        form = self.spec.cells[cell_id].formula
        assert form is not None
        where = self.positions.__getitem__
        try:
            if norm_formula(read.formula, read.sheet) == self._expected(cell_id, form, read.sheet):
                return True, ""
            if self.ret.moved and norm_formula(read.formula, read.sheet) == self._rewritten(form, read.sheet):
                return True, ""
        except (KeyError, ValueError):  # a term the file's map does not place: nothing to compare with
            return True, ""
        return False, linear_formula(form, where, read.sheet)

    def _expected(self, cell_id: str, form: LinearForm, home: str) -> str:
        """The formula a total should hold here; the same for every return of the template read as
        written (kept on its layout, :attr:`Return.layout`)."""
        memo: dict[tuple[str, str], str] | None = None
        if self.ret.layout is not None:
            memo = self.ret.layout.memo.setdefault(EXPECTED_MEMO, {})
            if (cell_id, home) in memo:
                return memo[(cell_id, home)]
        want = expected_formula(form, self.positions.__getitem__, home)
        if memo is not None:
            memo[(cell_id, home)] = want
        return want

    def _rewritten(self, form: LinearForm, home: str) -> str:
        """The template's formula as the app rewrote it when it moved the cells."""
        if self._moves is None:
            self._moves = self.positions.moves()
        return norm_formula(linear_formula(form, self.positions.mapped, home, self._moves.__getitem__), home)


def _typed_over(ret: Return, spec: Spec) -> dict[str, Number | None]:
    """Totals whose formula was replaced by a constant, with that constant (None for text)."""
    out: dict[str, Number | None] = {}
    for cell_id in spec.computed_order:
        read = ret.cells.get(cell_id)
        if read is not None and read.formula is None:
            literal, _ = coerce(read.raw, spec.cells[cell_id].domain)
            out[cell_id] = None if isinstance(literal, str) else literal
    return out


def total_findings(ret: Return, spec: Spec, stated: dict[str, Value], lang: str) -> tuple[list[Finding], set[str]]:
    """formula-replaced, formula-altered and stale-result findings of a template's totals.

    Adds each total's stated value to ``stated``; returns the findings and the totals whose value was
    computed from their own intact formula.
    """
    inputs = numbers(stated)
    typed_over = _typed_over(ret, spec)
    proper = computed_values(spec, inputs, None, CHECKER)
    totals = computed_values(spec, inputs, typed_over, CHECKER) if typed_over else proper
    state = _Totals(ret, spec, typed_over, proper, totals, _Positions(ret))
    out: list[Finding] = []
    computed: set[str] = set()
    for cell_id in spec.computed_order:
        if cell_id in ret.cells:
            finding, intact = _total(state, cell_id, stated, lang)
            out += [finding] if finding is not None else []
            if intact:
                computed.add(cell_id)
    return out, computed


def _total(state: _Totals, cell_id: str, stated: dict[str, Value], lang: str) -> tuple[Finding | None, bool]:
    """The finding of one total (None when it is intact and current), whether its formula is intact.

    Sets the total's stated value.
    """
    cell, read = state.spec.cells[cell_id], state.ret.cells[cell_id]
    row_label, column_label = cell.labels(lang)
    at: dict[str, Any] = {
        "sheet": read.sheet,
        "cell": read.a1,
        "cell_id": cell_id,
        "row_label": row_label,
        "column_label": column_label,
        "cells": (f"{read.sheet}!{read.a1}",),
    }
    if cell_id in state.typed_over:
        stated[cell_id] = state.typed_over[cell_id]
        return make(
            "formula-replaced", lang, actual=state.typed_over[cell_id], expected=state.proper[cell_id], **at
        ), False
    expected = state.totals[cell_id]
    stored = read.raw if isinstance(read.raw, int | float) and not isinstance(read.raw, bool) else None
    intact, want = state.intact(cell_id, read)
    if not intact:
        stated[cell_id] = plain_number(shown_number(float(stored))) if stored is not None else expected
        return make("formula-altered", lang, actual="=" + str(read.formula), expected="=" + want, **at), False
    stated[cell_id] = plain_number(expected)
    # Stale only if the spreadsheet itself would now show something else (SUM ignores text, so a
    # total over "12件" legitimately differs from ours, which reads it as 12).
    if stored is not None and abs(float(stored) - float(expected)) > 1e-6:
        shown = state.shown(cell_id)
        if abs(float(stored) - shown) > 1e-6:
            return make("stale-result", lang, actual=stored, expected=plain_number(shown_number(shown)), **at), True
    return None, True


def protection_findings(ret: Return, lang: str) -> list[Finding]:
    """A finding for each sheet left unprotected, and for the workbook's structure."""
    out = [make("sheet-unprotected", lang, sheet=s) for s, ok in sorted(ret.sheet_protection.items()) if not ok]
    if not ret.structure_protected:
        out.append(make("workbook-unprotected", lang))
    return out
