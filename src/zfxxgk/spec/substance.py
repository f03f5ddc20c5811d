"""Compile what each prose section must say (``substance:`` under a report section of the spec)."""

from __future__ import annotations

from ..normalize import prose_key
from . import expr
from .compiled import Cell, Substance, Table
from .errors import Ctx, check_placeholders
from .models import SectionDef
from .rules import resolvers


def compile_substance(
    sections: list[SectionDef], tables: dict[str, Table], cells: dict[str, Cell], ctx: Ctx
) -> dict[str, Substance]:
    """The substance policy of every section that declares one, by section id."""
    out: dict[str, Substance] = {}
    sets, known = resolvers(tables, cells)
    stack = list(sections)
    while stack:
        s = stack.pop(0)
        stack.extend(s.children)
        d = s.substance
        if d is None:
            continue
        key = f"report.sections[{s.id}].substance"
        when = None
        if d.when:
            try:
                when = expr.parse_comparison(d.when, sets, known)
            except expr.ExprError as exc:
                ctx.fail("sections", s.id, f"{key}.when", str(exc))
                continue
        reason_zh, reason_en = (d.reason.zh, d.reason.en or d.reason.zh) if d.reason else ("", "")
        for part, value in (("reason.zh", reason_zh), ("reason.en", reason_en)):
            check_placeholders(ctx, "sections", s.id, f"{key}.{part}", value, {"when"})
        out[s.id] = Substance(
            section=s.id,
            placeholders=frozenset(prose_key(p) for p in d.placeholders),
            min_length=d.min_length,
            must_mention=tuple(tuple(prose_key(w) for w in group if prose_key(w)) for group in d.must_mention),
            when=when,
            reason_zh=reason_zh,
            reason_en=reason_en,
            severity=d.severity,
            fix_zh=d.fix.zh,
            fix_en=d.fix.en or d.fix.zh,
        )
    return out
