"""Rows matched by their header paths, so row groups and blocks in another order are read into their
cells (issue 9, point 1).

Hand-made workbooks written as markdown tables (``tests/markdown.py``): ``<`` merges a cell with its
left neighbour, ``^`` with the one above. A row leaf is found by its own label and its groups (the
group label to its left, merged down over its rows or, unmerged, the nearest one above), so a group
printed out of the official order, or two blocks swapped, is read where it stands. Every figure of
a moved group is distinct, so a figure read into another row's cell shows.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from markdown import check_tables, merges, rows, unmerged
from test_label_tables import (
    READ_T2_2019,
    READ_T2_2021,
    READ_T3,
    READ_T4,
    T2_2019,
    T2_2021,
    T3_2021,
    T3_HEAD,
    T4,
    TITLE_2023,
    codes,
    nonzero,
    read,
)
from zfxxgk.read.labels import SheetText, match_table
from zfxxgk.spec.loader import load_spec

# Table 三 with （三）不予公开 printed after （四）无法提供, and （六）其他处理 before （五）不予处理.
T3_GROUPS_MOVED = T3_HEAD + """
| 一、本年新收政府信息公开申请数量 | < | < | 40 | 0 | 0 | 0 | 0 | 0 | 40 |
| 二、上年结转政府信息公开申请数量 | < | < | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
| 三、本年度办理结果 | （一）予以公开 | < | 3 | 0 | 0 | 0 | 0 | 0 | 3 |
| ^ | （二）部分公开（区分处理的，只计这一情形，不计其他情形） | < | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | （四）无法提供 | 1.本机关不掌握相关政府信息 | 4 | 0 | 0 | 0 | 0 | 0 | 4 |
| ^ | ^ | 2.没有现成信息需要另行制作 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 3.补正后申请内容仍不明确 | 7 | 0 | 0 | 0 | 0 | 0 | 7 |
| ^ | （三）不予公开 | 1.属于国家秘密 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| ^ | ^ | 2.其他法律行政法规禁止公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
| ^ | ^ | 3.危及“三安全一稳定” | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 4.保护第三方合法权益 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 5.属于三类内部事务信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 6.属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 8.属于行政查询事项 | 6 | 0 | 0 | 0 | 0 | 0 | 6 |
| ^ | （六）其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 3.其他 | 9 | 0 | 0 | 0 | 0 | 0 | 9 |
| ^ | （五）不予处理 | 1.信访举报投诉类申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 2.重复申请 | 8 | 0 | 0 | 0 | 0 | 0 | 8 |
| ^ | ^ | 3.要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 4.无正当理由大量反复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | ^ | 5.要求行政机关确认或重新出具已获取信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| ^ | （七）总计 | < | 40 | 0 | 0 | 0 | 0 | 0 | 40 |
| 四、结转下年度继续办理 | < | < | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
"""
READ_T3_MOVED = {  # natural persons only, so each 总计 column equals them
    f"t3.{row}.{col}": n
    for row, n in [
        ("new", 40),
        ("carried", 2),
        ("open", 3),
        ("unable_no_info", 4),
        ("unable_unclear", 7),
        ("deny_secret", 1),
        ("deny_law", 2),
        ("deny_query", 6),
        ("other_misc", 9),
        ("reject_repeat", 8),
        ("total", 40),
        ("forward", 2),
    ]
    for col in ("natural", "total")
}


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "unmerged"])
def test_table_three_groups_in_another_order_are_read_into_their_cells(tmp_path: Path, merged: bool) -> None:
    book = "\n".join([TITLE_2023, T2_2021, T3_GROUPS_MOVED, T4])
    result = check_tables(tmp_path, book if merged else unmerged(book))
    t3 = read(result, "t3")
    assert len(t3) == 7 * 25 and nonzero(t3) == READ_T3_MOVED  # every cell read, the rest 0
    assert t3["t3.deny_secret.natural"] == 1 and t3["t3.unable_unclear.total"] == 7
    assert read(result, "t2", "t4") == READ_T2_2021 | READ_T4
    assert codes(result) == {"read-by-labels"}  # no label-missing, no misprint, every sum holds


# Table 二 with the blocks 第二十条第（五）项 and 第二十条第（六）项 swapped.
T2_2021_SWAPPED = """
| 二、主动公开政府信息情况 |
| 第二十条第（一）项 | < | < | < |
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | 2 | 1 | 9 |
| 行政规范性文件 | 4 | 0 | 7 |
| 第二十条第（六）项 | < |
| 信息内容 | 本年处理决定数量 |
| 行政处罚 | 35 |
| 行政强制 | 0 |
| 第二十条第（五）项 | < |
| 信息内容 | 本年处理决定数量 |
| 行政许可 | 120 |
| 第二十条第（八）项 | < |
| 信息内容 | 本年收费金额（单位：万元） |
| 行政事业性收费 | 3.25 |
"""


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "unmerged"])
def test_table_two_blocks_swapped_are_read_into_their_cells(tmp_path: Path, merged: bool) -> None:
    book = "\n".join([TITLE_2023, T2_2021_SWAPPED, T3_2021, T4])
    result = check_tables(tmp_path, book if merged else unmerged(book))
    assert read(result, "t2") == READ_T2_2021
    assert result.values["t2.license.decisions"] == 120 and result.values["t2.penalty.decisions"] == 35
    assert nonzero(read(result, "t3")) == READ_T3 and read(result, "t4") == READ_T4
    assert codes(result) == {"read-by-labels"}


# The 2019 table 二 with its five blocks in another order: （九）, （六）, （一）, （八）, （五）.
T2_2019_REORDERED = """
| 二、主动公开政府信息情况 |
| 第二十条第（九）项 | < | < |
| 信息内容 | 采购项目数量 | 采购总金额 |
| 政府集中采购 | 6 | 18.5 |
| 第二十条第（六）项 | < | < | < |
| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
| 行政处罚 | 30 | 2 | 51 |
| 行政强制 | 5 | 0 | 2 |
| 第二十条第（一）项 | < | < | < |
| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
| 规章 | 1 | 1 | 6 |
| 规范性文件 | 3 | 3 | 20 |
| 第二十条第（八）项 | < | < |
| 信息内容 | 上一年项目数量 | 本年增/减 |
| 行政事业性收费 | 2 | -1 |
| 第二十条第（五）项 | < | < | < |
| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
| 行政许可 | 12 | -3 | 240 |
| 其他对外管理服务事项 | 4 | 0 | 15 |
"""


def test_the_2019_table_two_blocks_in_another_order(tmp_path: Path) -> None:
    assert sorted(T2_2019_REORDERED.splitlines()) == sorted(T2_2019.splitlines())  # the same rows, moved
    book = "\n".join(["| 某某镇人民政府2020年政府信息公开工作年度报告 |", T2_2019_REORDERED, T4])
    result = check_tables(tmp_path, book)
    assert result.spec is not None and result.spec.id == "national-2019"
    assert read(result, "t2") == READ_T2_2019
    assert result.values["t2.procurement.amount"] == Decimal("18.5")
    assert codes(result) == {"read-by-labels", "table-missing"}  # table 三 left out


# --------------------------------------------------------------------------- repeated leaf labels

# qinghe-2022's table 二 has a leaf 其他 under both 基础分类 and 扩展分类: the path tells them apart.
QINGHE_T2 = """
| 基础、扩展分类 | < | < | {agency} |
| 扩展分类 | 人大建议政协提案 | < | 11 |
| ^ | 重大项目 | < | 12 |
| ^ | 应急管理 | < | 13 |
| ^ | 政府信息公开工作年度报告 | < | 14 |
| ^ | 政府信息公开指南 | < | 15 |
| ^ | 其他 | < | 16 |
| ^ | 依申请公开指引 | < | 17 |
| 基础分类 | 概况 | 机构职能 | 1 |
| ^ | ^ | 领导简介及分工 | 2 |
| ^ | ^ | 内设、直属机构 | 3 |
| ^ | 其他 | < | 4 |
| 合计 | < | < | 99 |
"""


def qinghe_match(table: str) -> dict[str, int]:
    """The figure read for each matched cell of qinghe-2022's table 二 (by ``match_table`` alone)."""
    spec = load_spec("qinghe-2022")
    (t2,) = [t for t in spec.grid_tables if t.id == "t2"]
    grid = rows(table)
    texts: list[list[object]] = [[None if v in ("<", "^", "") else v for v in line] for line in grid]
    sheet = SheetText("Sheet1", texts, merges(grid).values())  # type: ignore[arg-type]
    m = match_table(spec, t2, sheet)
    return {cid: int(str(texts[r][c])) for cid, (r, c) in m.cells.items() if texts[r][c] is not None}


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "unmerged"])
def test_a_repeated_leaf_label_goes_to_its_own_group_whatever_the_order(merged: bool) -> None:
    cells = qinghe_match(QINGHE_T2 if merged else unmerged(QINGHE_T2))
    assert cells["t2.basic_other.count"] == 4 and cells["t2.extended_other.count"] == 16
    assert cells["t2.functions.count"] == 1 and cells["t2.request_guide.count"] == 17
    assert cells["t2.total.count"] == 99


def test_leaves_within_a_group_in_another_order_are_read_into_their_cells(tmp_path: Path) -> None:
    lines = T3_GROUPS_MOVED.split("\n")
    (i,) = [n for n, line in enumerate(lines) if "| 8.属于行政查询事项 |" in line]
    (j,) = [n for n, line in enumerate(lines) if "| 3.危及“三安全一稳定” |" in line]
    lines[i], lines[j] = lines[j], lines[i]  # 8. printed third, 3. last, in （三）不予公开
    result = check_tables(tmp_path, "\n".join([TITLE_2023, T2_2021, "\n".join(lines), T4]))
    assert nonzero(read(result, "t3")) == READ_T3_MOVED and codes(result) == {"read-by-labels"}
