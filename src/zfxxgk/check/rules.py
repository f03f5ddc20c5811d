"""The spec's rules applied to a return's values: a finding for every identity that does not hold.

Forms are evaluated by :mod:`zfxxgk.spec.evaluate` under its checker semantics: exact arithmetic, a
blank counting as 0 in an identity, as it does in a spreadsheet; the blank itself is reported
separately (``blank-cell``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from decimal import Decimal

from ..findings import Finding, plain, show
from ..spec import LinearForm, RuleInstance, Spec
from ..spec.evaluate import CHECKER, compare, linear_value

log = logging.getLogger(__name__)

Number = int | Decimal
Values = Mapping[str, Number | None]
Locator = Callable[[str], tuple[str, str] | None]  # cell id -> (sheet, A1), None when not in the file


def _value(form: LinearForm, current: Values, previous: Values | None) -> Decimal | None:
    return linear_value(form, current.get, CHECKER, previous.get if previous is not None else None)


def holds(inst: RuleInstance, current: Values, previous: Values | None = None) -> bool | None:
    """Whether an instance holds; None when it does not apply (its condition is false or data is missing)."""
    if inst.when is not None:
        wl, wr = _value(inst.when.lhs, current, previous), _value(inst.when.rhs, current, previous)
        if wl is None or wr is None or not compare(wl, inst.when.op, wr, Decimal(0), CHECKER):
            return None
    left, right = _value(inst.check.lhs, current, previous), _value(inst.check.rhs, current, previous)
    if left is None or right is None:
        return None
    return compare(left, inst.check.op, right, inst.rule.tolerance, CHECKER)


def rule_findings(
    spec: Spec,
    current: Values,
    locate: Locator,
    previous: Values | None = None,
    lang: str = "zh",
    computed: Collection[str] = (),
) -> list[Finding]:
    """A finding for every rule instance that does not hold.

    ``current`` holds the values as the report states them (inputs, and totals as shown);
    instances using ``prev()`` are skipped unless ``previous`` is given. ``computed`` names the
    totals whose value was just computed from their own formula: the instance that is that formula
    holds by construction and is not evaluated again.
    """
    out: list[Finding] = []
    present: dict[str, bool] = {}
    for rule in spec.rules:
        for inst in rule.instances:
            if inst.uses_prev and previous is None:
                continue
            if computed and inst.key in spec.defining and inst.check.lhs.terms[0][0].cell in computed:
                continue
            if not all(present[c] if c in present else present.setdefault(c, bool(locate(c))) for c in inst.cells):
                continue  # a table missing from a hand-made workbook: reported elsewhere
            if holds(inst, current, previous) is not False:
                continue  # holds, or does not apply
            left, right = _value(inst.check.lhs, current, previous), _value(inst.check.rhs, current, previous)
            assert left is not None and right is not None
            when_value = _value(inst.when.lhs, current, previous) if inst.when else None
            out.append(_finding(spec, inst, left, right, when_value, locate, lang))
    return out


def _finding(
    spec: Spec,
    inst: RuleInstance,
    left: Decimal,
    right: Decimal,
    when_value: Decimal | None,
    locate: Locator,
    lang: str,
) -> Finding:
    rule = inst.rule
    en = lang == "en"
    labels = {var: (label[1] if en and label[1] else label[0]) for var, label in inst.labels.items()}
    text = (rule.message_en if en and rule.message_en else rule.message_zh).format(
        **labels,
        lhs=show(left, lang),
        rhs=show(right, lang),
        diff=show(left - right, lang),
        when=show(when_value, lang),
    )
    fix = rule.fix_en if en and rule.fix_en else rule.fix_zh
    anchor = inst.check.lhs.cells(prev=False) or inst.cells
    cell = spec.cells[anchor[0]]
    sheet, a1 = locate(cell.id) or ("", "")
    row_label, column_label = cell.labels(lang)
    located = [loc for loc in (locate(c) for c in inst.cells) if loc]
    return Finding(
        code=rule.id,
        severity=rule.severity,
        message=text,
        fix=fix,
        sheet=sheet,
        cell=a1,
        cell_id=cell.id,
        row_label=row_label,
        column_label=column_label,
        rule=inst.key,
        expected=plain(right),
        actual=plain(left),
        difference=plain(left - right),
        cells=tuple(f"{s}!{a}" for s, a in located),
    )
