"""The one catalogue of findings, and the flat :class:`Finding` record every check produces.

Codes in lower case (``blank-cell``) are built-in checks listed here; codes in upper case (``S1``,
``N1``) are rules and narrative checks defined by the form spec, whose messages live in the spec.
Each message says what is wrong; each ``fix`` says how to put it right.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_LABEL = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
JsonNumber = int | float | str | None


@dataclass(frozen=True)
class Entry:
    severity: Severity
    zh: str
    en: str
    fix_zh: str
    fix_en: str


CATALOGUE: dict[str, Entry] = {
    # ---- the file itself
    "file-missing": Entry(
        "error", "找不到文件。", "The file does not exist.", "请检查文件名和路径。", "Check the file name and path."
    ),
    "file-empty": Entry(
        "error",
        "文件是空的（0 字节）。",
        "The file is empty (0 bytes).",
        "请重新保存或重新发送该文件。",
        "Save or send the file again.",
    ),
    "file-unreadable": Entry(
        "error",
        "无法打开文件：{detail}",
        "The file cannot be opened: {detail}",
        "请检查文件权限，或重新复制该文件。",
        "Check the file's permissions or copy it again.",
    ),
    "file-xls": Entry(
        "error",
        "这是旧版 Excel 97-2003 工作簿（.xls），不是 .xlsx。",
        "This is an old Excel 97-2003 workbook (.xls), not .xlsx.",
        "请用 Excel 或 WPS 打开，点“文件—另存为”，保存类型选“Excel 工作簿（*.xlsx）”。",
        "Open it in Excel or WPS and use File > Save As > Excel Workbook (*.xlsx).",
    ),
    "file-et": Entry(
        "error",
        "这是 WPS 表格文件（.et），不是 .xlsx。",
        "This is a WPS Spreadsheets file (.et), not .xlsx.",
        "请在 WPS 中点“文件—另存为”，保存类型选“Excel 文件（*.xlsx）”。",
        "In WPS use File > Save As and choose Excel file (*.xlsx).",
    ),
    "file-encrypted": Entry(
        "error",
        "文件设置了打开密码（已加密），无法读取。",
        "The file is password-protected (encrypted) and cannot be read.",
        "请在 Excel/WPS 中取消打开密码（文件—信息—保护工作簿—用密码进行加密，清空密码）后重新保存。",
        "Remove the opening password (File > Info > Protect Workbook > Encrypt) and save again.",
    ),
    "file-ole": Entry(
        "error",
        "这是旧版 Office 文件（{detail}），不是 Excel 工作簿。",
        "This is an old Office file ({detail}), not an Excel workbook.",
        "请使用下发的 .xlsx 模板填写后报送。",
        "Fill in the .xlsx template that was sent out.",
    ),
    "file-ods": Entry(
        "error",
        "这是 OpenDocument 表格（.ods），不是 .xlsx。",
        "This is an OpenDocument spreadsheet (.ods), not .xlsx.",
        "请在 LibreOffice/WPS 中另存为“Excel 2007-365（.xlsx）”。",
        "Save it as Excel 2007-365 (.xlsx) in LibreOffice or WPS.",
    ),
    "file-docx": Entry(
        "error",
        "这是 Word 文档，不是 Excel 工作簿。",
        "This is a Word document, not an Excel workbook.",
        "请把数据填入下发的 Excel 模板后报送；报告正文可粘贴到“文字部分”工作表。",
        "Enter the figures in the Excel template; paste the text into the 文字部分 sheet.",
    ),
    "file-text": Entry(
        "error",
        "这是文本文件（{detail}），不是 Excel 工作簿。",
        "This is a text file ({detail}), not an Excel workbook.",
        "请使用下发的 .xlsx 模板填写后报送。",
        "Fill in the .xlsx template that was sent out.",
    ),
    "file-zip": Entry(
        "error",
        "这是压缩包或其他 ZIP 格式文件，不是 Excel 工作簿。",
        "This is a zip archive or another zip-based file, not an Excel workbook.",
        "请解压后分别报送其中的 .xlsx 文件（汇总时可直接给出压缩包）。",
        "Unpack it and hand in the .xlsx files inside (compile accepts zip archives).",
    ),
    "file-other": Entry(
        "error",
        "无法识别的文件类型（{detail}），不是 Excel 工作簿。",
        "Unrecognised file type ({detail}), not an Excel workbook.",
        "请使用下发的 .xlsx 模板填写后报送。",
        "Fill in the .xlsx template that was sent out.",
    ),
    "file-corrupt": Entry(
        "error",
        "文件已损坏或不完整：{detail}",
        "The file is damaged or incomplete: {detail}",
        "请重新保存或重新发送（邮件附件可能没有下载完整）。",
        "Save or send it again (an e-mail attachment may be truncated).",
    ),
    "file-too-large": Entry(
        "error",
        "文件解压后过大或结构异常（{detail}），为安全起见不予读取。",
        "The file expands to an unsafe size or structure ({detail}) and was not read.",
        "请使用下发的模板重新填写；不要在表格中插入图片或大量数据。",
        "Fill in a fresh template; do not insert pictures or bulk data.",
    ),
    "file-unsafe-xml": Entry(
        "error",
        "文件中含有不安全的 XML 结构（{detail}），不予读取。",
        "The file contains unsafe XML ({detail}) and was not read.",
        "请用 Excel/WPS 重新保存为 .xlsx 后报送。",
        "Save it again as .xlsx in Excel or WPS.",
    ),
    "file-system": Entry(
        "warning",
        "这是系统或临时文件（如 Excel 打开文件时生成的“~$”文件），不是报表。",
        "This is a system or temporary file (such as Excel's “~$” lock file), not a return.",
        "可以忽略或删除，不影响汇总。",
        "Ignore or delete it; it does not affect the summary.",
    ),
    "read-failed": Entry(
        "error",
        "读取这个文件时遇到了意外的内容（{detail}），未能完成校验。",
        "Something unexpected in this file stopped the check ({detail}).",
        "请用 Excel 或 WPS 打开后另存为 .xlsx 再试；仍不行请把文件发给技术支持。",
        "Open it in Excel or WPS, save it as .xlsx and try again; otherwise send it to support.",
    ),
    "file-macros": Entry(
        "warning",
        "文件含有宏（.xlsm），宏已被忽略、不会运行。",
        "The file contains macros (.xlsm); they were ignored and never run.",
        "请另存为不含宏的“Excel 工作簿（*.xlsx）”。",
        "Save it as a macro-free Excel Workbook (*.xlsx).",
    ),
    # ---- what the workbook is
    "read-by-labels": Entry(
        "info",
        "这不是本系统生成的模板，已按表格的行列标签识别数据（{detail}）。",
        "Not a template made by this tool; figures were located by their labels ({detail}).",
        "建议今后使用下发的模板填写，以便自动校验。",
        "Use the distributed template next time for automatic checks.",
    ),
    "tables-not-found": Entry(
        "error",
        "在文件中找不到年报的统计表（{detail}）。",
        "No annual-report tables were found in the file ({detail}).",
        "请使用下发的模板填写，或确认表格的行列标签与国家格式一致。",
        "Use the template, or make sure row and column labels follow the national format.",
    ),
    "table-missing": Entry(
        "error",
        "找不到表{detail}。",
        "Table {detail} was not found.",
        "请补上该表，行列标签应与国家格式一致。",
        "Add the table with the official labels.",
    ),
    "label-missing": Entry(
        "error",
        "表{detail}中找不到{what}“{expected}”，这一{what}的数字没有读取。",
        "Table {detail}: the {what_en} “{expected}” was not found; its figures were not read.",
        "请按国家格式补上该{what}，标签文字与格式一致。",
        "Add the {what_en} with its official label.",
    ),
    "label-misprint": Entry(
        "warning",
        "标签“{actual}”与格式规定的“{expected}”不一致，已按后者识别。",
        "Label “{actual}” differs from the official “{expected}”; read as the latter.",
        "请将标签改为格式规定的文字。",
        "Use the official wording of the label.",
    ),
    "spec-unknown": Entry(
        "error",
        "模板的格式编号“{detail}”不认识（可能来自其他版本的软件）。",
        "The template's spec id “{detail}” is unknown (made by another version?).",
        "请使用本年度下发的模板重新填写。",
        "Fill in this year's template.",
    ),
    "spec-changed": Entry(
        "warning",
        "模板的格式版本或校验码与本机的“{detail}”不一致，模板可能被改动过或版本不同。",
        "The template's spec version or hash differs from “{detail}”: altered or another version.",
        "请确认使用的是本年度下发的模板。",
        "Make sure this year's template was used.",
    ),
    "year-mismatch": Entry(
        "error",
        "报表年度是{actual}年，但本次要求的是{expected}年。",
        "The workbook is for {actual}, but {expected} was expected.",
        "请使用{expected}年度的模板填写，不要沿用往年的文件。",
        "Use the template for {expected}; do not reuse last year's file.",
    ),
    "year-unknown": Entry(
        "warning",
        "无法确定报表年度。",
        "The report year could not be determined.",
        "请用 --year 指定年度。",
        "Give the year with --year.",
    ),
    "agency-mismatch": Entry(
        "warning",
        "模板是为“{expected}”生成的，但“填报说明”中填写的单位名称是“{actual}”。",
        "The template was made for “{expected}”, but the agency name filled in is “{actual}”.",
        "请确认使用的是本单位的模板；单位名称有变化的，请告知政务公开办更新花名册。",
        "Make sure this agency's own template was used; report a change of name.",
    ),
    "agency-missing": Entry(
        "warning",
        "没有填写单位名称。",
        "The agency name is not filled in.",
        "请在“填报说明”工作表填写单位名称。",
        "Enter the agency name on the 填报说明 sheet.",
    ),
    "format-outdated": Entry(
        "error",
        "{year}年度的报告应使用{expected}，但本表使用的是{actual}（{detail}）。",
        "A report for {year} must use {expected}, but this one uses {actual} ({detail}).",
        "请按{expected}重新填写，不要沿用旧格式的表格。",
        "Fill it in again in the {expected} format.",
    ),
    "format-mixed": Entry(
        "error",
        "各表的格式不一致：{detail}。",
        "The tables mix formats: {detail}.",
        "请全部按同一年度格式填写。",
        "Use one format for every table.",
    ),
    "sheet-unprotected": Entry(
        "warning",
        "工作表“{sheet}”的保护被撤销了。",
        "Sheet “{sheet}” is no longer protected.",
        "请勿撤销工作表保护；如需修改结构请联系政务公开办。",
        "Do not unprotect sheets; contact the office if the structure must change.",
    ),
    "workbook-unprotected": Entry(
        "warning",
        "工作簿结构保护被撤销了。",
        "Workbook structure protection was removed.",
        "请勿撤销工作簿保护，不要增删或重命名工作表。",
        "Do not unprotect the workbook or add, delete or rename sheets.",
    ),
    "sheet-missing": Entry(
        "error",
        "缺少工作表“{sheet}”。",
        "Sheet “{sheet}” is missing.",
        "请使用完整的模板重新填写。",
        "Fill in a complete template.",
    ),
    "formula-replaced": Entry(
        "error",
        "合计格的公式被改成了固定数值{actual}，按填报数字计算应为{expected}。",
        "The total's formula was replaced by the value {actual}; the figures give {expected}.",
        "合计格应自动计算，请使用原模板重新填写该表，不要复制粘贴覆盖合计格。",
        "Totals are computed; refill the table in a fresh template, do not paste over totals.",
    ),
    "formula-altered": Entry(
        "error",
        "合计格的公式被改动了（现为“{actual}”）。",
        "The total's formula was altered (now “{actual}”).",
        "请使用原模板重新填写该表。",
        "Refill the table in a fresh template.",
    ),
    "stale-result": Entry(
        "warning",
        "合计格保存的结果是{actual}，但按填报数字重新计算应为{expected}。",
        "The total's stored result is {actual}, but the figures give {expected}.",
        "请在 Excel/WPS 中打开后按 F9 重新计算并保存（受保护视图不会重算）。",
        "Open it in Excel or WPS, press F9 to recalculate, and save.",
    ),
    "input-formula": Entry(
        "info",
        "填报格中是公式“{detail}”，已按其计算结果{actual}读取。",
        "An input cell holds the formula “{detail}”; its result {actual} was used.",
        "建议直接填写数字。",
        "Enter plain numbers.",
    ),
    "input-formula-unreadable": Entry(
        "error",
        "填报格中是公式“{detail}”，文件里没有保存它的计算结果，无法读取。",
        "An input cell holds the formula “{detail}” with no stored result; it cannot be read.",
        "请直接填写数字。",
        "Enter plain numbers.",
    ),
    "narrative-mismatch": Entry(
        "warning",
        "正文中“{detail}”的数字{actual}与表中的{expected}不一致。",
        "The text says “{detail}” ({actual}), but the tables give {expected}.",
        "请核对正文与统计表，使两者一致。",
        "Make the text and the tables agree.",
    ),
    # ---- values
    "blank-cell": Entry(
        "error",
        "未填写（空白不等于0）。",
        "Not filled in (a blank is not 0).",
        "没有的请填0。",
        "Enter 0 if there were none.",
    ),
    "value-coerced": Entry(
        "warning",
        "“{actual}”不是规范的数字，已按{expected}读取（{detail}）。",
        "“{actual}” is not a plain number; read as {expected} ({detail}).",
        "请直接填写阿拉伯数字，不带单位和符号。",
        "Enter a plain number without units or symbols.",
    ),
    "not-a-number": Entry(
        "error",
        "“{actual}”不是数字。",
        "“{actual}” is not a number.",
        "请填写阿拉伯数字，没有的填0。",
        "Enter a number; 0 if none.",
    ),
    "negative-value": Entry(
        "error",
        "填了负数{actual}，这里只能填0或正数。",
        "Negative value {actual}; only 0 or more is allowed here.",
        "请改为0或正数。",
        "Enter 0 or a positive number.",
    ),
    "not-integer": Entry(
        "error",
        "填了小数{actual}，件数只能是整数。",
        "{actual} is not a whole number.",
        "件数请填整数。",
        "Counts must be whole numbers.",
    ),
    "too-many-decimals": Entry(
        "error",
        "{actual}的小数位数超过{detail}位。",
        "{actual} has more than {detail} decimals.",
        "金额最多保留{detail}位小数。",
        "Round the amount to {detail} decimals.",
    ),
    "error-value": Entry(
        "error",
        "单元格显示错误值“{actual}”。",
        "The cell shows the error value “{actual}”.",
        "请改为数字。",
        "Enter a number.",
    ),
    "text-too-long": Entry(
        "warning", "文字超过{detail}字。", "The text is longer than {detail} characters.", "请精简。", "Shorten it."
    ),
    # ---- narrative
    "section-empty": Entry(
        "error",
        "“{detail}”没有填写内容。",
        "Section “{detail}” is empty.",
        "请在“文字部分”工作表填写该部分；确实没有的写“无”或“本年度无其他需要报告的事项”。",
        "Fill in the section on the 文字部分 sheet; write 无 if there is nothing to report.",
    ),
    # ---- previous year
    "previous-unreadable": Entry(
        "warning",
        "上年报表无法读取，未做跨年度核对：{detail}",
        "Last year's workbook could not be read; cross-year checks skipped: {detail}",
        "请提供上年的 .xlsx 报表。",
        "Provide last year's .xlsx workbook.",
    ),
}


COLUMN_HEADS = {
    "zh": ["级别", "代码", "工作表", "单元格", "行", "列", "问题", "改法", "应为", "实为", "差额", "规则"],
    "en": [
        "Severity",
        "Code",
        "Sheet",
        "Cell",
        "Row",
        "Column",
        "Problem",
        "Fix",
        "Expected",
        "Actual",
        "Difference",
        "Rule",
    ],
}


@dataclass(frozen=True)
class Finding:
    """One problem found, as a flat record (easy to assert on, to print and to put in a spreadsheet)."""

    code: str
    severity: Severity
    message: str
    fix: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    cell_id: str = ""
    row_label: str = ""
    column_label: str = ""
    rule: str = ""
    expected: JsonNumber = None
    actual: JsonNumber = None
    difference: JsonNumber = None
    cells: tuple[str, ...] = field(default=())  # every "sheet!A1" involved, for highlighting
    fingerprint: str = ""

    def located(self, file: str) -> Finding:
        """This finding for a given file, with its stable fingerprint."""
        f = replace(self, file=file)
        return replace(f, fingerprint=fingerprint(f))

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["cells"] = list(self.cells)
        return d

    def columns(self, lang: str = "zh") -> list[object]:
        """The finding as a row of a findings sheet (headings: :data:`COLUMN_HEADS`)."""
        return [
            SEVERITY_LABEL[lang][self.severity],
            self.code,
            self.sheet,
            self.cell,
            self.row_label,
            self.column_label,
            self.message,
            self.fix,
            self.expected,
            self.actual,
            self.difference,
            self.rule,
        ]

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.sheet and self.cell else self.sheet


def fingerprint(f: Finding) -> str:
    """Stable across runs and values: what kind of problem, and where."""
    key = "|".join((f.code, f.rule, f.file.rsplit("/", 1)[-1], f.sheet, f.cell, f.cell_id))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def plain(value: object) -> JsonNumber:
    """A number as JSON shows it: Decimal 12 -> 12, Decimal 1.50 -> 1.5; text stays text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, int | float):
        return int(value) if isinstance(value, float) and value.is_integer() else value
    return str(value)


