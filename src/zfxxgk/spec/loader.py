"""Find, read, merge (``extends``) and validate form spec files, and compile them into a :class:`Spec`."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import string
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..contract import defined_name
from . import expr
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
    Narrative,
    Rule,
    RuleInstance,
    Section,
    Spec,
    Table,
    forest_paths,
)
from .models import BlockDef, DomainDef, HeaderDef, SectionDef, SpecDef, TableDef

DEFAULT_SPEC = "national-2021"
RESERVED_SHEETS = (INFO_SHEET, TEXT_SHEET, META_SHEET)
SPEC_PATH_ENV = "ZFXXGK_SPEC_PATH"
NUMBER_PATTERN = r"(?P<n>[0-9０-９][0-9０-９,，]*|[零〇一二两三四五六七八九十百千万]+)"

# Keyed collections merged item by item (by "id") when a spec extends another.
_ID_LISTS = ("tables", "rules", "fields", "narrative")


class SpecError(Exception):
    """A spec that cannot be used; each problem names the file and the key."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{f}: {k}: {m}" if k else f"{f}: {m}" for f, k, m in problems))


def search_dirs() -> list[Path]:
    """Directories searched for spec files: $ZFXXGK_SPEC_PATH, the installed copy, the checkout."""
    dirs = [Path(p) for p in os.environ.get(SPEC_PATH_ENV, "").split(os.pathsep) if p]
    here = Path(__file__).resolve().parent.parent
    dirs += [here / "workbook_templates", here.parent.parent / "workbook_templates"]
    return [d for d in dirs if d.is_dir()]


def available_specs() -> dict[str, Path]:
    """Spec id -> file, for every ``*.yaml`` in the search directories (first one wins)."""
    dirs = tuple(search_dirs())
    return dict(_scan(dirs, tuple(d.stat().st_mtime_ns for d in dirs)))


@lru_cache(maxsize=16)
def _scan(dirs: tuple[Path, ...], _stamps: tuple[int, ...]) -> tuple[tuple[str, Path], ...]:
    found: dict[str, Path] = {}
    for d in dirs:
        for p in sorted(d.glob("*.yaml")):
            found.setdefault(p.stem, p)
    return tuple(found.items())


def locate(ref: str, near: Path | None = None) -> Path:
    """A spec id (``national-2021``) or a path to a YAML file -> the file."""
    p = Path(ref)
    if p.suffix in (".yaml", ".yml") and p.is_file():
        return p
    if near is not None and (near / f"{ref}.yaml").is_file():
        return near / f"{ref}.yaml"
    specs = available_specs()
    if ref in specs:
        return specs[ref]
    known = "、".join(sorted(specs)) or "无 / none"
    raise SpecError([(ref, "", f"找不到这个规格（可用：{known}） / no such spec (available: {known})")])


def load_spec(ref: str = DEFAULT_SPEC) -> Spec:
    """Load, merge and validate a spec by id or path. Cached per file version."""
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
    merged, origin, ancestry = _resolve(Path(path), ())
    return _compile(merged, origin, ancestry, path)


# --------------------------------------------------------------------------- reading and merging


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([(str(path), "", f"无法读取 / cannot read: {exc}")]) from exc
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列 / line {mark.line + 1}" if mark else ""
        raise SpecError([(str(path), where, f"YAML 语法错误 / YAML syntax error: {exc}")]) from exc
    if not isinstance(data, dict):
        raise SpecError([(str(path), "", "文件内容应为键值映射 / the file must hold a mapping")])
    return data


