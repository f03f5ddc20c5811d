"""Render a :class:`~zfxxgk.plan.WorkbookPlan` as a locked Excel workbook (XlsxWriter).

What the file holds, and why:

* every input cell unlocked, everything else locked, every sheet protected, Tab moving between input
  cells only (``select_locked_cells: False``);
* workbook structure protection, which XlsxWriter does not write (its maintainer declined), added by
  rewriting ``xl/workbook.xml`` in the finished package;
* every total a formula *with its correct stored result*, because LibreOffice keeps stored results on
  load and Excel's Protected View shows them without recalculating;
* a live check cell per identity instance and a status line per table sheet;
* a defined name per cell id, and the same map in the hidden ``_zfxxgk`` sheet, because it is not
  known that every application keeps defined names when it saves.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from ..contract import (
    GENERATOR,
    defined_name,
    linear_formula,
    map_header,
    map_line,
    meta_rows,
    quote_sheet,
    rectangles,
)
from ..fileio import write_bytes_atomic
from ..normalize import with_agency
from ..roster import Agency
from ..spec import INFO_SHEET, META_SHEET, TEXT_SHEET, Domain, Spec
from ..spec.evaluate import computed_values, linear_value
from .formulas import (
    BAD_TEXT,
    OK_TEXT,
    as_stored,
    check_formula,
    check_value,
    is_blank,
    status_formula,
    status_value,
)
from .plan import (
    INFO_VALUE_COL,
    STATUS_ROW,
    TABLE_TOP,
    TEXT_TITLE_COL,
    TEXT_VALUE_COL,
    TITLE_ROW,
    TableSheet,
    WorkbookPlan,
    workbook_plan,
)

# --------------------------------------------------------------------------- formats


class _Formats:
    def __init__(self, wb: Any) -> None:
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter", "text_wrap": True}
        border = {**base, "border": 1}

        def add(**kw: Any) -> Any:
            return wb.add_format(kw)

        self.title = add(**{**base, "bold": True, "font_size": 14, "align": "center", "text_wrap": False})
        self.status = add(**{**base, "bold": True, "text_wrap": False})
        self.caption = add(**{**border, "bold": True, "align": "center", "bg_color": "#D9E1F2"})
        self.head = add(**{**border, "align": "center", "bg_color": "#F2F2F2"})
        self.rowhead = add(**{**border, "align": "left", "bg_color": "#F2F2F2"})
        self.check_label = add(**{**border, "align": "left", "italic": True, "font_color": "#555555"})
        self.check = add(**{**border, "align": "center"})
        self.note = add(**{**base, "font_color": "#555555"})
        self.label = add(**{**border, "bold": True, "bg_color": "#F2F2F2"})
        self.fixed = add(**{**border, "bg_color": "#F2F2F2"})
        self.ok = add(font_color="#006100", bg_color="#C6EFCE")
        self.bad = add(font_color="#9C0006", bg_color="#FFC7CE", bold=True)
        self.warn = add(font_color="#9C5700", bg_color="#FFEB9C")
        self._input: dict[str, Any] = {}
        self._computed: dict[str, Any] = {}
        self._wb = wb
        self._border = border

    def input(self, domain: Domain) -> Any:
        if domain.id not in self._input:
            kw: dict[str, Any] = {**self._border, "locked": False, "bg_color": "#FFF9DB"}
            if domain.kind == "text":
                kw.update(valign="top", align="left", num_format="@")
            else:
                kw.update(align="center", num_format=_num_format(domain))
            self._input[domain.id] = self._wb.add_format(kw)
        return self._input[domain.id]

    def computed(self, domain: Domain) -> Any:
        if domain.id not in self._computed:
            self._computed[domain.id] = self._wb.add_format(
                {
                    **self._border,
                    "align": "center",
                    "bold": True,
                    "bg_color": "#E2EFDA",
                    "num_format": _num_format(domain),
                }
            )
        return self._computed[domain.id]


def _num_format(domain: Domain) -> str:
    return "0" if not domain.decimals else "0." + "0" * domain.decimals


# --------------------------------------------------------------------------- public API


def build_template(
    spec: Spec,
    year: int,
    agency: Agency | None = None,
    prefill: Mapping[str, object] | None = None,
    password: str | None = None,
) -> bytes:
    """The template workbook for one agency (or a blank one) as .xlsx bytes.

    ``prefill`` gives values for input cells (e.g. last year's carry-over); computed cells, check
    cells and status lines store the results a spreadsheet computes for them.
    """
    agency = agency or Agency()
    plan = workbook_plan(spec)
    inputs = _inputs(spec, agency, prefill or {})
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    wb.set_properties(
        {
            "title": spec.report_title(agency.name or "（单位名称）", year),
            "subject": f"{year}年政府信息公开工作年度报告填报表",
            "author": GENERATOR,
            "company": agency.name,
            "comments": f"{spec.id} {spec.version}",
            "created": datetime(2000, 1, 1),
        }
    )
    fmt = _Formats(wb)
    values: dict[str, object] = {**inputs, **computed_values(spec, inputs)}
    _write_info(wb, fmt, plan, year, agency, values, password)
    for ts in plan.tables:
        _write_table_sheet(wb, fmt, plan, ts, values, year, agency, password)
    _write_text_sheet(wb, fmt, plan, values, password)
    _write_meta(wb, plan, year, agency, password)
    for cell_id, (sheet, r, c) in plan.positions.items():
        wb.define_name(defined_name(cell_id), f"={quote_sheet(sheet)}!{xl_rowcol_to_cell(r, c, True, True)}")
    wb.close()
    return _finish_package(buf.getvalue())


def write_template(
    path: str | Path,
    spec: Spec,
    year: int,
    agency: Agency | None = None,
    prefill: Mapping[str, object] | None = None,
    password: str | None = None,
) -> None:
    """Write :func:`build_template` to ``path`` atomically."""
    write_bytes_atomic(path, build_template(spec, year, agency, prefill, password))


def _inputs(spec: Spec, agency: Agency, prefill: Mapping[str, object]) -> dict[str, object]:
    unknown = [k for k in prefill if k not in spec.cells or spec.cells[k].computed]
    if unknown:
        raise ValueError(f"预填的不是输入单元格 / not input cells: {', '.join(sorted(unknown))}")
    values: dict[str, object] = {c.id: None for c in spec.input_cells}
    values.update(prefill)
    if agency.name and is_blank(values.get("info.agency.value")):
        values["info.agency.value"] = agency.name
    for key, val in (("info.contact.value", agency.contact), ("info.phone.value", agency.phone)):
        if val and is_blank(values.get(key)):
            values[key] = val
    return values


# --------------------------------------------------------------------------- sheets


def _protect(ws: Any, password: str | None) -> None:
    ws.protect(
        password or "",
        {"select_locked_cells": False, "select_unlocked_cells": True, "format_columns": False, "format_rows": False},
    )


def _write_value(ws: Any, r: int, c: int, value: object, cell_format: Any) -> None:
    """User and roster text is always written as a string, never as a formula."""
    if is_blank(value):
        ws.write_blank(r, c, None, cell_format)
    elif isinstance(value, str):
        ws.write_string(r, c, value, cell_format)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, cell_format)
    else:
        ws.write_number(r, c, float(value) if not isinstance(value, int) else value, cell_format)  # type: ignore[arg-type]


def _text_width(text: str) -> float:
    return sum(2.0 if ord(ch) > 0x2E80 else 1.1 for ch in text)


def _write_table_sheet(
    wb: Any,
    fmt: _Formats,
    plan: WorkbookPlan,
    ts: TableSheet,
    values: dict[str, object],
    year: int,
    agency: Agency,
    password: str | None,
) -> None:
    spec = plan.spec
    table, layout = ts.table, ts.layout
    ws = wb.add_worksheet(table.sheet)
    ws.hide_gridlines(2)
    ws.merge_range(
        TITLE_ROW, 0, TITLE_ROW, ts.width - 1, with_agency(f"{table.number}、{table.title}", agency.name), fmt.title
    )
    ws.set_row(TITLE_ROW, 24)

    # Column widths from the labels they must show; narrow columns for groups written vertically.
    widths = [0.0] * ts.width
    for item in layout.items:
        if item.kind == "data" or item.colspan != 1 or item.kind == "caption":
            continue
        need = _text_width(item.text) if item.rowspan == 1 else 5.0
        widths[item.col] = max(widths[item.col], min(need, 36.0 if item.kind == "rowhead" else 10.0))
    for c in range(ts.width):
        ws.set_column(c, c, max(widths[c], 8.0) if c < layout.width else 11.0)

    for item in layout.items:
        r, c = TABLE_TOP + item.row, item.col
        if item.kind == "data":
            continue
        style = {"caption": fmt.caption, "corner": fmt.head, "colhead": fmt.head}.get(item.kind, fmt.rowhead)
        if item.rowspan > 1 or item.colspan > 1:
            ws.merge_range(r, c, r + item.rowspan - 1, c + item.colspan - 1, item.label(agency=agency.name), style)
        else:
            ws.write_string(r, c, item.label(agency=agency.name), style)
    # Row heights for long labels that wrap (merged cells are not auto-fitted by spreadsheets).
    for item in layout.items:
        if item.kind == "rowhead" and item.rowspan == 1 and not item.group:
            span_width = sum(max(widths[k], 8.0) for k in range(item.col, item.col + item.colspan))
            lines = max(1, -(-int(_text_width(item.text)) // max(int(span_width), 1)))
            if lines > 1:
                ws.set_row(TABLE_TOP + item.row, 14 * lines)
    corner = next((i for i in layout.items if i.kind == "corner" and i.text), None)
    if corner and corner.rowspan * 15 < 15 * 4:
        for k in range(corner.rowspan):
            ws.set_row(TABLE_TOP + corner.row + k, 28)

    for item in layout.items:
        if item.kind != "data" or item.cell_id is None:
            continue
        cell = spec.cells[item.cell_id]
        r0, c0 = TABLE_TOP + item.row, item.col
        if cell.computed:
            assert cell.formula is not None
            text = "=" + linear_formula(cell.formula, plan.positions.__getitem__, table.sheet)
            style = fmt.computed(cell.domain)
            value = as_stored(float(values[cell.id]))  # type: ignore[arg-type]
            if item.colspan > 1:
                ws.merge_range(r0, c0, r0, c0 + item.colspan - 1, "", style)
            ws.write_formula(r0, c0, text, style, value)
        else:
            style = fmt.input(cell.domain)
            if item.colspan > 1:
                ws.merge_range(r0, c0, r0, c0 + item.colspan - 1, "", style)
            _write_value(ws, r0, c0, values.get(cell.id), style)
    _write_validations(ws, plan, table.id)

    # Live checks and the status line.
    for label in ts.check_labels:
        if label.rowspan > 1 or label.colspan > 1:
            ws.merge_range(
                label.row,
                label.col,
                label.row + label.rowspan - 1,
                label.col + label.colspan - 1,
                label.text,
                fmt.check_label,
            )
        else:
            ws.write_string(label.row, label.col, label.text, fmt.check_label)
    bad = 0
    check_positions = []
    for spot in ts.checks:
        inst = spot.instance
        where = plan.positions.__getitem__
        lhs = linear_formula(inst.check.lhs, where, table.sheet)
        rhs = linear_formula(inst.check.rhs, where, table.sheet)
        result = check_value(
            linear_value(inst.check.lhs, values.get),
            inst.check.op,
            linear_value(inst.check.rhs, values.get),
            inst.rule.tolerance,
        )
        bad += result == BAD_TEXT
        _, r, c = spot.pos
        ws.write_formula(r, c, check_formula(lhs, inst.check.op, rhs, inst.rule.tolerance), fmt.check, result)
        check_positions.append(spot.pos)
    check_rects = [_range(rect) for rect in rectangles(check_positions)]
    for ref in check_rects:
        ws.conditional_format(ref, {"type": "cell", "criteria": "==", "value": f'"{BAD_TEXT}"', "format": fmt.bad})
        ws.conditional_format(ref, {"type": "cell", "criteria": "==", "value": f'"{OK_TEXT}"', "format": fmt.ok})
    input_rects = plan.input_rects(table.id)
    blanks = sum(is_blank(values.get(c)) for c in table.cells if not spec.cells[c].computed)
    status = status_value(bad, blanks)
    ws.merge_range(STATUS_ROW, 0, STATUS_ROW, ts.width - 1, "", fmt.status)
    ws.write_formula(STATUS_ROW, 0, status_formula(check_rects, input_rects), fmt.status, status)
    status_ref = xl_rowcol_to_cell(STATUS_ROW, 0)
    ws.conditional_format(status_ref, {"type": "text", "criteria": "containing", "value": "错误", "format": fmt.bad})
    ws.conditional_format(status_ref, {"type": "text", "criteria": "containing", "value": "未填写", "format": fmt.warn})
    ws.conditional_format(status_ref, {"type": "text", "criteria": "containing", "value": "正确", "format": fmt.ok})
    note_row = ts.height + 1
    ws.merge_range(
        note_row,
        0,
        note_row,
        ts.width - 1,
        f"{agency.name or '本单位'} {year}年度　只需填写黄色格子；绿色格子自动计算；“勾稽检查”显示“错误”时请核对。",
        fmt.note,
    )

    # Print: A4, fit to width, header rows repeated.
    ws.set_paper(9)
    if table.landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 1 if ts.height <= 48 else 0)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    h0, h1 = layout.header_rows
    ws.repeat_rows(TABLE_TOP + h0, TABLE_TOP + h1)
    ws.print_area(0, 0, note_row, ts.width - 1)
    ws.set_footer("&C第 &P 页，共 &N 页")
    if layout.label_cols and len(table.blocks) == 1:
        ws.freeze_panes(TABLE_TOP + h1 + 1, layout.label_cols)
    _protect(ws, password)


def _range(rect: tuple[str, int, int, int, int]) -> str:
    _, r0, c0, r1, c1 = rect
    ref = xl_rowcol_to_cell(r0, c0)
    return ref if (r0, c0) == (r1, c1) else f"{ref}:{xl_rowcol_to_cell(r1, c1)}"


def _validation(domain: Domain, top_left: str) -> dict[str, Any]:
    common: dict[str, Any] = {
        "input_title": "填写提示",
        "input_message": domain.prompt_zh,
        "error_title": "输入有误",
        "error_message": domain.error_zh,
        "error_type": "stop",
        "ignore_blank": True,
    }
    if domain.kind == "text":
        return {**common, "validate": "length", "criteria": "<=", "value": domain.max_length or 32767}
    if domain.kind == "integer":
        if domain.min is not None and domain.max is not None:
            return {
                **common,
                "validate": "integer",
                "criteria": "between",
                "minimum": int(domain.min),
                "maximum": int(domain.max),
            }
        if domain.min is not None:
            return {**common, "validate": "integer", "criteria": ">=", "value": int(domain.min)}
        if domain.max is not None:
            return {**common, "validate": "integer", "criteria": "<=", "value": int(domain.max)}
        return {**common, "validate": "integer", "criteria": "between", "minimum": -(10**12), "maximum": 10**12}
    conds = [f"ISNUMBER({top_left})"]
    if domain.min is not None:
        conds.append(f"{top_left}>={domain.min}")
    if domain.max is not None:
        conds.append(f"{top_left}<={domain.max}")
    if domain.decimals is not None:
        conds.append(f"ROUND({top_left},{domain.decimals})={top_left}")
    return {**common, "validate": "custom", "value": f"=AND({','.join(conds)})"}


def _write_validations(ws: Any, plan: WorkbookPlan, table_id: str) -> None:
    spec = plan.spec
    by_domain: dict[str, list[tuple[str, int, int]]] = {}
    for cell_id in spec.tables[table_id].cells:
        cell = spec.cells[cell_id]
        if not cell.computed:
            by_domain.setdefault(cell.domain.id, []).append(plan.positions[cell_id])
    for domain_id, positions in by_domain.items():
        for rect in rectangles(positions):
            _, r0, c0, r1, c1 = rect
            ws.data_validation(r0, c0, r1, c1, _validation(spec.domains[domain_id], xl_rowcol_to_cell(r0, c0)))


def _write_text_sheet(
    wb: Any, fmt: _Formats, plan: WorkbookPlan, values: dict[str, object], password: str | None
) -> None:
    spec = plan.spec
    ws = wb.add_worksheet(TEXT_SHEET)
    ws.hide_gridlines(2)
    ws.merge_range(0, 0, 0, 3, "文字部分（报告正文，各部分分段请按 Alt+回车）", fmt.title)
    for c, (text, width) in enumerate((("栏目", 22), ("标题", 26), ("内容", 80), ("填写说明", 36))):
        ws.set_column(c, c, width)
        ws.write_string(1, c, text, fmt.head)
    for fr in plan.text_rows:
        ws.write_string(fr.row, 0, fr.label, fmt.label)
        if fr.title_cell:
            cell = spec.cells[fr.title_cell]
            section = next(s for s in spec.all_sections() if s.title_cell == fr.title_cell)
            title = values.get(fr.title_cell)
            _write_value(
                ws, fr.row, TEXT_TITLE_COL, section.heading if is_blank(title) else title, fmt.input(cell.domain)
            )
            ws.data_validation(
                fr.row,
                TEXT_TITLE_COL,
                fr.row,
                TEXT_TITLE_COL,
                {
                    "validate": "length",
                    "criteria": "<=",
                    "value": 100,
                    "ignore_blank": True,
                    "input_title": "小标题",
                    "input_message": "可以改成本单位的小标题，如“（一）健全组织，强化责任”；"
                    "本部分不填写内容时，报告中不出现该小标题。",
                    "error_title": "输入有误",
                    "error_message": "小标题不能超过100字。",
                },
            )
        else:
            ws.write_string(fr.row, TEXT_TITLE_COL, fr.heading or "", fmt.fixed)
        if fr.value_cell:
            cell = spec.cells[fr.value_cell]
            _write_value(ws, fr.row, TEXT_VALUE_COL, values.get(fr.value_cell), fmt.input(cell.domain))
            ws.data_validation(
                fr.row,
                TEXT_VALUE_COL,
                fr.row,
                TEXT_VALUE_COL,
                _validation(cell.domain, xl_rowcol_to_cell(fr.row, TEXT_VALUE_COL)),
            )
            ws.set_row(fr.row, 96 if cell.domain.kind == "text" else 32)
        ws.write_string(fr.row, 3, fr.hint, fmt.note)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    _protect(ws, password)


def _write_info(
    wb: Any,
    fmt: _Formats,
    plan: WorkbookPlan,
    year: int,
    agency: Agency,
    values: dict[str, object],
    password: str | None,
) -> None:
    spec = plan.spec
    ws = wb.add_worksheet(INFO_SHEET)
    ws.hide_gridlines(2)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 60)
    ws.merge_range(0, 0, 0, 1, f"{year}年政府信息公开工作年度报告填报表", fmt.title)
    fixed = {
        3: ("统一社会信用代码/单位编码", agency.code),
        4: ("报告年度", f"{year}年"),
        5: ("报表格式", f"{spec.name}（{spec.id}，版本 {spec.version}）"),
    }
    for r, (label, text) in fixed.items():
        ws.write_string(r, 0, label, fmt.label)
        ws.write_string(r, 1, text, fmt.fixed)
        ws.set_row(r, 15 * max(1, -(-int(_text_width(text)) // 60)))  # room for a long spec name
    for fr in plan.info_rows:
        assert fr.value_cell
        cell = spec.cells[fr.value_cell]
        ws.write_string(fr.row, 0, fr.label, fmt.label)
        _write_value(ws, fr.row, INFO_VALUE_COL, values.get(fr.value_cell), fmt.input(cell.domain))
        ws.data_validation(
            fr.row,
            INFO_VALUE_COL,
            fr.row,
            INFO_VALUE_COL,
            {
                "validate": "length",
                "criteria": "<=",
                "value": 200,
                "input_title": "填写提示",
                "input_message": fr.hint or f"请填写{fr.label}。",
                "error_title": "输入有误",
                "error_message": "内容过长。",
                "ignore_blank": True,
            },
        )
    notes = [
        "填写说明",
        "1. 只需填写黄色格子；绿色格子是合计，会自动计算；灰色格子不能修改。按 Tab 键可在黄色格子之间移动。",
        "2. 数字格子一律填阿拉伯数字，没有的填 0，不要留空，不要填“—”“/”“无”，也不要带“件”“元”等单位。",
        "3. 表二的收费金额以万元为单位、信息处理费以元为单位，最多两位小数；其余均为件数（整数）。",
        "4. 每张表顶部有一行状态提示；表下方（或右侧）的“勾稽检查”显示“错误”时，请按提示核对。",
        "5. 表三的勾稽关系：第一项加第二项之和，等于第三项（七）总计加第四项之和；每件申请只计入一种办理结果。",
        "6. 报告正文填写在“文字部分”工作表；分段请按 Alt+回车（WPS、LibreOffice 为 Ctrl+回车）。",
        "7. 请勿删除、插入或重命名工作表和行列，请勿撤销工作表保护；可用 Excel、WPS 或 LibreOffice 填写，保存为 .xlsx。",
        "8. 填好后可用 zfxxgk check 命令自查，再按要求报送。",
    ]
    for k, text in enumerate(notes):
        ws.write_string(10 + k, 0, text, fmt.status if k == 0 else fmt.note)
        if k:
            ws.merge_range(10 + k, 0, 10 + k, 1, text, fmt.note)
            ws.set_row(10 + k, 30)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.activate()
    _protect(ws, password)


def _write_meta(wb: Any, plan: WorkbookPlan, year: int, agency: Agency, password: str | None) -> None:
    ws = wb.add_worksheet(META_SHEET)
    rows = meta_rows(plan.spec, year, agency)
    for r, (key, value) in enumerate(rows):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
    r0 = len(rows) + 1
    # The map is one tab-separated cell per row (sheet names cannot hold tabs): a fifth of the cells
    # of a five-column table, which keeps reading the map cheap.
    ws.write_string(r0, 0, map_header())
    for k, (cell_id, cell) in enumerate(plan.spec.cells.items(), start=r0 + 1):
        sheet, r, c = plan.positions[cell_id]
        ws.write_string(k, 0, map_line(cell_id, sheet, xl_rowcol_to_cell(r, c), cell.role, cell.domain.id))
    ws.set_column(0, 0, 60)
    ws.hide()
    _protect(ws, password)


# --------------------------------------------------------------------------- package


_BOOK_VIEWS = re.compile(rb"<bookViews")
_APPLICATION = re.compile(rb"<Application>[^<]*</Application>")
_APP_VERSION = re.compile(rb"<AppVersion>[^<]*</AppVersion>")
_PASSWORD = re.compile(rb'<sheetProtection[^>]*\spassword="([0-9A-F]{4})"')


def _finish_package(data: bytes) -> bytes:
    """Add workbook structure protection and name the generator in docProps/app.xml."""
    src = zipfile.ZipFile(io.BytesIO(data))
    # The workbook gets the sheets' password: XlsxWriter has already hashed it (the legacy 16-bit hash).
    sheet_hash = _PASSWORD.search(src.read("xl/worksheets/sheet1.xml"))
    lock = (
        b'<workbookProtection workbookPassword="' + sheet_hash.group(1) + b'" lockStructure="1"/>'
        if sheet_hash
        else b'<workbookProtection lockStructure="1"/>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                body, n = _BOOK_VIEWS.subn(lock + b"<bookViews", body, count=1)
                assert n == 1, "XlsxWriter's workbook.xml has no <bookViews>"
            elif info.filename == "docProps/app.xml":
                body = _APPLICATION.sub(b"<Application>" + GENERATOR.encode() + b"</Application>", body, count=1)
                body = _APP_VERSION.sub(b"", body, count=1)  # XlsxWriter's "12.0000" is Excel's, not ours
            dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
