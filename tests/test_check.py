"""``zfxxgk check`` on templates: clean returns, tampering, values, narrative, last year, annotation, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from helpers import codes, filled_template, patch_part, set_cells, sha256, where
from zfxxgk.check.annotate import annotate
from zfxxgk.check.file import check_file
from zfxxgk.cli import main
from zfxxgk.spec import Spec
from zfxxgk.template.plan import workbook_plan

T3 = "三、依申请公开"


@pytest.fixture
def good(tmp_path: Path, spec21: Spec) -> Path:
    path = tmp_path / "good.xlsx"
    filled_template(path, spec21)
    return path


def test_a_correct_return_passes(good: Path) -> None:
    result = check_file(good, year=2025)
    assert result.findings == [] and result.status == "ok"
    assert result.agency == "测试县测试局" and result.year == 2025 and result.ret and result.ret.source == "template"


def test_a_blank_template_lists_every_blank_cell_and_empty_section(spec21: Spec, make_template) -> None:  # type: ignore[no-untyped-def]
    result = check_file(make_template(spec21))
    blanks = [f for f in result.findings if f.code == "blank-cell"]
    assert len(blanks) == len([c for c in spec21.input_cells if c.domain.kind != "text"])
    first = next(f for f in blanks if f.cell_id == "t3.new.natural")
    assert (first.sheet, first.cell, first.row_label, first.column_label) == (
        T3,
        "D7",
        "一、本年新收政府信息公开申请数量",
        "自然人",
    )
    empty = {f.row_label for f in result.findings if f.code == "section-empty"}
    assert empty == {"一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"}


def test_a_total_typed_over_is_reported_with_both_values(tmp_path: Path, spec21: Spec, good: Path) -> None:
    out = tmp_path / "typed.xlsx"
    sheet, a1 = where(spec21, "t3.new.total")
    set_cells(good, out, {(sheet, a1): 999})
    result = check_file(out, year=2025)
    (f,) = [f for f in result.findings if f.code == "formula-replaced"]
    assert (f.cell, f.actual, f.severity) == (a1, 999, "error") and f.expected != 999
    assert "I1" in codes(result) and "S1" in codes(result)  # the literal is what the report shows


def test_an_altered_formula_is_reported(tmp_path: Path, spec21: Spec, good: Path) -> None:
    out = tmp_path / "altered.xlsx"
    sheet, a1 = where(spec21, "t3.open.total")
    row = a1[1:]
    set_cells(good, out, {(sheet, a1): f"=SUM(D{row}:H{row})"})
    (f,) = [f for f in check_file(out, year=2025).findings if f.code == "formula-altered"]
    assert f.cell == a1 and f.actual == f"=SUM(D{row}:H{row})" and f.expected == f"=SUM(D{row}:I{row})"


def test_a_stale_stored_result_is_a_warning(tmp_path: Path, spec21: Spec, good: Path) -> None:
    # Change an input in the sheet XML without recalculating: the stored totals no longer match.
    plan = workbook_plan(spec21)
    _, a1 = where(spec21, "t3.open.natural")
    part = f"xl/worksheets/sheet{[s.name for s in plan.tables].index(T3) + 2}.xml"
    import re
    import zipfile

    body = zipfile.ZipFile(good).read(part)
    m = re.search(rf'<c r="{a1}"[^>]*><v>(\d+)</v>'.encode(), body)
    assert m
    patch_part(good, part, m.group(0), m.group(0).replace(b"<v>" + m.group(1), b"<v>" + m.group(1) + b"7"))
    result = check_file(good, year=2025)
    stale = {f.cell_id for f in result.findings if f.code == "stale-result"}
    assert {"t3.open.total", "t3.total.natural", "t3.total.total"} <= stale
    assert "S1" in codes(result)  # the changed input no longer balances


def test_protection_removed_is_noticed(tmp_path: Path, good: Path) -> None:
    wb = openpyxl.load_workbook(good)
    wb[T3].protection.sheet = False
    wb.security.lockStructure = False
    out = tmp_path / "unprotected.xlsx"
    wb.save(out)
    result = check_file(out, year=2025)
    assert [f.sheet for f in result.findings if f.code == "sheet-unprotected"] == [T3]
    assert "workbook-unprotected" in codes(result)


def test_spec_hash_and_year_are_checked(tmp_path: Path, spec21: Spec, good: Path) -> None:
    patch_part(good, "xl/sharedStrings.xml", spec21.hash.encode(), b"0" * 64)
    result = check_file(good, year=2024)
    assert "spec-changed" in codes(result)
    (f,) = [f for f in result.findings if f.code == "year-mismatch"]
    assert (f.actual, f.expected) == (2025, 2024) and "2024" in f.fix


def test_a_2019_template_for_a_2022_report_is_the_wrong_format(tmp_path: Path, spec19: Spec) -> None:
    path = tmp_path / "old.xlsx"
    filled_template(path, spec19, year=2020)
    assert check_file(path, year=2020).status == "ok"
    patch_part(path, "xl/sharedStrings.xml", b"<t>2020</t>", b"<t>2022</t>")
    (f,) = [f for f in check_file(path).findings if f.code == "format-outdated"]
    assert "2021" in f.message and "（六）其他处理没有细分项" in f.message


def test_coerced_and_invalid_values_are_located_and_labelled(tmp_path: Path, spec21: Spec, good: Path) -> None:
    out = tmp_path / "typed.xlsx"
    edits = {
        where(spec21, "t3.new.natural"): "12件",
        where(spec21, "t3.open.legal"): -2,
        where(spec21, "t2.fees.amount"): 1.234,
        where(spec21, "t4.cases.review_upheld"): "abc",
        where(spec21, "t3.partial.research"): 2.5,
    }
    set_cells(good, out, edits)
    result = check_file(out, year=2025)
    by = {
        f.cell_id: f
        for f in result.findings
        if f.code in ("value-coerced", "negative-value", "too-many-decimals", "not-a-number", "not-integer")
    }
    assert by["t3.new.natural"].code == "value-coerced" and by["t3.new.natural"].expected == 12
    assert by["t3.new.natural"].actual == "12件" and "去掉单位“件”" in by["t3.new.natural"].message
    assert by["t3.open.legal"].code == "negative-value" and by["t3.open.legal"].column_label == "法律服务机构"
    assert by["t2.fees.amount"].code == "too-many-decimals"
    assert by["t4.cases.review_upheld"].code == "not-a-number"
    assert by["t3.partial.research"].code == "not-integer" and by["t3.partial.research"].severity == "error"
    assert by["t3.partial.research"].actual == 2.5 and "整数" in by["t3.partial.research"].message


def test_narrative_numbers_must_agree_with_the_tables(tmp_path: Path, spec21: Spec) -> None:
    path = tmp_path / "n.xlsx"
    values = filled_template(path, spec21, seed=11)
    new, carried = values["t3.new.total"], values["t3.carried.total"]
    text = (
        f"本年度共收到政府信息公开申请{new + 5}件，上年结转{carried}件，"
        f"本年度共收到申请{new}件。被申请行政复议{values['t4.cases.review_total']}件。"
    )
    filled_template(path, spec21, seed=11, extra={"text.overview_request.body": text})
    found = [f for f in check_file(path, year=2025).findings if f.code == "narrative-mismatch"]
    assert [(f.rule, f.actual, f.expected) for f in found] == [("N1", new + 5, new)]
    assert found[0].severity == "warning" and found[0].cell_id == "text.overview_request.body"
    filled_template(path, spec21, seed=11, extra={"text.overview_request.body": "收到申请二十件。"})
    found = [f for f in check_file(path, year=2025).findings if f.code == "narrative-mismatch"]
    assert new != 20 and [f.actual for f in found] == [20]


def test_last_years_carry_forward_is_compared(tmp_path: Path, spec21: Spec) -> None:
    last = tmp_path / "2024.xlsx"
    values = filled_template(last, spec21, year=2024, seed=21)
    this = tmp_path / "2025.xlsx"
    current = filled_template(this, spec21, year=2025, seed=22)
    result = check_file(this, year=2025, previous=last)
    p1 = {f.rule for f in result.findings if f.code == "P1"}
    differ = {c for c in spec21.tables["t3"].columns if current[f"t3.carried.{c}"] != values[f"t3.forward.{c}"]}
    assert differ and p1 == {f"P1[c={c}]" for c in differ}
    assert all(f.severity == "warning" for f in result.findings if f.code == "P1")
    broken = check_file(this, year=2025, previous=tmp_path / "missing.xlsx")
    assert "previous-unreadable" in codes(broken)


def test_annotate_marks_cells_and_lists_findings_without_touching_the_input(
    tmp_path: Path, spec21: Spec, good: Path
) -> None:
    out = tmp_path / "typed.xlsx"
    sheet, a1 = where(spec21, "t3.new.total")
    set_cells(good, out, {(sheet, a1): 999, where(spec21, "t3.new.natural"): "=1+1"})
    before = sha256(out)
    result = check_file(out, year=2025)
    annotated = tmp_path / "annotated.xlsx"
    annotate(result, annotated)
    assert sha256(out) == before
    wb = openpyxl.load_workbook(annotated)
    assert wb.sheetnames[0] == "校验结果"
    listing = list(wb["校验结果"].iter_rows(min_row=2, values_only=True))
    assert len(listing) == len(result.findings)
    assert wb[sheet][a1].comment is not None and "公式" in wb[sheet][a1].comment.text
    assert wb[sheet][a1].fill.fgColor.rgb.endswith("FFC7CE")
    assert wb[sheet][a1].data_type == "n"  # the workbook itself is unchanged apart from marks


def test_cli_exit_codes_and_json_schema(tmp_path: Path, good: Path, spec21: Spec) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["check", str(good), "--year", "2025"])
    assert ok.exit_code == 0 and "合格" in ok.output
    bad = tmp_path / "bad.xlsx"
    set_cells(good, bad, {where(spec21, "t3.new.natural"): None})
    res = runner.invoke(main, ["check", str(bad), "--json", "--lang", "en"])
    assert res.exit_code == 1
    doc = json.loads(res.output)
    assert set(doc) == {"tool", "version", "schema", "files", "counts", "exit_code"}
    (file,) = doc["files"]
    assert set(file) == {
        "file",
        "sha256",
        "kind",
        "status",
        "source",
        "spec",
        "year",
        "agency",
        "application",
        "counts",
        "findings",
    }
    f = next(f for f in file["findings"] if f["code"] == "blank-cell")
    assert set(f) == {
        "code",
        "severity",
        "message",
        "fix",
        "file",
        "sheet",
        "cell",
        "cell_id",
        "row_label",
        "column_label",
        "rule",
        "expected",
        "actual",
        "difference",
        "cells",
        "fingerprint",
    }
    assert f["code"] == "blank-cell" and f["message"].startswith("Not filled") and f["row_label"].startswith("1. New")
    again = next(
        g
        for g in json.loads(runner.invoke(main, ["check", str(bad), "--json"]).output)["files"][0]["findings"]
        if g["code"] == "blank-cell"
    )
    assert again["fingerprint"] == f["fingerprint"]  # stable across runs and languages
    missing = runner.invoke(main, ["check", str(tmp_path / "nope.xlsx")])
    assert missing.exit_code == 2 and "找不到文件" in missing.output


def test_english_messages_say_blank_and_name_things_in_english(tmp_path: Path, spec21: Spec, good: Path) -> None:
    out = tmp_path / "cleared.xlsx"
    set_cells(good, out, {where(spec21, "t4.cases.review_total"): None})
    result = check_file(out, year=2025, lang="en")
    replaced = next(f for f in result.findings if f.code == "formula-replaced")
    assert "blank" in replaced.message and "空白" not in replaced.message
    i4 = next(f for f in result.findings if f.code == "I4")
    assert i4.message.startswith("Administrative reconsideration")


def test_a_folder_given_as_a_file_is_explained(tmp_path: Path) -> None:
    (f,) = check_file(tmp_path).findings
    assert f.code == "file-unreadable" and "文件夹" in f.message


def test_annotating_two_files_with_one_name_keeps_both(tmp_path: Path, spec21: Spec) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        filled_template(tmp_path / sub / "年报.xlsx", spec21, seed=1)
    res = CliRunner().invoke(
        main,
        [
            "check",
            str(tmp_path / "a" / "年报.xlsx"),
            str(tmp_path / "b" / "年报.xlsx"),
            "--annotate",
            str(tmp_path / "out"),
        ],
    )
    assert res.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["年报_校验.xlsx", "年报_校验_2.xlsx"]