def _resolve(path: Path, seen: tuple[str, ...]) -> tuple[dict[str, Any], dict[tuple[str, str], str], list[str]]:
    """Merged raw dict, origin (collection, id) -> file, ancestry (this spec first)."""
    if str(path) in seen:
        raise SpecError([(str(path), "extends", "循环继承 / circular extends")])
    raw = _read_yaml(path)
    own_id = raw.get("id", path.stem)
    parent_ref = raw.pop("extends", None)
    removals = {k: raw.pop(f"remove_{k}", []) for k in _ID_LISTS}
    if parent_ref is None:
        base: dict[str, Any] = {}
        origin: dict[tuple[str, str], str] = {}
        ancestry: list[str] = []
    else:
        if not isinstance(parent_ref, str):
            raise SpecError([(str(path), "extends", "应为规格编号 / must be a spec id")])
        try:
            parent = locate(parent_ref, near=path.parent).resolve()
        except SpecError as exc:
            raise SpecError([(str(path), "extends", exc.problems[0][2])]) from exc
        base, origin, ancestry = _resolve(parent, (*seen, str(path)))
    for key, items in removals.items():
        if not isinstance(items, list):
            raise SpecError([(str(path), f"remove_{key}", "应为编号列表，如 [P2, P3] / must be a list of ids")])
        unknown = set(items) - {i.get("id") for i in base.get(key, []) if isinstance(i, dict)}
        if unknown:
            raise SpecError([(str(path), f"remove_{key}", f"父规格中没有 / not in the parent spec: {sorted(unknown)}")])
        base[key] = [i for i in base.get(key, []) if not isinstance(i, dict) or i.get("id") not in set(items)]
    _no_repeated_ids(raw, path)
    merged = _merge(base, raw, origin, str(path))
    return merged, origin, [own_id, *ancestry]


def _no_repeated_ids(raw: dict[str, Any], path: Path) -> None:
    """Within one file an id names one item (across files a repeated id replaces the parent's item)."""
    lists = {key: raw.get(key) for key in _ID_LISTS}
    lists["report.sections"] = (
        (raw.get("report") or {}).get("sections") if isinstance(raw.get("report"), dict) else None
    )
    for key, items in lists.items():
        ids = [i.get("id") for i in items if isinstance(i, dict)] if isinstance(items, list) else []
        repeated = sorted({str(i) for i in ids if ids.count(i) > 1})
        if repeated:
            raise SpecError([(str(path), key, f"编号重复 / repeated ids: {', '.join(repeated)}")])


def _merge(base: dict[str, Any], child: dict[str, Any], origin: dict[tuple[str, str], str], src: str) -> dict[str, Any]:
    out = dict(base)
    for key, value in child.items():
        if key in _ID_LISTS and isinstance(value, list):
            out[key] = _merge_by_id(out.get(key, []), value, key, origin, src)
        elif key == "domains" and isinstance(value, dict):
            out[key] = {**out.get(key, {}), **value}
            origin.update({("domains", k): src for k in value})
        elif key == "report" and isinstance(value, dict) and isinstance(out.get("report"), dict):
            sections = _merge_by_id(
                out["report"].get("sections", []), value.get("sections", []), "sections", origin, src
            )
            out[key] = {**out["report"], **value, "sections": sections}
        else:
            out[key] = value
            origin[("", key)] = src
    return out


def _merge_by_id(
    base: list[Any], child: list[Any], key: str, origin: dict[tuple[str, str], str], src: str
) -> list[Any]:
    items = list(base)
    index = {item.get("id"): n for n, item in enumerate(items) if isinstance(item, dict)}
    for item in child:
        item_id = item.get("id") if isinstance(item, dict) else None
        origin[(key, str(item_id))] = src
        if item_id in index:
            items[index[item_id]] = item
        else:
            index[item_id] = len(items)
            items.append(item)
    return items


# --------------------------------------------------------------------------- compiling


@dataclass
class _Ctx:
    path: str
    raw: dict[str, Any]
    origin: dict[tuple[str, str], str]
    problems: list[tuple[str, str, str]]

    def where(self, collection: str, item_id: str | None) -> str:
        return self.origin.get((collection, str(item_id)), self.origin.get(("", collection), self.path))

    def fail(self, collection: str, item_id: str | None, key: str, message: str) -> None:
        """Record a problem in the file being loaded; an inherited item says where it comes from."""
        source = self.where(collection, item_id)
        if source != self.path:
            message += (
                f"（这一项继承自 {Path(source).name}，可在本文件中改写或去掉 / inherited from "
                f"{Path(source).name}: override or remove it here）"
            )
        self.problems.append((self.path, key, message))


