"""Compile the tables of a spec: domains, headers, blocks, cells, report sections and the fixed forms."""

from __future__ import annotations

from ..contract import defined_name
from ..messages import pick
from .compiled import (
    INFO_SHEET,
    INFO_TABLE,
    META_SHEET,
    TEXT_SHEET,
    TEXT_TABLE,
    Block,
    Cell,
    Domain,
    Header,
    InfoField,
    Instruction,
    Section,
    Table,
    forest_paths,
)
from .errors import Ctx, check_placeholders, say
from .models import BlockDef, DomainDef, HeaderDef, SectionDef, SpecDef, TableDef

RESERVED_SHEETS = (INFO_SHEET, TEXT_SHEET, META_SHEET)


def compile_domain(key: str, d: DomainDef) -> Domain:
    """A domain of the spec file as the compiled :class:`Domain`."""
    return Domain(
        id=key,
        kind=d.kind,
        min=d.min,
        max=d.max,
        decimals=0 if d.kind == "integer" else d.decimals,
        unit=d.unit,
        max_length=d.max_length,
        prompt_zh=d.prompt.zh,
        prompt_en=d.prompt.en,
        error_zh=d.error.zh,
        error_en=d.error.en,
        units=tuple(d.units),
        zero_words=frozenset(w.lower() for w in d.zero_words),
        zero_words_severity=d.zero_words_severity,
        blank_severity=d.blank_severity,
    )


def _header(h: HeaderDef) -> Header:
    return Header(h.id, h.label, h.label_en, h.domain, tuple(_header(c) for c in h.children))


def _block(b: BlockDef) -> Block:
    return Block(
        b.caption,
        b.corner,
        b.row_header,
        tuple(_header(c) for c in b.columns),
        tuple(_header(r) for r in b.rows),
    )


def grid_table(tdef: TableDef, domains: dict[str, Domain], cells: dict[str, Cell], ctx: Ctx, n: int) -> Table:
    """A grid table of the spec file, its cells added to ``cells``."""
    where = f"tables[{tdef.id}]"
    blocks = tuple(_block(b) for b in tdef.blocks)
    rows: list[str] = []
    columns: list[str] = []
    row_labels: dict[str, tuple[str, str]] = {}
    col_labels: dict[str, tuple[str, str]] = {}
    order: list[str] = []
    for bn, block in enumerate(blocks):
        _check_headers(tdef.id, f"{where}.blocks[{bn}]", block, domains, ctx)
        for path in forest_paths(block.rows):
            rid = path[-1].id or "?"
            if rid in row_labels:
                ctx.fail("tables", tdef.id, f"{where}.blocks[{bn}].rows", say("spec.duplicate-row", id=rid))
            rows.append(rid)
            row_labels[rid] = (path[-1].label, path[-1].label_en)
        block_cols = [p[-1].id for p in forest_paths(block.columns)]
        for dup in {c for c in block_cols if block_cols.count(c) > 1}:
            ctx.fail("tables", tdef.id, f"{where}.blocks[{bn}].columns", say("spec.duplicate-column", id=dup))
        for path in forest_paths(block.columns):
            cid = path[-1].id or "?"
            if cid not in col_labels:
                columns.append(cid)
                col_labels[cid] = (path[-1].label, path[-1].label_en)
        for rpath in forest_paths(block.rows):
            for cpath in forest_paths(block.columns):
                domain_id = next((h.domain for h in (*reversed(cpath), *reversed(rpath)) if h.domain), tdef.domain)
                if domain_id not in domains:
                    ctx.fail("tables", tdef.id, f"{where}.domain", say("spec.unknown-domain", domain=domain_id))
                    continue
                cell_id = f"{tdef.id}.{rpath[-1].id}.{cpath[-1].id}"
                cells[cell_id] = _cell(tdef.id, rpath, cpath, domains[domain_id])
                order.append(cell_id)
    for set_name, members in tdef.sets.items():
        unknown = [m for m in members if m not in row_labels and m not in col_labels]
        if unknown:
            ctx.fail("tables", tdef.id, f"{where}.sets.{set_name}", say("spec.unknown-set-members", ids=unknown))
    return Table(
        id=tdef.id,
        number=tdef.number,
        title=tdef.title,
        title_en=tdef.title_en,
        sheet=tdef.sheet,
        kind="grid",
        landscape=tdef.landscape,
        blocks=blocks,
        sets=dict(tdef.sets),
        rows=tuple(rows),
        columns=tuple(columns),
        cells=tuple(order),
        row_labels=row_labels,
        column_labels=col_labels,
    )


