"""Text layers where a table row is one run of digits: a cell is read only when it is certain.

The texts are written here, in the way the archived portal pages flatten their tables (labels and digit
runs on one line; see ``shared/published/003–012.txt``), from the spec's own labels and random figures.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from zfxxgk.audit import audit_file
from zfxxgk.audit.textlayer import read_row, splits
from zfxxgk.figures import consistent_figures, seeded
from zfxxgk.spec import Spec, load_spec
from zfxxgk.spec.compiled import forest_leaves

N2021 = load_spec("national-2021")
N2019 = load_spec("national-2019")
TITLE = "标题: 测试县测试局2023年政府信息公开工作年度报告\n"
PROSE_END = "五、存在的主要问题及改进情况 培训不足。六、其他需要报告的事项 无。"


def flat_text(spec: Spec, values: dict[str, Any], sep: str = " ", override: dict[str, str] | None = None) -> str:
    """The report as a text layer: each table's captions, corner and row labels, then the row's figures."""
    out = [TITLE, "一、总体情况 本年度收到政府信息公开申请", str(values.get("t3.new.total", 0)), "件。"]
    for table in spec.grid_tables:
        out.append(table.number + "、" + table.title + " ")
        for block in table.blocks:
            out += [block.caption or "", " ", block.corner or "", " "]
            columns = [c for c in forest_leaves(block.columns) if c.id]
            if not block.row_header:
                out += [c.label + " " for c in forest_leaves(block.columns)]
            for row in forest_leaves(block.rows):
                cells = [f"{table.id}.{row.id}.{c.id}" for c in columns]
                digits = sep.join(str(values[c]) for c in cells)
                out += [row.label + " " if block.row_header else "", (override or {}).get(row.id, digits)]
    out.append(PROSE_END)
    return "".join(out)


def audit_text(tmp_path: Path, body: str, name: str = "report.txt") -> Any:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return audit_file(path)


def table_values(spec: Spec, values: dict[str, Any]) -> dict[str, Any]:
    tables = {t.id for t in spec.grid_tables}
    return {k: v for k, v in values.items() if k.split(".")[0] in tables}


def test_splits_of_a_digit_run() -> None:
    readings = sorted(splits(["690000069"], 7))
    assert [69, 0, 0, 0, 0, 0, 69] in readings and [6, 90, 0, 0, 0, 0, 69] in readings
    assert all(len(r) == 7 for r in readings) and len(readings) > 1
    assert list(splits(["0000000"], 7)) == [[0] * 7]
    assert list(splits(["10", "0"], 3)) == [[1, 0, 0]]  # spaces force a cut; "00" is no number
    assert list(splits(["05"], 1)) == []


def test_no_identity_picks_a_reading() -> None:
    """A run that splits several ways stays unread even when only one split satisfies I1: never a guess."""
    cells = [f"t3.new.{c}" for c in ("natural", "business", "research", "nonprofit", "legal", "other_org", "total")]
    values, readings = read_row(cells, "690000069")
    assert values is None and readings == 4
    assert read_row(cells, "110000011")[0] is None
    assert read_row(cells, "6 0 0 0 0 0 6") == ([6, 0, 0, 0, 0, 0, 6], 1)


@pytest.mark.parametrize("spec", [N2021, N2019], ids=lambda s: s.id)
def test_space_separated_figures_read_back_exactly(tmp_path: Path, spec: Spec) -> None:
    values = consistent_figures(spec, seeded(3), size=40, whole=True)
    result = audit_text(tmp_path, flat_text(spec, values))
    assert result.spec.id == spec.id and result.agency == "测试县测试局" and result.year == 2023
    assert result.values == table_values(spec, values)
    assert not [f for f in result.findings if f.code in ("I1", "I2", "S1", "I4", "blank-cell")]
    assert "extraction-ambiguous" not in {f.code for f in result.findings}


def test_ambiguous_run_leaves_cells_unverifiable(tmp_path: Path) -> None:
    values = consistent_figures(N2021, seeded(1), size=9, whole=True)
    values |= {f"t3.open.{c}": 0 for c in ("business", "research", "nonprofit", "legal", "other_org")}
    values |= {"t3.open.natural": 11, "t3.open.total": 11}
    text = flat_text(N2021, values, sep=" ", override={"open": "110000011"})
    result = audit_text(tmp_path, text)
    ambiguous = [f for f in result.findings if f.code == "extraction-ambiguous"]
    assert [f.row_label for f in ambiguous] == ["（一）予以公开"]
    assert ambiguous[0].actual == "110000011" and ambiguous[0].sheet == "正文中的表三"
    assert not any(k.startswith("t3.open.") for k in result.values)
    unverifiable = {f.rule for f in result.findings if f.code == "rule-unverifiable"}
    assert "I1[r=open]" in unverifiable and "I2[c=natural]" in unverifiable
    assert not [f for f in result.findings if f.code == "I2"]  # not reported as passing, nor as failing


def test_run_one_identity_would_pick_is_still_ambiguous(tmp_path: Path) -> None:
    values = consistent_figures(N2021, seeded(2), size=9, whole=True)
    new = {c: 0 for c in ("business", "research", "nonprofit", "legal", "other_org")} | {"natural": 69, "total": 69}
    result = audit_text(
        tmp_path, flat_text(N2021, values | {f"t3.new.{c}": v for c, v in new.items()}, override={"new": "690000069"})
    )
    codes = {f.code for f in result.findings}
    assert "extraction-resolved" not in codes
    ambiguous = [f for f in result.findings if f.code == "extraction-ambiguous"]
    assert [f.actual for f in ambiguous] == ["690000069"]
    assert not any(k.startswith("t3.new.") for k in result.values)
    assert "I1[r=new]" in {f.rule for f in result.findings if f.code == "rule-unverifiable"}


def test_item_number_sticking_to_digits_and_blank_rows(tmp_path: Path) -> None:
    """``00000002.其他法律…``: the 2 is the next label's number; a row printed without figures is blank."""
    values = consistent_figures(N2021, seeded(4), size=9, whole=True)
    zero = {f"t3.{r}.{c}": 0 for r in ("deny_secret", "other_no_fee") for c in N2021.tables["t3"].columns}
    values |= zero
    text = flat_text(N2021, values, sep="", override={"deny_secret": "0000000", "other_no_fee": ""})
    text = text.replace("0000000 2.其他法律", "00000002.其他法律")
    result = audit_text(tmp_path, text)
    assert result.values["t3.deny_secret.total"] == 0
    blanks = {f.cell_id for f in result.findings if f.code == "blank-cell"}
    assert blanks == {f"t3.other_no_fee.{c}" for c in N2021.tables["t3"].columns}
    assert all(result.values[c] is None for c in blanks)