def _compile(raw: dict[str, Any], origin: dict[tuple[str, str], str], ancestry: list[str], path: str) -> Spec:
    ctx = _Ctx(path, raw, origin, [])
    try:
        sdef = SpecDef.model_validate(raw)
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
            ctx.fail(coll, item_id, key, f"{_zh_pydantic(err['type'])} / {err['msg']}")
        raise SpecError(ctx.problems) from None
    if Path(path).stem != sdef.id:
        ctx.fail("", "id", "id", f"规格编号应与文件名一致（{Path(path).stem}） / id must equal the file name")

    domains = {k: _domain(k, d) for k, d in sdef.domains.items()}
    if "text" not in domains or domains["text"].kind != "text":
        ctx.fail("domains", "text", "domains.text", "必须定义文字类型 text / a 'text' domain of kind text is required")
        raise SpecError(ctx.problems)

    tables: dict[str, Table] = {}
    cells: dict[str, Cell] = {}
    for n, tdef in enumerate(sdef.tables):
        if tdef.id in (TEXT_TABLE, INFO_TABLE) or tdef.id in tables:
            ctx.fail(
                "tables",
                tdef.id,
                f"tables[{tdef.id}].id",
                f"表编号重复或保留 / duplicate or reserved table id {tdef.id}",
            )
            continue
        tables[tdef.id] = _grid_table(tdef, domains, cells, ctx, n)
    sections = tuple(_section(s) for s in sdef.report.sections)
    tables[TEXT_TABLE] = _text_table(sdef, sections, domains, cells, ctx)
    tables[INFO_TABLE] = _info_table(domains, cells)
    _check_sheets_and_names(tables, cells, ctx)
    for s in (s for top in sections for s in top.walk()):
        if s.kind == "table" and s.table not in tables:
            ctx.fail("sections", s.id, f"report.sections[{s.id}].table", f"未知的表 {s.table} / unknown table")
    if ctx.problems:
        raise SpecError(ctx.problems)

    rules = tuple(_rule(n, r, tables, cells, ctx) for n, r in enumerate(sdef.rules))
    narrative = tuple(_narrative(n, d, tables, cells, ctx) for n, d in enumerate(sdef.narrative))
    if ctx.problems:
        raise SpecError(ctx.problems)
    cells, order, defining = _apply_formulas(rules, cells, ctx)
    if ctx.problems:
        raise SpecError(ctx.problems)

    digest = hashlib.sha256(
        json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    ).hexdigest()
    return Spec(
        id=sdef.id,
        version=sdef.version,
        name=sdef.name,
        name_en=sdef.name_en,
        first_year=sdef.years.first,
        last_year=sdef.years.last,
        title=sdef.title,
        hash=digest,
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
        read_by_labels=sdef.read_by_labels,
    )


_ZH_PYDANTIC = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的键（拼写错误？）",
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为映射",
    "literal_error": "取值不在允许范围内",
    "string_pattern_mismatch": "编号格式不对（小写字母开头，只含小写字母、数字、下划线）",
    "too_short": "不能为空",
    "value_error": "取值无效",
    "decimal_parsing": "应为数字",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "string_too_long": "文字太长",
    "string_too_short": "不能为空",
    "model_type": "应为映射",
}


def _zh_pydantic(kind: str) -> str:
    return _ZH_PYDANTIC.get(kind, "取值无效")


def _domain(key: str, d: DomainDef) -> Domain:
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


