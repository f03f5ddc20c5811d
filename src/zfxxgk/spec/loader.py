"""Load a spec: find, read, merge (``extends``) and validate its file, and compile it into a :class:`Spec`."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .carry import compile_carry
from .compiled import INFO_TABLE, TEXT_TABLE, Cell, Domain, Section, Spec, Table
from .county import county_facts
from .errors import Ctx, SpecError, say, zh_pydantic
from .files import default_spec_id, locate, resolve
from .models import SpecDef
from .rules import apply_formulas, compile_narrative, compile_rule
from .substance import compile_substance
from .tables import (
    check_sheets_and_names,
    compile_domain,
    compile_section,
    grid_table,
    info_sheet,
    info_table,
    text_table,
)

NOT_HASHED = frozenset(
    {"default", "form_title", "info_fields", "instructions", "county", "narrative", "carry_over"}
)
# Checking policy the template does not carry: a domain's reading of a blank, a section's substance.
NOT_HASHED_DOMAIN = frozenset({"blank_severity"})
NOT_HASHED_SECTION = frozenset({"substance"})


def load_spec(ref: str | None = None) -> Spec:
    """Load, merge and validate a spec by id or path (the default spec when ``None``). Cached per file version."""
    if ref is None:
        ref = default_spec_id()
    known = _by_ref.get(ref)
    if known is not None and _tree_stamp(known[0]) == known[1]:
        return known[2]
    path = locate(ref).resolve()
    stamp = _tree_stamp(path)
    spec = _load_cached(str(path), stamp)
    _by_ref[ref] = (path, stamp, spec)
    return spec


_by_ref: dict[str, tuple[Path, float, Spec]] = {}


def _tree_stamp(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@lru_cache(maxsize=32)
def _load_cached(path: str, _stamp: float) -> Spec:
    merged, origin, ancestry = resolve(Path(path), ())
    return _compile(merged, origin, ancestry, path)


def _compile(raw: dict[str, Any], origin: dict[tuple[str, str], str], ancestry: list[str], path: str) -> Spec:
    ctx = Ctx(path, raw, origin, [])
    sdef = _validate(raw, ctx)
    if Path(path).stem != sdef.id:
        ctx.fail("", "id", "id", say("spec.id-not-file-name", stem=Path(path).stem))
    domains = {k: compile_domain(k, d) for k, d in sdef.domains.items()}
    if "text" not in domains or domains["text"].kind != "text":
        ctx.fail("domains", "text", "domains.text", say("spec.no-text-domain"))
        raise SpecError(ctx.problems)
    tables, cells, sections = _tables(sdef, domains, ctx)
    form_title, info_fields, instructions = info_sheet(sdef, ctx)
    if ctx.problems:
        raise SpecError(ctx.problems)
    rules = tuple(compile_rule(n, r, tables, cells, ctx) for n, r in enumerate(sdef.rules))
    narrative = tuple(compile_narrative(n, d, tables, cells, ctx) for n, d in enumerate(sdef.narrative))
    substance = compile_substance(sdef.report.sections, tables, cells, ctx)
    county = county_facts(sdef.county, tables, cells, lambda key, message: ctx.fail("county", None, key, message))
    if ctx.problems:
        raise SpecError(ctx.problems)
    cells, order, defining = apply_formulas(rules, cells, ctx)
    carry = tuple(compile_carry(c, tables, cells, ctx) for c in sdef.carry_over)  # after formulas: inputs known
    if ctx.problems:
        raise SpecError(ctx.problems)
    return Spec(
        id=sdef.id,
        version=sdef.version,
        name=sdef.name,
        name_en=sdef.name_en,
        first_year=sdef.years.first,
        last_year=sdef.years.last,
        title=sdef.title,
        hash=_digest(raw),
        source=path,
        domains=domains,
        tables=tables,
        cells=cells,
        rules=rules,
        narrative=narrative,
        sections=sections,
        field_ids=tuple(f.id for f in sdef.fields),
        extends=tuple(ancestry[1:]),
        computed_order=tuple(order),
        defining=defining,
        default=sdef.default,
        form_title=form_title,
        info_fields=info_fields,
        instructions=instructions,
        county=county,
        carry_over=carry,
        read_by_labels=sdef.read_by_labels,
        substance=substance,
    )


def _validate(raw: dict[str, Any], ctx: Ctx) -> SpecDef:
    """The merged file as a :class:`SpecDef`; pydantic's errors told with keys that name items by id."""
    try:
        return SpecDef.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = list(err["loc"])
            coll, item_id, at = (str(loc[0]) if loc else ""), None, 1
            if coll == "report" and loc[1:2] == ["sections"]:
                coll, at = "sections", 2
            items = (raw.get("report") or {}).get("sections", []) if coll == "sections" else raw.get(coll, [])
            index = loc[at] if len(loc) > at else None
            if isinstance(index, int) and isinstance(items, list) and 0 <= index < len(items):
                item = items[index]
                item_id = item.get("id") if isinstance(item, dict) else None
                if item_id is not None:
                    loc[at] = str(item_id)  # name items by id: indexes of the merged list mean nothing to the author
            key = "".join(
                f"[{p}]" if isinstance(p, int) or (i == at and item_id is not None) else f".{p}"
                for i, p in enumerate(loc)
            ).lstrip(".")
            ctx.fail(coll, item_id, key, f"{zh_pydantic(err['type'])} / {err['msg']}")
        raise SpecError(ctx.problems) from None