def _check_headers(table_id: str, where: str, block: Block, domains: dict[str, Domain], ctx: Ctx) -> None:
    """Every leaf header has an id; every domain a header names exists."""
    for axis, forest in (("rows", block.rows), ("columns", block.columns)):
        for path in forest_paths(forest):
            leaf = path[-1]
            if leaf.id is None:
                ctx.fail("tables", table_id, f"{where}.{axis}", say("spec.leaf-without-id", label=leaf.label))
            for h in path:
                if h.domain and h.domain not in domains:
                    ctx.fail("tables", table_id, f"{where}.{axis}", say("spec.unknown-domain", domain=h.domain))


def _cell(table_id: str, rpath: tuple[Header, ...], cpath: tuple[Header, ...], domain: Domain) -> Cell:
    """The cell where a row path meets a column path (root first, leaf last)."""
    row, column = rpath[-1], cpath[-1]
    return Cell(
        id=f"{table_id}.{row.id}.{column.id}",
        table=table_id,
        row=row.id or "?",
        column=column.id or "?",
        row_label=row.label,
        column_label=column.label,
        row_label_en=row.label_en,
        column_label_en=column.label_en,
        row_path=tuple(h.label for h in rpath),
        column_path=tuple(h.label for h in cpath),
        domain=domain,
    )


def compile_section(s: SectionDef) -> Section:
    """A report section of the spec file (and its children) as a :class:`Section`."""
    return Section(
        id=s.id,
        kind=s.kind,
        heading=s.heading,
        heading_en=s.heading_en,
        label=s.label or s.heading or s.id,
        label_en=s.label_en or s.heading_en,
        table=s.table,
        required=s.required,
        editable_heading=s.editable_heading,
        hint=s.hint,
        auto_text_zh=s.auto_text.zh if s.auto_text else None,
        auto_text_en=s.auto_text.en if s.auto_text else None,
        auto_text_unless=s.auto_text.unless_mentions if s.auto_text else None,
        children=tuple(compile_section(c) for c in s.children),
    )


def _form_table(
    table_id: str,
    sheet: str,
    title: str,
    title_en: str,
    specs: list[tuple[str, str, str, str, Domain]],
    cells: dict[str, Cell],
) -> Table:
    """A one-value-per-row form: specs are (row id, column id, row label, row label en, domain)."""
    order: list[str] = []
    row_labels: dict[str, tuple[str, str]] = {}
    col_labels: dict[str, tuple[str, str]] = {}
    for rid, cid, label, label_en, domain in specs:
        cell_id = f"{table_id}.{rid}.{cid}"
        column = pick(f"template.form-column-{cid}")
        cells[cell_id] = _cell(
            table_id, (Header(rid, label, label_en, None),), (Header(cid, column["zh"], column["en"], None),), domain
        )
        order.append(cell_id)
        row_labels.setdefault(rid, (label, label_en))
        col_labels.setdefault(cid, (column["zh"], column["en"]))
    return Table(
        id=table_id,
        number="",
        title=title,
        title_en=title_en,
        sheet=sheet,
        kind="form",
        landscape=False,
        blocks=(),
        sets={},
        rows=tuple(row_labels),
        columns=tuple(col_labels),
        cells=tuple(order),
        row_labels=row_labels,
        column_labels=col_labels,
    )


