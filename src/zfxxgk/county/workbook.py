"""汇总.xlsx: 报送情况, 问题清单, 汇总表 (formulas over 明细, with stored results), 明细 and 图表.

Written with XlsxWriter, every text from a file or the roster as a string (never a formula), and
atomically. XlsxWriter's constant_memory mode cannot write the merged headers of the official tables
(multi-row merges need rows written out of order; its maintainer documents this), so the workbook is
built in memory: about 25 KB per row of 明细. Everything else is streamed from the store.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from ..contract import quote_sheet
from ..fileio import atomic_path
from ..findings import COLUMN_HEADS
from ..spec import Header, Spec, Table
from ..template.formulas import as_stored
from ..template.layout import table_layout
from . import NEW_APPLICATIONS, STATUS_ZH, County, summable
from .store import Outcome

SHEETS = ("报送情况", "问题清单", "汇总表", "明细", "图表")
DETAIL = "明细"
FIRST_DETAIL_ROW = 2  # zero-based: two header rows above
FIXED = ["序号", "单位名称", "文件", "状态", "纳入汇总"]
INCLUDE_COL = 4
STATUS_COLORS = {
    "ok": "#C6EFCE",
    "warnings": "#FFEB9C",
    "errors": "#FFC7CE",
    "unreadable": "#FFC7CE",
    "missing": "#D9D9D9",
    "duplicate": "#DDEBF7",
    "outsider": "#DDEBF7",
}
TOP_AGENCIES = 40


class _Formats:
    def __init__(self, wb: Any) -> None:
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
        self.title = wb.add_format({**base, "bold": True, "font_size": 14})
        self.note = wb.add_format({**base, "font_color": "#444444"})
        self.head = wb.add_format(
            {**base, "bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True, "align": "center"}
        )
        self.text = wb.add_format({**base, "text_wrap": False})
        self.wrap = wb.add_format({**base, "text_wrap": True, "valign": "top"})
        self.cell = wb.add_format({**base, "border": 1, "text_wrap": True, "align": "center"})
        self.rowhead = wb.add_format({**base, "border": 1, "text_wrap": True, "bg_color": "#F2F2F2"})
        self.number = wb.add_format({**base, "border": 1, "align": "center"})
        self.total = wb.add_format({**base, "border": 1, "align": "center", "bold": True, "bg_color": "#E2EFDA"})
        self.status = {STATUS_ZH[k]: wb.add_format({"bg_color": v}) for k, v in STATUS_COLORS.items()}  # by label


class SummaryWorkbook:
    """汇总.xlsx, written in two steps: 明细 rows while the returns are being checked, the rest at the end.

    Use as a context manager; the file appears (atomically) only when :meth:`finish` has run.
    """

    def __init__(self, path: Path, spec: Spec, year: int, name: str = "") -> None:
        self.path = path
        self.spec = spec
        self._atomic = atomic_path(path)
        tmp = self._atomic.__enter__()
        self.wb = xlsxwriter.Workbook(
            str(tmp), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        )
        self.wb.set_properties(
            {
                "title": f"{name}{year}年政府信息公开工作年度报告汇总",
                "author": "zfxxgk",
                "created": datetime(year + 1, 1, 1),
            }
        )
        self.fmt = _Formats(self.wb)
        self.sheets = {name: self.wb.add_worksheet(name) for name in SHEETS}
        self.columns = _detail_columns(spec)
        self._column_tables = [spec.cells[c].table for c in self.columns]
        self._tables = sorted(set(self._column_tables))
        self.rows: dict[int, int] = {}  # outcome index -> row of 明细
        _detail_head(self.sheets[DETAIL], self.fmt, spec, self.columns)

    def __enter__(self) -> SummaryWorkbook:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            self._atomic.__exit__(*exc)  # type: ignore[arg-type]

    def add(self, o: Outcome) -> None:
        """Write a return's figures into 明细 (as soon as it has been checked)."""
        if o.status == "unreadable" or not o.values:
            return
        r = FIRST_DETAIL_ROW + len(self.rows)
        self.rows[o.index] = r
        write = self.sheets[DETAIL].write_number
        ok = {t: summable(self.spec, o, t) for t in self._tables}
        values = o.values
        for k, (cell_id, table) in enumerate(zip(self.columns, self._column_tables, strict=True), start=len(FIXED)):
            v = values.get(cell_id)
            if v is not None and ok[table]:
                write(r, k, float(v) if isinstance(v, Decimal) else v)

    def finish(self, county: County) -> None:
        """Write everything else and move the file into place."""
        fmt = self.fmt
        _status_sheet(self.sheets["报送情况"], fmt, county)
        _findings_sheet(self.sheets["问题清单"], fmt, county)
        _detail_fixed(self.sheets[DETAIL], county, self.rows, len(self.columns))
        positions = _summary_sheet(self.sheets["汇总表"], fmt, county, len(self.rows), self.columns)
        _charts(self.wb, self.sheets["图表"], fmt, county, self.rows, self.columns, positions)
        self.wb.close()
        self._atomic.__exit__(None, None, None)