def _tables(
    sdef: SpecDef, domains: dict[str, Domain], ctx: Ctx
) -> tuple[dict[str, Table], dict[str, Cell], tuple[Section, ...]]:
    """The grid tables, the text and info forms, their cells, and the report sections."""
    tables: dict[str, Table] = {}
    cells: dict[str, Cell] = {}
    for n, tdef in enumerate(sdef.tables):
        if tdef.id in (TEXT_TABLE, INFO_TABLE) or tdef.id in tables:
            ctx.fail("tables", tdef.id, f"tables[{tdef.id}].id", say("spec.table-id-taken", id=tdef.id))
            continue
        tables[tdef.id] = grid_table(tdef, domains, cells, ctx, n)
    sections = tuple(compile_section(s) for s in sdef.report.sections)
    tables[TEXT_TABLE] = text_table(sdef, sections, domains, cells, ctx)
    tables[INFO_TABLE] = info_table(domains, cells)
    check_sheets_and_names(tables, cells, ctx)
    for s in (s for top in sections for s in top.walk()):
        if s.kind == "table" and s.table not in tables:
            ctx.fail("sections", s.id, f"report.sections[{s.id}].table", say("spec.unknown-table", table=s.table))
    return tables, cells, sections


def _digest(raw: dict[str, Any]) -> str:
    """The hash tells whether a template was made from this spec's cells and rules: what only the
    填报说明 sheet shows, which spec is the default, what a county compile writes (``county:``) and
    what a template is prefilled with from last year (``carry_over:``) may
    change without flagging returned workbooks, and neither may the checking policy a template does
    not carry (how a blank is read, what a prose section must say, the patterns prose is checked by)."""
    hashed = {k: v for k, v in raw.items() if k not in NOT_HASHED}
    if isinstance(hashed.get("domains"), dict):
        hashed["domains"] = {k: _without(d, NOT_HASHED_DOMAIN) for k, d in hashed["domains"].items()}
    if isinstance(hashed.get("report"), dict):
        hashed["report"] = {**hashed["report"], "sections": _sections(hashed["report"].get("sections"))}
    return hashlib.sha256(
        json.dumps(hashed, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    ).hexdigest()


def _without(item: Any, keys: frozenset[str]) -> Any:
    return {k: v for k, v in item.items() if k not in keys} if isinstance(item, dict) else item


def _sections(sections: Any) -> Any:
    """Report sections as hashed: without their substance policy, children included."""
    if not isinstance(sections, list):
        return sections
    out = []
    for s in sections:
        s = _without(s, NOT_HASHED_SECTION)
        if isinstance(s, dict) and "children" in s:
            s = {**s, "children": _sections(s["children"])}
        out.append(s)
    return out