def text_table(
    sdef: SpecDef, sections: tuple[Section, ...], domains: dict[str, Domain], cells: dict[str, Cell], ctx: Ctx
) -> Table:
    """The 文字部分 form: one row per prose section and per extra field."""
    rows: list[tuple[str, str, str, str, Domain]] = []
    seen: set[str] = set()
    for s in (s for top in sections for s in top.walk()):
        if s.id in seen:
            ctx.fail("sections", s.id, f"report.sections[{s.id}]", say("spec.duplicate-section", id=s.id))
        seen.add(s.id)
        if s.kind != "prose":
            continue
        if s.editable_heading:
            rows.append((s.id, "title", s.label, s.label_en, domains["text"]))
        rows.append((s.id, "body", s.label, s.label_en, domains["text"]))
    for f in sdef.fields:
        if f.id in seen:
            ctx.fail("fields", f.id, f"fields[{f.id}].id", say("spec.field-clashes", id=f.id))
        if f.domain not in domains:
            ctx.fail("fields", f.id, f"fields[{f.id}].domain", say("spec.unknown-domain", domain=f.domain))
            continue
        seen.add(f.id)
        rows.append((f.id, "value", f.label, f.label_en, domains[f.domain]))
    title = pick("template.sheet-text")
    return _form_table(TEXT_TABLE, TEXT_SHEET, title["zh"], title["en"], rows, cells)


def info_table(domains: dict[str, Domain], cells: dict[str, Cell]) -> Table:
    """The 填报说明 form: the agency and its contact."""
    rows = []
    for rid in ("agency", "contact", "phone"):
        label = pick(f"template.form-row-{rid}")
        rows.append((rid, "value", label["zh"], label["en"], domains["text"]))
    title = pick("template.sheet-info")
    return _form_table(INFO_TABLE, INFO_SHEET, title["zh"], title["en"], rows, cells)


INFO_PLACEHOLDERS = frozenset({"agency", "agency_code", "year", "spec_name", "spec_id", "spec_version"})


def info_sheet(sdef: SpecDef, ctx: Ctx) -> tuple[str, tuple[InfoField, ...], tuple[Instruction, ...]]:
    """The 填报说明 sheet's title, facts and instruction lines; their placeholders checked."""
    title = sdef.form_title if sdef.form_title is not None else sdef.name
    check_placeholders(ctx, "", "form_title", "form_title", title, frozenset({"year"}))
    facts = tuple(InfoField(f.id, f.label, f.label_en, f.value, f.value_en) for f in sdef.info_fields)
    for f in facts:
        for part, value in (("value", f.value), ("value_en", f.value_en)):
            check_placeholders(ctx, "info_fields", f.id, f"info_fields[{f.id}].{part}", value, INFO_PLACEHOLDERS)
    lines = tuple(Instruction(i.id, i.zh, i.en) for i in sdef.instructions)
    return title, facts, lines


def check_sheets_and_names(tables: dict[str, Table], cells: dict[str, Cell], ctx: Ctx) -> None:
    """Every sheet name is free and distinct; every cell has its own defined name."""
    sheets: dict[str, str] = {}
    for t in tables.values():
        if t.kind == "grid" and t.sheet.casefold() in {n.casefold() for n in RESERVED_SHEETS}:
            ctx.fail("tables", t.id, f"tables[{t.id}].sheet", say("spec.reserved-sheet", sheet=t.sheet))
        key = t.sheet.casefold()
        if key in sheets:
            ctx.fail("tables", t.id, f"tables[{t.id}].sheet", say("spec.sheet-twice", sheet=t.sheet))
        sheets[key] = t.id
    names: dict[str, str] = {}
    for cell_id in cells:
        name = defined_name(cell_id)
        if name in names:
            ctx.fail(
                "tables", cell_id.split(".")[0], "id", say("spec.same-defined-name", cell=cell_id, other=names[name])
            )
        names[name] = cell_id
