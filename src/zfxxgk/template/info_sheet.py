"""Write the 填报说明 sheet: the agency, its contact, the fixed facts of the template and the instructions."""

from __future__ import annotations

from typing import Any

from ..roster import Agency
from ..spec import INFO_SHEET
from .cells import protect, write_value
from .formats import Formats, excel_width
from .plan import INFO_VALUE_COL, WorkbookPlan


def write_info(
    wb: Any,
    fmt: Formats,
    plan: WorkbookPlan,
    year: int,
    agency: Agency,
    values: dict[str, object],
    password: str | None,
) -> None:
    """The first sheet a filler sees, active and protected."""
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
        ws.set_row(r, 15 * max(1, -(-int(excel_width(text)) // 60)))  # room for a long spec name
    for fr in plan.info_rows:
        assert fr.value_cell
        cell = spec.cells[fr.value_cell]
        ws.write_string(fr.row, 0, fr.label, fmt.label)
        write_value(ws, fr.row, INFO_VALUE_COL, values.get(fr.value_cell), fmt.input(cell.domain))
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
    protect(ws, password)
