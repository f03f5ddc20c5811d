"""Rosters in CSV (UTF-8 or GBK) and Excel; bad rosters are rejected with the row named."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from zfxxgk.roster import RosterError, read_roster


def csv_file(tmp_path: Path, text: str, encoding: str = "utf-8-sig", name: str = "r.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_with_bom_and_optional_columns(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path, "单位名称,统一社会信用代码,联系人,联系电话\n甲局,111,张三,123\n　乙镇人民政府 ,222,,\n\n\n"
    )
    agencies = read_roster(path)
    assert [(a.name, a.code, a.contact, a.phone) for a in agencies] == [
        ("甲局", "111", "张三", "123"),
        ("乙镇人民政府", "222", "", ""),
    ]


def test_gbk_csv_from_chinese_excel(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "序号,单位名称,单位编码\n1,甲局,A1\n2,乙局,A2\n", encoding="gbk")
    assert [a.code for a in read_roster(path)] == ["A1", "A2"]


def test_xlsx_roster_with_numeric_codes(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["单位名称", "单位编码", "联系人"])
    ws.write_row(1, 0, ["甲局", 1001, "王五"])
    wb.close()
    (a,) = read_roster(path)
    assert (a.name, a.code, a.contact) == ("甲局", "1001", "王五")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("名称全称,编码\n甲局,1\n", "没有“单位名称”列"),
        ("单位名称\n甲局\n乙局\n甲局\n", "第4行的单位名称“甲局”与第2行重复"),
        ("单位名称\n第1中学\n第１ 中学\n", "第3行的单位名称“第１ 中学”与第2行重复"),  # names compare as matched
        ("单位名称,单位编码\n甲局,1\n,2\n", "第3行没有填单位名称"),
        ("单位名称\n甲局\n\n乙局\n", "第3行是空行"),
        ("单位名称,单位编码\n甲局,9\n乙局,9\n", "第3行的单位编码“9”与第2行重复"),
        ("单位名称\n", "没有单位"),
        ("", "花名册是空的"),
    ],
)
def test_bad_rosters_name_the_row(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(RosterError) as info:
        read_roster(csv_file(tmp_path, text))
    assert any(words in p for p in info.value.problems), info.value.problems


def test_old_xls_roster_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "r.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(RosterError, match="另存为"):
        read_roster(path)


def test_a_title_row_above_the_header_is_fine(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "示范县2025年政务公开年报报送名单,,\n单位名称,单位编码,联系人\n甲局,1,张三\n")
    assert [a.name for a in read_roster(path)] == ["甲局"]


def _roster_xlsx(path: Path, far: str | None = None) -> Path:
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["单位名称", "单位编码"])
    ws.write_row(1, 0, ["甲局", "1"])
    if far:
        ws.write_string(far, "x")
    wb.close()
    return path


def test_an_xlsx_roster_with_a_dtd_is_refused_before_any_parser_reads_it(tmp_path: Path) -> None:
    path = _roster_xlsx(tmp_path / "r.xlsx")
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("?>", '?><!DOCTYPE x [<!ENTITY e "EXPANDED">]>', 1).encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, body in parts.items():
            z.writestr(name, body)
    with pytest.raises(RosterError, match="无法读取") as info:
        read_roster(path)
    assert "DTD" in info.value.problems[0]


def test_an_xlsx_roster_with_a_cell_far_out_is_refused_not_allocated(tmp_path: Path) -> None:
    # calamine would allocate the whole range up to XFD1048576 (549 GB) and abort the process
    path = _roster_xlsx(tmp_path / "r.xlsx", far="XFD1048576")
    with pytest.raises(RosterError, match="XFD1048576"):
        read_roster(path)
    assert [a.name for a in read_roster(_roster_xlsx(tmp_path / "ok.xlsx", far="GR2"))] == ["甲局"]  # column 200 is read


def test_a_roster_larger_than_any_roster_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("单位名称\n")
        fh.write("甲" * (21 << 20))
    with pytest.raises(RosterError, match="MB"):
        read_roster(path)
