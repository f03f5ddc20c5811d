"""Identities that touch a cell read without certainty: reported as unverifiable, never as passing."""

from __future__ import annotations

from ..check.registry import Context
from ..findings import Finding, make
from ..messages import text


def unverifiable_findings(ctx: Context, unverifiable: set[str]) -> list[Finding]:
    """One ``rule-unverifiable`` per rule instance whose cells include an unverifiable one.

    (:func:`zfxxgk.check.rules.rule_findings` skips such instances: the cells are not in the return.)
    """
    if not unverifiable:
        return []
    out: list[Finding] = []
    for part, _, _ in ctx.parts:
        for rule in part.spec.rules:
            for inst in rule.instances:
                if inst.uses_prev and ctx.previous is None:
                    continue
                missing = [c for c in inst.cells if c in unverifiable]
                if not missing or not all(c in unverifiable or ctx.ret.locate(c) for c in inst.cells):
                    continue
                cell = part.spec.cells[missing[0]]
                row_label, column_label = cell.labels(ctx.lang)
                sep = text("common.list-separator", ctx.lang)
                detail = sep.join(dict.fromkeys(part.spec.cells[c].labels(ctx.lang)[0] for c in missing))
                out.append(
                    make(
                        "rule-unverifiable",
                        ctx.lang,
                        rule=inst.key,
                        detail=detail,
                        cell_id=cell.id,
                        row_label=row_label,
                        column_label=column_label,
                    )
                )
    return out
