"""``zfxxgk compile``: every file accounted for, matched to the roster, summed with traceable formulas."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from helpers import DEMO, filled_template, zip_without_utf8_flag
from zfxxgk.check.file import check_file
from zfxxgk.cli import main
from zfxxgk.libreoffice import convert
from zfxxgk.read.intake import RATIO_FLOOR
from zfxxgk.read.sources import expand
from zfxxgk.spec import Spec


def compile_(tmp: Path, *inputs: Path, roster: Path = DEMO / "roster.csv", extra: tuple[str, ...] = ()) -> Path:
    out = tmp / "汇总.xlsx"
    res = CliRunner().invoke(
        main,
        [
            "compile",
            *map(str, inputs),
            "--roster",
            str(roster),
            "--year",
            "2025",
            "-o",
            str(out),
            "--jobs",
            "2",
            *extra,
        ],
    )
    assert res.exit_code == 0, res.output
    return out


def sheet_rows(path: Path, sheet: str, data_only: bool = False) -> list[tuple[Any, ...]]:
    return list(openpyxl.load_workbook(path, data_only=data_only)[sheet].iter_rows(values_only=True))


def status_table(path: Path) -> dict[str, list[tuple[str, str]]]:
    rows = sheet_rows(path, "报送情况")
    head = rows.index(next(r for r in rows if r[0] == "序号"))
    out: dict[str, list[tuple[str, str]]] = {}
    for r in rows[head + 1 :]:
        out.setdefault(r[1] or "", []).append((r[3], Path(str(r[4] or "")).name))
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("demo")
    return compile_(
        tmp, DEMO / "returns", extra=("--report", str(tmp / "汇总报告.docx"), "--csv", str(tmp / "long.csv"))
    )


def test_the_demo_county_is_accounted_for(demo: Path) -> None:
    table = status_table(demo)
    statuses = {name: [s for s, _ in rows] for name, rows in table.items()}
    assert statuses["示范县河西乡人民政府"] == ["未报送"]
    assert statuses["示范县教育局"] == ["合格", "重复报送"]
    assert statuses["示范县公安局"] == ["无法读取"]
    assert statuses["示范县财政局"] == ["有错误"]
    assert statuses["示范县交通运输局"] == ["有错误"]
    assert statuses["示范县卫生健康局"] == ["有警告"]
    assert statuses["示范县城关镇人民政府"] == ["有警告"]  # the hand-made workbook, read by its labels
    assert statuses["示范县农业农村局"] == ["合格"]  # out of a zip whose names are GBK
    assert "报送材料/示范县农业农村局_2025年度政府信息公开年报.xlsx" in str(sheet_rows(demo, "报送情况"))
    files_in = len(list(expand([DEMO / "returns"])))
    files_listed = sum(1 for rows in table.values() for _, f in rows if f)
    assert files_in == files_listed == 15


def test_every_finding_is_listed_with_its_agency(demo: Path) -> None:
    rows = sheet_rows(demo, "问题清单")
    assert rows[0][:6] == ("序号", "单位名称", "文件", "状态", "级别", "代码")
    codes = {(r[1], r[5]) for r in rows[1:]}
    assert {
        ("示范县公安局", "file-xls"),
        ("示范县财政局", "formula-replaced"),
        ("示范县交通运输局", "blank-cell"),
        ("示范县卫生健康局", "narrative-mismatch"),
        ("示范县城关镇人民政府", "read-by-labels"),
        ("示范县教育局", "S1"),
    } <= codes


def summary_cell(wb: Any, detail_column: int) -> str:
    """The 汇总表 cell whose SUMIFS adds up one column of 明细 (by its letter)."""
    letter = openpyxl.utils.get_column_letter(detail_column + 1)
    found = [
        c
        for row in wb["汇总表"].iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=SUMIFS(") and f"!${letter}$" in c.value
    ]
    assert found, f"no SUMIFS over 明细 column {letter}"
    return str(found[0].coordinate)


def test_the_summary_is_formulas_over_the_detail_with_correct_results(demo: Path, spec21: Spec) -> None:
    wb = openpyxl.load_workbook(demo)
    stored = openpyxl.load_workbook(demo, data_only=True)
    detail = list(wb["明细"].iter_rows(values_only=True))
    ids = list(detail[1])
    included = [r for r in detail[2:] if r[4] == "是"]
    assert len(included) == 11  # 合格 9 + 有警告 2 (卫生健康局, 城关镇); not the 2 with errors
    # The summary's value for table 三's grand total traces to the 明细 column of the same cell id.
    col = ids.index("t3.total.total")
    expected = sum(r[col] for r in included)
    assert stored["汇总表"][summary_cell(wb, col)].value == expected


def test_the_summary_adds_up_the_figures_written_into_the_returns(tmp_path: Path, spec21: Spec) -> None:
    """Returns written here, one inside a zip: 明细 and 汇总表 hold the sums of the figures the test wrote."""
    roster = tmp_path / "roster.csv"
    roster.write_text("单位名称\n甲局\n乙局\n丙局\n", encoding="utf-8")
    folder = tmp_path / "returns"
    folder.mkdir()
    names = ("甲局", "乙局", "丙局")
    written = [filled_template(folder / f"{name}.xlsx", spec21, agency=name, seed=n) for n, name in enumerate(names)]
    with zipfile.ZipFile(folder / "附件.zip", "w") as zf:
        zf.write(folder / "丙局.xlsx", "报送/丙局.xlsx")
    (folder / "丙局.xlsx").unlink()
    out = compile_(tmp_path, folder, roster=roster)
    wb = openpyxl.load_workbook(out)
    stored = openpyxl.load_workbook(out, data_only=True)
    detail = list(wb["明细"].iter_rows(values_only=True))
    ids = list(detail[1])
    included = [r for r in detail[2:] if r[4] == "是"]
    assert len(included) == 3
    assert any("!/" in r[2] for r in included)  # a return out of a zip archive is among them
    cells = [*spec21.tables["t2"].cells, *spec21.tables["t3"].cells, *spec21.tables["t4"].cells]
    sums = {c: sum((Decimal(str(v[c])) for v in written), Decimal(0)) for c in cells}
    assert sums["t3.new.total"] > 0
    for cell_id in cells:
        assert sums[cell_id] == sum(Decimal(str(r[ids.index(cell_id)] or 0)) for r in included), cell_id
    for cell_id in ("t3.new.total", "t3.total.total", "t4.cases.review_total", "t2.license.decisions"):
        assert stored["汇总表"][summary_cell(wb, ids.index(cell_id))].value == sums[cell_id], cell_id


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_summary_to_the_stored_results(demo: Path, tmp_path: Path) -> None:
    (recalculated,) = convert([demo], "xlsx", tmp_path)
    ours = sheet_rows(demo, "汇总表", data_only=True)
    theirs = sheet_rows(recalculated, "汇总表", data_only=True)
    numbers = [
        (a, b)
        for ra, rb in zip(ours, theirs, strict=False)
        for a, b in zip(ra, rb, strict=False)
        if isinstance(a, int | float) or isinstance(b, int | float)
    ]
    assert len(numbers) > 200 and all(a == b for a, b in numbers)


def test_county_report_and_long_csv(demo: Path) -> None:
    import docx

    doc = docx.Document(str(demo.parent / "汇总报告.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "示范县2025年政府信息公开工作年度报告" in text and "花名册共15个单位，已报送14个，通过校验纳入汇总11个" in text
    )
    assert "【请在此填写" in text and len(doc.tables) == 3
    rows = list(csv.reader(io.StringIO((demo.parent / "long.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["单位名称", "文件", "状态", "纳入汇总", "单元格编号", "表", "行", "列", "数值"]
    assert {r[0] for r in rows[1:]} >= {"示范县教育局", "示范县城关镇人民政府"}


def test_same_inputs_give_the_same_content(tmp_path: Path) -> None:
    a = compile_(tmp_path / "a", DEMO / "returns")
    b_dir = tmp_path / "b"
    res = CliRunner().invoke(
        main,
        [
            "compile",
            str(DEMO / "returns"),
            "--roster",
            str(DEMO / "roster.csv"),
            "--year",
            "2025",
            "-o",
            str(b_dir / "汇总.xlsx"),
            "--jobs",
            "1",
        ],
    )
    assert res.exit_code == 0
    for sheet in ("报送情况", "问题清单", "汇总表", "明细", "图表"):
        assert sheet_rows(a, sheet) == sheet_rows(b_dir / "汇总.xlsx", sheet), sheet


def test_extra_files_duplicates_and_hostile_names(tmp_path: Path, spec21: Spec) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text('单位名称,单位编码\n=HYPERLINK("x"),A\n甲局,B\n', encoding="utf-8-sig")
    returns = tmp_path / "in"
    returns.mkdir()
    filled_template(returns / "a.xlsx", spec21, agency='=HYPERLINK("x")')
    filled_template(returns / "jia.xlsx", spec21, agency="甲局", seed=1)
    shutil.copy(returns / "jia.xlsx", returns / "jia-again.xlsx")
    filled_template(returns / "stranger.xlsx", spec21, agency="乙局", seed=2)
    (returns / "~$jia.xlsx").write_bytes(b"\x00" * 165)
    (returns / "notes.txt").write_text("报送说明", encoding="utf-8")
    with zipfile.ZipFile(returns / "mail.zip", "w") as zf:
        zf.write(returns / "stranger.xlsx", "转发/乙局.xlsx")
    out = compile_(tmp_path, returns, roster=roster)
    table = status_table(out)
    assert table['=HYPERLINK("x")'][0][0] == "合格"
    assert [s for s, _ in table["甲局"]] == ["合格", "重复报送"]
    assert [s for s, _ in table["乙局"]] == ["不在名单", "不在名单"]
    unreadable = [f for s, f in table.get("", []) if s == "无法读取"]
    assert sorted(unreadable) == ["notes.txt", "~$jia.xlsx"]
    wb = openpyxl.load_workbook(out)
    cell = next(c for row in wb["报送情况"].iter_rows() for c in row if c.value == '=HYPERLINK("x")')
    assert cell.data_type == "s"  # user text is never a formula
    dup_note = next(r[13] for r in sheet_rows(out, "报送情况") if r[3] == "重复报送")
    assert "内容完全相同" in dup_note


def test_previous_year_carry_over_is_compared(tmp_path: Path, spec21: Spec) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("单位名称\n甲局\n", encoding="utf-8")
    (tmp_path / "now").mkdir()
    (tmp_path / "before").mkdir()
    # Two unrelated years: the carry-over differs (P1, a warning); nothing repealed this year, so P3
    # (repealed <= last year's in force + issued, an error) holds whatever the figures.
    no_repeal = {"t2.rules.repealed": 0, "t2.normative.repealed": 0}
    filled_template(tmp_path / "now" / "a.xlsx", spec21, agency="甲局", seed=3, extra=no_repeal)
    filled_template(tmp_path / "before" / "a.xlsx", spec21, agency="甲局", seed=4, year=2024)
    out = compile_(tmp_path, tmp_path / "now", roster=roster, extra=("--previous", str(tmp_path / "before")))
    codes = {r[5] for r in sheet_rows(out, "问题清单")[1:]}
    assert "P1" in codes
    assert status_table(out)["甲局"][0][0] == "有警告"


def test_a_bad_roster_or_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text("序号,备注\n1,甲\n", encoding="utf-8")
    res = CliRunner().invoke(
        main, ["compile", str(tmp_path), "--roster", str(roster), "--year", "2025", "-o", str(tmp_path / "o.xlsx")]
    )
    assert res.exit_code == 2 and "单位名称" in res.output and not (tmp_path / "o.xlsx").exists()
    res = CliRunner().invoke(
        main,
        [
            "compile",
            str(tmp_path / "nope"),
            "--roster",
            str(DEMO / "roster.csv"),
            "--year",
            "2025",
            "-o",
            str(tmp_path / "o.xlsx"),
        ],
    )
    assert res.exit_code == 2 and "找不到" in res.output


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"], ids=["chinese-windows", "info-zip"])
def test_zip_names_without_the_utf8_flag_are_decoded(tmp_path: Path, encoding: str) -> None:
    archive = tmp_path / "a.zip"
    zip_without_utf8_flag(archive, {"报表/教育局年报.xlsx": b"x"}, encoding)
    (source,) = expand([archive])
    assert source.name.endswith("a.zip!/报表/教育局年报.xlsx") and source.read() == b"x"


def test_an_archive_that_would_inflate_too_far_is_listed_not_unpacked(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.xlsx", b"\0" * (4 * RATIO_FLOOR))
    (source,) = expand([archive])
    assert source.entry is None and source.problem is not None and ":1" in source.problem


def test_a_template_filled_in_by_another_agency_goes_to_the_name_written_in_it(tmp_path: Path, spec21: Spec) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("单位名称\n示范县人民政府\n示范县人民政府办公室\n", encoding="utf-8-sig")
    returns = tmp_path / "in"
    returns.mkdir()
    # The 办公室 filled in the government's template and wrote its own name.
    filled_template(
        returns / "a.xlsx", spec21, agency="示范县人民政府", extra={"info.agency.value": "示范县人民政府办公室"}
    )
    found = check_file(returns / "a.xlsx", year=2025)
    assert [f.code for f in found.findings] == ["agency-mismatch"]
    table = status_table(compile_(tmp_path, returns, roster=roster))
    assert table["示范县人民政府"][0][0] == "未报送"
    assert table["示范县人民政府办公室"][0][0] == "有警告"
    note = next(r[13] for r in sheet_rows(tmp_path / "汇总.xlsx", "报送情况") if r[1] == "示范县人民政府办公室")
    assert "另一单位" in note


def test_the_output_inside_the_input_folder_is_not_an_input_and_files_are_readable(
    tmp_path: Path, spec21: Spec
) -> None:
    import stat

    roster = tmp_path / "roster.csv"
    roster.write_text("单位名称\n甲局\n", encoding="utf-8")
    returns = tmp_path / "in"
    returns.mkdir()
    filled_template(returns / "a.xlsx", spec21, agency="甲局")
    (returns / ".汇总.xlsx.abc123.tmp").write_bytes(b"half written")
    for _ in range(2):
        res = CliRunner().invoke(
            main,
            [
                "compile",
                str(returns),
                "--roster",
                str(roster),
                "--year",
                "2025",
                "-o",
                str(returns / "汇总.xlsx"),
                "--csv",
                str(returns / "long.csv"),
            ],
        )
        assert res.exit_code == 0, res.output
    table = status_table(returns / "汇总.xlsx")
    assert [f for rows in table.values() for _, f in rows if f] == ["a.xlsx"]
    mode = stat.S_IMODE((returns / "汇总.xlsx").stat().st_mode)
    assert mode & 0o044 == 0o044  # readable by colleagues (the umask decides), not mkstemp's 0600


def test_a_damaged_map_entry_does_not_stop_checking_or_compiling(tmp_path: Path, spec21: Spec) -> None:
    from helpers import patch_part

    path = tmp_path / "in" / "a.xlsx"
    path.parent.mkdir()
    filled_template(path, spec21, agency="甲局")
    patch_part(
        path,
        "xl/sharedStrings.xml",
        "t3.new.natural\t三、依申请公开\tD7".encode(),
        "t3.new.natural\t三、依申请公开\tD7:D8".encode(),
    )
    result = check_file(path, year=2025)
    assert result.readable and result.values["t3.new.natural"] is not None  # found through its defined name
    roster = tmp_path / "roster.csv"
    roster.write_text("单位名称\n甲局\n", encoding="utf-8")
    assert status_table(compile_(tmp_path, path.parent, roster=roster))["甲局"][0][0] == "合格"


@pytest.mark.parametrize("module", ["zfxxgk", "zfxxgk.cli"])
def test_every_command_is_there_however_the_command_line_is_started(module: str) -> None:
    done = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True, text=True, check=True)
    listed = {line.split()[0] for line in done.stdout.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == {"audit", "check", "compile", "report", "rollup", "serve", "spec", "template"}
