"""The form specs: exact labels, ids, domains and rules of the national formats."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from zfxxgk.cli import main
from zfxxgk.spec import Spec, load_spec

T3_ROWS_2021 = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]
T3_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
T4_COLUMNS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3


def test_table_three_has_the_official_rows_and_columns_in_order(spec21: Spec) -> None:
    t3 = spec21.tables["t3"]
    assert [t3.row_labels[r][0] for r in t3.rows] == T3_ROWS_2021
    assert [t3.column_labels[c][0] for c in t3.columns] == T3_COLUMNS
    assert len(t3.cells) == 175
    corner = t3.blocks[0].corner
    assert corner == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def test_group_labels_of_table_three(spec21: Spec) -> None:
    cell = spec21.cells["t3.deny_law.business"]
    assert cell.row_path == ("三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开")
    assert cell.column_path == ("申请人情况", "法人或其他组织", "商业企业")
    assert spec21.cells["t3.other_misc.natural"].row_path[1] == "（六）其他处理"


def test_table_two_2021_has_ten_cells_and_a_decimal_fee(spec21: Spec) -> None:
    t2 = spec21.tables["t2"]
    assert len(t2.cells) == 10
    assert [b.caption for b in t2.blocks] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    fee = spec21.cells["t2.fees.amount"]
    assert fee.domain.kind == "decimal" and fee.domain.decimals == 2 and fee.domain.unit == "万元"
    assert fee.column_label == "本年收费金额（单位：万元）"
    assert spec21.cells["t2.rules.issued"].domain.kind == "integer"
    assert spec21.cells["t2.rules.issued"].domain.min == 0


def test_table_four_has_fifteen_cells_with_three_totals(spec21: Spec) -> None:
    t4 = spec21.tables["t4"]
    assert [spec21.cells[c].column_label for c in t4.cells] == T4_COLUMNS
    computed = [c for c in t4.cells if spec21.cells[c].computed]
    assert computed == ["t4.cases.review_total", "t4.cases.direct_total", "t4.cases.after_total"]
    assert spec21.cells["t4.cases.after_upheld"].column_path == ("行政诉讼", "复议后起诉", "结果维持")


def test_totals_are_computed_and_everything_else_is_input(spec21: Spec) -> None:
    t3 = spec21.tables["t3"]
    computed = {c for c in t3.cells if spec21.cells[c].computed}
    expected = {f"t3.{r}.total" for r in t3.rows} | {f"t3.total.{c}" for c in t3.columns}
    assert computed == expected
    assert not any(spec21.cells[c].computed for c in spec21.tables["t2"].cells)


def test_identities_are_declared_as_rules(spec21: Spec) -> None:
    rules = {r.id: r for r in spec21.rules}
    assert {"S1", "I1", "I2", "I4"} <= set(rules)
    assert all(rules[r].severity == "error" for r in ("S1", "I1", "I2", "I4"))
    assert len(rules["S1"].instances) == 7  # every column including 总计
    assert len(rules["I1"].instances) == 25  # every row
    assert len(rules["I2"].instances) == 7
    assert len(rules["I4"].instances) == 3
    s1 = rules["S1"].instances[0]
    assert s1.check.lhs.cells() == ["t3.new.natural", "t3.carried.natural"]
    assert s1.check.rhs.cells() == ["t3.total.natural", "t3.forward.natural"]
    i2 = rules["I2"].instances[0].check.rhs.cells()
    assert len(i2) == 21 and "t3.total.natural" not in i2
    assert rules["S1"].message_zh and rules["S1"].message_en and rules["S1"].fix_zh


def test_national_2019_differs_only_where_the_format_did(spec19: Spec, spec21: Spec) -> None:
    assert spec19.extends == ("national-2021",)
    assert len(spec19.tables["t2"].cells) == 22
    assert len(spec19.tables["t3"].cells) == 23 * 7
    assert spec19.tables["t3"].row_labels["other"][0] == "（六）其他处理"
    assert spec19.cells["t2.license.change"].domain.min is None  # 本年增/减 may be negative
    assert [spec19.cells[c].column_label for c in spec19.tables["t4"].cells] == T4_COLUMNS
    assert "fee_notices" not in spec19.field_ids and "fee_notices" in spec21.field_ids
    assert spec19.covers(2020) and not spec19.covers(2021) and spec21.covers(2025)
    only_2019 = spec19.labels() - spec21.labels()
    assert {
        "本年新制作数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "第二十条第（九）项",
        "采购总金额",
        "其他对外管理服务事项",
    } <= only_2019


def test_prose_sections_and_fee_fields_are_text_cells(spec21: Spec) -> None:
    headings = [s.heading for s in spec21.sections if s.heading]
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    overview = next(s for s in spec21.sections if s.id == "overview")
    assert [c.heading for c in overview.children] == [
        "（一）主动公开",
        "（二）依申请公开",
        "（三）政府信息管理",
        "（四）政府信息公开平台建设",
        "（五）监督保障",
    ]
    assert spec21.cells["text.problems.body"].domain.kind == "text"
    assert spec21.cells["text.fee_billed.value"].domain.unit == "元"


def test_spec_hash_is_stable_and_distinguishes_specs(spec21: Spec, spec19: Spec) -> None:
    assert load_spec("national-2021").hash == spec21.hash
    assert spec21.hash != spec19.hash and len(spec21.hash) == 64


def test_decimal_tolerance_defaults_to_exact(spec21: Spec) -> None:
    assert all(r.tolerance == Decimal(0) for r in spec21.rules)


# sha256 of ``zfxxgk spec cells --spec <id> --json`` as the code printed it before the spec loader and the
# template writer were split into modules (issue 8): the split moved code, not one cell, label or address.
CELLS_JSON_SHA256 = {
    "national-2019": "7e03c9be40c3913b83b49070a97a0ad3159c28421c9dc63b0a84914f0c376509",
    "national-2021": "ba22ee3776cfdaaf47f519c9b20907b54b7aa18061ef59059baee0f73a87500f",
    "qinghe-2022": "72bde6763870c6219d898b202378567191713452406d1f3eb52a0838dd7fe471",
}


@pytest.mark.parametrize("spec_id", sorted(CELLS_JSON_SHA256))
def test_spec_cells_output_is_unchanged_by_the_split(spec_id: str) -> None:
    result = CliRunner().invoke(main, ["spec", "cells", "--spec", spec_id, "--json"])
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(result.stdout_bytes).hexdigest() == CELLS_JSON_SHA256[spec_id]


def test_narrative_patterns_leave_the_hash(tmp_path: Path, spec21: Spec) -> None:
    """Widening the prose patterns must not make every workbook already handed out look tampered with."""
    source = Path(spec21.source).read_text(encoding="utf-8")
    marker = "narrative:"
    assert marker in source
    folder = tmp_path / "wider"
    folder.mkdir()
    wider = folder / "national-2021.yaml"
    wider.write_text(source.replace("patterns:", "patterns:\n      - 另收到申请{n}件", 1), encoding="utf-8")
    widened = load_spec(str(wider))
    assert widened.narrative != spec21.narrative  # the pattern was really added
    assert widened.hash == spec21.hash
    folder2 = tmp_path / "other"
    folder2.mkdir()
    changed = folder2 / "national-2021.yaml"
    changed.write_text(source.replace("label: 自然人", "label: 个人", 1), encoding="utf-8")
    assert load_spec(str(changed)).hash != spec21.hash  # a label the template carries does change it
