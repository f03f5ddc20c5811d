"""Compile the rules and narrative checks of a spec: for_each bindings, expressions, formula cells."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from typing import Any

from . import expr
from .compiled import INFO_TABLE, TEXT_TABLE, Cell, Narrative, Rule, RuleInstance, Table
from .errors import Ctx, check_placeholders, say

NUMBER_PATTERN = r"(?P<n>[0-9０-９][0-9０-９,，]*|[零〇一二两三四五六七八九十百千万]+)"


_AXIS_RE = {
    "row": r"([a-z][a-z0-9_]*)\.\{%s\}\.",
    "column": r"([a-z][a-z0-9_]*)\.[^.\s(){}]+\.\{%s\}",
}


def _bindings(
    rule_id: str, var: str, spec_value: Any, text: str, tables: dict[str, Table]
) -> list[tuple[str, tuple[str, str]]]:
    """(id, (label zh, label en)) for each value a for_each variable takes."""
    if isinstance(spec_value, dict):  # id -> label, or id -> {zh, en}
        return [(k, (v, k) if isinstance(v, str) else (v.zh, v.en or k)) for k, v in spec_value.items()]
    if isinstance(spec_value, str):
        m = re.fullmatch(r"([a-z][a-z0-9_]*)\.(rows|columns|\[[a-z][a-z0-9_]*\])", spec_value)
        if not m or m.group(1) not in tables:
            raise expr.ExprError(say("spec.for-each-form", value=spec_value))
        table = tables[m.group(1)]
        if m.group(2).startswith("["):  # a named set of the table: its members, labelled as rows or columns
            members = table.sets.get(m.group(2)[1:-1])
            if members is None:
                raise expr.ExprError(say("spec.no-such-set", table=table.id, part=m.group(2)))
            labels = {**table.column_labels, **table.row_labels}
            return [(i, labels.get(i, (i, i))) for i in members]
        labels = table.row_labels if m.group(2) == "rows" else table.column_labels
        return [(i, labels[i]) for i in (table.rows if m.group(2) == "rows" else table.columns)]
    out = []
    for value in spec_value:
        label = (value, value)
        for axis, pattern in _AXIS_RE.items():
            m = re.search(pattern % re.escape(var), text)
            if m and m.group(1) in tables:
                t = tables[m.group(1)]
                label = (t.row_labels if axis == "row" else t.column_labels).get(value, label)
                break
        out.append((value, label))
    return out


def resolvers(tables: dict[str, Table], cells: dict[str, Cell]) -> tuple[expr.SetResolver, Any]:
    def sets(table: str, axis: str, name: str) -> list[str] | None:
        t = tables.get(table)
        if t is None or name not in t.sets:
            return None
        members = t.sets[name]
        pool = t.row_labels if axis == "row" else t.column_labels
        return members if all(m in pool for m in members) else None

    return sets, cells.__contains__


def compile_rule(n: int, rdef: Any, tables: dict[str, Table], cells: dict[str, Cell], ctx: Ctx) -> Rule:
    """A rule of the spec file with one instance per for_each binding."""
    rule = Rule(
        id=rdef.id,
        name=rdef.name,
        name_en=rdef.name_en,
        severity=rdef.severity,
        tolerance=rdef.tolerance,
        formula=rdef.formula,
        message_zh=rdef.message.zh,
        message_en=rdef.message.en,
        fix_zh=rdef.fix.zh,
        fix_en=rdef.fix.en,
    )
    key = f"rules[{rdef.id}]"
    _add_instances(rule, rdef, tables, cells, ctx)
    allowed = {*rdef.for_each, "lhs", "rhs", "diff", "when"}
    for part, text in (
        ("message.zh", rdef.message.zh),
        ("message.en", rdef.message.en),
        ("fix.zh", rdef.fix.zh),
        ("fix.en", rdef.fix.en),
    ):
        check_placeholders(ctx, "rules", rdef.id, f"{key}.{part}", text, allowed)
    if rdef.formula and not all(_defines_a_cell(inst) for inst in rule.instances):
        ctx.fail("rules", rdef.id, f"{key}.formula", say("spec.formula-form"))
    return rule


def _add_instances(rule: Rule, rdef: Any, tables: dict[str, Table], cells: dict[str, Cell], ctx: Ctx) -> None:
    """One instance per combination of the for_each bindings; the first problem stops the rule."""
    key = f"rules[{rdef.id}]"
    sets, known = resolvers(tables, cells)
    text_all = rdef.assert_ + " " + (rdef.when or "")
    try:
        used = expr.variables(text_all)
        missing = used - set(rdef.for_each)
        if missing:
            raise expr.ExprError(say("spec.unbound-for-each", names=sorted(missing)))
        domains = [(var, _bindings(rdef.id, var, val, text_all, tables)) for var, val in rdef.for_each.items()]
    except expr.ExprError as exc:
        ctx.fail("rules", rdef.id, f"{key}.for_each", str(exc))
        return
    for combo in itertools.product(*([(var, value) for value in values] for var, values in domains)):
        bindings = {var: value for var, (value, _) in combo}
        labels = {var: label for var, (_, label) in combo}
        try:
            check = expr.parse_comparison(expr.substitute(rdef.assert_, bindings), sets, known)
        except expr.ExprError as exc:
            ctx.fail("rules", rdef.id, f"{key}.assert", str(exc))
            return
        when = None
        if rdef.when:
            try:
                when = expr.parse_comparison(expr.substitute(rdef.when, bindings), sets, known)
            except expr.ExprError as exc:
                ctx.fail("rules", rdef.id, f"{key}.when", str(exc))
                return
        suffix = ",".join(f"{k}={v}" for k, v in bindings.items())
        rule.instances.append(
            RuleInstance(rule, f"{rdef.id}[{suffix}]" if suffix else rdef.id, bindings, labels, check, when)
        )


def _defines_a_cell(inst: RuleInstance) -> bool:
    """``cell = expression``, without prev() or when: what a formula rule must be."""
    lhs = inst.check.lhs
    return (
        inst.check.op == "="
        and len(lhs.terms) == 1
        and lhs.terms[0][1] == 1
        and not lhs.const
        and not inst.check.lhs.uses_prev
        and not inst.check.rhs.uses_prev
        and inst.when is None
    )


def compile_narrative(n: int, d: Any, tables: dict[str, Table], cells: dict[str, Cell], ctx: Ctx) -> Narrative:
    """A narrative check of the spec file: its number patterns and expressions."""
    sets, known = resolvers(tables, cells)
    patterns = []
    for pn, pat in enumerate(d.patterns):
        if "{n}" not in pat:
            ctx.fail("narrative", d.id, f"narrative[{d.id}].patterns[{pn}]", say("spec.pattern-lacks-n"))
            continue
        try:
            patterns.append(re.compile(pat.replace("{n}", NUMBER_PATTERN)))
        except re.error as exc:
            ctx.fail("narrative", d.id, f"narrative[{d.id}].patterns[{pn}]", say("spec.bad-regex", error=exc))
    exprs = []
    for text in [d.expr] if isinstance(d.expr, str) else d.expr:
        try:
            exprs.append(expr.parse_expr(text, sets, known))
        except expr.ExprError as exc:
            ctx.fail("narrative", d.id, f"narrative[{d.id}].expr", str(exc))
    return Narrative(d.id, d.name, d.name_en, d.severity, tuple(patterns), tuple(exprs))


def apply_formulas(
    rules: tuple[Rule, ...], cells: dict[str, Cell], ctx: Ctx
) -> tuple[dict[str, Cell], list[str], frozenset[str]]:
    """Attach each formula rule's right-hand side to its left-hand cell; order computed cells."""
    formulas: dict[str, expr.LinearForm] = {}
    defining: set[str] = set()
    for rule in rules:
        if not rule.formula:
            continue
        for inst in rule.instances:
            target = inst.check.lhs.terms[0][0].cell
            if cells[target].table in (TEXT_TABLE, INFO_TABLE) or cells[target].domain.kind == "text":
                ctx.fail(
                    "rules",
                    rule.id,
                    f"rules[{rule.id}].formula",
                    say("spec.formula-target", cell=target),
                )
            if target not in formulas:  # the first rule to define a cell wins
                formulas[target] = inst.check.rhs
                defining.add(inst.key)
    out = {cid: (_with_formula(c, formulas[cid]) if cid in formulas else c) for cid, c in cells.items()}
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(cid: str, trail: tuple[str, ...]) -> None:
        if state.get(cid) == 2:
            return
        if state.get(cid) == 1:
            ctx.fail("rules", None, "formula", say("spec.circular-formulas", trail=" -> ".join((*trail, cid))))
            return
        state[cid] = 1
        for dep in formulas[cid].cells():
            if dep in formulas:
                visit(dep, (*trail, cid))
        state[cid] = 2
        order.append(cid)

    for cid in formulas:
        visit(cid, ())
    return out, order, frozenset(defining)


def _with_formula(cell: Cell, form: expr.LinearForm) -> Cell:
    return replace(cell, formula=form)
