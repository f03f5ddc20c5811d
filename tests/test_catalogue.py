"""Every finding code of the catalogue and every narrative rule: a case that raises it, checked end to end."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from handmade import handmade
from helpers import QINGHE_WORKBOOK, codes, consistent_values, filled_template, patch_part, set_cells, where
from zfxxgk.check import file as check_module
from zfxxgk.check.file import check_file
from zfxxgk.cli import main
from zfxxgk.libreoffice import convert
from zfxxgk.spec import Spec, load_spec
from zfxxgk.template.plan import workbook_plan


@pytest.fixture
def good(tmp_path: Path, spec21: Spec) -> Path:
    path = tmp_path / "good.xlsx"
    filled_template(path, spec21, seed=6)
    return path


def test_agency_missing(tmp_path: Path, spec21: Spec) -> None:
    path = tmp_path / "a.xlsx"
    filled_template(path, spec21, agency="")
    assert "agency-missing" in codes(check_file(path, year=2025))


def test_sheet_missing(tmp_path: Path, good: Path) -> None:
    wb = openpyxl.load_workbook(good)
    del wb["四、复议诉讼"]
    out = tmp_path / "s.xlsx"
    wb.save(out)
    result = check_file(out, year=2025)
    assert [f.sheet for f in result.findings if f.code == "sheet-missing"] == ["四、复议诉讼"]


def test_year_unknown(tmp_path: Path, spec21: Spec) -> None:
    path = tmp_path / "h.xlsx"
    handmade(path, spec21, consistent_values(spec21, seed=1))  # no title, no year anywhere
    assert "year-unknown" in codes(check_file(path))


def test_error_value_in_an_input_cell(tmp_path: Path, spec21: Spec, good: Path) -> None:
    sheet, a1 = where(spec21, "t3.open.research")
    part = f"xl/worksheets/sheet{[t.name for t in workbook_plan(spec21).tables].index(sheet) + 2}.xml"
    body = zipfile.ZipFile(good).read(part).decode("utf-8")
    start = body.index(f'<c r="{a1}"')
    cell = body[start : body.index("</c>", start) + 4]
    patch_part(good, part, cell.encode(), f'<c r="{a1}" t="e"><v>#DIV/0!</v></c>'.encode())
    (f,) = [f for f in check_file(good, year=2025).findings if f.code == "error-value"]
    assert (f.cell, f.actual) == (a1, "#DIV/0!")


def test_text_too_long(tmp_path: Path, spec21: Spec) -> None:
    path = tmp_path / "t.xlsx"
    filled_template(path, spec21, extra={"text.problems.body": "问题。" * 10001})
    assert "text-too-long" in codes(check_file(path, year=2025))


@pytest.mark.libreoffice
def test_input_formula_with_a_stored_result_is_read_and_noted(tmp_path: Path, spec21: Spec, good: Path) -> None:
    typed = tmp_path / "typed.xlsx"
    set_cells(good, typed, {where(spec21, "t2.license.decisions"): "=3+4"})
    (saved,) = convert([typed], "xlsx", tmp_path / "lo")  # LibreOffice stores the result 7
    result = check_file(saved, year=2025)
    (f,) = [f for f in result.findings if f.code == "input-formula"]
    assert f.severity == "info" and f.actual == 7 and result.values["t2.license.decisions"] == 7


def test_an_unforeseen_failure_is_reported_not_raised(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("something no rule foresaw")

    monkeypatch.setattr(check_module, "read_workbook", boom)
    result = check_file(good)
    assert [f.code for f in result.findings] == ["read-failed"] and not result.readable
    assert "something no rule foresaw" in result.findings[0].message


def test_a_system_file_in_a_folder_is_named_as_such(tmp_path: Path, spec21: Spec) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("单位名称\n甲局\n", encoding="utf-8")
    (tmp_path / "in").mkdir()
    filled_template(tmp_path / "in" / "a.xlsx", spec21, agency="甲局")
    (tmp_path / "in" / "~$a.xlsx").write_bytes(b"\x05zfxxgk" + b"\x00" * 150)
    out = tmp_path / "汇总.xlsx"
    res = CliRunner().invoke(
        main,
        ["compile", str(tmp_path / "in"), "--roster", str(roster), "--year", "2025", "-o", str(out), "--jobs", "1"],
    )
    assert res.exit_code == 0, res.output
    rows = list(openpyxl.load_workbook(out)["问题清单"].iter_rows(values_only=True))
    assert any(r[5] == "file-system" for r in rows[1:])


NARRATIVE = [
    ("N1", "本年度共收到政府信息公开申请{n}件。", "t3.new.total"),
    ("N2", "上年结转政府信息公开申请{n}件。", "t3.carried.total"),
    ("N3", "全年共办结政府信息公开申请{n}件。", "t3.total.total"),
    ("N4", "结转下年度继续办理{n}件。", "t3.forward.total"),
    ("N5", "被申请行政复议{n}件。", "t4.cases.review_total"),
    ("N6", "被提起行政诉讼{n}件。", None),
]


@pytest.mark.parametrize(("rule", "sentence", "cell"), NARRATIVE, ids=[n[0] for n in NARRATIVE])
def test_each_narrative_rule_compares_its_figure(
    tmp_path: Path, spec21: Spec, rule: str, sentence: str, cell: str | None
) -> None:
    values = consistent_values(spec21, seed=8)
    right = values[cell] if cell else values["t4.cases.direct_total"] + values["t4.cases.after_total"]
    path = tmp_path / "n.xlsx"
    filled_template(path, spec21, seed=8, extra={"text.overview_request.body": sentence.format(n=right)})
    assert not [f for f in check_file(path, year=2025).findings if f.rule == rule]
    filled_template(path, spec21, seed=8, extra={"text.overview_request.body": sentence.format(n=right + 3)})
    (f,) = [f for f in check_file(path, year=2025).findings if f.rule == rule]
    assert (f.code, f.actual, f.expected) == ("narrative-mismatch", right + 3, right)


def test_the_local_directory_table_total_d1(tmp_path: Path) -> None:
    spec = load_spec("qinghe-2022")
    path = QINGHE_WORKBOOK
    assert "D1" not in codes(check_file(path, year=2022))
    typed = tmp_path / "typed.xlsx"
    set_cells(path, typed, {where(spec, "t2.total.count"): 2000})
    found = {f.code for f in check_file(typed, year=2022).findings}
    assert {"D1", "formula-replaced"} <= found