def _grid_table(tdef: TableDef, domains: dict[str, Domain], cells: dict[str, Cell], ctx: _Ctx, n: int) -> Table:
    where = f"tables[{tdef.id}]"
    blocks = tuple(_block(b) for b in tdef.blocks)
    rows: list[str] = []
    columns: list[str] = []
    row_labels: dict[str, tuple[str, str]] = {}
    col_labels: dict[str, tuple[str, str]] = {}
    order: list[str] = []
    for bn, block in enumerate(blocks):
        for axis, forest in (("rows", block.rows), ("columns", block.columns)):
            for path in forest_paths(forest):
                leaf = path[-1]
                if leaf.id is None:
                    ctx.fail(
                        "tables", tdef.id, f"{where}.blocks[{bn}].{axis}", f"“{leaf.label}”缺少 id / leaf without id"
                    )
                for h in path:
                    if h.domain and h.domain not in domains:
                        ctx.fail(
                            "tables",
                            tdef.id,
                            f"{where}.blocks[{bn}].{axis}",
                            f"未知的取值类型 {h.domain} / unknown domain",
                        )
        for path in forest_paths(block.rows):
            rid = path[-1].id or "?"
            if rid in row_labels:
                ctx.fail("tables", tdef.id, f"{where}.blocks[{bn}].rows", f"行编号重复 / duplicate row id {rid}")
            rows.append(rid)
            row_labels[rid] = (path[-1].label, path[-1].label_en)
        block_cols = [p[-1].id for p in forest_paths(block.columns)]
        for dup in {c for c in block_cols if block_cols.count(c) > 1}:
            ctx.fail("tables", tdef.id, f"{where}.blocks[{bn}].columns", f"列编号重复 / duplicate column id {dup}")
        for path in forest_paths(block.columns):
            cid = path[-1].id or "?"
            if cid not in col_labels:
                columns.append(cid)
                col_labels[cid] = (path[-1].label, path[-1].label_en)
        for rpath in forest_paths(block.rows):
            for cpath in forest_paths(block.columns):
                domain_id = next((h.domain for h in (*reversed(cpath), *reversed(rpath)) if h.domain), tdef.domain)
                if domain_id not in domains:
                    ctx.fail("tables", tdef.id, f"{where}.domain", f"未知的取值类型 {domain_id} / unknown domain")
                    continue
                cell_id = f"{tdef.id}.{rpath[-1].id}.{cpath[-1].id}"
                cells[cell_id] = _cell(tdef.id, rpath, cpath, domains[domain_id])
                order.append(cell_id)
    for set_name, members in tdef.sets.items():
        unknown = [m for m in members if m not in row_labels and m not in col_labels]
        if unknown:
            ctx.fail("tables", tdef.id, f"{where}.sets.{set_name}", f"集合里有未知的行或列 / unknown ids {unknown}")
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


def _section(s: SectionDef) -> Section:
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
        children=tuple(_section(c) for c in s.children),
    )


def _form_table(
    table_id: str,
    sheet: str,
    title: str,
    title_en: str,
    specs: list[tuple[str, str, str, str, str, Domain]],
    cells: dict[str, Cell],
) -> Table:
    """A one-value-per-row form: specs are (row id, column id, row label, row label en, column label, domain)."""
    order: list[str] = []
    row_labels: dict[str, tuple[str, str]] = {}
    col_labels: dict[str, tuple[str, str]] = {}
    col_en = {"title": "Heading", "body": "Text", "value": "Value"}
    for rid, cid, label, label_en, col_label, domain in specs:
        cell_id = f"{table_id}.{rid}.{cid}"
        cells[cell_id] = _cell(
            table_id, (Header(rid, label, label_en, None),), (Header(cid, col_label, col_en[cid], None),), domain
        )
        order.append(cell_id)
        row_labels.setdefault(rid, (label, label_en))
        col_labels.setdefault(cid, (col_label, col_en[cid]))
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


