"""Label reading by header paths, stated units and the choice among sheets (issue 9, point 1).

Hand-made workbooks written as markdown tables (``tests/markdown.py``): ``<`` merges a cell with its
left neighbour, ``^`` with the one above. Each test states the cells that must be read and the
findings the reading must give.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from markdown import check_tables, unmerged
from test_label_tables import READ_T2_2021, READ_T3, READ_T4, T2_2021, T3_2021, T4, TITLE_2023, codes, nonzero, read
from zfxxgk.check.file import CheckResult
from zfxxgk.findings import Finding

# Every figure distinct, so a figure read into another group's cell shows.
CASES = {
    "review": (1, 2, 3, 4, 10),
    "direct": (5, 0, 1, 0, 6),
    "after": (0, 2, 0, 1, 3),
}
LEAVES = "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 "
PARTS = ("upheld", "corrected", "other", "pending", "total")
READ_CASES = {f"t4.cases.{g}_{p}": n for g, ns in CASES.items() for p, n in zip(PARTS, ns, strict=True)}


def figures(*groups: str) -> str:
    return "".join(f"| {n} " for g in groups for n in CASES[g]) + "|"


def t4(order: tuple[str, ...]) -> str:
    """Table 四 with its groups in ``order`` (行政复议 and 行政诉讼's two groups, each moved as a whole)."""
    heads = {"review": "行政复议", "direct": "未经复议直接起诉", "after": "复议后起诉"}
    top, middle, bottom = [], [], []
    for g in order:
        if g == "review":
            top.append("| 行政复议 | < | < | < | < ")
            middle.append(LEAVES)
            bottom.append("| ^ | ^ | ^ | ^ | ^ ")
        else:
            if g == next(x for x in order if x != "review"):
                top.append("| 行政诉讼 | < | < | < | < | < | < | < | < | < ")
            middle.append(f"| {heads[g]} | < | < | < | < ")
            bottom.append(LEAVES)
    return "\n".join(
        [
            "| 四、政府信息公开行政复议、行政诉讼情况 |",
            "".join(top) + "|",
            "".join(middle) + "|",
            "".join(bottom) + "|",
            figures(*order),
        ]
    )


def found(result: CheckResult, code: str) -> list[Finding]:
    return [f for f in result.findings if f.code == code]


# --------------------------------------------------------------------------- header paths


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "unmerged"])
@pytest.mark.parametrize(
    "order",
    [
        ("review", "direct", "after"),
        ("review", "after", "direct"),
        ("direct", "after", "review"),
        ("after", "direct", "review"),
    ],
    ids=["official", "litigation-swapped", "review-last", "all-moved"],
)
def test_table_four_groups_in_any_order_are_read_into_their_cells(
    tmp_path: Path, order: tuple[str, ...], merged: bool
) -> None:
    book = "\n".join([TITLE_2023, T2_2021, "| |", t4(order)])
    result = check_tables(tmp_path, book if merged else unmerged(book))
    assert read(result, "t4") == READ_CASES
    assert codes(result) == {"read-by-labels", "table-missing"}  # table 三 left out; every sum holds


T3_REORDERED_HEAD = """
| 三、收到和处理政府信息公开申请情况 |
| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | < | < | 申请人情况 | < | < | < | < | < | < |
| ^ | ^ | ^ | 总计 | 法人或其他组织 | < | < | < | < | 自然人 |
| ^ | ^ | ^ | ^ | 其他 | 法律服务机构 | 社会公益组织 | 科研机构 | 商业企业 | ^ |
"""


def test_table_three_columns_in_another_order_are_read_by_their_labels(tmp_path: Path) -> None:
    rows = T3_2021.split("\n", 5)[5]  # the body rows, figures in the official order
    body = rows.replace("| 3 | 0 | 0 | 0 | 0 | 0 | 3 |", "| 9 | 1 | 2 | 0 | 0 | 3 | 3 |", 1)
    book = "\n".join([TITLE_2023, T2_2021, T3_REORDERED_HEAD + body])
    result = check_tables(tmp_path, book)
    t3 = read(result, "t3")
    assert {k: t3[k] for k in t3 if k.startswith("t3.new.")} == {
        "t3.new.total": 9,
        "t3.new.other_org": 1,
        "t3.new.legal": 2,
        "t3.new.nonprofit": 0,
        "t3.new.research": 0,
        "t3.new.business": 3,
        "t3.new.natural": 3,
    }
    assert not found(result, "label-missing") and not found(result, "label-misprint")


