"""Consistent figures for a spec: input values for which every rule holds, for tests, examples, benchmarks.

Driven only by the spec. Every numeric input cell is drawn in ``[min, size]`` (in its decimals),
then each rule instance that does not hold is repaired by raising one input cell of the instance
(or, where no input can be raised, lowering one, never below its domain's minimum), until every
rule holds; the totals are then the spec's own formulas. Rules that compare with the previous
year (``prev()``) are left out: there is no previous year here.

The random source is a ``pick(lo, hi)`` callable returning an integer in ``[lo, hi]``: a seeded
``random.Random(seed).randint`` for examples and benchmarks, or a hypothesis draw for tests.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TypeVar

from .check.rules import holds
from .spec import Cell, LinearForm, RuleInstance, Spec
from .spec.evaluate import CHECKER, computed_values

Pick = Callable[[int, int], int]
"""A random source: an integer in [lo, hi], both included."""

MAX_PASSES = 50
V = TypeVar("V")


def seeded(seed: int) -> Pick:
    """A reproducible random source."""
    return random.Random(seed).randint


def consistent_figures(
    spec: Spec,
    pick: Pick,
    size: int = 9,
    density: float = 1.0,
    fixed: Mapping[str, int | float | Decimal] | None = None,
    whole: bool = False,
) -> dict[str, int | Decimal]:
    """Input and computed values of every numeric cell, such that every current-year rule holds.

    ``size`` is the largest value drawn for a cell before repairs; ``density`` the share of cells
    drawn non-zero (the rest start at their minimum); ``fixed`` input values are kept as given and
    never changed; ``whole`` draws whole numbers in decimal domains too. Integers come back as
    ``int``, decimals as ``Decimal``. Raises ``ValueError`` when the rules cannot all be met.
    """
    steps = {c.id: Decimal(1) if whole else _step(c) for c in spec.input_cells}
    inputs = {c.id: _draw(c, steps[c.id], pick, size, density) for c in spec.input_cells if c.domain.numeric}
    held = {c: Decimal(str(v)) for c, v in (fixed or {}).items()}
    inputs.update(held)
    instances = [i for r in spec.rules for i in r.instances if not i.uses_prev and i.key not in spec.defining]
    for _ in range(MAX_PASSES):
        changed = False
        for inst in instances:
            values = {**inputs, **computed_values(spec, inputs, None, CHECKER)}
            if holds(inst, values) is False:
                _repair(spec, inst, values, inputs, pick, held, steps)
                changed = True
        if not changed:
            return _typed(spec, {**inputs, **computed_values(spec, inputs, None, CHECKER)})
    raise ValueError(f"the rules of {spec.id} cannot all be met")


def _step(cell: Cell) -> Decimal:
    return Decimal(1).scaleb(-(cell.domain.decimals or 0)) if cell.domain.kind == "decimal" else Decimal(1)


def _low(cell: Cell) -> Decimal:
    """The smallest value drawn: the domain's minimum, and never below 0."""
    return max(cell.domain.min, Decimal(0)) if cell.domain.min is not None else Decimal(0)


def _draw(cell: Cell, step: Decimal, pick: Pick, size: int, density: float) -> Decimal:
    d = cell.domain
    low = _low(cell)
    high = min(Decimal(size), d.max) if d.max is not None else Decimal(size)
    if density < 1 and pick(0, 99) >= density * 100:
        return low
    n = pick(int(low / step), max(int(high / step), int(low / step)))
    return n * step


def over_inputs(spec: Spec, form: LinearForm) -> dict[str, int]:
    """The form's coefficient of each input cell, totals replaced by their formulas (current year only)."""
    out: dict[str, int] = {}
    for term, coef in form.terms:
        if term.prev:
            continue
        formula = spec.cells[term.cell].formula
        parts = over_inputs(spec, formula) if formula is not None else {term.cell: 1}
        for cell_id, k in parts.items():
            out[cell_id] = out.get(cell_id, 0) + coef * k
    return {c: k for c, k in out.items() if k}


def _repair(
    spec: Spec,
    inst: RuleInstance,
    values: dict[str, Decimal],
    inputs: dict[str, Decimal],
    pick: Pick,
    held: Mapping[str, Decimal],
    steps: Mapping[str, Decimal],
) -> None:
    """Change one input of a failing instance towards its check holding: raise one whose coefficient
    moves lhs - rhs the needed way or, when there is none, lower one of the other sign (not below its
    minimum)."""
    check = inst.check
    get: Callable[[str], Decimal] = lambda c: values.get(c) or Decimal(0)  # noqa: E731
    left = check.lhs.evaluate(lambda t: get(t.cell))
    right = check.rhs.evaluate(lambda t: get(t.cell))
    assert left is not None and right is not None
    diff = left - right  # the amount lhs - rhs must change by is -diff (=), or enough to pass (<, >, ...)
    coefs = over_inputs(spec, check.lhs)
    for cell_id, k in over_inputs(spec, check.rhs).items():
        coefs[cell_id] = coefs.get(cell_id, 0) - k
    up = check.op in (">=", ">") or (check.op == "=" and diff < 0)
    free = [c for c in sorted(coefs) if c in inputs and c not in held]
    raisable = [c for c in free if (coefs[c] > 0) == up]
    lowerable = [c for c in free if (coefs[c] > 0) != up and inputs[c] > _low(spec.cells[c])]
    if not raisable and not lowerable:
        raise ValueError(f"rule {inst.key} cannot be met by changing the inputs")
    candidates, sign = (raisable, 1) if raisable else (lowerable, -1)
    cell_id = candidates[pick(0, len(candidates) - 1)]
    step = steps[cell_id]
    need = abs(diff) + (step if check.op in ("<", ">") else 0)
    change = -(-need // (abs(coefs[cell_id]) * step)) * step  # ceiling, in the cell's own steps
    if sign < 0:
        change = min(change, inputs[cell_id] - _low(spec.cells[cell_id]))
    inputs[cell_id] += sign * change


def _typed(spec: Spec, values: dict[str, Decimal]) -> dict[str, int | Decimal]:
    return {c: int(v) if spec.cells[c].domain.kind == "integer" else v for c, v in values.items()}


def inputs_only(spec: Spec, values: Mapping[str, V]) -> dict[str, V]:
    """The values of input cells only (what a person types; the totals are the template's formulas)."""
    return {k: v for k, v in values.items() if not spec.cells[k].computed}