# --------------------------------------------------------------------------- 报送情况


def _status_sheet(ws: Any, fmt: _Formats, county: County) -> None:
    rows = county.rows
    listed = [r for r in rows if r.roster_index is not None]
    tally = Counter(r.status for r in rows)
    returned = sum(1 for r in listed if r.status != "missing")
    ws.write_string(0, 0, f"{county.name}{county.year}年政府信息公开工作年度报告报送情况", fmt.title)
    summary = (
        f"花名册 {len(listed)} 个单位：已报送 {returned} 个（合格 {tally.get('ok', 0)}，有警告 "
        f"{tally.get('warnings', 0)}，有错误 {tally.get('errors', 0)}，无法读取 "
        f"{sum(1 for r in listed if r.status == 'unreadable')}），未报送 {tally.get('missing', 0)} 个；"
        f"共收到文件 {county.sources} 份，其中重复报送 {tally.get('duplicate', 0)} 份、不在名单 "
        f"{tally.get('outsider', 0)} 份、无法识别单位的无法读取文件 "
        f"{sum(1 for r in rows if r.roster_index is None and r.status == 'unreadable')} 份。"
        f"纳入汇总 {sum(1 for r in rows if r.included)} 个单位。"
    )
    ws.write_string(1, 0, summary, fmt.note)
    head = [
        "序号",
        "单位名称",
        "统一社会信用代码",
        "状态",
        "文件",
        "识别方式",
        "格式",
        "年度",
        "保存软件",
        "错误",
        "警告",
        "提示",
        "纳入汇总",
        "说明",
        "SHA-256",
    ]
    widths = [6, 30, 22, 10, 50, 12, 16, 8, 24, 6, 6, 6, 9, 50, 20]
    top = 3
    for c, (h, w) in enumerate(zip(head, widths, strict=True)):
        ws.write_string(top, c, h, fmt.head)
        ws.set_column(c, c, w)
    for n, r in enumerate(rows, start=1):
        o = r.outcome
        line: list[object] = [n, r.agency, r.code, STATUS_ZH[r.status]]
        if o is None:
            line += ["", "", "", "", "", "", "", "", "否", r.note, ""]
        else:
            how = {"template": "模板", "labels": "按标签识别"}.get(o.source, "")
            line += [
                o.name,
                how,
                o.spec_id,
                o.year or "",
                o.application,
                o.errors,
                o.warnings,
                o.infos,
                "是" if r.included else "否",
                r.note,
                o.sha256,
            ]
        _write_row(ws, top + n, line, fmt.text)
    last = top + len(rows)
    ws.autofilter(top, 0, max(last, top), len(head) - 1)
    ws.freeze_panes(top + 1, 2)
    _print_setup(ws, landscape=True, repeat=(top, top))
    for label, f in fmt.status.items():
        ws.conditional_format(
            top + 1, 3, max(last, top + 1), 3, {"type": "cell", "criteria": "==", "value": f'"{label}"', "format": f}
        )