def test_a_total_of_one_group_is_not_taken_for_another_groups(tmp_path: Path) -> None:
    """Only 复议后起诉's 总计 is labelled 总计 under its group; the reader must not give it to 行政复议."""
    book = "\n".join([TITLE_2023, T2_2021, "| |", t4(("direct", "after", "review"))])
    result = check_tables(tmp_path, book)
    assert result.values["t4.cases.review_total"] == 10 and result.values["t4.cases.after_total"] == 3


# --------------------------------------------------------------------------- units

FEES = "| 信息内容 | 本年收费金额（单位：万元） |\n| 行政事业性收费 | 3.25 |"


def t2_with(fees: str) -> str:
    assert T2_2021.count(FEES) == 1
    return "\n".join([TITLE_2023, T2_2021.replace(FEES, fees), T3_2021])


def test_a_column_stated_in_yuan_is_converted_with_one_finding(tmp_path: Path) -> None:
    result = check_tables(tmp_path, t2_with("| 信息内容 | 本年收费金额（单位：元） |\n| 行政事业性收费 | 32500 |"))
    assert read(result, "t2") == READ_T2_2021  # 32500 元 = 3.25 万元
    (f,) = found(result, "column-unit-converted")
    assert f.severity == "warning" and "元" in f.message and "万元" in f.message and f.cell == "B15"
    assert codes(result) == {"read-by-labels", "column-unit-converted", "table-missing"}  # no misprint


def test_a_unit_note_cell_over_the_block_states_the_columns_unit(tmp_path: Path) -> None:
    fees = T2_2021.replace("| 第二十条第（八）项 | < |", "| 第二十条第（八）项 | （单位：元） |")
    book = "\n".join(
        [TITLE_2023, fees.replace(FEES, "| 信息内容 | 本年收费金额 |\n| 行政事业性收费 | 32500 |"), T3_2021]
    )
    result = check_tables(tmp_path, book)
    assert read(result, "t2") == READ_T2_2021
    assert len(found(result, "column-unit-converted")) == 1 and not found(result, "label-missing")


@pytest.mark.parametrize(
    ("header", "cell", "code"),
    [
        ("本年收费金额（单位：万元）", "'32500元", "value-coerced"),  # the cell's own unit converts it
        ("本年收费金额（单位：万元）", "'3.25（万元）", "value-coerced"),  # a unit note in brackets
        ("本年收费金额（单位：元）", "'3.25万元", "column-unit-converted"),  # the cell's unit beats the header's
    ],
)
def test_a_unit_written_in_the_cell_is_read_by_that_unit(tmp_path: Path, header: str, cell: str, code: str) -> None:
    result = check_tables(tmp_path, t2_with(f"| 信息内容 | {header} |\n| 行政事业性收费 | {cell} |"))
    assert result.values["t2.fees.amount"] == Decimal("3.25")
    assert code in codes(result)


def test_a_unit_that_cannot_be_converted_is_flagged_not_read_as_a_misprint(tmp_path: Path) -> None:
    result = check_tables(tmp_path, t2_with("| 信息内容 | 本年收费金额（件） |\n| 行政事业性收费 | 3 |"))
    (f,) = found(result, "column-unit-mismatch")
    assert f.severity == "error" and "件" in f.message and result.values["t2.fees.amount"] == 3
    assert not found(result, "label-misprint")


# --------------------------------------------------------------------------- which sheet


def other_figures(table: str) -> str:
    """The same table with other figures in its first data row (so which sheet was read shows)."""
    return table.replace("| 3 | 0 | 0 | 0 | 0 | 0 | 3 |", "| 7 | 0 | 0 | 0 | 0 | 0 | 7 |", 1)


def new_natural(result: CheckResult) -> Any:
    return result.values["t3.new.natural"]


@pytest.mark.parametrize("draft_first", [True, False])
def test_a_draft_copy_is_passed_over_and_said_so(tmp_path: Path, draft_first: bool) -> None:
    sheets = {"表二": TITLE_2023 + T2_2021, "表三": T3_2021}
    draft = {"表三（草稿）": other_figures(T3_2021)}
    book = {**draft, **sheets} if draft_first else {**sheets, **draft}
    result = check_tables(tmp_path, book)
    assert new_natural(result) == 3 and nonzero(read(result, "t3")) == READ_T3
    (f,) = found(result, "table-choice")
    assert f.severity == "warning" and f.sheet == "表三" and "表三（草稿）" in f.message


