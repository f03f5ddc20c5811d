"""Compile the ``carry_over:`` key: which input cells a template takes from last year's return.

Each item is ``set: <this year's input cell> = <expression of prev(...) terms and numbers>``, with
``for_each`` bindings as in rules, so what carries over is written in the spec's own expression
language (``t3.carried.{c} = prev(t3.forward.{c})``).
"""

from __future__ import annotations

import itertools
from typing import Any

from . import expr
from .compiled import Carry, Cell, Table
from .errors import Ctx, say
from .rules import _bindings, resolvers


def compile_carry(cdef: Any, tables: dict[str, Table], cells: dict[str, Cell], ctx: Ctx) -> Carry:
    """One carry-over item with a (cell, form) pair per for_each binding; problems go to ``ctx``."""
    key = f"carry_over[{cdef.id}].set"
    sets, known = resolvers(tables, cells)
    pairs: list[tuple[str, expr.LinearForm]] = []
    try:
        missing = expr.variables(cdef.set_) - set(cdef.for_each)
        if missing:
            raise expr.ExprError(say("spec.unbound-for-each", names=sorted(missing)))
        domains = [[(var, v) for v, _ in _bindings(cdef.id, var, val, cdef.set_, tables)] for var, val in cdef.for_each.items()]
        for combo in itertools.product(*domains):
            check = expr.parse_comparison(expr.substitute(cdef.set_, dict(combo)), sets, known)
            target = _target(check, cells)
            if target is None:
                raise expr.ExprError(say("spec.carry-form"))
            pairs.append((target, check.rhs))
    except expr.ExprError as exc:
        ctx.fail("carry_over", cdef.id, key, str(exc))
    return Carry(cdef.id, cdef.name, cdef.name_en or cdef.name, tuple(pairs))


def _target(check: expr.Comparison, cells: dict[str, Cell]) -> str | None:
    """The input cell a ``cell = prev(...)`` item sets, or None when it is not of that form."""
    lhs, rhs = check.lhs, check.rhs
    if check.op != "=" or lhs.const or len(lhs.terms) != 1 or lhs.terms[0][1] != 1 or lhs.uses_prev:
        return None
    cell = cells[lhs.terms[0][0].cell]
    if cell.computed or not cell.domain.numeric or any(not t.prev for t, _ in rhs.terms) or not rhs.terms:
        return None
    return cell.id