def test_2019_tables_in_a_later_report(tmp_path: Path) -> None:
    values = consistent_figures(N2019, seeded(5), size=9, whole=True)
    result = audit_text(tmp_path, flat_text(N2019, values))
    assert result.spec.id == "national-2019"
    assert "format-outdated" in {f.code for f in result.findings}


def test_decimal_point_stays_with_its_figure() -> None:
    assert list(splits(["16220.85"], 1)) == [[Decimal("16220.85")]]
    assert sorted(splits(["547.9659"], 2)) == [[5, Decimal("47.9659")], [54, Decimal("7.9659")]]
    assert list(splits(["1.2.3"], 1)) == []


def test_fee_amount_with_decimals_read_and_checked(tmp_path: Path) -> None:
    """``行政事业性收费16220.85`` is 16220.85 (not 1622); more decimals than the domain allows is reported."""
    values = consistent_figures(N2021, seeded(6), size=9, whole=True)
    result = audit_text(tmp_path, flat_text(N2021, values, override={"fees": "16220.85"}))
    assert result.values["t2.fees.amount"] == Decimal("16220.85")
    result = audit_text(tmp_path, flat_text(N2021, values, override={"fees": "4166.214619"}), name="b.txt")
    assert "too-many-decimals" in {f.code for f in result.findings if f.cell_id == "t2.fees.amount"}


def test_unit_note_after_a_label(tmp_path: Path) -> None:
    """``政府集中采购（元）6675809``: the note is skipped; the figures are in 元, not the form's unit: not read."""
    values = consistent_figures(N2019, seeded(7), size=9, whole=True)
    text = flat_text(N2019, values).replace("政府集中采购", "政府集中采购（元）")
    result = audit_text(tmp_path, text)
    assert not any(k.startswith("t2.procurement.") for k in result.values)
    assert "t2.procurement.projects" in {f.cell_id for f in result.findings if f.code == "extraction-ambiguous"}
    assert "blank-cell" not in {f.code for f in result.findings if (f.cell_id or "").startswith("t2.procurement")}


def test_row_label_without_its_first_characters(tmp_path: Path) -> None:
    """``规范性文件 1 0 13`` under the 2021 table 二 is the 行政规范性文件 row, read and reported as misprinted."""
    values = consistent_figures(N2021, seeded(8), size=9, whole=True)
    values |= {"t2.normative.issued": 1, "t2.normative.repealed": 0, "t2.normative.in_force": 13}
    text = flat_text(N2021, values).replace("行政规范性文件", "规范性文件")
    result = audit_text(tmp_path, text)
    assert (result.values["t2.normative.issued"], result.values["t2.normative.in_force"]) == (1, 13)
    misprints = [f for f in result.findings if f.code == "label-misprint"]
    assert [(f.actual, f.expected) for f in misprints] == [("规范性文件", "行政规范性文件")]


def test_narrative_in_a_wrapped_text_layer(tmp_path: Path) -> None:
    """PDF text layers break phrases across lines: ``受理政府\\n信息公开申请 17 件`` is still quoted; 引发行政复议N起 too."""
    values = consistent_figures(N2021, seeded(9), size=9, whole=True)
    new, review = values["t3.new.total"], values["t4.cases.review_total"]
    text = flat_text(N2021, values).replace(
        "一、总体情况 本年度收到政府信息公开申请",
        f"一、总体情况 本年共受理政府\n信息公开申请 {new + 17} 件，因依申请公开引发行政复议{review + 1}起。收到政府信息公开申请",
    )
    result = audit_text(tmp_path, text)
    assert {f.rule for f in result.findings if f.code == "narrative-mismatch"} == {"N1", "N5"}
