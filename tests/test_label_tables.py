"""Label reading, test by test, on workbooks written out as tables (pyxform's habit).

Each table below is a hand-made workbook as an agency might lay it out, in the official layout of
national-2021 or national-2019: ``<`` merges a cell with its left neighbour and ``^`` with the
one above (see ``tests/markdown.py``). Each test states the cells that must be read (cell id ->
value) and exactly the finding codes the check must give.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from markdown import check_tables, unmerged
from zfxxgk.check.file import CheckResult

TITLE_2023 = "| 某某局2023年政府信息公开工作年度报告 |"

T2_2021 = """
| 二、主动公开政府信息情况 |
| 第二十条第（一）项 | < | < | < |
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | 2 | 1 | 9 |
| 行政规范性文件 | 4 | 0 | 7 |
| 第二十条第（五）项 | < |
| 信息内容 | 本年处理决定数量 |
| 行政许可 | 120 |
| 第二十条第（六）项 | < |
| 信息内容 | 本年处理决定数量 |
| 行政处罚 | 35 |
| 行政强制 | 0 |
| 第二十条第（八）项 | < |
| 信息内容 | 本年收费金额（单位：万元） |
| 行政事业性收费 | 3.25 |
"""
READ_T2_2021 = {
    "t2.rules.issued": 2,
    "t2.rules.repealed": 1,
    "t2.rules.in_force": 9,
    "t2.normative.issued": 4,
    "t2.normative.repealed": 0,
    "t2.normative.in_force": 7,
    "t2.license.decisions": 120,
    "t2.penalty.decisions": 35,
    "t2.coercion.decisions": 0,
    "t2.fees.amount": Decimal("3.25"),
}

T3_HEAD = """
| 三、收到和处理政府信息公开申请情况 |
| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | < | < | 申请人情况 | < | < | < | < | < | < |
| ^ | ^ | ^ | 自然人 | 法人或其他组织 | < | < | < | < | 总计 |
| ^ | ^ | ^ | ^ | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | ^ |
"""
T3_2021 = T3_HEAD + """
| 一、本年新收政府信息公开申请数量 | < | < | 3 | 0 | 0 | 0 | 0 | 0 | 3 |
| 二、上年结转政府信息公开申请数量 | < | < | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| 三、本年度办理结果 | （一）予以公开 | < | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
| ^ | （二）部分公开（区分处理的，只计这一情形，不计其他情形） | < | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| ^ | （三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 3.危及“三安全一稳定” | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 4.保护第三方合法权益 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 5.属于三类内部事务信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 6.属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 8.属于行政查询事项 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | （四）无法提供 | 1.本机关不掌握相关政府信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 2.没有现成信息需要另行制作 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 3.补正后申请内容仍不明确 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | （五）不予处理 | 1.信访举报投诉类申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 3.要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 4.无正当理由大量反复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 5.要求行政机关确认或重新出具已获取信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | （六）其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 3.其他 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | （七）总计 | < | 3 | 0 | 0 | 0 | 0 | 0 | 3 |
| 四、结转下年度继续办理 | < | < | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
"""
T3_2019 = T3_HEAD + """
| 一、本年新收政府信息公开申请数量 | < | < | 3 | 0 | 0 | 0 | 0 | 0 | 3 |
| 二、上年结转政府信息公开申请数量 | < | < | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| 三、本年度办理结果 | （一）予以公开 | < | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
| ^ | （二）部分公开（区分处理的，只计这一情形，不计其他情形） | < | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| ^ | （三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 3.危及“三安全一稳定” | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 4.保护第三方合法权益 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 5.属于三类内部事务信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 6.属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 8.属于行政查询事项 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | （四）无法提供 | 1.本机关不掌握相关政府信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 2.没有现成信息需要另行制作 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 3.补正后申请内容仍不明确 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | （五）不予处理 | 1.信访举报投诉类申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 3.要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 4.无正当理由大量反复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 5.要求行政机关确认或重新出具已获取信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | （六）其他处理 | < | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | （七）总计 | < | 3 | 0 | 0 | 0 | 0 | 0 | 3 |
| 四、结转下年度继续办理 | < | < | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
"""
READ_T3 = {  # the figures that are not 0: natural persons only, so each 总计 equals them
    **{f"t3.{row}.{col}": n for row, n in [("new", 3), ("carried", 1), ("open", 2), ("partial", 1)]
       for col in ("natural", "total")},
    **{f"t3.{row}.{col}": n for row, n in [("total", 3), ("forward", 1)] for col in ("natural", "total")},
}

T4 = """
| 四、政府信息公开行政复议、行政诉讼情况 |
| 行政复议 | < | < | < | < | 行政诉讼 | < | < | < | < | < | < | < | < | < |
| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | < | < | < | < | 复议后起诉 | < | < | < | < |
| ^ | ^ | ^ | ^ | ^ | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
| 1 | 0 | 0 | 1 | 2 | 0 | 1 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 |
"""
READ_T4 = {  # a block without row labels: the figures are read under the column headers alone
    "t4.cases.review_upheld": 1,
    "t4.cases.review_corrected": 0,
    "t4.cases.review_other": 0,
    "t4.cases.review_pending": 1,
    "t4.cases.review_total": 2,
    "t4.cases.direct_upheld": 0,
    "t4.cases.direct_corrected": 1,
    "t4.cases.direct_other": 0,
    "t4.cases.direct_pending": 0,
    "t4.cases.direct_total": 1,
    **{f"t4.cases.after_{c}": 0 for c in ("upheld", "corrected", "other", "pending", "total")},
}

T2_2019 = """
| 二、主动公开政府信息情况 |
| 第二十条第（一）项 | < | < | < |
| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
| 规章 | 1 | 1 | 6 |
| 规范性文件 | 3 | 3 | 20 |
| 第二十条第（五）项 | < | < | < |
| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
| 行政许可 | 12 | -3 | 240 |
| 其他对外管理服务事项 | 4 | 0 | 15 |
| 第二十条第（六）项 | < | < | < |
| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
| 行政处罚 | 30 | 2 | 51 |
| 行政强制 | 5 | 0 | 2 |
| 第二十条第（八）项 | < | < |
| 信息内容 | 上一年项目数量 | 本年增/减 |
| 行政事业性收费 | 2 | -1 |
| 第二十条第（九）项 | < | < |
| 信息内容 | 采购项目数量 | 采购总金额 |
| 政府集中采购 | 6 | 18.5 |
"""


def read(result: CheckResult, *tables: str) -> dict[str, Any]:
    """The values read for the cells of these tables."""
    assert result.ret is not None and result.ret.source == "labels"
    return {k: v for k, v in result.values.items() if k.split(".")[0] in tables}


def nonzero(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v != 0}


def codes(result: CheckResult) -> set[str]:
    return {f.code for f in result.findings}


def one_sheet(*tables: str) -> str:
    return "\n".join(tables)


# --------------------------------------------------------------------------- national-2021


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "unmerged"])
def test_tables_two_and_four_alone(tmp_path: Path, merged: bool) -> None:
    book = one_sheet(TITLE_2023, T2_2021, "| |", T4)
    result = check_tables(tmp_path, book if merged else unmerged(book))
    assert read(result, "t2", "t4") == READ_T2_2021 | READ_T4
    assert (result.spec and result.spec.id, result.year, result.agency) == ("national-2021", 2023, "某某局")
    assert codes(result) == {"read-by-labels", "table-missing"}  # table 三 is not there
    (missing,) = [f for f in result.findings if f.code == "table-missing"]
    assert "表三" in missing.message


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "unmerged"])
def test_the_whole_2021_return_on_one_sheet(tmp_path: Path, merged: bool) -> None:
    book = one_sheet(TITLE_2023, T2_2021, T3_2021, T4)
    result = check_tables(tmp_path, book if merged else unmerged(book))
    t3 = read(result, "t3")
    assert len(t3) == 7 * 25 and nonzero(t3) == READ_T3  # every cell of table 三 read; the rest are 0
    assert read(result, "t2", "t4") == READ_T2_2021 | READ_T4
    assert codes(result) == {"read-by-labels"}


def test_one_table_per_sheet(tmp_path: Path) -> None:
    result = check_tables(tmp_path, {"表二": TITLE_2023 + T2_2021, "表三": T3_2021, "表四": T4})
    assert nonzero(read(result, "t3")) == READ_T3
    assert read(result, "t2", "t4") == READ_T2_2021 | READ_T4
    assert codes(result) == {"read-by-labels"}


@pytest.mark.parametrize(
    ("official", "written"),
    [
        ("（一）予以公开", "(一)予以公开"),  # half-width brackets
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "(二)部分公开(区分处理的，只计这一情形，不计其他情形)"),
        ("第二十条第（五）项", "第二十条第(五)项"),
        ("3.危及“三安全一稳定”", '3.危及"三安全一稳定"'),  # straight quotes
        ("一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量（件）"),  # a unit note
        ("四、结转下年度继续办理", "四、结转下年度继续办理（件）"),
        ("1.属于国家秘密", "1、属于国家秘密"),  # numbered with 、
        ("3.补正后申请内容仍不明确", "3、补正后申请内容仍不明确"),
        ("（七）总计", " （七）总计 "),  # stray spaces
    ],
)
def test_label_variants_read_as_the_official_label(tmp_path: Path, official: str, written: str) -> None:
    book = one_sheet(TITLE_2023, T2_2021, T3_2021, T4)
    assert book.count(f"| {official} |") == 1
    result = check_tables(tmp_path, book.replace(f"| {official} |", f"| '{written} |"))
    assert nonzero(read(result, "t3")) == READ_T3
    assert read(result, "t2", "t4") == READ_T2_2021 | READ_T4
    assert codes(result) == {"read-by-labels"}


@pytest.mark.parametrize(
    ("official", "written"),
    [("2.其他法律行政法规禁止公开", "2.其他法律行政止公开"), ("行政复议", "行政法复议")],
)
def test_a_misprinted_label_is_read_and_reported(tmp_path: Path, official: str, written: str) -> None:
    book = one_sheet(TITLE_2023, T2_2021, T3_2021, T4)
    assert book.count(f"| {official} |") == 1
    result = check_tables(tmp_path, book.replace(f"| {official} |", f"| {written} |"))
    assert nonzero(read(result, "t3")) == READ_T3
    assert read(result, "t2", "t4") == READ_T2_2021 | READ_T4
    assert codes(result) == {"read-by-labels", "label-misprint"}
    (f,) = [f for f in result.findings if f.code == "label-misprint"]
    assert (f.actual, f.expected) == (written, official)


def test_a_label_too_far_from_any_official_one_is_missing(tmp_path: Path) -> None:
    book = one_sheet(TITLE_2023, T2_2021, T3_2021, T4).replace("| 2.重复申请 |", "| 2.其他情形 |")
    result = check_tables(tmp_path, book)
    assert codes(result) == {"read-by-labels", "label-missing"}
    assert "t3.reject_repeat.natural" not in read(result, "t3")


# --------------------------------------------------------------------------- national-2019


READ_T2_2019 = {
    "t2.rules.made": 1,
    "t2.rules.published": 1,
    "t2.rules.public_total": 6,
    "t2.normative.made": 3,
    "t2.normative.published": 3,
    "t2.normative.public_total": 20,
    "t2.license.last_year": 12,
    "t2.license.change": -3,
    "t2.license.decisions": 240,
    "t2.other_services.last_year": 4,
    "t2.other_services.change": 0,
    "t2.other_services.decisions": 15,
    "t2.penalty.last_year": 30,
    "t2.penalty.change": 2,
    "t2.penalty.decisions": 51,
    "t2.coercion.last_year": 5,
    "t2.coercion.change": 0,
    "t2.coercion.decisions": 2,
    "t2.fees.last_year": 2,
    "t2.fees.change": -1,
    "t2.procurement.projects": 6,
    "t2.procurement.amount": Decimal("18.5"),
}


def test_the_whole_2019_return(tmp_path: Path) -> None:
    book = one_sheet("| 某某镇人民政府2020年政府信息公开工作年度报告 |", T2_2019, T3_2019, T4)
    result = check_tables(tmp_path, book)
    assert (result.spec and result.spec.id, result.year, result.agency) == ("national-2019", 2020, "某某镇人民政府")
    assert read(result, "t2") == READ_T2_2019
    t3 = read(result, "t3")
    assert len(t3) == 7 * 23 and nonzero(t3) == READ_T3
    assert read(result, "t4") == READ_T4
    assert codes(result) == {"read-by-labels"}


def test_the_2019_layout_in_a_2022_report_is_outdated(tmp_path: Path) -> None:
    book = one_sheet("| 某某镇人民政府2022年政府信息公开工作年度报告 |", T2_2019, T3_2019, T4)
    result = check_tables(tmp_path, book)
    assert read(result, "t2") == READ_T2_2019
    assert codes(result) == {"read-by-labels", "format-outdated"}