def show(value: object, lang: str = "zh") -> str:
    """A value as a message quotes it ("空白"/"blank" for nothing)."""
    p = plain(value)
    return ("blank" if lang == "en" else "空白") if p is None else str(p)


def make(code: str, lang: str = "zh", severity: Severity | None = None, **fields: Any) -> Finding:
    """A finding of a catalogue code; ``fields`` fill the message templates and the record."""
    entry = CATALOGUE[code]
    values = {k: show(v, lang) if k in ("expected", "actual", "difference") else v for k, v in fields.items()}
    template_args = {"detail": "", "sheet": "", "expected": "", "actual": "", "year": "", **values}
    record_fields = {k: v for k, v in fields.items() if k in Finding.__dataclass_fields__}
    for k in ("expected", "actual", "difference"):
        if k in record_fields:
            record_fields[k] = plain(record_fields[k])
    return Finding(
        code=code,
        severity=severity or entry.severity,
        message=(entry.en if lang == "en" else entry.zh).format(**template_args),
        fix=(entry.fix_en if lang == "en" else entry.fix_zh).format(**template_args),
        **record_fields,
    )


def counts(findings: list[Finding]) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        out[f.severity] += 1
    return out


_A1 = re.compile(r"([A-Z]+)(\d+)")


def sort_key(f: Finding) -> tuple[int, str, str, int, str]:
    m = _A1.match(f.cell or "")
    row = int(m.group(2)) if m else 0
    return (SEVERITY_ORDER[f.severity], f.file, f.sheet, row, f.cell)