def _text_table(
    sdef: SpecDef, sections: tuple[Section, ...], domains: dict[str, Domain], cells: dict[str, Cell], ctx: _Ctx
) -> Table:
    rows: list[tuple[str, str, str, str, str, Domain]] = []
    seen: set[str] = set()
    for s in (s for top in sections for s in top.walk()):
        if s.id in seen:
            ctx.fail("sections", s.id, f"report.sections[{s.id}]", f"栏目编号重复 / duplicate section id {s.id}")
        seen.add(s.id)
        if s.kind != "prose":
            continue
        if s.editable_heading:
            rows.append((s.id, "title", s.label, s.label_en, "标题", domains["text"]))
        rows.append((s.id, "body", s.label, s.label_en, "正文", domains["text"]))
    for f in sdef.fields:
        if f.id in seen:
            ctx.fail("fields", f.id, f"fields[{f.id}].id", f"与栏目编号重复 / clashes with a section id {f.id}")
        if f.domain not in domains:
            ctx.fail("fields", f.id, f"fields[{f.id}].domain", f"未知的取值类型 {f.domain} / unknown domain")
            continue
        seen.add(f.id)
        rows.append((f.id, "value", f.label, f.label_en, "数值", domains[f.domain]))
    return _form_table(TEXT_TABLE, TEXT_SHEET, "文字部分", "Text", rows, cells)


def _info_table(domains: dict[str, Domain], cells: dict[str, Cell]) -> Table:
    text = domains["text"]
    rows = [
        ("agency", "value", "单位名称", "Agency", "数值", text),
        ("contact", "value", "联系人", "Contact person", "数值", text),
        ("phone", "value", "联系电话", "Phone", "数值", text),
    ]
    return _form_table(INFO_TABLE, INFO_SHEET, "填报说明", "Instructions", rows, cells)


def _check_sheets_and_names(tables: dict[str, Table], cells: dict[str, Cell], ctx: _Ctx) -> None:
    sheets: dict[str, str] = {}
    for t in tables.values():
        if t.kind == "grid" and t.sheet.casefold() in {n.casefold() for n in RESERVED_SHEETS}:
            ctx.fail("tables", t.id, f"tables[{t.id}].sheet", f"工作表名称保留给模板 / reserved sheet name: {t.sheet}")
        key = t.sheet.casefold()
        if key in sheets:
            ctx.fail("tables", t.id, f"tables[{t.id}].sheet", f"工作表名称重复 / sheet name used twice: {t.sheet}")
        sheets[key] = t.id
    names: dict[str, str] = {}
    for cell_id in cells:
        name = defined_name(cell_id)
        if name in names:
            ctx.fail(
                "tables", cell_id.split(".")[0], "id", f"{cell_id} 与 {names[name]} 的定义名称相同 / same defined name"
            )
        names[name] = cell_id


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
        m = re.fullmatch(r"([a-z][a-z0-9_]*)\.(rows|columns)", spec_value)
        if not m or m.group(1) not in tables:
            raise expr.ExprError(
                f"应为“表.rows”或“表.columns” / expected '<table>.rows' or '<table>.columns': {spec_value}"
            )
        table = tables[m.group(1)]
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


def _resolvers(tables: dict[str, Table], cells: dict[str, Cell]) -> tuple[expr.SetResolver, Any]:
    def sets(table: str, axis: str, name: str) -> list[str] | None:
        t = tables.get(table)
        if t is None or name not in t.sets:
            return None
        members = t.sets[name]
        pool = t.row_labels if axis == "row" else t.column_labels
        return members if all(m in pool for m in members) else None

    return sets, cells.__contains__


