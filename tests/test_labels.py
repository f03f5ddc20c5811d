"""Workbooks not made by this project are read by their labels, in the 2021 and the 2019 layouts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from handmade import half_width, handmade, misprint, numbered_with_dun, with_units
from helpers import consistent_values
from zfxxgk.check.file import check_file
from zfxxgk.normalize import label_key
from zfxxgk.read.labels import similarity
from zfxxgk.spec import Spec


def read_values(result: Any, spec: Spec, tables: tuple[str, ...] = ("t2", "t3", "t4")) -> dict[str, Any]:
    return {k: v for k, v in result.values.items() if k.split(".")[0] in tables}


def expected(spec: Spec, values: dict[str, Any], tables: tuple[str, ...] = ("t2", "t3", "t4")) -> dict[str, Any]:
    return {c: values[c] for t in tables for c in spec.tables[t].cells}


@pytest.mark.parametrize(
    "relabel",
    [lambda s: s, half_width, with_units, numbered_with_dun],
    ids=["exact", "half-width", "unit-notes", "dun-numbering"],
)
@pytest.mark.parametrize("one_sheet", [True, False], ids=["one-sheet", "sheet-per-table"])
def test_a_2021_handmade_workbook_is_read_by_labels(
    tmp_path: Path, spec21: Spec, relabel: Any, one_sheet: bool
) -> None:
    values = consistent_values(spec21, seed=8)
    path = tmp_path / "own.xlsx"
    handmade(path, spec21, values, title="某某局2023年政府信息公开工作年度报告", relabel=relabel, one_sheet=one_sheet)
    result = check_file(path)
    assert result.ret is not None and result.ret.source == "labels"
    assert read_values(result, spec21) == expected(spec21, values)
    assert result.year == 2023 and result.agency == "某某局"
    (info,) = [f for f in result.findings if f.code == "read-by-labels"]
    assert "表二、三、四按政府信息公开工作年度报告（国办公开办函〔2021〕30号格式）" in info.message
    assert [f.code for f in result.findings if f.severity != "info"] == []


def test_misprinted_labels_are_read_and_reported(tmp_path: Path, spec21: Spec) -> None:
    values = consistent_values(spec21, seed=2)
    path = tmp_path / "own.xlsx"
    handmade(path, spec21, values, relabel=misprint)
    result = check_file(path, year=2023)
    assert read_values(result, spec21) == expected(spec21, values)
    found = {(f.actual, f.expected) for f in result.findings if f.code == "label-misprint"}
    assert found == {("2.其他法律行政止公开", "2.其他法律行政法规禁止公开"), ("行政法复议", "行政复议")}


def test_a_2019_handmade_workbook_is_recognised_as_such(tmp_path: Path, spec19: Spec) -> None:
    values = consistent_values(spec19, seed=4)
    values["t2.license.change"] = -3
    path = tmp_path / "old.xlsx"
    handmade(path, spec19, values, title="某某镇人民政府2020年政府信息公开工作年度报告")
    result = check_file(path)
    assert read_values(result, spec19) == expected(spec19, values)
    assert result.spec is not None and result.spec.id == "national-2019"
    assert [f.code for f in result.findings if f.severity != "info"] == []


def test_a_2019_table_in_a_2022_report_is_the_wrong_format(tmp_path: Path, spec19: Spec) -> None:
    values = consistent_values(spec19, seed=4)
    path = tmp_path / "old.xlsx"
    handmade(path, spec19, values, title="某某镇人民政府2022年政府信息公开工作年度报告")
    result = check_file(path)
    (f,) = [f for f in result.findings if f.code == "format-outdated"]
    assert f.severity == "error" and "2022" in f.message
    for label in ("本年新制作数量", "对外公开总数量", "上一年项目数量", "本年增/减"):
        assert label in f.message
    assert "（六）其他处理没有细分项" in f.message


def test_mixed_formats_are_reported(tmp_path: Path, spec21: Spec, spec19: Spec) -> None:
    values = {**consistent_values(spec19, seed=6), **consistent_values(spec21, seed=6)}
    values.update({k: v for k, v in consistent_values(spec19, seed=6).items() if k.startswith("t3.")})
    path = tmp_path / "mixed.xlsx"
    handmade(path, spec21, values, extra_specs={"t3": spec19})
    result = check_file(path, year=2022)
    assert "format-mixed" in [f.code for f in result.findings]
    outdated = [f for f in result.findings if f.code == "format-outdated"]
    assert len(outdated) == 1 and "表三" in outdated[0].message


def test_identities_are_checked_on_handmade_totals(tmp_path: Path, spec21: Spec) -> None:
    values = consistent_values(spec21, seed=9)
    values["t3.total.natural"] += 6  # sub-rows summing to less than the 总计 printed
    values["t4.cases.review_total"] = 0  # a 复议 总计 of 0 over real cases
    path = tmp_path / "sums.xlsx"
    handmade(path, spec21, values)
    rules = {f.rule for f in check_file(path, year=2023).findings if f.severity == "error"}
    assert {"I2[c=natural]", "S1[c=natural]", "I1[r=total]"} <= rules
    parts = ("upheld", "corrected", "other", "pending")
    assert sum(values[f"t4.cases.review_{p}"] for p in parts) > 0  # so a total of 0 is wrong
    assert "I4[g=review]" in rules


def test_blanks_dashes_and_a_missing_table(tmp_path: Path, spec21: Spec) -> None:
    values = consistent_values(spec21, seed=1)
    values["t3.open.research"] = None
    values["t3.open.nonprofit"] = "-"
    path = tmp_path / "gaps.xlsx"
    handmade(path, spec21, values, tables=("t3", "t4"))
    result = check_file(path, year=2023)
    kinds = {(f.code, f.cell_id) for f in result.findings}
    assert ("blank-cell", "t3.open.research") in kinds and ("value-coerced", "t3.open.nonprofit") in kinds
    missing = [f for f in result.findings if f.code == "table-missing"]
    assert len(missing) == 1 and "二" in missing[0].message


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("（一）予以公开", "(一)予以公开", True),
        ("3.危及“三安全一稳定”", '3.危及"三安全一稳定"', True),
        ("1.属于国家秘密", "1、属于国家秘密", True),
        ("一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量 ", True),
    ],
)
def test_label_normalisation(a: str, b: str, same: bool) -> None:
    assert (label_key(a) == label_key(b)) == same


def test_similarity_accepts_small_misprints_only() -> None:
    assert similarity(label_key("2.其他法律行政法规禁止公开"), label_key("2.其他法律行政止公开")) >= 0.78
    assert similarity(label_key("1.属于国家秘密"), label_key("2.重复申请")) < 0.78
    assert similarity(label_key("一、本年新收政府信息公开申请数量"), label_key("一、本年新收政府信息公开申请数量（件）")) == 0.97


def test_a_table_above_another_does_not_lend_it_headers(tmp_path: Path, spec21: Spec) -> None:
    values = consistent_values(spec21, seed=12)
    path = tmp_path / "order.xlsx"
    handmade(path, spec21, values, title="测试局2023年政府信息公开工作年度报告", tables=("t4", "t3", "t2"))  # table 四's 总计 just above table 三
    result = check_file(path, year=2023)
    assert read_values(result, spec21) == expected(spec21, values)
    assert [f.code for f in result.findings if f.severity != "info"] == []


def test_a_row_that_cannot_be_found_is_an_error_not_a_silent_gap(tmp_path: Path, spec21: Spec) -> None:
    values = consistent_values(spec21, seed=13)
    values["t3.open.natural"] += 5  # the outcomes no longer add up to the (unreadable) total row
    path = tmp_path / "total.xlsx"
    handmade(path, spec21, values, relabel=lambda s: "合计" if s == "（七）总计" else s)
    result = check_file(path, year=2023)
    (missing,) = [f for f in result.findings if f.code == "label-missing"]
    assert missing.severity == "error" and "表三" in missing.message and "（七）总计" in missing.message
    assert result.status == "errors"


def test_the_year_in_the_title_beats_a_later_date(tmp_path: Path, spec21: Spec) -> None:
    values = consistent_values(spec21, seed=14)
    path = tmp_path / "dated.xlsx"
    handmade(path, spec21, values, title="某某局2025年政府信息公开工作年度报告")
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["报表"]["B2"] = "填报日期：2026年1月10日"
    wb.save(path)
    assert check_file(path).year == 2025