def _print_setup(ws: Any, landscape: bool = False, repeat: tuple[int, int] | None = None) -> None:
    """A4, fit to the page width, header rows repeated: every sheet prints as a clerk expects."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    if repeat:
        ws.repeat_rows(*repeat)
    ws.set_footer("&C第 &P 页，共 &N 页")


def _write_row(ws: Any, r: int, values: list[object], cell_format: Any) -> None:
    for c, v in enumerate(values):
        if v is None or v == "":
            continue
        if isinstance(v, str):
            ws.write_string(r, c, v, cell_format)
        elif isinstance(v, Decimal):
            ws.write_number(r, c, float(v), cell_format)
        else:
            ws.write_number(r, c, v, cell_format)


# --------------------------------------------------------------------------- 问题清单


def _findings_sheet(ws: Any, fmt: _Formats, county: County) -> None:
    head = ["序号", "单位名称", "文件", "状态", *COLUMN_HEADS["zh"], "指纹"]
    widths = [6, 24, 36, 9, 6, 16, 14, 8, 30, 14, 60, 50, 8, 8, 8, 16, 18]
    for c, (h, w) in enumerate(zip(head, widths, strict=True)):
        ws.write_string(0, c, h, fmt.head)
        ws.set_column(c, c, w)
    n = 0
    for f in county.checks:  # the county's own totals first: they concern everyone
        n += 1
        _write_row(ws, n, [n, "（全县汇总表）", "", "", *f.columns("zh"), f.fingerprint], fmt.text)
    for row in county.rows:
        if row.outcome is None:
            continue
        for f in county.store.findings(row.outcome.index):
            n += 1
            line = [n, row.agency, row.outcome.name, STATUS_ZH[row.status], *f.columns("zh"), f.fingerprint]
            _write_row(ws, n, line, fmt.text)
    ws.autofilter(0, 0, max(n, 1), len(head) - 1)
    ws.freeze_panes(1, 2)
    _print_setup(ws, landscape=True, repeat=(0, 0))


# --------------------------------------------------------------------------- 明细


def _detail_columns(spec: Spec) -> list[str]:
    """Numeric cell ids, in spec order: one column each in 明细."""
    return [c.id for c in spec.cells.values() if c.domain.numeric]


def _detail_head(ws: Any, fmt: _Formats, spec: Spec, columns: list[str]) -> None:
    for c, h in enumerate(FIXED):
        ws.write_string(0, c, h, fmt.head)
        ws.write_string(1, c, "", fmt.head)
    for k, cell_id in enumerate(columns, start=len(FIXED)):
        cell = spec.cells[cell_id]
        table = spec.tables[cell.table]
        prefix = f"表{table.number}·" if table.number else ""
        ws.write_string(0, k, f"{prefix}{cell.row_label}·{cell.column_label}", fmt.head)
        ws.write_string(1, k, cell_id, fmt.head)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 2, 24)
    ws.set_column(3, 4, 9)
    ws.set_column(len(FIXED), len(FIXED) + len(columns) - 1, 12)
    ws.set_row(0, 60)
    ws.freeze_panes(FIRST_DETAIL_ROW, 2)


def _detail_fixed(ws: Any, county: County, rows: dict[int, int], n_columns: int) -> None:
    """The agency, file, status and 纳入汇总 of each 明细 row, known once every file is matched."""
    by_outcome = {r.outcome.index: r for r in county.rows if r.outcome is not None}
    for index, r in rows.items():
        row = by_outcome[index]
        assert row.outcome is not None
        ws.write_number(r, 0, r - FIRST_DETAIL_ROW + 1)
        ws.write_string(r, 1, row.agency)
        ws.write_string(r, 2, row.outcome.name)
        ws.write_string(r, 3, STATUS_ZH[row.status])
        ws.write_string(r, 4, "是" if row.included else "否")
    ws.autofilter(1, 0, max(FIRST_DETAIL_ROW + len(rows) - 1, 1), len(FIXED) + n_columns - 1)


def _sumifs(column: int, n_rows: int) -> str:
    col = xl_col_to_name(column)
    inc = xl_col_to_name(INCLUDE_COL)
    first, last = FIRST_DETAIL_ROW + 1, FIRST_DETAIL_ROW + max(n_rows, 1)
    sheet = quote_sheet(DETAIL)
    return f'=SUMIFS({sheet}!${col}${first}:${col}${last},{sheet}!${inc}${first}:${inc}${last},"是")'


# --------------------------------------------------------------------------- 汇总表


def _summary_sheet(ws: Any, fmt: _Formats, county: County, n_rows: int, columns: list[str]) -> dict[str, str]:
    """The official tables with SUMIFS formulas over 明细; returns cell id -> A1 on this sheet."""
    spec = county.spec
    column_of = {cell_id: len(FIXED) + k for k, cell_id in enumerate(columns)}
    included = sum(1 for r in county.rows if r.included)
    ws.write_string(0, 0, f"{county.name}{county.year}年政府信息公开工作年度报告汇总表", fmt.title)
    ws.write_string(
        1,
        0,
        f"合计 {included} 个单位（“明细”表中“纳入汇总”为“是”的单位）。每个数字都是“明细”相应列的"
        "求和公式，可逐格追溯到各单位。",
        fmt.note,
    )
    positions: dict[str, str] = {}
    r = 3
    widths = [0.0] * 20
    for table in spec.grid_tables:
        layout = table_layout(table)
        ws.write_string(r, 0, f"{table.number}、{table.title}", fmt.title)
        r += 1
        for item in layout.items:
            rr, cc = r + item.row, item.col
            if item.kind == "data" and item.cell_id:
                text = _sumifs(column_of[item.cell_id], n_rows)
                value = county.totals.get(item.cell_id, Decimal(0))
                style = fmt.total if spec.cells[item.cell_id].computed else fmt.number
                if item.colspan > 1:
                    ws.merge_range(rr, cc, rr, cc + item.colspan - 1, "", style)
                ws.write_formula(rr, cc, text, style, as_stored(float(value)))
                positions[item.cell_id] = xl_rowcol_to_cell(rr, cc, True, True)
                continue
            style = fmt.rowhead if item.kind == "rowhead" else fmt.head
            label = item.label(agency=county.name)
            if item.rowspan > 1 or item.colspan > 1:
                ws.merge_range(rr, cc, rr + item.rowspan - 1, cc + item.colspan - 1, label, style)
            else:
                ws.write_string(rr, cc, label, style)
            if item.colspan == 1 and item.kind != "caption" and cc < len(widths):
                widths[cc] = max(widths[cc], min(sum(2 if ord(ch) > 0x2E80 else 1 for ch in label), 40))
        r += layout.height + 2
    fields = [c for c in spec.tables["text"].cells if spec.cells[c].domain.numeric] if "text" in spec.tables else []
    if fields:
        ws.write_string(r, 0, "信息处理费", fmt.title)
        for k, cell_id in enumerate(fields, start=1):
            ws.write_string(r + k, 0, spec.cells[cell_id].row_label, fmt.rowhead)
            ws.write_formula(
                r + k,
                1,
                _sumifs(column_of[cell_id], n_rows),
                fmt.number,
                as_stored(float(county.totals.get(cell_id, Decimal(0)))),
            )
            positions[cell_id] = xl_rowcol_to_cell(r + k, 1, True, True)
    for c, w in enumerate(widths):
        ws.set_column(c, c, max(w + 2, 9))
    _print_setup(ws, landscape=True)
    return positions


# --------------------------------------------------------------------------- 图表


def _outcome_groups(table: Table) -> list[tuple[str, list[str]]]:
    """The outcome categories of table 三: children of the row group that holds the ``outcomes`` set."""
    outcomes = set(table.sets.get("outcomes", []))
    for block in table.blocks:
        for node in block.rows:
            found = _group_of(node, outcomes)
            if found:
                return found
    return []


def _group_of(node: Header, outcomes: set[str]) -> list[tuple[str, list[str]]] | None:
    leaves = {leaf.id for leaf in node.leaves()}
    if not node.children or not outcomes <= leaves:
        return None
    for child in node.children:
        deeper = _group_of(child, outcomes)
        if deeper:
            return deeper
    return [
        (child.label, [leaf.id for leaf in child.leaves() if leaf.id in outcomes])
        for child in node.children
        if any(leaf.id in outcomes for leaf in child.leaves())
    ]


def _charts(
    wb: Any, ws: Any, fmt: _Formats, county: County, rows: dict[int, int], columns: list[str], positions: dict[str, str]
) -> None:
    spec = county.spec
    summary = quote_sheet("汇总表")
    t3 = spec.tables.get("t3")
    ws.write_string(0, 0, "办理结果分布（表三，各项合计）", fmt.title)
    ws.write_string(1, 0, "办理结果", fmt.head)
    ws.write_string(1, 1, "件数", fmt.head)
    groups = _outcome_groups(t3) if t3 else []
    for k, (label, group_rows) in enumerate(groups, start=2):
        cells = [f"t3.{r}.total" for r in group_rows if f"t3.{r}.total" in positions]
        ws.write_string(k, 0, label)
        value = sum((county.totals.get(c, Decimal(0)) for c in cells), Decimal(0))
        ws.write_formula(
            k,
            1,
            "=" + "+".join(f"{summary}!{positions[c]}" for c in cells) if cells else "=0",
            None,
            as_stored(float(value)),
        )
    if groups:
        chart = wb.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": "件数",
                "categories": ["图表", 2, 0, 1 + len(groups), 0],
                "values": ["图表", 2, 1, 1 + len(groups), 1],
                "data_labels": {"value": True},
            }
        )
        chart.set_title({"name": "办理结果分布"})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})
        ws.insert_chart(1, 3, chart, {"x_scale": 1.3, "y_scale": 1.2})
    # Applications by agency: 本年新收 per included agency, largest first.
    top = 22
    ws.write_string(top, 0, f"各单位本年新收政府信息公开申请数（前 {TOP_AGENCIES} 个）", fmt.title)
    ws.write_string(top + 1, 0, "单位名称", fmt.head)
    ws.write_string(top + 1, 1, "本年新收", fmt.head)
    ws.set_column(0, 0, 30)
    if NEW_APPLICATIONS not in columns:
        return
    col = xl_col_to_name(len(FIXED) + columns.index(NEW_APPLICATIONS))
    shown = sorted(county.new_applications, key=lambda item: (-item[2], rows.get(item[0], 0)))[:TOP_AGENCIES]
    for k, (index, agency, count) in enumerate(shown, start=top + 2):
        ws.write_string(k, 0, agency)
        ws.write_formula(k, 1, f"={quote_sheet(DETAIL)}!{col}{rows[index] + 1}", None, as_stored(float(count)))
    if shown:
        chart = wb.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": "本年新收",
                "categories": ["图表", top + 2, 0, top + 1 + len(shown), 0],
                "values": ["图表", top + 2, 1, top + 1 + len(shown), 1],
            }
        )
        chart.set_title({"name": "各单位本年新收申请数"})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})
        ws.insert_chart(top + 1, 3, chart, {"x_scale": 1.3, "y_scale": max(1.0, len(shown) / 12)})