def _rule(n: int, rdef: Any, tables: dict[str, Table], cells: dict[str, Cell], ctx: _Ctx) -> Rule:
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
    sets, known = _resolvers(tables, cells)
    text_all = rdef.assert_ + " " + (rdef.when or "")
    try:
        used = expr.variables(text_all)
        missing = used - set(rdef.for_each)
        if missing:
            raise expr.ExprError(f"变量未在 for_each 中定义 / variables not in for_each: {sorted(missing)}")
        domains = [(var, _bindings(rdef.id, var, val, text_all, tables)) for var, val in rdef.for_each.items()]
    except expr.ExprError as exc:
        ctx.fail("rules", rdef.id, f"{key}.for_each", str(exc))
        return rule
    for combo in itertools.product(*([(var, value) for value in values] for var, values in domains)):
        bindings = {var: value for var, (value, _) in combo}
        labels = {var: label for var, (_, label) in combo}
        try:
            check = expr.parse_comparison(expr.substitute(rdef.assert_, bindings), sets, known)
        except expr.ExprError as exc:
            ctx.fail("rules", rdef.id, f"{key}.assert", str(exc))
            return rule
        when = None
        if rdef.when:
            try:
                when = expr.parse_comparison(expr.substitute(rdef.when, bindings), sets, known)
            except expr.ExprError as exc:
                ctx.fail("rules", rdef.id, f"{key}.when", str(exc))
                return rule
        suffix = ",".join(f"{k}={v}" for k, v in bindings.items())
        rule.instances.append(
            RuleInstance(rule, f"{rdef.id}[{suffix}]" if suffix else rdef.id, bindings, labels, check, when)
        )
    allowed = {*rdef.for_each, "lhs", "rhs", "diff", "when"}
    for part, text in (
        ("message.zh", rdef.message.zh),
        ("message.en", rdef.message.en),
        ("fix.zh", rdef.fix.zh),
        ("fix.en", rdef.fix.en),
    ):
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as exc:
            ctx.fail("rules", rdef.id, f"{key}.{part}", f"花括号用法有误 / bad braces: {exc}")
            continue
        if names - allowed:
            ctx.fail(
                "rules",
                rdef.id,
                f"{key}.{part}",
                f"只能引用 {{{'}、{'.join(sorted(allowed))}}} / unknown placeholders: {sorted(names - allowed)}",
            )
    if rdef.formula:
        for inst in rule.instances:
            lhs = inst.check.lhs
            if (
                inst.check.op != "="
                or len(lhs.terms) != 1
                or lhs.terms[0][1] != 1
                or lhs.const
                or inst.check.lhs.uses_prev
                or inst.check.rhs.uses_prev
                or inst.when is not None
            ):
                ctx.fail(
                    "rules",
                    rdef.id,
                    f"{key}.formula",
                    "formula: true 要求左边是单个单元格、等号、且不用 prev() 和 when / needs 'cell = expression' "
                    "without prev() or when",
                )
                break
    return rule


def _narrative(n: int, d: Any, tables: dict[str, Table], cells: dict[str, Cell], ctx: _Ctx) -> Narrative:
    sets, known = _resolvers(tables, cells)
    patterns = []
    for pn, pat in enumerate(d.patterns):
        if "{n}" not in pat:
            ctx.fail("narrative", d.id, f"narrative[{d.id}].patterns[{pn}]", "模式中缺少 {n} / pattern lacks {n}")
            continue
        try:
            patterns.append(re.compile(pat.replace("{n}", NUMBER_PATTERN)))
        except re.error as exc:
            ctx.fail("narrative", d.id, f"narrative[{d.id}].patterns[{pn}]", f"正则表达式有误 / bad regex: {exc}")
    exprs = []
    for text in [d.expr] if isinstance(d.expr, str) else d.expr:
        try:
            exprs.append(expr.parse_expr(text, sets, known))
        except expr.ExprError as exc:
            ctx.fail("narrative", d.id, f"narrative[{d.id}].expr", str(exc))
    return Narrative(d.id, d.name, d.name_en, d.severity, tuple(patterns), tuple(exprs))


def _apply_formulas(
    rules: tuple[Rule, ...], cells: dict[str, Cell], ctx: _Ctx
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
                    f"公式只能用于统计表中的数字单元格 / only figures of the tables can be computed: {target}",
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
            ctx.fail("rules", None, "formula", f"公式循环引用 / circular formulas: {' -> '.join((*trail, cid))}")
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