def test_last_years_sheet_is_passed_over(tmp_path: Path) -> None:
    title = "| 某某局2025年政府信息公开工作年度报告 |"
    book = {
        "2024年": title.replace("2025", "2024") + T2_2021 + T3_2021,
        "2025年": title + T2_2021 + other_figures(T3_2021),
    }
    result = check_tables(tmp_path, book)
    assert result.year == 2025 and new_natural(result) == 7
    assert {f.sheet for f in found(result, "table-choice")} == {"2025年"}


def test_a_hidden_sheet_is_passed_over_for_the_visible_one(tmp_path: Path) -> None:
    book = {"旧表": TITLE_2023 + T2_2021 + other_figures(T3_2021), "报表": TITLE_2023 + T2_2021 + T3_2021}
    result = check_tables(tmp_path, book, hidden={"旧表"})
    assert new_natural(result) == 3 and read(result, "t2") == READ_T2_2021
    assert {f.sheet for f in found(result, "table-choice")} == {"报表"}
    assert all("“旧表”（隐藏）" in f.message for f in found(result, "table-choice")) and not found(
        result, "table-hidden"
    )


def test_a_table_only_on_a_hidden_sheet_is_read_with_a_warning(tmp_path: Path) -> None:
    book = {"报表": TITLE_2023 + T2_2021 + T4, "表三": T3_2021}
    result = check_tables(tmp_path, book, hidden={"表三"})
    assert nonzero(read(result, "t3")) == READ_T3
    (f,) = found(result, "table-hidden")
    assert f.severity == "warning" and f.sheet == "表三" and "隐藏" in f.message and "三" in f.message
    assert codes(result) == {"read-by-labels", "table-hidden"}


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "unmerged"])
def test_two_copies_on_one_sheet_are_not_mixed(tmp_path: Path, merged: bool) -> None:
    book = "\n".join([TITLE_2023, T2_2021, T3_2021, T4, "| |", "| 草稿 |", other_figures(T3_2021)])
    result = check_tables(tmp_path, book if merged else unmerged(book))
    assert result.ret is not None
    rows = {result.ret.cells[c].a1 for c in ("t3.new.natural", "t3.forward.natural")}
    assert rows == {"D21", "D45"}  # both from the upper copy, not one from each
    assert nonzero(read(result, "t3")) == READ_T3 and read(result, "t2") == READ_T2_2021
    (f,) = found(result, "table-choice")
    assert "D21起" in f.message and "D57起" in f.message and f.cell == "D21"


def test_two_copies_side_by_side_are_not_mixed(tmp_path: Path) -> None:
    """Last year's table 三 copied to the right of this year's: the left one is read, the choice said."""
    left, right = ([line for line in t.splitlines() if line.strip()] for t in (T3_2021, other_figures(T3_2021)))
    width = max(line.count("|") - 1 for line in left)
    side = "\n".join(  # each right row starts one empty column after the widest left row
        a + " |" * (width - a.count("|") + 2) + b[1:] for a, b in zip(left, right, strict=True)
    )
    result = check_tables(tmp_path, "\n".join([TITLE_2023, T2_2021, side, T4]))
    assert nonzero(read(result, "t3")) == READ_T3 and read(result, "t4") == READ_T4
    (f,) = found(result, "table-choice")
    assert f.cell == "D21" and "D21起" in f.message and "起的一份" in f.message.split("未读取")[1]


def test_a_unit_note_is_compared_as_a_unit_not_as_text() -> None:
    from zfxxgk.normalize import label_key, unit_note
    from zfxxgk.read.labels import similarity

    official = label_key("本年收费金额（单位：万元）")
    assert similarity(official, label_key("本年收费金额（单位：元）")) == 0.97  # the same label in another unit
    assert similarity(official, label_key("本年收费金额")) == 0.97  # without its note
    assert 0.78 <= similarity(official, label_key("本年收废金额（单位：元）")) < 0.93  # a misprint is still one
    assert unit_note(label_key("金额，单位：元")) == ("金额", "元")
    for written in ("收到申请数（宗）", "收到申请数(单位:份)", "收到申请数（注：含上年结转）"):  # every unit the spec has
        assert similarity(label_key("收到申请数"), label_key(written)) == 0.97, written
    assert unit_note(label_key("第二十条第（一）项")) == ("第二十条第(一)项", "")  # 项 here is no unit note
